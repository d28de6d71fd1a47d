"""The dark bezel around the touchscreen: the hardware keys and the LEDs beside it.

The bezel only shows and lights things; what a key does is the window's business (it connects
to `keys[...].clicked`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from panel.device.attention import Attention
from panel.device.model import User
from panel.ui.i18n import Text, bind
from panel.ui.widgets import HardKey, Label, Led

BEZEL_MARGIN = 18
FRAME_PAD = 12
KEY_PANEL_WIDTH = 200
PRESS_FLASH_MS = 180  # how long a key pressed by a remote operator shows pressed


class Bezel(QWidget):
    """The screen frame (around `screen`) and the key panel: three LEDs and six keys."""

    def __init__(self, screen: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bezel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.leds: dict[str, Led] = {
            "power": Led("power", "#3ddc5a"),
            "data": Led("data", "#3ddc5a"),
            "attention": Led("attention", "#ff9f1a"),
        }
        self.keys: dict[str, HardKey] = {
            "home": HardKey(Text("Bezel", "Home"), "home"),
            "login": HardKey(Text("Bezel", "Login"), "login"),
            "reset": HardKey(Text("Bezel", "Reset"), "reset"),
            "energy_saver": HardKey(Text("Bezel", "Energy\nSaver"), "energy"),
            "maintenance": HardKey(Text("Bezel", "Maintenance call"), "maintenance"),
            "stop": HardKey(Text("Bezel", "Stop"), "stop", stop=True),
        }
        frame = QFrame(self)
        frame.setObjectName("screenFrame")
        framed = QVBoxLayout(frame)
        framed.setContentsMargins(FRAME_PAD, FRAME_PAD, FRAME_PAD, FRAME_PAD)
        framed.addWidget(screen)

        row = QHBoxLayout(self)
        row.setContentsMargins(BEZEL_MARGIN, BEZEL_MARGIN, BEZEL_MARGIN, BEZEL_MARGIN)
        row.setSpacing(BEZEL_MARGIN)
        row.addWidget(frame, 1)
        row.addWidget(self._key_panel())

    def _key_panel(self) -> QFrame:
        panel = QFrame(self)
        panel.setObjectName("keyPanel")
        panel.setFixedWidth(KEY_PANEL_WIDTH)
        keys = QVBoxLayout(panel)
        keys.setContentsMargins(14, 14, 14, 16)
        keys.setSpacing(10)
        brand = Label("MFP PANEL", panel)
        brand.setObjectName("brandLabel")
        brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keys.addWidget(brand)

        lamps = QGridLayout()
        lamps.setHorizontalSpacing(6)
        lamps.setVerticalSpacing(4)
        for column, (name, text) in enumerate(
            (
                ("power", Text("Bezel", "Power")),
                ("data", Text("Bezel", "Data")),
                ("attention", Text("Bezel", "Attention")),
            )
        ):
            lamps.addWidget(self.leds[name], 0, column, Qt.AlignmentFlag.AlignHCenter)
            label = Label(parent=panel)
            bind(label, text)
            label.setObjectName("ledLabel")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)  # a long name takes two lines under its lamp
            lamps.addWidget(label, 1, column)
        keys.addLayout(lamps)
        keys.addSpacing(8)

        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.keys["home"], 0, 0)
        grid.addWidget(self.keys["login"], 0, 1)
        grid.addWidget(self.keys["reset"], 1, 0)
        grid.addWidget(self.keys["energy_saver"], 1, 1)
        grid.addWidget(self.keys["maintenance"], 2, 0, 1, 2)
        self.keys["maintenance"].setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.keys["maintenance"].setMinimumHeight(64)
        keys.addLayout(grid)
        keys.addStretch(1)
        stop = self.keys["stop"]
        stop.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        stop.setMinimumHeight(96)
        keys.addWidget(stop)
        return panel

    def show_user(self, user: User | None) -> None:
        """The Login key reads Logout while someone is logged in."""
        if user is None:
            self.keys["login"].set_label(Text("Bezel", "Login"), "login")
        else:
            self.keys["login"].set_label(Text("Bezel", "Logout"), "logout")

    def show_attention(self, mode: Attention) -> None:
        """The Attention LED as the device's rule says (`panel.device.attention`): steadily on
        for an error, blinking at about 1 Hz for a warning, off otherwise."""
        led = self.leds["attention"]
        if mode is Attention.BLINK:
            led.set_blinking(True)
        else:
            led.set_on(mode is Attention.ON)

    def flash_key(self, name: str) -> None:
        """Show key `name` pressed for a moment (a remote operator pressed it)."""
        key = self.keys[name]
        key.setDown(True)
        QTimer.singleShot(PRESS_FLASH_MS, key, lambda: key.setDown(False))


def window_size(screen: QSize, area: QRect, beside: int = 0) -> QSize:
    """The window's size for a touchscreen of `screen` on a desktop of `area`: 1:1 when there
    is room, scaled down to fit (never below a quarter) when there is not. `beside`: the width
    of what is docked beside the panel."""
    chrome_w = KEY_PANEL_WIDTH + 3 * BEZEL_MARGIN + 2 * FRAME_PAD + beside
    chrome_h = 2 * BEZEL_MARGIN + 2 * FRAME_PAD
    width, height = screen.width(), screen.height()
    scale = min(1.0, (area.width() - chrome_w) / width, (area.height() - chrome_h) / height)
    scale = max(scale, 0.25)
    return QSize(round(width * scale) + chrome_w, round(height * scale) + chrome_h)
