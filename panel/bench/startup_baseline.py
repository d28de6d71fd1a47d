"""The baseline for `bench startup`: a bare PySide6 window that prints when it is first painted.

Run as the hidden subcommand `_startup-baseline` (panel.relaunch dispatches it before the CLI
is imported), so it pays only for starting the program, Python and Qt, frozen or not.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel


class _Window(QLabel):
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        print(f"PAINTED {time.time():.6f}", flush=True)
        QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = _Window("bare PySide6 window")
    window.resize(1024, 600)
    window.show()
    return app.exec()
