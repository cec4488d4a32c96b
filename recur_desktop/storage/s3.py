"""The resume bucket on S3 (or an S3-compatible store), through one shared boto3 client."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote

import boto3.session
import botocore.config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    IncompleteReadError,
    NoCredentialsError,
    ReadTimeoutError,
    SSLError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from recur_desktop.storage.base import ObjectInfo, ObjectNotFound, StorageError

__all__ = ["S3ObjectStore", "make_s3_client"]

#: Bytes read per step when hashing a stored object: bounded memory for any file size.
CHUNK_SIZE = 1024 * 1024

UNREACHABLE = "File storage didn't answer. Nothing was lost; try again."
TIMED_OUT = "File storage didn't answer in time. Nothing was lost; try again."

# Deadlines (security issue #10): a frozen endpoint must fail the current file within a bound a
# recruiter can wait through. Per attempt: connect <= CONNECT_TIMEOUT_S; an upload then waits up
# to CONTINUE_WAIT_S for "100 Continue" (botocore's fixed wait, skipped when the store answers)
# before sending the body; then every wait for bytes (response headers, each chunk of a
# streamed body) <= READ_TIMEOUT_S. Per call: at most MAX_TIMEOUTS attempts that timed out, and
# no retry after a network failure unless a retry that froze too would still end inside
# CALL_BUDGET_S. A frozen endpoint therefore costs at most 2 x (5 + 1 + 20) s = 52 s per put
# and 2 x (5 + 20) s = 50 s per get, head or list page (2 x 21 s and 2 x 20 s when it accepts
# and stays silent, 2 x 5 s when it never accepts); no run of network failures outlasts
# CALL_BUDGET_S.
# Answered errors (SlowDown, 503) keep botocore's MAX_ATTEMPTS and backoff: they are quick.
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 20.0
CONTINUE_WAIT_S = 1.0
MAX_ATTEMPTS = 5
MAX_TIMEOUTS = 2
CALL_BUDGET_S = 60.0
_TIMEOUTS: tuple[type[Exception], ...] = (ConnectTimeoutError, ReadTimeoutError)

# Connection-level failures: the request may never have reached the store. Listed by name for
# the reader; the base classes after them catch the siblings (proxy errors, broken streams).
_NETWORK_ERRORS: tuple[type[Exception], ...] = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
    BotoConnectionError,
    HTTPClientError,
    IncompleteReadError,
)

_NOT_FOUND = frozenset({"NoSuchKey", "404", "NotFound"})
_ALREADY_THERE = frozenset({"PreconditionFailed", "412"})
_BAD_DIGEST = frozenset({"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"})
_DENIED = frozenset({"AccessDenied", "403", "AllAccessDisabled", "AccountProblem"})
_BAD_CREDENTIALS = frozenset(
    {
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "InvalidToken",
        "TokenRefreshRequired",
    }
)
_BUSY = frozenset(
    {
        "SlowDown",
        "ServiceUnavailable",
        "InternalError",
        "RequestTimeout",
        "Throttling",
        "503",
        "500",
    }
)
_METADATA_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def make_s3_client(
    *,
    region: str | None,
    endpoint_url: str | None,
    request_checksum_calculation: str = "when_required",
    aws_access_key_id: str | None = None,
    aws_secret_access_key: str | None = None,
    aws_session_token: str | None = None,
    max_pool_connections: int = 16,
    max_attempts: int = MAX_ATTEMPTS,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    read_timeout: float = READ_TIMEOUT_S,
    max_timeouts: int = MAX_TIMEOUTS,
    call_budget: float = CALL_BUDGET_S,
) -> Any:
    """Build the one S3 client the app shares across threads.

    A private Session (not ``boto3.client``'s shared default one, which is not thread-safe) and
    "standard" retries instead of boto3's "legacy" default. ``request_checksum_calculation``
    stays "when_required" by default because boto3 >= 1.36 otherwise adds CRC checksums that
    some S3-compatible stores reject; our own ``ChecksumSHA256`` is sent either way. Keys left as
    None fall back to boto3's usual chain (environment, profile, SSO).

    The timeouts and retry limits default to the production deadlines (see CALL_BUDGET_S);
    tests pass small ones to meet a frozen endpoint in a second instead of a minute.
    """
    session = boto3.session.Session(
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        aws_session_token=aws_session_token,
        region_name=region,
    )
    config = botocore.config.Config(
        retries={"mode": "standard", "max_attempts": max_attempts},
        request_checksum_calculation=request_checksum_calculation,
        response_checksum_validation="when_required",
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        max_pool_connections=max_pool_connections,
    )
    client = session.client("s3", endpoint_url=endpoint_url, config=config)
    limits = _RetryLimits(
        max_timeouts=max_timeouts,
        call_budget=call_budget,
        attempt_bound=connect_timeout + CONTINUE_WAIT_S + read_timeout,
    )
    client.meta.events.register("before-call.s3", limits.start_call)
    # First among the S3 retry handlers, so a veto comes before botocore's standard handler
    # spends retry quota or picks a delay.
    client.meta.events.register_first("needs-retry.s3", limits.check)
    return client


class _RetryLimits:
    """Stops botocore retrying a call whose endpoint froze: waiting longer rarely helps.

    botocore's standard mode retries a timeout like any transient error, ``max_attempts`` times,
    each costing a full connect or read timeout. This handler runs after every attempt; to stop
    the retries it re-raises the attempt's exception, which is what botocore raises itself once
    it gives up (returning a value cannot veto on every supported botocore version). It also
    notes on the exception how many attempts the call made, for the developer's detail.
    """

    _STARTED = "recur_call_started"
    _TIMEOUTS = "recur_timeouts"

    def __init__(self, *, max_timeouts: int, call_budget: float, attempt_bound: float) -> None:
        self._max_timeouts = max_timeouts
        self._call_budget = call_budget
        self._attempt_bound = attempt_bound

    def start_call(self, context: dict[str, Any], **_: Any) -> None:
        # The request context is one dict per API call, shared by all its attempts.
        context[self._STARTED] = time.monotonic()

    def check(
        self,
        attempts: int,
        caught_exception: Exception | None,
        request_dict: Mapping[str, Any],
        **_: Any,
    ) -> None:
        if caught_exception is None:
            return  # an answer (even SlowDown): botocore's attempts and backoff decide
        context = request_dict.get("context", {})
        elapsed = time.monotonic() - context.get(self._STARTED, time.monotonic())
        caught_exception.recur_attempts = attempts  # type: ignore[attr-defined]
        caught_exception.recur_elapsed = elapsed  # type: ignore[attr-defined]
        if isinstance(caught_exception, _TIMEOUTS):
            context[self._TIMEOUTS] = context.get(self._TIMEOUTS, 0) + 1
            if context[self._TIMEOUTS] >= self._max_timeouts:
                raise caught_exception
        # Room for botocore's backoff before the next attempt: at most 2**(n-1) s in older
        # releases (newer ones wait a twentieth of that after a network failure).
        backoff_room = min(2.0 ** (attempts - 1), 20.0)
        if elapsed + backoff_room + self._attempt_bound > self._call_budget:
            raise caught_exception


def encode_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """Percent-encode values: S3 metadata travels as HTTP headers, which must be ASCII.

    Original file names are unicode, contain quotes and reach 255 bytes; percent-encoding
    every non-unreserved character keeps them intact (leading spaces included) and reversible.
    """
    encoded = {}
    for name, value in metadata.items():
        if not _METADATA_KEY.match(name):
            raise ValueError(f"metadata key must be an ASCII token: {name!r}")
        encoded[name] = quote(value, safe="")
    return encoded


def decode_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """Undo :func:`encode_metadata` on what ``head_object`` returns (keys come back lowercase)."""
    return {name: unquote(value) for name, value in metadata.items()}


def _b64_sha256(sha256_hex: str) -> str:
    """The base64 form S3 uses for ``ChecksumSHA256`` of a hex digest."""
    return base64.b64encode(bytes.fromhex(sha256_hex)).decode("ascii")


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class S3ObjectStore:
    """An ObjectStore over one bucket. Safe to share across threads: it holds only the client."""

    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket
        self.description = f"s3://{bucket}"

    def __repr__(self) -> str:
        return f"S3ObjectStore({self.description!r})"

    # -- the protocol ---------------------------------------------------------------------------

    def put(
        self,
        key: str,
        data: bytes,
        *,
        sha256_hex: str,
        media_type: str,
        metadata: Mapping[str, str],
        overwrite: bool = False,
    ) -> bool:
        """Write once with ``If-None-Match: *``, so two machines importing one file never clash.

        ``overwrite`` (a repair of an object whose bytes changed) drops the condition: S3
        replaces an object atomically, and the checksum still makes it refuse corrupted bytes.

        The SHA-256 is checked here first (a mismatch is our bug or a corrupted read, and moto
        would not catch it) and sent as ``ChecksumSHA256`` so the store checks the bytes it got.
        A 409 ConditionalRequestConflict means another writer holds the key right now: if its
        object is there we lost the race (False), otherwise we try once more.

        A put whose response was lost can be retried by botocore and then see 412; it returns
        False although this call wrote the object. Keys are content-addressed, so the bytes
        stored are the same either way.
        """
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256_hex:
            raise StorageError(
                "The file changed on its way to storage, so it wasn't saved. Try again.",
                detail=f"put_object key={key} code=bad_digest expected={sha256_hex} "
                f"actual={actual} (checked before sending)",
                code="bad_digest",
            )
        request = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": data,
            "ContentType": media_type,
            "Metadata": encode_metadata(metadata),
            # The algorithm is named as well as given: some stores (moto among them) only
            # record the checksum when x-amz-sdk-checksum-algorithm says which one it is.
            "ChecksumAlgorithm": "SHA256",
            "ChecksumSHA256": _b64_sha256(sha256_hex),
        }
        if not overwrite:
            request["IfNoneMatch"] = "*"
        for attempt in (1, 2):
            try:
                self._client.put_object(**request)
            except ClientError as exc:
                code = _error_code(exc)
                if code in _ALREADY_THERE:
                    return False
                if code == "ConditionalRequestConflict":
                    if self.exists(key):
                        return False
                    if attempt == 1:
                        continue
                    raise StorageError(
                        "Someone else is saving the same file right now. Try again.",
                        detail=self._detail("put_object", key, exc),
                        code="conflict",
                    ) from exc
                raise self._client_error("put_object", key, exc) from exc
            except BotoCoreError as exc:
                raise self._botocore_error("put_object", key, exc) from exc
            return True
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns/raises

    def copy(
        self,
        src_key: str,
        dst_key: str,
        *,
        sha256_hex: str,
        media_type: str,
        metadata: Mapping[str, str],
    ) -> bool:
        """Server-side ``copy_object``: the bytes never pass through this machine.

        Written like ``put``: ``If-None-Match: *`` (stores that ignore it on copies, moto among
        them, rewrite the key with the same bytes and return True; content-addressed keys make
        that harmless, and it saves a HEAD per copy), and S3 computes the
        copy's SHA-256 (``ChecksumAlgorithm``). That checksum is compared with ``sha256_hex``:
        a source changed since the caller hashed it gets the copy deleted and a ``bad_digest``
        error, so no key ever names bytes other than its hash. Metadata is replaced
        (percent-encoded like ``put``), not carried over from the source.
        """
        expected = _b64_sha256(sha256_hex)
        request = {
            "Bucket": self.bucket,
            "Key": dst_key,
            "CopySource": {"Bucket": self.bucket, "Key": src_key},
            "MetadataDirective": "REPLACE",
            "Metadata": encode_metadata(metadata),
            "ContentType": media_type,
            "ChecksumAlgorithm": "SHA256",
            "IfNoneMatch": "*",
        }
        where = f"{src_key} -> {dst_key}"
        response: dict[str, Any] = {}
        for attempt in (1, 2):
            try:
                response = self._client.copy_object(**request)
            except ClientError as exc:
                code = _error_code(exc)
                if code in _ALREADY_THERE:
                    return False
                if code == "ConditionalRequestConflict":
                    if self.exists(dst_key):
                        return False
                    if attempt == 1:
                        continue
                    raise StorageError(
                        "Someone else is saving the same file right now. Try again.",
                        detail=self._detail("copy_object", where, exc),
                        code="conflict",
                    ) from exc
                raise self._client_error("copy_object", where, exc) from exc
            except BotoCoreError as exc:
                raise self._botocore_error("copy_object", where, exc) from exc
            break
        actual = response.get("CopyObjectResult", {}).get("ChecksumSHA256")
        if not actual:
            # A store that computes no checksum for copies: ask for it, else hash the copy.
            stored = self.stored_sha256(dst_key) or self.sha256_of(dst_key)
            actual = _b64_sha256(stored)
        if actual != expected:
            self.delete(dst_key)
            raise StorageError(
                "The file changed while it was being copied; the copy was dropped. Try again.",
                detail=f"copy_object bucket={self.bucket} key={where} code=bad_digest "
                f"expected={expected} actual={actual}",
                code="bad_digest",
            )
        return True

    def get(self, key: str) -> bytes:
        """Read the whole object; resumes are small, and the caller needs all bytes anyway."""
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
            body = response["Body"]
            try:
                data: bytes = body.read()
                return data
            finally:
                body.close()
        except ClientError as exc:
            raise self._client_error("get_object", key, exc) from exc
        except BotoCoreError as exc:
            raise self._botocore_error("get_object", key, exc) from exc

    def exists(self, key: str) -> bool:
        """A HEAD request; a missing bucket also reads as False (S3 answers a bare 404)."""
        try:
            self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _error_code(exc) in _NOT_FOUND:
                return False
            raise self._client_error("head_object", key, exc) from exc
        except BotoCoreError as exc:
            raise self._botocore_error("head_object", key, exc) from exc
        return True

    def sha256_of(self, key: str) -> str:
        """Hash what the bucket actually returns, chunk by chunk, so ``doctor`` can verify it."""
        digest = hashlib.sha256()
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
            body = response["Body"]
            try:
                for chunk in body.iter_chunks(CHUNK_SIZE):
                    digest.update(chunk)
            finally:
                body.close()
        except ClientError as exc:
            raise self._client_error("get_object", key, exc) from exc
        except BotoCoreError as exc:
            raise self._botocore_error("get_object", key, exc) from exc
        return digest.hexdigest()

    def delete(self, key: str) -> None:
        """S3 answers 204 for a missing key too, which is what the protocol wants."""
        try:
            self._client.delete_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _error_code(exc) in _NOT_FOUND:
                return
            raise self._client_error("delete_object", key, exc) from exc
        except BotoCoreError as exc:
            raise self._botocore_error("delete_object", key, exc) from exc

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Page through ``list_objects_v2`` lazily: a library holds tens of thousands of files."""
        paginator = self._client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", ()):
                    yield ObjectInfo(
                        key=item["Key"], size=item["Size"], last_modified=item["LastModified"]
                    )
        except ClientError as exc:
            raise self._client_error("list_objects_v2", prefix, exc) from exc
        except BotoCoreError as exc:
            raise self._botocore_error("list_objects_v2", prefix, exc) from exc

    # -- beyond the protocol --------------------------------------------------------------------

    def stored_sha256(self, key: str) -> str | None:
        """The SHA-256 S3 recorded at upload (hex), or None when it recorded none.

        Lets ``doctor`` prove the store checked our bytes without downloading them. A multipart
        ("composite") checksum is not a hash of the whole object, so it counts as none.
        """
        try:
            response = self._client.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
        except ClientError as exc:
            raise self._client_error("head_object", key, exc) from exc
        except BotoCoreError as exc:
            raise self._botocore_error("head_object", key, exc) from exc
        value = response.get("ChecksumSHA256")
        if not value or "-" in value or response.get("ChecksumType") == "COMPOSITE":
            return None
        return base64.b64decode(value).hex()

    def metadata_of(self, key: str) -> dict[str, str]:
        """The metadata given to ``put``, decoded back from its ASCII form."""
        try:
            response = self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            raise self._client_error("head_object", key, exc) from exc
        except BotoCoreError as exc:
            raise self._botocore_error("head_object", key, exc) from exc
        return decode_metadata(response.get("Metadata", {}))

    # -- error mapping --------------------------------------------------------------------------

    def _detail(self, op: str, key: str, exc: ClientError) -> str:
        """Ids and codes for the log; never credentials (S3 messages carry none)."""
        error = exc.response.get("Error", {})
        meta = exc.response.get("ResponseMetadata", {})
        return (
            f"{op} bucket={self.bucket} key={key} code={error.get('Code', '')} "
            f"status={meta.get('HTTPStatusCode', '')} attempts={meta.get('RetryAttempts', 0) + 1} "
            f"request_id={meta.get('RequestId', '')} message={str(error.get('Message', ''))[:200]}"
        )

    def _client_error(self, op: str, key: str, exc: ClientError) -> StorageError:
        code = _error_code(exc)
        detail = self._detail(op, key, exc)
        if code in _NOT_FOUND:
            return ObjectNotFound(
                "The file isn't in storage anymore.", detail=detail, code="not_found"
            )
        if code == "NoSuchBucket":
            return StorageError(
                f"The bucket {self.bucket} doesn't exist. Check the storage settings.",
                detail=detail,
                code="no_bucket",
            )
        if code in _DENIED:
            return StorageError(
                "File storage said access denied. Ask your administrator to check the "
                "storage permissions.",
                detail=detail,
                code="access_denied",
            )
        if code in _BAD_CREDENTIALS:
            return StorageError(
                "File storage didn't accept the sign-in keys. Check the storage settings.",
                detail=detail,
                code="bad_credentials",
            )
        if code in _BAD_DIGEST:
            return StorageError(
                "The file changed on its way to storage, so it wasn't saved. Try again.",
                detail=detail,
                code="bad_digest",
            )
        if code in _BUSY:
            return StorageError(
                "File storage is busy. Nothing was lost; try again in a minute.",
                detail=detail,
                code="busy",
            )
        return StorageError(
            "File storage refused the request. Nothing was lost; the details say why.",
            detail=detail,
            code=code or "s3_error",
        )

    def _botocore_error(self, op: str, key: str, exc: BotoCoreError) -> StorageError:
        where = f"{op} bucket={self.bucket} key={key}"
        error = f"error={type(exc).__name__}: {exc}"
        attempts = getattr(exc, "recur_attempts", None)
        if attempts is not None:  # noted by _RetryLimits; absent for streamed-body reads
            error += f" attempts={attempts} elapsed={getattr(exc, 'recur_elapsed', 0.0):.1f}s"
        detail = f"{where} {error}"
        if isinstance(exc, _TIMEOUTS):
            config = self._client.meta.config
            return StorageError(
                TIMED_OUT,
                detail=f"{where} code=timeout {error} connect_timeout={config.connect_timeout}s "
                f"read_timeout={config.read_timeout}s",
                code="timeout",
            )
        if isinstance(exc, SSLError):
            return StorageError(
                "File storage's security certificate couldn't be verified. Check the "
                "storage settings.",
                detail=detail,
                code="tls",
            )
        if isinstance(exc, _NETWORK_ERRORS):
            return StorageError(UNREACHABLE, detail=detail, code="unreachable")
        if isinstance(exc, NoCredentialsError):
            return StorageError(
                "No sign-in keys for file storage are set up. Check the storage settings.",
                detail=detail,
                code="no_credentials",
            )
        return StorageError(
            "File storage couldn't be used. Nothing was lost; the details say why.",
            detail=detail,
            code="s3_client",
        )
