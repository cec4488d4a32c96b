"""A frozen S3 endpoint or database fails the current step within a bounded time (issue #10).

"Frozen" is a real TCP server on 127.0.0.1 that accepts connections and never answers (or
answers the start of a response, then goes silent). Each call runs on a thread joined with a
generous limit: the limit checks that the call returns at all; the number of connections the
server saw checks how many attempts the deadline allowed.
"""

from __future__ import annotations

import hashlib
import selectors
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from recur_desktop.app import build_context
from recur_desktop.persistence.engine import make_engine
from recur_desktop.storage import StorageError
from recur_desktop.storage.s3 import (
    CALL_BUDGET_S,
    CONNECT_TIMEOUT_S,
    CONTINUE_WAIT_S,
    MAX_TIMEOUTS,
    READ_TIMEOUT_S,
    TIMED_OUT,
    S3ObjectStore,
    make_s3_client,
)
from tests import samples

#: Seconds a call may take before the test calls it hung. Far above what the small timeouts
#: below need (about a second), far below "forever".
RETURNS_WITHIN = 20.0

# Small deadlines so a frozen endpoint costs a test about a second, not a minute.
SMALL = {"connect_timeout": 1.0, "read_timeout": 0.5}


class FrozenServer:
    """Accepts connections on loopback and never answers; reads (and drops) what it is sent.

    With ``reply`` it sends those bytes once per connection when the request's headers have
    arrived, then goes silent: a response that stops half-way.
    """

    def __init__(self, reply: bytes = b"") -> None:
        self._reply = reply
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._accepted = 0
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._serve, name="frozen-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def accepted(self) -> int:
        with self._changed:
            return self._accepted

    def wait_for_connections(self, count: int, timeout: float = RETURNS_WITHIN) -> bool:
        """The server thread accepts asynchronously; wait (not sleep) until it has."""
        with self._changed:
            return self._changed.wait_for(lambda: self._accepted >= count, timeout)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._wake_writer.send(b"x")
        self._thread.join(RETURNS_WITHIN)
        self._wake_writer.close()

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ)
        selector.register(self._wake_reader, selectors.EVENT_READ)
        received: dict[socket.socket, bytearray | None] = {}
        try:
            while True:
                for key, _ in selector.select():
                    sock = key.fileobj
                    if sock is self._wake_reader:
                        return
                    if sock is self._listener:
                        conn, _ = self._listener.accept()
                        selector.register(conn, selectors.EVENT_READ)
                        received[conn] = bytearray()
                        with self._changed:
                            self._accepted += 1
                            self._changed.notify_all()
                        continue
                    assert isinstance(sock, socket.socket)
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        data = b""
                    if not data:  # the client gave up and closed
                        selector.unregister(sock)
                        received.pop(sock, None)
                        sock.close()
                        continue
                    pending = received[sock]
                    if self._reply and pending is not None:
                        pending += data
                        if b"\r\n\r\n" in pending:
                            sock.sendall(self._reply)
                            received[sock] = None  # answered once; silent from now on
        finally:
            for conn in received:
                conn.close()
            selector.close()
            self._listener.close()
            self._wake_reader.close()


@pytest.fixture
def frozen() -> Iterator[FrozenServer]:
    server = FrozenServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def half_answering() -> Iterator[FrozenServer]:
    """An S3 lookalike whose GET answer promises 1000 bytes, sends 10, then goes silent."""
    server = FrozenServer(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 1000\r\n\r\n"
        + b"%PDF-1.7 x"
    )
    server.start()
    yield server
    server.stop()


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def returns_in_time(call: Callable[[], Any], within: float = RETURNS_WITHIN) -> Outcome:
    """Run ``call`` on a thread and fail the test if it has not returned ``within`` seconds."""
    outcome = Outcome()

    def run() -> None:
        try:
            outcome.value = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test to inspect
            outcome.error = exc

    thread = threading.Thread(target=run, name="deadline-call", daemon=True)
    thread.start()
    thread.join(within)
    assert not thread.is_alive(), f"the call was still waiting after {within} s"
    return outcome


def frozen_store(endpoint: str, **limits: Any) -> S3ObjectStore:
    """The store as ``app.build_store`` makes it, with small deadlines."""
    client = make_s3_client(
        region="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        **{**SMALL, **limits},
    )
    return S3ObjectStore(client, "recur-bucket")


def _key(data: bytes) -> str:
    return f"0b6f0000-0000-4000-8000-000000000000/resumes/shared/{_sha(data)}.pdf"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _put(store: S3ObjectStore, data: bytes) -> bool:
    return store.put(
        _key(data),
        data,
        sha256_hex=_sha(data),
        media_type="application/pdf",
        metadata={"original-file-name": "cv.pdf"},
    )


def assert_timed_out(outcome: Outcome, op: str) -> StorageError:
    error = outcome.error
    assert isinstance(error, StorageError), f"expected StorageError, got {error!r}"
    assert error.code == "timeout"
    assert str(error) == TIMED_OUT
    assert str(error).startswith("File storage didn't answer in time")
    assert f"{op} bucket=recur-bucket" in error.detail
    assert "code=timeout" in error.detail
    assert "read_timeout=0.5s" in error.detail
    return error


# -- S3 ------------------------------------------------------------------------------------------


def test_production_s3_deadlines_bound_a_frozen_call_under_a_minute(aws_test_env: None) -> None:
    client = make_s3_client(region="us-east-1", endpoint_url="http://127.0.0.1:1")

    assert client.meta.config.connect_timeout == CONNECT_TIMEOUT_S == 5
    assert client.meta.config.read_timeout == READ_TIMEOUT_S == 20
    # Worst case for a frozen endpoint: every allowed timed-out attempt waits the full connect
    # timeout, botocore's wait for "100 Continue" and the read timeout (2 x 26 s); botocore's
    # backoff after a network failure adds < 1 s.
    per_attempt = CONNECT_TIMEOUT_S + CONTINUE_WAIT_S + READ_TIMEOUT_S
    assert MAX_TIMEOUTS * per_attempt + 1 <= CALL_BUDGET_S <= 60


def test_put_to_a_frozen_endpoint_fails_in_time_after_two_attempts(
    aws_test_env: None, frozen: FrozenServer
) -> None:
    store = frozen_store(frozen.url)
    data = b"%PDF-1.7 frozen put"

    outcome = returns_in_time(lambda: _put(store, data))

    error = assert_timed_out(outcome, "put_object")
    assert _key(data) in error.detail
    assert "attempts=2" in error.detail
    assert frozen.wait_for_connections(2)
    assert frozen.accepted == 2  # one retry after a timeout, not botocore's five attempts


def test_get_and_list_on_a_frozen_endpoint_fail_in_time(
    aws_test_env: None, frozen: FrozenServer
) -> None:
    store = frozen_store(frozen.url)

    assert_timed_out(returns_in_time(lambda: store.get(_key(b"x"))), "get_object")
    assert_timed_out(returns_in_time(lambda: list(store.list("p/"))), "list_objects_v2")
    assert_timed_out(returns_in_time(lambda: store.exists(_key(b"x"))), "head_object")

    assert frozen.wait_for_connections(6)
    assert frozen.accepted == 6


def test_a_body_that_stops_half_way_times_out_once(
    aws_test_env: None, half_answering: FrozenServer
) -> None:
    """Streamed reads (get, sha256_of) wait at most the read timeout for each chunk."""
    store = frozen_store(half_answering.url)

    get = assert_timed_out(returns_in_time(lambda: store.get(_key(b"x"))), "get_object")
    digest = assert_timed_out(returns_in_time(lambda: store.sha256_of(_key(b"x"))), "get_object")

    assert "ReadTimeoutError" in get.detail and "ReadTimeoutError" in digest.detail
    # The headers arrived, so botocore's call succeeded; a stalled body is not retried.
    assert half_answering.wait_for_connections(2)
    assert half_answering.accepted == 2


def test_the_call_budget_stops_retries_the_timeout_cap_would_allow(
    aws_test_env: None, frozen: FrozenServer
) -> None:
    # A retry would need connect + continue wait + read (2.5 s) plus its backoff: more than a
    # 3 s budget leaves.
    store = frozen_store(frozen.url, max_timeouts=5, call_budget=3.0)

    error = assert_timed_out(returns_in_time(lambda: _put(store, b"%PDF budget")), "put_object")

    assert "attempts=1" in error.detail
    assert frozen.wait_for_connections(1)
    assert frozen.accepted == 1


def test_importing_over_frozen_storage_rejects_each_file_and_writes_no_row(
    aws_test_env: None, frozen: FrozenServer, embedded_settings, tmp_path
) -> None:
    ctx = build_context(embedded_settings, store=frozen_store(frozen.url))
    try:
        paths = []
        for i, name in enumerate(("Ann Bee", "Cid Dee")):
            path = tmp_path / f"resume-{i}.txt"
            path.write_bytes(samples.make_text(samples.sample_resume_text(name, ["SQL"])))
            paths.append(path)

        outcome = returns_in_time(lambda: ctx.library.import_paths(paths))

        assert outcome.error is None, repr(outcome.error)
        report = outcome.value
        assert report.added == [] and report.duplicates == []
        assert sorted(r.file_name for r in report.rejected) == ["resume-0.txt", "resume-1.txt"]
        assert all("File storage didn't answer in time" in r.reason for r in report.rejected)
        assert ctx.library.page().total == 0
        assert frozen.wait_for_connections(4)
        assert frozen.accepted == 4  # two attempts per file
    finally:
        ctx.close()


# -- Postgres ------------------------------------------------------------------------------------


def test_a_frozen_database_fails_the_connection_in_time(frozen: FrozenServer) -> None:
    engine = make_engine(f"postgresql+psycopg://x@127.0.0.1:{frozen.port}/db", connect_timeout=1)
    try:

        def connect() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        outcome = returns_in_time(connect)
    finally:
        engine.dispose()

    assert isinstance(outcome.error, OperationalError), repr(outcome.error)
    assert "timeout" in str(outcome.error.orig).lower()
    assert frozen.wait_for_connections(1)
    assert frozen.accepted == 1


@pytest.mark.postgres
def test_default_engine_sets_the_server_side_timeouts(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            shown = {
                name: conn.scalar(text(f"SHOW {name}"))
                for name in (
                    "statement_timeout",
                    "lock_timeout",
                    "idle_in_transaction_session_timeout",
                )
            }
            params = conn.connection.dbapi_connection.info.get_parameters()
    finally:
        engine.dispose()

    assert shown == {
        "statement_timeout": "1min",
        "lock_timeout": "15s",
        "idle_in_transaction_session_timeout": "5min",
    }
    assert params["connect_timeout"] == "10"
    assert params["keepalives"] == "1"
    assert params["keepalives_idle"] == "30"


@pytest.mark.postgres
def test_a_statement_over_the_timeout_is_cancelled(pg_url: str) -> None:
    engine = make_engine(pg_url, statement_timeout=1)
    try:

        def sleep() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_sleep(5)"))

        outcome = returns_in_time(sleep)
    finally:
        engine.dispose()

    assert isinstance(outcome.error, OperationalError), repr(outcome.error)
    assert isinstance(outcome.error.orig, psycopg.errors.QueryCanceled)
    assert "statement timeout" in str(outcome.error.orig)


@pytest.mark.postgres
def test_callers_connect_args_are_merged_not_replaced(pg_url: str) -> None:
    """The settings dialog passes its own connect_timeout; migrations lift the statement limit."""
    engine = make_engine(
        pg_url,
        statement_timeout=0,
        connect_args={"connect_timeout": 5, "options": "-c lock_timeout=2s"},
    )
    try:
        with engine.connect() as conn:
            statement = conn.scalar(text("SHOW statement_timeout"))
            lock = conn.scalar(text("SHOW lock_timeout"))
            idle = conn.scalar(text("SHOW idle_in_transaction_session_timeout"))
            params = conn.connection.dbapi_connection.info.get_parameters()
    finally:
        engine.dispose()

    assert (statement, lock, idle) == ("0", "2s", "5min")
    assert params["connect_timeout"] == "5"
    assert params["keepalives"] == "1"
