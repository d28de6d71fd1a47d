"""The Settings screen, laid out as a device's settings menu: the categories in a list on the
left, the open category's page on the right, and a typed setting on an entry page of its own
over both. Only an administrator reaches it (see SettingsController.show)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from panel.ui import theme
from panel.ui.i18n import Text, bind, notifier
from panel.ui.settings.entry import Entry, EntryPage
from panel.ui.settings.info import InfoPage
from panel.ui.settings.pages import (
    DisplayPage,
    GeneralPage,
    NetworksPage,
    Page,
    ServerPage,
    Settings,
    TimersPage,
)
from panel.ui.settings.parts import STYLE, CategoryButton
from panel.ui.widgets import Label

# (key, name, icon): the order of the list on the left.
CATEGORIES: tuple[tuple[str, Text, str], ...] = (
    ("general", Text("Settings", "General"), "user"),
    ("server", Text("Settings", "Server"), "cloud"),
    ("networks", Text("Settings", "Networks"), "globe"),
    ("timers", Text("Settings", "Energy saver"), "energy"),
    ("display", Text("Settings", "Display"), "scan"),
    ("info", Text("Settings", "Device information"), "print"),
)


class SettingsScreen(QWidget):
    back = Signal()
    category_opened = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsScreen")
        self.setStyleSheet(STYLE)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("home", theme.ACCENT, 26))
        self.back_button.setIconSize(QSize(26, 26))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bind(self.back_button, Text("Settings", "Home"))
        self.back_button.clicked.connect(self.back)
        self.title = Label(parent=self)
        self.title.setObjectName("screenTitle")
        bind(self.title, Text("Settings", "Settings"))
        self.admin_note = Label(parent=self)
        self.admin_note.setObjectName("screenSubtitle")
        bind(self.admin_note, Text("Settings", "Administrator"))

        self.pages: dict[str, Page] = {
            "general": GeneralPage(settings),
            "server": ServerPage(settings),
            "networks": NetworksPage(settings),
            "timers": TimersPage(settings),
            "display": DisplayPage(settings),
            "info": InfoPage(settings),
        }
        self.page_stack = QStackedWidget(self)
        listing = QFrame(self)
        listing.setObjectName("settingsList")
        listing.setFixedWidth(236)
        categories = QVBoxLayout(listing)
        categories.setContentsMargins(10, 10, 10, 10)
        categories.setSpacing(4)
        self.categories: dict[str, CategoryButton] = {}
        group = QButtonGroup(self)
        for key, name, icon_name in CATEGORIES:
            button = self.categories[key] = CategoryButton(name, icon_name, listing)
            group.addButton(button)
            button.clicked.connect(lambda _checked=False, k=key: self.open_category(k))
            categories.addWidget(button)
            self.page_stack.addWidget(self.pages[key])
        categories.addStretch(1)
        menu = QWidget(self)
        row = QHBoxLayout(menu)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(listing)
        row.addWidget(self.page_stack, 1)

        self.entry = EntryPage(self)
        self.entry.done.connect(self.close_entry)
        self.body = QStackedWidget(self)
        self.body.addWidget(menu)
        self.body.addWidget(self.entry)

        self.header = QWidget(self)
        top = QHBoxLayout(self.header)
        top.setContentsMargins(20, 10, 20, 8)
        top.setSpacing(16)
        top.addWidget(self.back_button)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.admin_note)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.body, 1)
        self.current = "general"
        notifier().changed.connect(self._language_changed)  # a method: gone with the screen

    def open_category(self, key: str) -> None:
        self.current = key
        self.categories[key].setChecked(True)
        page = self.pages[key]
        page.message.hide()
        page.show_settings()
        self.page_stack.setCurrentWidget(page)
        self.body.setCurrentIndex(0)
        self.category_opened.emit(key)

    def _language_changed(self, _code: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        """The shown page again, from the stored settings."""
        self.pages[self.current].show_settings()

    def open_entry(self, entry: Entry) -> None:
        """The entry page over the whole screen (its own Cancel and Save at the top): the
        keypad or the keyboard needs the room at 800x480."""
        self.entry.open(entry)
        self._show_header(False)
        self.body.setCurrentWidget(self.entry)

    def close_entry(self) -> None:
        self.entry.entry = None
        self._show_header(True)
        self.body.setCurrentIndex(0)
        self.refresh()

    def _show_header(self, shown: bool) -> None:
        self.header.setVisible(shown)

    def start(self) -> None:
        """Shown anew: the first category, nothing half typed."""
        self.close_entry()
        self.open_category("general")
