"""The suite's cleanup check bites (issue 10, acceptance 4): throwaway tests that leak a task, a
timer handle, a socket, a thread, log an ERROR or drop an exception on the loop each fail in an
inner pytest run (a subprocess, with tests/support/cleanup.py as its plugin), while tests that
clean up, or declare the error they expect, pass. The outer suite stays green."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

INI = f"""
[pytest]
pythonpath = {TESTS}
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
asyncio_default_test_loop_scope = function
filterwarnings = error
qt_api = pyside6
cleanup_grace_s = 0.3
"""

HEADLESS = """
import asyncio
import logging
import socket
import threading

import pytest

KEEP = []  # what the leaking tests hold on to, so only the check can notice it


async def test_leaks_a_task():
    KEEP.append(asyncio.get_running_loop().create_task(asyncio.sleep(3600), name="forgotten"))


async def test_leaks_a_timer_handle():
    KEEP.append(asyncio.get_running_loop().call_later(3600, print, "late"))


async def test_leaks_a_socket():
    KEEP.append(socket.socket())


async def test_leaks_a_listening_server():
    KEEP.append(await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0))


@pytest.fixture
async def leaky():
    KEEP.append(asyncio.get_running_loop().create_task(asyncio.sleep(3600), name="from-fixture"))
    yield


def test_a_plain_test_over_an_async_fixture_that_leaks(leaky):
    pass


def test_leaks_a_thread():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(60,), name="forgotten-worker", daemon=True)
    thread.start()
    KEEP.append(stop)


def test_logs_an_error():
    logging.getLogger("panel.part").error("it broke")


async def test_an_exception_reaches_the_loop():
    asyncio.get_running_loop().call_soon(lambda: 1 / 0)
    await asyncio.sleep(0)


def test_drops_a_socket_it_never_closed():
    socket.socket()  # ResourceWarning in __del__: an unraisable exception


@pytest.mark.expect_errors(logger="panel.part")
def test_expects_an_error_that_never_comes():
    pass


@pytest.mark.expect_errors(logger="panel.part", match="it broke")
def test_declares_the_error_it_expects():
    logging.getLogger("panel.part.child").error("it broke")


def test_checks_the_error_with_caplog(caplog):
    with caplog.at_level(logging.ERROR):
        logging.getLogger("panel.part").error("it broke")
    assert "it broke" in caplog.text


async def test_cleans_up():
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.read()
    writer.close()  # its last callbacks run in the check's grace period
    server.close()
    await server.wait_closed()
    asyncio.get_running_loop().call_later(3600, print).cancel()
    await asyncio.to_thread(print, "a worker thread of the loop's executor")
"""

GUI_CONFTEST = """
from support.qt_loop import qt_loop, running_loop  # noqa: F401
"""

GUI = """
import asyncio


def test_leaks_a_qasync_timer(qt_loop):
    qt_loop.call_later(3600, print, "late")


def test_leaks_a_task_on_the_qasync_loop(qt_loop):
    asyncio.ensure_future(asyncio.sleep(3600))


def test_cleans_up_on_the_qasync_loop(qtbot, qt_loop):
    task = asyncio.ensure_future(asyncio.sleep(0))
    qt_loop.call_later(3600, print).cancel()
    qtbot.waitUntil(task.done)
"""

LEAKS = {
    "test_leaks_a_task": "leftover task 'forgotten' running sleep*",
    "test_leaks_a_timer_handle": "leftover timer handle <TimerHandle*print*",
    "test_leaks_a_socket": "leftover open socket fd *",
    "test_leaks_a_listening_server": "leftover open socket fd * ('127.0.0.1', *",
    "test_a_plain_test_over_an_async_fixture_that_leaks": "leftover task 'from-fixture' *",
    "test_leaks_a_thread": "leftover thread <Thread(forgotten-worker*",
    "test_logs_an_error": "ERROR from 'panel.part': it broke",
    "test_an_exception_reaches_the_loop": "ERROR from 'asyncio': Exception in callback*",
    "test_expects_an_error_that_never_comes": "expect_errors(logger='panel.part'*matched no*",
    "test_leaks_a_qasync_timer": "leftover timer handle <Handle print('late')*",
    "test_leaks_a_task_on_the_qasync_loop": "leftover task * running sleep*",
}
UNRAISABLE = "test_drops_a_socket_it_never_closed"
CLEAN = [
    "test_declares_the_error_it_expects",
    "test_checks_the_error_with_caplog",
    "test_cleans_up",
    "test_cleans_up_on_the_qasync_loop",
]


def test_each_kind_of_leak_fails_its_test_and_clean_tests_pass(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    pytester.makeini(INI)
    pytester.makepyfile(test_leaks=HEADLESS)
    gui = pytester.mkdir("gui")
    (gui / "conftest.py").write_text(GUI_CONFTEST)
    (gui / "test_gui_leaks.py").write_text(GUI)
    result = pytester.runpytest_subprocess(
        "-p", "support.cleanup", "-p", "no:randomly", "-p", "no:cacheprovider", "-rA"
    )
    for name, why in LEAKS.items():  # the test's own section, with what it left first
        result.stdout.fnmatch_lines(
            [f"*ERROR at teardown of {name} *", "the test did not end clean:", f"  {why}"],
            consecutive=True,
        )
    result.stdout.fnmatch_lines(
        [f"*_ {UNRAISABLE} _*", "*PytestUnraisableExceptionWarning*socket.socket*"]
    )
    failed = [line for line in result.stdout.lines if line.startswith(("ERROR ", "FAILED "))]
    for name in CLEAN:
        assert not [line for line in failed if f"::{name} " in line]
    result.assert_outcomes(passed=len(CLEAN) + len(LEAKS), failed=1, errors=len(LEAKS))
