"""Both object stores keep the same promises: the folder store must be a faithful bucket."""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from botocore.stub import Stubber

from recur_desktop.storage import (
    LocalObjectStore,
    ObjectNotFound,
    ObjectStore,
    S3ObjectStore,
    StorageError,
    make_s3_client,
    resume_key,
    user_prefix,
)

PDF = "application/pdf"
LONG_NAME = ("é" * 124) + "x'\".pdf"  # 255 bytes of UTF-8: the longest file name most disks allow
NAMES = ["Lebenslauf Müller – 2024.pdf", 'O\'Brien "final" CV.docx', "履歴書.pdf", LONG_NAME]


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalObjectStore(tmp_path / "bucket-folder")
    return request.getfixturevalue("s3_store")


@pytest.fixture(autouse=True)
def _folder_exists(tmp_path: Path) -> None:
    (tmp_path / "bucket-folder").mkdir()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _key(data: bytes, user: uuid.UUID | None = None, extension: str = ".pdf") -> str:
    return resume_key(user or uuid.uuid4(), _sha(data), extension)


def _put(store: ObjectStore, key: str, data: bytes, **metadata: str) -> bool:
    return store.put(key, data, sha256_hex=_sha(data), media_type=PDF, metadata=metadata)


@pytest.fixture(scope="module")
def stub_client(aws_test_env: None) -> Any:
    """A real client whose answers we script (for S3 errors moto cannot produce).

    Built once: loading the S3 service model is the slow part of making a client.
    """
    return make_s3_client(
        region="us-east-1",
        endpoint_url="http://127.0.0.1:1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        max_attempts=1,
    )


# -- both stores ---------------------------------------------------------------------------------


def test_put_then_get_returns_the_same_bytes(store: ObjectStore) -> None:
    data = b"%PDF-1.7 resume\x00\xff" * 100
    key = _key(data)

    assert _put(store, key, data, original_name="cv.pdf") is True

    assert store.get(key) == data
    assert store.exists(key)


def test_second_put_of_a_key_returns_false_and_keeps_the_first_body(store: ObjectStore) -> None:
    first, second = b"first body", b"second body"
    key = _key(first)
    assert _put(store, key, first) is True

    assert _put(store, key, second) is False

    assert store.get(key) == first


def test_sha256_of_hashes_the_stored_bytes(store: ObjectStore) -> None:
    data = os.urandom(2 * 1024 * 1024 + 123)  # more than one streamed chunk
    key = _key(data)
    _put(store, key, data)

    assert store.sha256_of(key) == _sha(data)


def test_list_shows_one_users_objects_and_nobody_elses(store: ObjectStore) -> None:
    alice, bob = uuid.uuid4(), uuid.uuid4()
    alice_files = [b"alice one", b"alice two", b"alice three"]
    alice_keys = {_key(data, alice) for data in alice_files}
    for data in alice_files:
        _put(store, _key(data, alice), data)
    _put(store, _key(b"bob", bob), b"bob")

    listed = list(store.list(user_prefix(alice)))

    assert {info.key for info in listed} == alice_keys
    assert {info.size for info in listed} == {len(data) for data in alice_files}
    assert all(isinstance(info.last_modified, datetime) for info in listed)
    assert all(info.last_modified.tzinfo is not None for info in listed)


def test_list_of_a_prefix_without_objects_is_empty(store: ObjectStore) -> None:
    assert list(store.list(user_prefix(uuid.uuid4()))) == []


def test_list_matches_partial_segments_like_s3(store: ObjectStore) -> None:
    user = uuid.uuid4()
    data = b"partial"
    key = _key(data, user)
    _put(store, key, data)

    assert [info.key for info in store.list(str(user)[:8])] == [key]
    assert [info.key for info in store.list(key[:-3])] == [key]
    assert list(store.list(key + "x")) == []


def test_deleting_a_missing_key_is_fine(store: ObjectStore) -> None:
    store.delete(_key(b"never stored"))


def test_delete_removes_the_object(store: ObjectStore) -> None:
    key = _key(b"to delete")
    _put(store, key, b"to delete")

    store.delete(key)

    assert not store.exists(key)
    assert list(store.list(key)) == []


def test_get_of_a_missing_key_raises_object_not_found(store: ObjectStore) -> None:
    key = _key(b"missing")
    with pytest.raises(ObjectNotFound) as caught:
        store.get(key)
    assert caught.value.code == "not_found"
    assert key in caught.value.detail
    with pytest.raises(ObjectNotFound):
        store.sha256_of(key)
    assert store.exists(key) is False


@pytest.mark.parametrize("name", NAMES, ids=["umlaut-dash", "quotes", "cjk", "255-bytes"])
def test_unicode_quote_and_long_file_names_survive_a_put(store: ObjectStore, name: str) -> None:
    assert len(LONG_NAME.encode()) == 255
    data = name.encode()
    key = _key(data)

    assert _put(store, key, data, original_name=name) is True

    assert store.get(key) == data
    if isinstance(store, S3ObjectStore):
        assert store.metadata_of(key) == {"original_name": name}
        raw = store._client.head_object(Bucket=store.bucket, Key=key)["Metadata"]
        assert unquote(raw["original_name"]) == name


def test_a_wrong_sha256_is_refused_and_leaves_nothing(store: ObjectStore, tmp_path: Path) -> None:
    data = b"the real bytes"
    key = _key(data)

    with pytest.raises(StorageError) as caught:
        store.put(key, data, sha256_hex=_sha(b"other bytes"), media_type=PDF, metadata={})

    assert caught.value.code == "bad_digest"
    assert not store.exists(key)
    if isinstance(store, LocalObjectStore):
        assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_concurrent_puts_of_one_key_write_it_exactly_once(store: ObjectStore) -> None:
    """Two recruiters dropping the same file: one write wins, nobody sees a torn object.

    moto checks If-None-Match and then writes without a lock, so in theory two writers could
    both win there; it has not happened in hundreds of trials (real S3 guarantees it).
    """
    data = os.urandom(256 * 1024)
    key = _key(data)
    start = threading.Barrier(8)

    def put(_: int) -> bool:
        start.wait(timeout=10)
        return _put(store, key, data)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(put, range(8)))

    assert results.count(True) == 1
    assert store.get(key) == data
    assert store.sha256_of(key) == _sha(data)
    assert [info.key for info in store.list(key)] == [key]


# -- the local folder ------------------------------------------------------------------------------


def test_local_folder_is_laid_out_exactly_like_the_bucket(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "bucket-folder")
    data = b"layout"
    key = _key(data)

    _put(store, key, data, original_name="cv.pdf")

    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert [p.relative_to(store.root).as_posix() for p in files] == [key]


def test_local_wrong_sha256_leaves_no_file_and_no_temp_file(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "bucket-folder")
    data = b"bytes"
    key = _key(data)

    with pytest.raises(StorageError):
        store.put(key, data, sha256_hex="0" * 64, media_type=PDF, metadata={})

    assert list(store.root.rglob("*")) == []


def test_local_list_skips_files_still_being_written(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "bucket-folder")
    user = uuid.uuid4()
    key = _key(b"done", user)
    _put(store, key, b"done")
    (store.root / key).parent.joinpath(".tmp-0123abcd").write_bytes(b"half")

    assert [info.key for info in store.list(user_prefix(user))] == [key]


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "a/../../x",
        "/etc/passwd",
        "a\\b.pdf",
        "a//b.pdf",
        "a/b/",
        "",
        "./a",
        "C:/x",
        "a/.tmp-1",
    ],
)
def test_local_store_rejects_keys_that_escape_or_bend_the_layout(tmp_path: Path, key: str) -> None:
    store = LocalObjectStore(tmp_path / "bucket-folder")
    with pytest.raises(ValueError):
        store.put(key, b"x", sha256_hex=_sha(b"x"), media_type=PDF, metadata={})
    with pytest.raises(ValueError):
        store.get(key)
    assert list((tmp_path / "bucket-folder").iterdir()) == []
    assert not (tmp_path / "x").exists()


def test_local_store_with_a_missing_folder_says_so(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "unplugged-drive")
    key = _key(b"x")

    with pytest.raises(StorageError) as caught:
        _put(store, key, b"x")

    assert caught.value.code == "no_bucket"
    assert "unplugged-drive" in str(caught.value)
    assert not (tmp_path / "unplugged-drive").exists()
    with pytest.raises(StorageError) as caught:
        store.get(key)
    assert not isinstance(caught.value, ObjectNotFound)


# -- S3 only ---------------------------------------------------------------------------------------


@pytest.mark.s3
def test_s3_records_the_sha256_we_sent(s3_store: S3ObjectStore) -> None:
    data = b"checksummed resume"
    key = _key(data)
    _put(s3_store, key, data)

    # moto does not reject a wrong checksum, so pin that we sent ours and S3 kept it.
    assert s3_store.stored_sha256(key) == _sha(data)


@pytest.mark.s3
def test_s3_stored_sha256_of_an_object_without_one_is_none(s3_store: S3ObjectStore) -> None:
    s3_store._client.put_object(Bucket=s3_store.bucket, Key="plain", Body=b"x")

    assert s3_store.stored_sha256("plain") is None
    with pytest.raises(ObjectNotFound):
        s3_store.stored_sha256("missing")


@pytest.mark.s3
def test_s3_missing_bucket_is_named_in_the_error(s3_client: Any) -> None:
    store = S3ObjectStore(s3_client, f"recur-gone-{uuid.uuid4().hex}")

    with pytest.raises(StorageError) as caught:
        store.get("k")

    assert caught.value.code == "no_bucket"
    assert not isinstance(caught.value, ObjectNotFound)
    assert str(caught.value).startswith(f"The bucket {store.bucket} doesn't exist")
    with pytest.raises(StorageError, match="doesn't exist"):
        list(store.list(""))


def test_s3_unreachable_endpoint_is_a_sentence_for_recruiters(aws_test_env: None) -> None:
    client = make_s3_client(
        region="us-east-1",
        endpoint_url="http://127.0.0.1:1",
        aws_access_key_id="testing",
        aws_secret_access_key="secret-that-must-not-leak",
        max_attempts=1,
    )
    store = S3ObjectStore(client, "recur-bucket")
    key = _key(b"x")

    with pytest.raises(StorageError) as caught:
        _put(store, key, b"x")

    error = caught.value
    assert error.code == "unreachable"
    assert str(error) == "File storage didn't answer. Nothing was lost; try again."
    assert "put_object" in error.detail
    assert key in error.detail
    assert "secret-that-must-not-leak" not in error.detail
    for call in (lambda: store.get(key), lambda: store.exists(key), lambda: list(store.list(""))):
        with pytest.raises(StorageError) as caught:
            call()
        assert caught.value.code == "unreachable"


def test_s3_access_denied_is_explained(stub_client: Any) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    with Stubber(store._client) as stub:
        stub.add_client_error("get_object", "AccessDenied", "Access Denied", 403)

        with pytest.raises(StorageError) as caught:
            store.get("someone-else/resumes/x.pdf")

    assert caught.value.code == "access_denied"
    assert "access denied" in str(caught.value)
    assert "code=AccessDenied" in caught.value.detail


@pytest.mark.parametrize("code", ["BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"])
def test_s3_digest_rejections_become_storage_errors(stub_client: Any, code: str) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    with Stubber(store._client) as stub:
        stub.add_client_error("put_object", code, "checksum mismatch", 400)

        with pytest.raises(StorageError) as caught:
            _put(store, "u/resumes/shared/x.pdf", b"x")

    assert caught.value.code == "bad_digest"


def test_s3_write_conflict_with_a_finished_writer_reports_already_stored(stub_client: Any) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    with Stubber(store._client) as stub:
        stub.add_client_error("put_object", "ConditionalRequestConflict", "conflict", 409)
        stub.add_response("head_object", {"ContentLength": 1})

        assert _put(store, "u/resumes/shared/x.pdf", b"x") is False
        stub.assert_no_pending_responses()


def test_s3_write_conflict_with_an_abandoned_writer_retries_once(stub_client: Any) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    with Stubber(store._client) as stub:
        stub.add_client_error("put_object", "ConditionalRequestConflict", "conflict", 409)
        stub.add_client_error("head_object", "404", "Not Found", 404)
        stub.add_response("put_object", {"ETag": '"abc"'})

        assert _put(store, "u/resumes/shared/x.pdf", b"x") is True
        stub.assert_no_pending_responses()


def test_s3_put_sends_our_sha256_and_refuses_overwrites(stub_client: Any) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    data = "é".encode()
    with Stubber(store._client) as stub:
        stub.add_response(
            "put_object",
            {"ETag": '"abc"'},
            {
                "Bucket": "recur-bucket",
                "Key": "k",
                "Body": data,
                "ContentType": PDF,
                "Metadata": {"original_name": "%22%C3%A9%22"},
                "ChecksumAlgorithm": "SHA256",
                "ChecksumSHA256": "SplVfkAzw1Od4utlRyAXytX5VX96BiWgnxw/biumnEw=",
                "IfNoneMatch": "*",
            },
        )
        assert store.put(
            "k", data, sha256_hex=_sha(data), media_type=PDF, metadata={"original_name": '"é"'}
        )


def test_s3_write_conflict_twice_asks_to_try_again(stub_client: Any) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    with Stubber(store._client) as stub:
        for _ in range(2):
            stub.add_client_error("put_object", "ConditionalRequestConflict", "conflict", 409)
            stub.add_client_error("head_object", "404", "Not Found", 404)

        with pytest.raises(StorageError) as caught:
            _put(store, "u/resumes/shared/x.pdf", b"x")

        stub.assert_no_pending_responses()
    assert caught.value.code == "conflict"
    assert "code=ConditionalRequestConflict" in caught.value.detail


# -- copy (the legacy migration's server-side move) ---------------------------------------------


def _legacy_key(user: uuid.UUID, name: str) -> str:
    return f"{user}/resumes/job_{uuid.uuid4()}/{name}"


def test_copy_makes_a_second_object_with_the_same_bytes(store: ObjectStore) -> None:
    user = uuid.uuid4()
    data = os.urandom(2 * 1024 * 1024 + 7)  # more than one streamed chunk
    src = _legacy_key(user, "CV (final) – Müller.pdf")
    store.put(src, data, sha256_hex=_sha(data), media_type=PDF, metadata={})
    dst = _key(data, user)

    copied = store.copy(
        src, dst, sha256_hex=_sha(data), media_type=PDF, metadata={"original-file-name": "é"}
    )

    assert copied is True
    assert store.get(dst) == data
    assert store.get(src) == data  # a copy, not a move
    assert store.sha256_of(dst) == _sha(data)
    assert {info.key for info in store.list(user_prefix(user))} == {src, dst}


def test_copy_onto_an_existing_key_keeps_it_and_returns_false(store: ObjectStore) -> None:
    user = uuid.uuid4()
    data = b"same resume"
    src = _legacy_key(user, "cv.txt")
    store.put(src, data, sha256_hex=_sha(data), media_type=PDF, metadata={})
    dst = _key(data, user)
    _put(store, dst, data)

    copied = store.copy(src, dst, sha256_hex=_sha(data), media_type=PDF, metadata={})

    # S3 answers 412 (see the stubbed test below); moto ignores If-None-Match on copies and
    # rewrites the same bytes, which content addressing makes harmless.
    assert copied is False or isinstance(store, S3ObjectStore)
    assert store.get(dst) == data
    assert {info.key for info in store.list(user_prefix(user))} == {src, dst}


def test_copy_of_a_missing_source_raises_object_not_found(store: ObjectStore) -> None:
    user = uuid.uuid4()
    dst = _key(b"gone", user)

    with pytest.raises(ObjectNotFound):
        store.copy(
            _legacy_key(user, "gone.pdf"),
            dst,
            sha256_hex=_sha(b"gone"),
            media_type=PDF,
            metadata={},
        )

    assert not store.exists(dst)


def test_copy_of_a_source_that_changed_since_hashing_leaves_nothing(
    store: ObjectStore, tmp_path: Path
) -> None:
    user = uuid.uuid4()
    hashed, current = b"what the migration hashed", b"what the old system wrote since"
    src = _legacy_key(user, "cv.pdf")
    store.put(src, current, sha256_hex=_sha(current), media_type=PDF, metadata={})
    dst = _key(hashed, user)

    with pytest.raises(StorageError) as caught:
        store.copy(src, dst, sha256_hex=_sha(hashed), media_type=PDF, metadata={})

    assert caught.value.code == "bad_digest"
    assert not store.exists(dst)
    assert [info.key for info in store.list(user_prefix(user))] == [src]
    if isinstance(store, LocalObjectStore):
        assert sorted(p.name for p in (store.root / dst).parent.iterdir()) == []


@pytest.mark.s3
def test_s3_copy_records_the_sha256_and_replaces_metadata(s3_store: S3ObjectStore) -> None:
    user = uuid.uuid4()
    data = b"%PDF-1.7 copied"
    src = _legacy_key(user, "cv.pdf")
    s3_store._client.put_object(
        Bucket=s3_store.bucket, Key=src, Body=data, Metadata={"old": "x"}, ContentType="x/y"
    )
    dst = _key(data, user)
    name = 'O\'Brien "final" – 履歴書.pdf'

    s3_store.copy(
        src, dst, sha256_hex=_sha(data), media_type=PDF, metadata={"original-file-name": name}
    )

    assert s3_store.stored_sha256(dst) == _sha(data)
    assert s3_store.metadata_of(dst) == {"original-file-name": name}
    head = s3_store._client.head_object(Bucket=s3_store.bucket, Key=dst)
    assert head["ContentType"] == PDF


def test_s3_copy_is_one_server_side_request(stub_client: Any) -> None:
    """No get_object or put_object: the Stubber fails on any call it was not given."""
    store = S3ObjectStore(stub_client, "recur-bucket")
    data = "é".encode()
    checksum = "SplVfkAzw1Od4utlRyAXytX5VX96BiWgnxw/biumnEw="
    with Stubber(store._client) as stub:
        stub.add_response(
            "copy_object",
            {"CopyObjectResult": {"ChecksumSHA256": checksum}},
            {
                "Bucket": "recur-bucket",
                "Key": "u/resumes/shared/x.pdf",
                "CopySource": {"Bucket": "recur-bucket", "Key": "u/resumes/general/a b.pdf"},
                "MetadataDirective": "REPLACE",
                "Metadata": {"original-file-name": "a%20b.pdf"},
                "ContentType": PDF,
                "ChecksumAlgorithm": "SHA256",
                "IfNoneMatch": "*",
            },
        )
        assert store.copy(
            "u/resumes/general/a b.pdf",
            "u/resumes/shared/x.pdf",
            sha256_hex=_sha(data),
            media_type=PDF,
            metadata={"original-file-name": "a b.pdf"},
        )
        stub.assert_no_pending_responses()


def test_s3_copy_with_a_different_checksum_is_deleted(stub_client: Any) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    other = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="  # sha256("hello")
    with Stubber(store._client) as stub:
        stub.add_response("copy_object", {"CopyObjectResult": {"ChecksumSHA256": other}})
        stub.add_response(
            "delete_object", {}, {"Bucket": "recur-bucket", "Key": "u/resumes/shared/x.pdf"}
        )

        with pytest.raises(StorageError) as caught:
            store.copy(
                "u/resumes/general/a.pdf",
                "u/resumes/shared/x.pdf",
                sha256_hex=_sha(b"x"),
                media_type=PDF,
                metadata={},
            )
        stub.assert_no_pending_responses()

    assert caught.value.code == "bad_digest"


def test_s3_copy_onto_an_existing_key_is_a_412(stub_client: Any) -> None:
    store = S3ObjectStore(stub_client, "recur-bucket")
    with Stubber(store._client) as stub:
        stub.add_client_error("copy_object", "PreconditionFailed", "exists", 412)

        assert (
            store.copy(
                "a/b", "u/resumes/shared/x.pdf", sha256_hex=_sha(b"x"), media_type=PDF, metadata={}
            )
            is False
        )
