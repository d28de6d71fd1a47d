"""The baseline for `bench startup`: a bare PySide6 window that prints when it is first painted.

Run as a script (not imported), so it pays only for Python and Qt.
"""

import sys
import time

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel


class Window(QLabel):
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        print(f"PAINTED {time.time():.6f}", flush=True)
        app.quit()


app = QApplication(sys.argv[:1])
window = Window("bare PySide6 window")
window.resize(1024, 600)
window.show()
sys.exit(app.exec())
