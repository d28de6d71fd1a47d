"""Every test ends clean and quiet, or fails (Home Assistant's `verify_cleanup`, qutebrowser's
`logfail`). A pytest plugin, loaded by the root conftest (`pytest_plugins`).

After each test, once its fixtures are torn down, `verify_cleanup` fails it (an error in
teardown) if it left behind, compared with what existed before it started:
- an asyncio task on the test's loop (pytest-asyncio's loop for `async def` tests, the session's
  qasync loop for the synchronous GUI and browser tests);
- a timer handle still scheduled on that loop (`loop.call_later`, `TaskOwner.call_later` on real
  time): `loop._scheduled` on asyncio loops, qasync's Qt-timer map on the qasync loop;
- a thread still alive (compared by identity; the loop's default executor is shut down first,
  as pytest-asyncio would right after, so only a worker still busy counts);
- an open socket: a file descriptor of type socket in /proc/self/fd that was not open before.
Closing transports finish in the loop's next turns, so the check first runs the loop (or
processes Qt events) until nothing is left, for at most `GRACE_S`; it never sleeps a fixed time.

It also fails a test on any log record at ERROR or above, from any logger, while it ran (its
fixtures included). An exception that reaches a loop's exception handler (a task's exception
never retrieved, a failing callback) is logged at ERROR by asyncio and qasync, so it fails the
test too; so does a failure `panel.tasks.report_failure` reports. Qt's own messages are
pytest-qt's (`qt_log_level_fail`). A test that expects an error says so, in one of two ways:

    @pytest.mark.expect_errors(logger="panel.tasks", match="task broke")
    def test_a_failing_task_is_reported(): ...

  (each marker allows the ERROR records of `logger` and its children whose message, or whose
  exception as `Type: text`, matches the regular expression `match`; both are optional; several
  markers may be stacked; a marker that matched nothing fails the test, so none goes stale), or

    with caplog.at_level(logging.ERROR, logger="panel.tasks"):
        ...  # records at ERROR while caplog captures at exactly ERROR are expected

  (the block form, for a test that checks the errors with caplog anyway: qutebrowser's rule).

Unraisable exceptions (an exception in `__del__`, e.g. the ResourceWarning of a socket that
was never closed) fail the test they happen in: `filterwarnings = error` makes pytest's
`PytestUnraisableExceptionWarning` an error. An object freed only by the cyclic GC fails the
test that is running when the GC runs; a `gc.collect()` after every test would pin it on the
right one but costs ~90 ms a test here (21 s over the GUI tests), so the socket check above,
which needs no GC, is what pins a leaked socket on its own test.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from _pytest.logging import caplog_handler_key
from pytest_asyncio import is_async_test

GRACE_S = 2.0  # at most this long for closing transports and ending tasks to finish (ini:
# `cleanup_grace_s`; the suite's own test of this plugin shortens it)

EXPECT_ERRORS = "expect_errors"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("cleanup_grace_s", "longest wait for a test's leftovers to end", default="")


def pytest_configure(config: pytest.Config) -> None:
    global GRACE_S
    GRACE_S = float(config.getini("cleanup_grace_s") or GRACE_S)
    config.addinivalue_line(
        "markers",
        f"{EXPECT_ERRORS}(logger=None, match=None): this test expects ERROR log records from"
        " `logger` (and its children) whose text matches the regex `match` (support/cleanup.py)",
    )


# -- what a test may leave behind -----------------------------------------------------------------
def _timer_handles(loop: asyncio.AbstractEventLoop) -> list[asyncio.Handle]:
    """The loop's timers that will still run: asyncio's heap, or qasync's map of Qt timers (every
    `call_soon`/`call_later` of a qasync loop is a Qt timer until it has run)."""
    qt_timer = getattr(loop, "_timer", None)
    if qt_timer is not None:
        callbacks = getattr(qt_timer, "_SimpleTimer__callbacks", None)
        assert callbacks is not None, "qasync's timer map moved: update support/cleanup.py"
        handles = list(callbacks.values())
    else:
        handles = list(getattr(loop, "_scheduled", []))
    return [h for h in handles if not h.cancelled()]


def _socket_fds() -> dict[int, str]:
    """Open file descriptors that are sockets, with their inode (`socket:[1234]`)."""
    found: dict[int, str] = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # closed meanwhile (or the listing's own descriptor)
            continue
        if link.startswith("socket:"):
            found[int(name)] = link
    return found


def _describe_socket(fd: int, link: str, loop: asyncio.AbstractEventLoop | None) -> str:
    """`fd 12 tcp 127.0.0.1:5000 -> 127.0.0.1:40000`, and the transport that holds it if known."""
    text = f"fd {fd} ({link})"
    try:
        dup = socket.socket(fileno=os.dup(fd))
    except OSError:
        return text
    with dup:
        try:
            text += f" {dup.family.name} {dup.getsockname()!r}"
            text += f" -> {dup.getpeername()!r}"
        except OSError:
            pass
    transports = getattr(loop, "_transports", None) or {}
    if fd in transports:
        text += f" held by {transports[fd]!r}"
    return text


def _describe_task(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    where = getattr(coro, "__qualname__", repr(coro))
    frame = getattr(coro, "cr_frame", None)
    if frame is not None:
        where += f" at {frame.f_code.co_filename}:{frame.f_lineno}"
    return f"task {task.get_name()!r} running {where}"


@dataclass
class _Snapshot:
    """What existed before the test: only what is new after it counts."""

    loop: asyncio.AbstractEventLoop | None
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    timers: set[asyncio.Handle] = field(default_factory=set)
    threads: set[threading.Thread] = field(default_factory=set)
    sockets: set[tuple[int, str]] = field(default_factory=set)

    @classmethod
    def take(cls, loop: asyncio.AbstractEventLoop | None) -> _Snapshot:
        snap = cls(loop, threads=set(threading.enumerate()), sockets=set(_socket_fds().items()))
        if loop is not None:
            snap.tasks = set(asyncio.all_tasks(loop))
            snap.timers = set(_timer_handles(loop))
        return snap

    def leftovers(self) -> list[str]:
        """What the test left behind, in words; empty when it cleaned up."""
        left: list[str] = []
        loop = self.loop
        if loop is not None and not loop.is_closed():
            current = asyncio.current_task(loop) if loop.is_running() else None
            for task in asyncio.all_tasks(loop) - self.tasks - {current}:
                left.append(f"leftover {_describe_task(task)}")
            for handle in _timer_handles(loop):
                if handle not in self.timers:
                    left.append(f"leftover timer handle {handle!r}")
        for thread in threading.enumerate():
            # A _DummyThread stands for a thread Python did not start (Qt's); it never ends.
            if thread in self.threads or isinstance(thread, threading._DummyThread):
                continue
            left.append(f"leftover thread {thread!r} (target {getattr(thread, '_target', None)!r})")
        for fd, link in sorted(_socket_fds().items()):
            if (fd, link) not in self.sockets:
                left.append(f"leftover open socket {_describe_socket(fd, link, loop)}")
        return left

    def busy(self) -> bool:
        """Callbacks ready to run: the loop is not idle yet."""
        return bool(getattr(self.loop, "_ready", None))


# -- settling: run the loop until nothing is left, at most GRACE_S --------------------------------
async def _settle_asyncio(snap: _Snapshot, shut_executor: bool) -> list[str]:
    deadline = time.monotonic() + GRACE_S
    executor = getattr(asyncio.get_running_loop(), "_default_executor", None)
    if shut_executor and executor is not None:
        # Its workers end once idle, as asyncio.Runner would end them; one still busy is a
        # leftover thread (shutdown_default_executor would block on it instead).
        executor.shutdown(wait=False)
    turns = 0
    while True:
        left = snap.leftovers()
        if (not left and not snap.busy()) or time.monotonic() > deadline:
            return left
        turns += 1
        await asyncio.sleep(0 if turns < 20 else 0.005)  # a poll: ends as soon as it is clean


def _settle_qt(snap: _Snapshot) -> list[str]:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTest import QTest

    assert snap.loop is not None
    deadline = time.monotonic() + GRACE_S
    own_loop = asyncio._get_running_loop() is None
    if own_loop:  # a task's step may ask for the running loop
        asyncio._set_running_loop(snap.loop)
    try:
        turns = 0
        while True:
            QCoreApplication.processEvents()
            left = snap.leftovers()
            if not left or time.monotonic() > deadline:
                return left
            turns += 1
            if turns >= 20:
                QTest.qWait(5)  # a poll: Qt timers (qasync's call_later) fire meanwhile
    finally:
        if own_loop:
            asyncio._set_running_loop(None)


def _settle_plain(snap: _Snapshot) -> list[str]:
    """No loop: wait for the test's threads to end, then look once."""
    deadline = time.monotonic() + GRACE_S
    for thread in set(threading.enumerate()) - snap.threads:
        if thread is not threading.current_thread() and not isinstance(
            thread, threading._DummyThread
        ):
            thread.join(max(0.0, deadline - time.monotonic()))
    return snap.leftovers()


# -- logfail --------------------------------------------------------------------------------------
@dataclass
class _Expectation:
    logger: str | None
    match: str | None
    seen: int = 0

    def covers(self, record: logging.LogRecord) -> bool:
        if self.logger is not None and not (
            record.name == self.logger or record.name.startswith(self.logger + ".")
        ):
            return False
        if self.match is None:
            return True
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f"\n{type(exc).__name__}: {exc}"
        return re.search(self.match, text) is not None

    def __str__(self) -> str:
        return f"expect_errors(logger={self.logger!r}, match={self.match!r})"


class _ErrorLog(logging.Handler):
    """Collects every record at ERROR or above that the test did not declare."""

    def __init__(self, item: pytest.Item, expected: list[_Expectation]) -> None:
        super().__init__(logging.ERROR)
        self._item = item
        self._expected = expected
        self.unexpected: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        for expectation in self._expected:
            if expectation.covers(record):
                expectation.seen += 1
                return
        capturing = self._item.stash.get(caplog_handler_key, None)
        if capturing is not None and capturing.level == record.levelno:
            return  # inside caplog.at_level(logging.ERROR): the test checks them itself
        text = f"{record.levelname} from {record.name!r}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f" [{type(exc).__name__}: {exc}]"
        self.unexpected.append(text)


def _expectations(item: pytest.Item) -> list[_Expectation]:
    found: list[_Expectation] = []
    for mark in item.iter_markers(EXPECT_ERRORS):
        if mark.args or set(mark.kwargs) - {"logger", "match"}:
            pytest.fail(f"{EXPECT_ERRORS} takes only logger= and match=", pytrace=False)
        found.append(_Expectation(mark.kwargs.get("logger"), mark.kwargs.get("match")))
    return found


# -- the fixture ----------------------------------------------------------------------------------
def _uses_async_fixtures(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    for defs in getattr(info, "name2fixturedefs", {}).values():
        func = defs[-1].func if defs else None
        if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
            return True
    return False


def _test_loop(
    request: pytest.FixtureRequest,
) -> tuple[asyncio.AbstractEventLoop | None, Callable[[_Snapshot], list[str]]]:
    """The loop the test runs on, and how to settle it after the test."""
    item = request.node
    scope: str | None = None
    if is_async_test(item):
        mark = item.get_closest_marker("asyncio")
        scope = (mark.kwargs.get("loop_scope") if mark else None) or item.config.getini(
            "asyncio_default_test_loop_scope"
        )
    elif _uses_async_fixtures(item):  # a plain test over async fixtures: their loop
        scope = item.config.getini("asyncio_default_fixture_loop_scope")
    if scope is not None:
        loop = request.getfixturevalue(f"_{scope}_scoped_runner").get_loop()
        # Only a loop that ends with this test may have its default executor shut down.
        shut = scope == "function"
        return loop, lambda snap: loop.run_until_complete(_settle_asyncio(snap, shut))
    if "qt_loop" in request.fixturenames:
        return request.getfixturevalue("qt_loop"), _settle_qt
    return None, _settle_plain


@pytest.fixture(autouse=True)
def verify_cleanup(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test if it leaves tasks, timers, threads or sockets behind, or logs an
    unexpected ERROR (see the module's docstring). Set up first, so it checks last."""
    loop, settle = _test_loop(request)
    before = _Snapshot.take(loop)
    expected = _expectations(request.node)
    errors = _ErrorLog(request.node, expected)
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        yield
        problems = settle(before)
    finally:
        root.removeHandler(errors)
    problems += errors.unexpected
    problems += [f"{e} matched no ERROR record" for e in expected if not e.seen]
    if problems:
        pytest.fail("the test did not end clean:\n  " + "\n  ".join(problems), pytrace=False)
