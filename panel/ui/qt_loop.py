"""One loop for Qt and asyncio: qasync's QEventLoop made by `asyncio.Runner`'s loop factory."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtCore import QTimer, SignalInstance
from PySide6.QtWidgets import QApplication


def qt_app() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    # Closing the last window must not stop the loop: the device and server still shut down
    # on it afterwards (the GUI modes await `last_window_closed`, then clean up).
    app.setQuitOnLastWindowClosed(False)
    app.setApplicationName("mfp-panel")
    app.setOrganizationName("mfp-panel")
    # The menu entry's name (mfp-panel.desktop, packaging/deb): on Wayland the compositor
    # matches the window to its entry, icon and name through it.
    app.setDesktopFileName("mfp-panel")
    return app


def run_qt(main: Callable[[QApplication], Coroutine[Any, Any, int]]) -> int:
    """Run `main(app)` to completion on a qasync loop; Ctrl+C, and SIGTERM (how a desktop
    launcher or a service manager ends it), quit cleanly: `main` cleans up in its `finally`."""
    app = qt_app()
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        task_holder: list[asyncio.Task[int]] = []
        received: list[int] = []

        def interrupt(signum: int, _frame: object) -> None:
            received.append(signum)
            for task in task_holder:
                task.cancel()

        previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
        # Python runs signal handlers only between bytecodes: wake it while Qt idles in C++.
        ticker = QTimer()
        ticker.start(200)
        ticker.timeout.connect(lambda: None)

        async def wrapped() -> int:
            task = asyncio.current_task()
            assert task is not None  # a coroutine run by the runner is always in a task
            task_holder.append(task)
            try:
                return await main(app)
            except asyncio.CancelledError:
                return 128 + (received[0] if received else signal.SIGINT)

        try:
            return runner.run(wrapped())
        finally:
            ticker.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def signal_future(signal: SignalInstance) -> asyncio.Future[None]:
    """A future that resolves the first time `signal` is emitted (await it, never nest a loop)."""
    fired: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_signal(*_: object) -> None:
        if not fired.done():
            fired.set_result(None)

    signal.connect(on_signal)
    return fired


def last_window_closed(app: QApplication) -> asyncio.Future[None]:
    """Resolves when the last window closes; make it before opening windows."""
    return signal_future(app.lastWindowClosed)
