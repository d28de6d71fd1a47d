"""Home screen: the app tiles a logged-in user starts from."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from panel.device.model import User
from panel.ui import theme
from panel.ui.i18n import Text, bind
from panel.ui.settings.parts import settings_button
from panel.ui.widgets import Label

# (key, label, icon, available now)
TILES: tuple[tuple[str, Text, str, bool], ...] = (
    ("jobs", Text("Home", "Print release / Jobs"), "print", True),
    ("copy", Text("Home", "Copy"), "copy", True),
    ("scan", Text("Home", "Scan"), "scan", True),
    ("fax", Text("Home", "Fax"), "fax", True),
    ("files", Text("Home", "Shared files"), "shared", True),
    ("phone", Text("Home", "Phone"), "phone", True),  # QR connection (S7): screens/phone.py
    ("apps", Text("Home", "Apps"), "apps", True),  # server apps (S8): screens/apps.py
)
COLUMNS = 4  # seven tiles: two rows, as six were in three columns


class Tile(QToolButton):
    """An app tile: a big icon over its name, centred; the whole tile is one touch target."""

    def __init__(self, label: Text, icon_name: str, available: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setProperty("available", available)
        bind(self, label, "setAccessibleName")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(150, 120)  # four across fit the 800x480 panel
        picture = Label(parent=self)
        picture.setPixmap(theme.pixmap(icon_name, theme.ACCENT if available else theme.MUTED, 72))
        self.label = Label(parent=self)
        bind(self.label, label)
        self.label.setObjectName("tileLabel")
        self.label.setWordWrap(True)  # a long name takes two lines, never clipped
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(10)
        column.addStretch(1)
        column.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.label, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        for part in (picture, self.label):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._corner: Label | None = None

    def corner_label(self, object_name: str) -> Label:
        """A small label pinned to the tile's top-right corner (a count, "Coming soon")."""
        if self._corner is None:
            self._corner = Label(parent=self)
            self._corner.setObjectName(object_name)
            self._corner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._corner.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        return self._corner

    def place_corner(self) -> None:
        if self._corner is not None:
            self._corner.adjustSize()
            self._corner.setMinimumWidth(self._corner.height())
            self._corner.move(self.width() - self._corner.width() - 12, 12)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place_corner()


class HomeScreen(QWidget):
    open_jobs = Signal()
    open_copy = Signal()
    open_scan = Signal()
    open_fax = Signal()
    open_files = Signal()  # Shared files (S6)
    open_phone = Signal()  # QR connection (S7)
    open_apps = Signal()  # server apps (S8)
    open_status = Signal()  # the Device status button: trays, toner, counters, errors
    open_settings = Signal()  # administrators only (panel.ui.settings)
    unavailable = Signal(str)  # the tile's label (English source), for "not available yet"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeScreen")
        self.greeting = Label(parent=self)
        self.greeting.setObjectName("screenTitle")
        self.greeting.setWordWrap(True)
        subtitle = Label(parent=self)
        bind(subtitle, Text("Home", "What would you like to do?"))
        subtitle.setObjectName("screenSubtitle")
        subtitle.setWordWrap(True)

        self.tiles: dict[str, Tile] = {}
        grid = QGridLayout()
        grid.setSpacing(18)
        opens = {
            "jobs": self.open_jobs,
            "copy": self.open_copy,
            "scan": self.open_scan,
            "fax": self.open_fax,
            "files": self.open_files,
            "phone": self.open_phone,
            "apps": self.open_apps,
        }
        for index, (key, label, icon_name, available) in enumerate(TILES):
            tile = Tile(label, icon_name, available, self)
            if available:
                tile.clicked.connect(opens[key])
            else:
                tile.clicked.connect(
                    lambda _checked=False, text=label.source: self.unavailable.emit(text)
                )
                bind(tile.corner_label("tileNote"), Text("Home", "Coming soon"))
            grid.addWidget(tile, index // COLUMNS, index % COLUMNS)
            self.tiles[key] = tile
        self.jobs_badge = self.tiles["jobs"].corner_label("tileBadge")
        self.jobs_badge.hide()

        column = QVBoxLayout(self)
        column.setContentsMargins(32, 22, 32, 28)
        column.setSpacing(4)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addWidget(self.greeting)
        words.addWidget(subtitle)
        self.status_button = QPushButton(self)
        bind(self.status_button, Text("Home", "Device status"))
        self.status_button.setObjectName("backButton")  # styled as the screens' header buttons
        self.status_button.setIcon(theme.icon("print", theme.ACCENT, 26))
        self.status_button.setIconSize(QSize(26, 26))
        self.status_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.status_button.clicked.connect(self.open_status)
        self.settings_button = settings_button(self)  # shown to an administrator only
        self.settings_button.clicked.connect(self.open_settings)
        top = QHBoxLayout()
        top.addLayout(words, 1)
        top.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.status_button, 0, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(top)
        column.addSpacing(16)
        column.addLayout(grid, 1)
        self.set_user(None)

    def set_user(self, user: User | None) -> None:
        self.settings_button.setVisible(user is not None and user.is_admin)
        bind(
            self.greeting,
            Text("Home", "Hello, {name}").format(name=user.name)
            if user is not None
            else Text("Home", "Hello"),
        )

    def set_active_jobs(self, count: int) -> None:
        """The number on the jobs tile: work the device still has to do."""
        text, before = str(count), self.jobs_badge.text()
        if text != before:  # called once per frame of job events: a new width needs a new place
            self.jobs_badge.setText(text)
            if len(text) != len(before):
                self.tiles["jobs"].place_corner()
        self.jobs_badge.setVisible(count > 0)
