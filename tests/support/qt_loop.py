"""The one qasync loop of a test session, made the running loop for each test (PITFALLS.md:
a fresh loop per test crashes inside Qt). Shared by the GUI and the browser tests' conftests:
`from support.qt_loop import qt_loop, running_loop`; synchronous tests drive coroutines on it
with `run`."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

T = TypeVar("T")


@pytest.fixture(scope="session")
def qt_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    yield loop
    loop.close()  # also stops its Qt timers (PITFALLS.md)


@pytest.fixture(autouse=True)
def running_loop(qt_loop: qasync.QEventLoop) -> Iterator[asyncio.AbstractEventLoop]:
    """Make the qasync loop the running loop, as it is while the real panel runs."""
    asyncio._set_running_loop(qt_loop)
    try:
        yield qt_loop
    finally:
        asyncio._set_running_loop(None)


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout_ms: int = 10_000) -> T:
    """Run a coroutine on the qasync loop while Qt processes events, and return its result."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()
