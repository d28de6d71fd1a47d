"""One page per category of the Settings screen: General (name, language, key click), Server
(its URL, the offline-login policy), Networks (order, on/off), Energy saver (timers) and
Display (date and time format, screen size). Each shows the stored settings (`show`) and asks
the controller for a change; a typed value is changed on its entry page."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from panel.device.settings import (
    DIM_RANGE,
    LOGOUT_RANGE,
    MAX_NAME,
    SLEEP_RANGE,
    NetworkChoice,
    PanelSettings,
    SettingError,
    check_name,
    parse_seconds,
)
from panel.ui.i18n import LANGUAGES, Text, bind
from panel.ui.settings.entry import Entry
from panel.ui.settings.parts import Choices, SettingRow, describe, seconds_text
from panel.ui.widgets import MIN_TOUCH, Label

SAMPLE_TIME = time.mktime((2026, 12, 6, 14, 5, 0, 0, 0, -1))  # the date formats' example


class Settings(Protocol):
    """What a page needs of the controller."""

    @property
    def current(self) -> PanelSettings: ...

    def change(self, **changes: object) -> None: ...  # raises SettingError; nothing saved

    def edit(self, entry: Entry) -> None: ...

    def server_url(self) -> str: ...

    def save_url(self, text: str) -> Awaitable[None]: ...  # checks with the server first

    def offline_login_allowed(self) -> bool | None: ...

    def networks(self) -> list[tuple[NetworkChoice, str]]: ...


class Page(QScrollArea):
    """A category's page: its title over its settings, scrolling when they do not fit."""

    def __init__(self, title: Text, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        body.setObjectName("settingsPage")
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(20, 14, 20, 16)
        self.column.setSpacing(12)
        self.title = Label(parent=body)
        self.title.setObjectName("pageTitle")
        bind(self.title, title)
        self.column.addWidget(self.title)
        self.setWidget(body)
        self.body = body
        self.message = Label(parent=body)  # a refused change that has no field of its own
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()

    def finish(self) -> None:
        self.column.addWidget(self.message)
        self.column.addStretch(1)

    def show_settings(self) -> None:
        """Show the stored values (after a change, a language switch, or when opened)."""

    def try_change(self, **changes: object) -> bool:
        try:
            self.settings.change(**changes)
        except SettingError as refused:
            self.message.setText(describe(refused))
            self.message.show()
            self.show_settings()
            return False
        self.message.hide()
        self.show_settings()
        return True


def _typed_row(page: Page, name: Text, note: Text | None = None) -> SettingRow:
    row = SettingRow(name, page.body, note)
    page.column.addWidget(row)
    return row


class GeneralPage(Page):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Text("Settings", "General"), settings, parent)
        self.name_row = _typed_row(self, Text("Settings", "Device name"))
        self.name_row.clicked.connect(self._edit_name)
        # Each language's name in its own language: a reader finds theirs whatever is shown.
        self.language = Choices(Text("Settings", "Language"), list(LANGUAGES.items()), self.body)
        self.language.chosen.connect(lambda code: self.try_change(language=code))
        self.column.addWidget(self.language)
        self.key_click = Choices(
            Text("Settings", "Key click sound"),
            [("on", Text("Settings", "On")), ("off", Text("Settings", "Off"))],
            self.body,
        )
        self.key_click.chosen.connect(lambda value: self.try_change(key_click=value == "on"))
        self.column.addWidget(self.key_click)
        self.finish()

    def show_settings(self) -> None:
        current = self.settings.current
        self.name_row.set_value(current.device_name)
        self.language.set_value(current.language)
        self.key_click.set_value("on" if current.key_click else "off")

    def _edit_name(self) -> None:
        def commit(text: str) -> None:
            self.settings.change(device_name=check_name(text))

        self.settings.edit(
            Entry(
                Text("Settings", "Device name"),
                self.settings.current.device_name,
                commit,
                hint=Text("Settings", "Shown in the status bar and to the server's users."),
                max_length=MAX_NAME + 8,  # a longer name is refused with a message, not cut
            )
        )


class ServerPage(Page):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Text("Settings", "Server"), settings, parent)
        self.url_row = _typed_row(
            self,
            Text("Settings", "Server URL"),
            Text(
                "Settings", "Checked with the server before it is saved; used from the next start."
            ),
        )
        self.url_row.clicked.connect(self._edit_url)
        self.offline_row = _typed_row(
            self,
            Text("Settings", "Offline login"),
            Text("Settings", "Set by the administrator on the server (display only)."),
        )
        self.offline_row.setEnabled(False)
        self.finish()

    def show_settings(self) -> None:
        self.url_row.set_value(self.settings.server_url())
        allowed = self.settings.offline_login_allowed()
        text = (
            Text("Settings", "Not known yet")
            if allowed is None
            else Text("Settings", "Allowed")
            if allowed
            else Text("Settings", "Not allowed")
        )
        self.offline_row.set_value(str(text))

    def _edit_url(self) -> None:
        url = self.settings.server_url()
        self.settings.edit(
            Entry(
                Text("Settings", "Server URL"),
                url,
                self.settings.save_url,
                hint=Text("Settings", "For example http://192.168.1.20:8080"),
            )
        )


class NetworkRow(QFrame):
    """A network: its name and state, on/off, and moving it up or down the order."""

    def __init__(self, page: NetworksPage, index: int) -> None:
        super().__init__(page.body)
        self.setObjectName("settingRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.name = Label(parent=self)
        self.name.setObjectName("settingName")
        self.state = Label(parent=self)
        self.state.setObjectName("settingNote")
        self.enabled = QPushButton(self)
        self.enabled.setObjectName("choice")
        self.enabled.setCheckable(True)
        self.up = QPushButton("\N{UPWARDS ARROW}", self)
        self.down = QPushButton("\N{DOWNWARDS ARROW}", self)
        bind(self.up, Text("Settings", "Move up"), "setAccessibleName")
        bind(self.down, Text("Settings", "Move down"), "setAccessibleName")
        for button in (self.enabled, self.up, self.down):
            button.setObjectName("choice")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(MIN_TOUCH + 8, MIN_TOUCH - 4)
        self.enabled.setMinimumWidth(110)
        self.enabled.clicked.connect(lambda: page.toggle(index))
        self.up.clicked.connect(lambda: page.move_network(index, -1))
        self.down.clicked.connect(lambda: page.move_network(index, 1))
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.name)
        words.addWidget(self.state)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 10, 6)
        row.setSpacing(8)
        row.addLayout(words, 1)
        row.addWidget(self.enabled)
        row.addWidget(self.up)
        row.addWidget(self.down)


class NetworksPage(Page):
    """The device's networks in order of preference: the first that reaches the server is
    used, and the device returns to a better one when it recovers (S2)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Text("Settings", "Networks"), settings, parent)
        note = Label(parent=self.body)
        note.setObjectName("settingNote")
        note.setWordWrap(True)
        bind(
            note,
            Text(
                "Settings",
                "The first network that reaches the server is used; the device goes back "
                "to a better one when it recovers.",
            ),
        )
        self.column.addWidget(note)
        self.rows: list[NetworkRow] = []
        self._order: list[NetworkChoice] = []
        self._rows_at = self.column.count()
        self.finish()

    def show_settings(self) -> None:
        networks = self.settings.networks()
        self._order = [choice for choice, _ in networks]
        while len(self.rows) < len(networks):
            row = NetworkRow(self, len(self.rows))
            self.column.insertWidget(self._rows_at + len(self.rows), row)
            self.rows.append(row)
        for index, row in enumerate(self.rows):
            row.setVisible(index < len(networks))
        for index, (choice, state) in enumerate(networks):
            row = self.rows[index]
            row.name.setText(f"{index + 1}. {choice.name}")
            row.state.setText(state)
            row.enabled.setChecked(choice.enabled)
            bind(row.enabled, Text("Settings", "On") if choice.enabled else Text("Settings", "Off"))
            row.up.setEnabled(index > 0)
            row.down.setEnabled(index < len(networks) - 1)

    def toggle(self, index: int) -> None:
        order = list(self._order)
        choice = order[index]
        order[index] = NetworkChoice(choice.name, not choice.enabled)
        self.try_change(networks=tuple(order))

    def move_network(self, index: int, step: int) -> None:
        order = list(self._order)
        other = index + step
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
            self.try_change(networks=tuple(order))


class TimersPage(Page):
    """Energy saver: when the panel dims, sleeps, and logs a forgotten session out."""

    FIELDS: Sequence[tuple[str, Text, Text]] = (
        (
            "dim_after_s",
            Text("Settings", "Dim the screen after"),
            Text("Settings", "{low} to {high} seconds without use.").format(
                low=DIM_RANGE[0], high=DIM_RANGE[1]
            ),
        ),
        (
            "sleep_after_s",
            Text("Settings", "Sleep after"),
            Text("Settings", "{low} to {high} seconds without use, not before dimming.").format(
                low=SLEEP_RANGE[0], high=SLEEP_RANGE[1]
            ),
        ),
        (
            "auto_logout_s",
            Text("Settings", "Log out after"),
            Text("Settings", "0 (never) or {low} to {high} seconds without use.").format(
                low=LOGOUT_RANGE[0], high=LOGOUT_RANGE[1]
            ),
        ),
    )

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Text("Settings", "Energy saver"), settings, parent)
        self.rows: dict[str, SettingRow] = {}
        for setting, name, note in self.FIELDS:
            row = self.rows[setting] = _typed_row(self, name, note)
            row.clicked.connect(lambda _checked=False, s=setting: self.edit(s))
        self.finish()

    def show_settings(self) -> None:
        current = self.settings.current
        for setting, row in self.rows.items():
            row.set_value(str(seconds_text(getattr(current, setting))))

    def edit(self, setting: str) -> None:
        name, note = next((n, h) for s, n, h in self.FIELDS if s == setting)

        def commit(text: str) -> None:
            self.settings.change(**{setting: parse_seconds(setting, text)})

        value = str(getattr(self.settings.current, setting))
        self.settings.edit(Entry(name, value, commit, numeric=True, hint=note, max_length=7))


class DisplayPage(Page):
    """How dates and times are written, and the touchscreen's size."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Text("Settings", "Display"), settings, parent)
        from panel.device.settings import DATE_STYLES, SCREENS, DisplayFormat

        self.date_style = Choices(
            Text("Settings", "Date format"),
            [(style, DisplayFormat(style).date(SAMPLE_TIME)) for style in DATE_STYLES],
            self.body,
            columns=2,
        )
        self.date_style.chosen.connect(lambda style: self.try_change(date_style=style))
        self.clock = Choices(
            Text("Settings", "Time format"),
            [
                ("24", Text("Settings", "24-hour (14:05)")),
                ("12", Text("Settings", "12-hour (2:05 PM)")),
            ],
            self.body,
            columns=2,
        )
        self.clock.chosen.connect(lambda value: self.try_change(clock_24h=value == "24"))
        self.screen_size = Choices(
            Text("Settings", "Screen size"),
            [(size, size.replace("x", " \N{MULTIPLICATION SIGN} ")) for size in SCREENS],
            self.body,
            columns=3,
        )
        self.screen_size.chosen.connect(lambda size: self.try_change(screen=size))
        for part in (self.date_style, self.clock, self.screen_size):
            self.column.addWidget(part)
        self.finish()

    def show_settings(self) -> None:
        current = self.settings.current
        self.date_style.set_value(current.date_style)
        self.clock.set_value("24" if current.clock_24h else "12")
        self.screen_size.set_value(current.screen)
