"""Apps (S8): the list of the server's apps, and an app's screens drawn natively.

The screens come from the server as the format of panel/protocol/apps.py; `ScreenView` turns
one into widgets (an element this panel does not know is a visible placeholder; a screen it
cannot read is an error page naming the app). Text and number inputs type with the panel's
on-screen keyboard. The panel never waits on an app: Home, Reset and Stop work throughout, a
launch or an action that gets no answer within the device's deadline goes home with a message,
and leaving an app ends it on the server in the background.
"""

from __future__ import annotations

import base64
import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from panel.device.apps import DEADLINE_S, AppEntry, AppUnavailable, AppView, ServerApps
from panel.protocol import apps as fmt
from panel.ui import i18n, theme
from panel.ui.i18n import Text, bind, translate, translate_marked
from panel.ui.widgets import Label, TextKeyboard

if TYPE_CHECKING:
    from panel.ui.window import PanelWindow

STYLE = """
QFrame#appCard { background: #ffffff; border: 1px solid #d8dee6; border-radius: 16px; }
QLabel#appText { font-size: 18px; color: #1d2733; }
QLabel#appHeading { font-size: 21px; font-weight: bold; color: #1d2733; }
QLabel#appNote { font-size: 15px; color: #5b6875; }
QLabel#appNotice { font-size: 16px; font-weight: bold; color: #b3261e; }
QLabel#appLabel { font-size: 15px; font-weight: bold; color: #46525f; }
QLabel#appBadge { font-size: 14px; font-weight: bold; color: #ffffff; background: #1b64c4;
    border-radius: 12px; padding: 2px 12px; }
QFrame#placeholder { background: #fff8e1; border: 2px dashed #c99a06; border-radius: 10px; }
QLabel#placeholderText { font-size: 15px; color: #6d5200; }
QLineEdit#appField { font-size: 20px; min-height: 46px; padding: 0 12px; color: #1d2733;
    background: #f7f9fb; border: 2px solid #c3ccd6; border-radius: 10px; }
QLineEdit#appField:focus { background: #ffffff; border: 3px solid #1b64c4; }
QComboBox#appSelect { font-size: 19px; min-height: 46px; padding: 0 12px;
    border: 2px solid #c3ccd6; border-radius: 10px; background: #f7f9fb; }
QComboBox#appSelect QAbstractItemView { font-size: 19px; }
QCheckBox#appToggle { font-size: 19px; spacing: 14px; min-height: 46px; }
QCheckBox#appToggle::indicator { width: 46px; height: 28px; border-radius: 14px;
    background: #c3ccd6; }
QCheckBox#appToggle::indicator:checked { background: #1b64c4; }
QListWidget#appList { font-size: 18px; border: 2px solid #c3ccd6; border-radius: 10px;
    background: #ffffff; }
QListWidget#appList::item { min-height: 44px; padding: 0 10px; }
QListWidget#appList::item:selected { background: #dfe9f6; color: #1d2733; }
QProgressBar#appProgress { min-height: 26px; border-radius: 13px; background: #e4e9ef;
    text-align: center; font-size: 14px; color: #1d2733; }
QProgressBar#appProgress::chunk { border-radius: 13px; background: #1b64c4; }
QPushButton#appButton { min-height: 52px; font-size: 20px; font-weight: bold; color: #1b64c4;
    background: #ffffff; border: 2px solid #c3d3e8; border-bottom: 3px solid #a9bfdc;
    border-radius: 14px; padding: 0 18px; }
QPushButton#appButton:pressed { background: #eef3f9; }
QPushButton#appDanger { min-height: 52px; font-size: 19px; font-weight: bold; color: #ffffff;
    background: #c62828; border-radius: 12px; padding: 0 22px; }
QToolButton#appTile { background: #ffffff; border: 1px solid #d8dee6; border-radius: 16px;
    font-size: 18px; font-weight: bold; color: #1d2733; padding: 10px; }
QToolButton#appTile:pressed { background: #eef3f9; }
QToolButton#appTile[available="false"] { color: #8c98a5; }
"""


# Why an app cannot go on, by the device's or the server's code (their words are English).
_UNAVAILABLE = {
    "not_logged_in": Text("Apps", "Log in first."),
    "not_running": Text("Apps", "The app is no longer running."),
    "timeout": Text("Apps", "The app did not answer within {seconds} s. Try again later."),
    "unreachable": Text("Apps", "The server cannot be reached: apps need the network."),
    "app_timeout": Text("Apps", "The app did not answer in time. Try again later."),
    "app_unreachable": Text("Apps", "The app is not working right now. Try again later."),
    "app_failed": Text("Apps", "The app is not working right now. Try again later."),
    "unknown_app": Text("Apps", "This app is not available on the server."),
    "unknown_launch": Text("Apps", "The app's session has ended."),
}
# A device action the app has no permission for (panel/device/apps.py words it in English).
_REFUSED_ACTIONS = {
    "scan": Text("Apps", "{app} may not scan: refused."),
    "print": Text("Apps", "{app} may not print: refused."),
    "read who you are": Text("Apps", "{app} may not read who you are: refused."),
}


def unavailable_text(exc: AppUnavailable) -> str:
    """Why the app stopped, in the panel's language (a server's own words as they are)."""
    found = _UNAVAILABLE.get(exc.code)
    if found is None:
        return translate_marked("Core", exc.message)
    return str(found.format(seconds=f"{DEADLINE_S:g}"))


def notice_text(app: str, notice: str) -> Text | str:
    """The line above an app's screen (a refused device action), in the panel's language."""
    for verb, text in _REFUSED_ACTIONS.items():
        if notice == f"{app} may not {verb}: refused.":
            return text.format(app=app)
    return translate_marked("Core", notice)


def _button(text: Text | str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(parent)
    bind(button, text)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(52)
    return button


def _label(text: str, name: str, parent: QWidget) -> Label:
    label = Label(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def image_from_data_uri(src: str) -> QImage:
    """A `data:image/...;base64,` picture (an empty image when it is not one)."""
    image = QImage()
    head, _, data = src.partition(",")
    if head.endswith(";base64"):
        with contextlib.suppress(ValueError):
            image.loadFromData(base64.b64decode(data, validate=True))
    return image


class ScreenView(QWidget):
    """One app screen as native widgets; `action` carries the action and the inputs' values."""

    action = Signal(str, dict)
    field_focused = Signal(QLineEdit)

    def __init__(self, screen: fmt.Screen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appScreenView")
        self.app_screen = screen
        self.fields: dict[str, QLineEdit] = {}
        self.selects: dict[str, QComboBox] = {}
        self.toggles: dict[str, QCheckBox] = {}
        self.lists: dict[str, QListWidget] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.placeholders: list[QFrame] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(12)
        # The screen's buttons go to a bar below the scrolling part, as a panel's do: always
        # in reach, whatever the length of the screen.
        self.footer = QWidget()
        self.footer.setObjectName("appFooter")
        self.footer.setStyleSheet(STYLE)
        row = QHBoxLayout(self.footer)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addStretch(1)
        for element in screen.elements:
            if isinstance(element, fmt.Button):
                row.addWidget(self._button(element))
            else:
                column.addWidget(self._element(element))
        self.footer.setVisible(bool(self.buttons))
        column.addStretch(1)

    def _element(self, element: fmt.Element) -> QWidget:
        if isinstance(element, fmt.Text):
            name = {"heading": "appHeading", "note": "appNote"}.get(element.style, "appText")
            return _label(element.text, name, self)
        if isinstance(element, fmt.Image):
            picture = Label(parent=self)
            image = image_from_data_uri(element.src)
            if image.isNull():
                alt = element.alt or translate("Apps", "picture")
                picture.setText(f"[{alt}]")
            else:
                pixmap = QPixmap.fromImage(image)
                if pixmap.height() > 120:
                    pixmap = pixmap.scaledToHeight(120, Qt.TransformationMode.SmoothTransformation)
                picture.setPixmap(pixmap)
            picture.setAccessibleName(element.alt)
            return picture
        if isinstance(element, fmt.ListBox):
            return self._list(element)
        if isinstance(element, fmt.Input):
            return self._input(element)
        if isinstance(element, fmt.Select):
            return self._select(element)
        if isinstance(element, fmt.Toggle):
            toggle = QCheckBox(element.label, self)
            toggle.setObjectName("appToggle")
            toggle.setChecked(element.value)
            toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.toggles[element.id] = toggle
            return toggle
        if isinstance(element, fmt.Progress):
            bar = QProgressBar(self)
            bar.setObjectName("appProgress")
            bar.setRange(0, 100)
            bar.setValue(element.value)
            bar.setFormat(f"{element.label}  %p%" if element.label else "%p%")
            return bar
        if isinstance(element, fmt.Confirm):
            return self._confirm(element)
        assert isinstance(element, fmt.Placeholder)
        return self._placeholder(element.type)

    def _labelled(self, label: str, widget: QWidget) -> QWidget:
        if not label:
            return widget
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(_label(label, "appLabel", box))
        column.addWidget(widget)
        return box

    def _list(self, element: fmt.ListBox) -> QWidget:
        items = QListWidget(self)
        items.setObjectName("appList")
        items.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for choice in element.items:
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice.value)
            items.addItem(item)
            if choice.value == element.selected:
                items.setCurrentItem(item)
        rows = max(1, min(len(element.items), 4))
        items.setFixedHeight(rows * 46 + 8)
        self.lists[element.id] = items
        return items

    def _input(self, element: fmt.Input) -> QWidget:
        field = QLineEdit(element.value, self)
        field.setObjectName("appField")
        field.setMaxLength(element.max_length)
        field.setAccessibleName(element.label or element.id)
        if element.kind == "number":
            low = element.minimum if element.minimum is not None else -1e12
            high = element.maximum if element.maximum is not None else 1e12
            field.setValidator(QDoubleValidator(low, high, 6, field))
            field.setProperty("number", True)
        field.installEventFilter(self)
        self.fields[element.id] = field
        return self._labelled(element.label, field)

    def _select(self, element: fmt.Select) -> QWidget:
        select = QComboBox(self)
        select.setObjectName("appSelect")
        select.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for choice in element.options:
            select.addItem(choice.label, choice.value)
        if element.value is not None:
            select.setCurrentIndex(max(0, select.findData(element.value)))
        self.selects[element.id] = select
        return self._labelled(element.label, select)

    def _button(self, element: fmt.Button) -> QPushButton:
        name = {"primary": "primaryButton", "danger": "appDanger"}.get(element.style, "appButton")
        button = _button(element.label, name, self.footer)
        button.setMinimumWidth(150)
        button.clicked.connect(lambda: self.action.emit(element.action, self.values()))
        self.buttons[element.action] = button
        return button

    def _confirm(self, element: fmt.Confirm) -> QWidget:
        card = QFrame(self)
        card.setObjectName("appCard")
        box = QVBoxLayout(card)
        box.setContentsMargins(18, 16, 18, 16)
        box.setSpacing(14)
        box.addWidget(_label(element.text, "appHeading", card))
        row = QHBoxLayout()
        row.setSpacing(12)
        for action, label, name in (
            (element.no, element.no_label, "appButton"),
            (element.yes, element.yes_label, "primaryButton"),
        ):
            button = _button(label, name, card)
            button.clicked.connect(lambda _=False, a=action: self.action.emit(a, self.values()))
            self.buttons[action] = button
            row.addWidget(button)
        box.addLayout(row)
        return card

    def _placeholder(self, kind: str) -> QWidget:
        frame = QFrame(self)
        frame.setObjectName("placeholder")
        row = QHBoxLayout(frame)
        row.setContentsMargins(14, 10, 14, 10)
        label = _label("", "placeholderText", frame)
        bind(
            label,
            Text("Apps", "This panel cannot show a “{kind}” element of this app.").format(
                kind=kind
            ),
        )
        row.addWidget(label)
        self.placeholders.append(frame)
        return frame

    def values(self) -> dict[str, Any]:
        """What the user entered: the inputs' text, selections, toggles."""
        out: dict[str, Any] = {key: f.text() for key, f in self.fields.items()}
        out.update({key: s.currentData() for key, s in self.selects.items()})
        out.update({key: t.isChecked() for key, t in self.toggles.items()})
        for key, items in self.lists.items():
            row = items.currentRow()
            out[key] = items.item(row).data(Qt.ItemDataRole.UserRole) if row >= 0 else None
        return out

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        # A tap opens the keyboard even where the window has no focus to give (a kiosk
        # without a window manager); the focus follows it so the keys type there.
        touched = (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress)
        if isinstance(watched, QLineEdit) and event.type() in touched:
            watched.setFocus(Qt.FocusReason.MouseFocusReason)
            self.field_focused.emit(watched)
        return super().eventFilter(watched, event)


class AppsScreen(QWidget):
    """The Apps list, the running app's screen, an error page; one header with Home."""

    back = Signal()
    launch_requested = Signal(str)
    action = Signal(str, dict)
    close_requested = Signal()  # leave the app for the list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appsScreen")
        self.setStyleSheet(STYLE)
        self.back_button = _button(Text("Apps", "Home"), "backButton", self)
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.clicked.connect(self.back)
        self.heading = Label(parent=self)
        self.heading.setObjectName("screenTitle")
        bind(self.heading, Text("Apps", "Apps"))
        self.badge = _label("", "appBadge", self)
        self.badge.setWordWrap(False)
        self.badge.hide()
        self.header = QWidget(self)
        header = QHBoxLayout(self.header)
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(self.heading, 1)
        header.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)

        self.pages = QStackedWidget(self)
        self.list_page = QWidget(self.pages)
        self.grid = QGridLayout(self.list_page)
        self.grid.setSpacing(16)
        self.empty = _label("", "appNote", self.list_page)
        self.pages.addWidget(self.list_page)

        self.app_page = QWidget(self.pages)
        app_column = QVBoxLayout(self.app_page)
        app_column.setContentsMargins(0, 0, 0, 0)
        app_column.setSpacing(8)
        self.notice = _label("", "appNotice", self.app_page)
        self.notice.hide()
        self.scroll_area = QScrollArea(self.app_page)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget#appScreenView"
            " { background: transparent; }"
        )
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.keyboard = TextKeyboard(self.app_page)
        self.keyboard.hide()
        self.keyboard.text.connect(self._type)
        self.keyboard.backspace.connect(self._backspace)
        self.keyboard.done.connect(self._keyboard_done)
        self.footer_slot = QVBoxLayout()
        self.footer_slot.setContentsMargins(0, 0, 0, 0)
        app_column.addWidget(self.notice)
        app_column.addWidget(self.scroll_area, 1)
        app_column.addLayout(self.footer_slot)
        app_column.addWidget(self.keyboard)
        self.pages.addWidget(self.app_page)

        self.error_page = QWidget(self.pages)
        error_column = QVBoxLayout(self.error_page)
        error_column.addStretch(1)
        self.error_title = _label("", "appHeading", self.error_page)
        self.error_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_detail = _label("", "appNote", self.error_page)
        self.error_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        to_list = _button(Text("Apps", "Back to Apps"), "primaryButton", self.error_page)
        to_list.clicked.connect(self.close_requested)
        error_column.addWidget(self.error_title)
        error_column.addWidget(self.error_detail)
        error_column.addSpacing(12)
        error_column.addWidget(to_list, 0, Qt.AlignmentFlag.AlignHCenter)
        error_column.addStretch(1)
        self.pages.addWidget(self.error_page)

        column = QVBoxLayout(self)
        column.setContentsMargins(24, 14, 24, 14)
        column.setSpacing(10)
        column.addWidget(self.header)
        column.addWidget(self.pages, 1)
        self.view: ScreenView | None = None
        self.tiles: dict[str, QToolButton] = {}
        self._entries: list[AppEntry] = []  # the apps the tiles show
        self._field: QLineEdit | None = None
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self, _language: str = "") -> None:
        """The tiles' notes follow a switch (the rest is bound; an app's own screens are the
        app's words)."""
        for app in self._entries:
            tile = self.tiles.get(app.app_id)
            if tile is not None:
                tile.setText(_tile_text(app))

    # -- the list -------------------------------------------------------------------------------
    def show_list(self, apps: list[AppEntry]) -> None:
        bind(self.heading, Text("Apps", "Apps"))
        self._entries = list(apps)
        self.badge.hide()
        self._drop_view()
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.empty:
                widget.hide()  # gone from the glass now: until deleteLater runs, a tap on
                widget.deleteLater()  # its place would open the app that was there before
        self.tiles.clear()
        offline = any(not a.available for a in apps)
        for index, app in enumerate(apps):
            tile = QToolButton(self.list_page)
            tile.setObjectName("appTile")
            tile.setProperty("available", app.available)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            tile.setIcon(theme.icon("apps", theme.ACCENT if app.available else theme.MUTED, 48))
            tile.setIconSize(QSize(48, 48))
            tile.setText(_tile_text(app))
            tile.setToolTip(app.description)
            tile.setAccessibleName(app.name)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            tile.setMinimumSize(220, 120)
            tile.clicked.connect(lambda _=False, a=app.app_id: self.launch_requested.emit(a))
            self.grid.addWidget(tile, index // 3, index % 3)
            self.tiles[app.app_id] = tile
        if not apps:
            bind(self.empty, Text("Apps", "No apps are offered to you yet."))
        elif offline:
            bind(self.empty, Text("Apps", "Offline: apps run on the server and need the network."))
        else:
            bind(self.empty, Text("Apps", "Apps run on the server; the panel shows their screens."))
        rows = (len(apps) + 2) // 3
        self.grid.addWidget(self.empty, rows, 0, 1, 3)
        self.grid.setRowStretch(rows + 1, 1)
        self.pages.setCurrentWidget(self.list_page)

    def set_busy(self, name: str) -> None:
        bind(self.badge, Text("Apps", "Opening {app}…").format(app=name))
        self.badge.show()

    # -- an app -------------------------------------------------------------------------------
    def show_view(self, view: AppView) -> None:
        bind(self.heading, view.name)
        self.badge.hide()
        if view.screen is None:
            self.show_error(view.name, view.error)
            return
        self._drop_view()
        screen_view = self.view = ScreenView(view.screen)
        screen_view.action.connect(self.action)
        screen_view.field_focused.connect(self._focused)
        self.scroll_area.setWidget(screen_view)
        self.footer_slot.addWidget(screen_view.footer)
        bind(self.notice, notice_text(view.name, view.notice))
        self.notice.setVisible(bool(view.notice))
        if view.screen.title and view.screen.title != view.name:
            bind(self.heading, f"{view.name} · {view.screen.title}")
        if view.screen.device is not None:
            busy = {"scan": Text("Apps", "Scanning…"), "print": Text("Apps", "Printing…")}
            bind(self.badge, busy.get(view.screen.device.kind, Text("Apps", "Working…")))
            self.badge.show()
        self.pages.setCurrentWidget(self.app_page)

    def show_error(self, name: str, detail: str) -> None:
        self._drop_view()
        bind(self.heading, name)
        cannot = Text("Apps", "{app} sent a screen this panel cannot show.")
        bind(self.error_title, cannot.format(app=name))
        bind(
            self.error_detail, Text("Apps", "Nothing was changed. ({detail})").format(detail=detail)
        )
        self.pages.setCurrentWidget(self.error_page)

    def _drop_view(self) -> None:
        self.keyboard.hide()
        self.header.show()
        self._field = None
        self.notice.hide()
        if self.view is not None:
            self.scroll_area.takeWidget()
            self.footer_slot.removeWidget(self.view.footer)
            self.view.footer.deleteLater()
            self.view.deleteLater()
            self.view = None

    # -- the keyboard -----------------------------------------------------------------------------
    def _focused(self, field: QLineEdit) -> None:
        self._field = field
        self.keyboard.show()
        # Room for the keyboard at 800x480: the header and the buttons step aside while typing
        # (Done brings them back; the bezel's Home key works throughout).
        self.header.hide()
        if self.view is not None:
            self.view.footer.hide()
        self.scroll_area.ensureWidgetVisible(field)

    def _type(self, char: str) -> None:
        if self._field is not None:
            self._field.insert(char)

    def _backspace(self) -> None:
        if self._field is not None:
            self._field.backspace()

    def _keyboard_done(self) -> None:
        if self._field is not None:
            self._field.clearFocus()
        self._field = None
        self.keyboard.hide()
        self.header.show()
        if self.view is not None:
            self.view.footer.setVisible(bool(self.view.buttons))


def _tile_text(app: AppEntry) -> str:
    """An app's name, and under it why it cannot start now (offline)."""
    if app.available:
        return app.name
    note = translate("Apps", "needs the network")
    return f"{app.name}\n{note}"


class AppsController(QObject):
    """The Apps screen of one window and the device's apps it shows."""

    def __init__(self, window: PanelWindow) -> None:
        super().__init__(window)
        self.setObjectName("appsController")
        self._window = window
        self.screen = AppsScreen()
        window.stack.addWidget(self.screen)
        self.screen.back.connect(window.show_home)
        self.screen.launch_requested.connect(self.launch)
        self.screen.action.connect(self.act)
        self.screen.close_requested.connect(self._to_list)
        window.stack.currentChanged.connect(self._page_changed)
        self._generation = 0  # an answer for an app the user has left is dropped
        self._waiting = False  # a launch or an action is out: its answer is the next screen
        self._device_action = False  # the app's screen asked for a scan or a print
        i18n.notifier().changed.connect(self._language_changed)

    @classmethod
    def of(cls, window: PanelWindow) -> AppsController:
        found = window.findChild(AppsController, "appsController")
        return found if found is not None else cls(window)

    @property
    def _apps(self) -> ServerApps:
        apps: ServerApps | None = getattr(self._window.device, "apps", None)
        assert apps is not None  # show() opens the screen only with them
        return apps

    def show(self) -> None:
        window = self._window
        if window.device.user is None:
            window.show_login()
            return
        if getattr(window.device, "apps", None) is None:
            window.show_toast(
                translate("Apps", "Apps are not available yet: the device is still starting.")
            )
            return
        self._sync_language()
        self.screen.show_list(self._apps.apps())
        window.stack.setCurrentWidget(self.screen)
        if self._apps.kept() is not None:
            self._run(self._apps.resume(), "Resuming")
        else:
            self._relabel()

    def _sync_language(self) -> None:
        """The core has no Qt: it is told the panel's language, which it sends to the apps."""
        apps: ServerApps | None = getattr(self._window.device, "apps", None)
        if apps is not None:
            apps.set_language(i18n.current_language())

    def _language_changed(self, _language: str = "") -> None:
        """A switch while the Apps screen shows: the list's names, or the app's screen, are
        asked again in the new language (not while an answer or a device action is due)."""
        self._sync_language()
        if self._window.stack.currentWidget() is not self.screen:
            return
        if self._apps.running is None:
            if self.screen.pages.currentWidget() is self.screen.list_page:
                self.screen.show_list(self._apps.apps())  # the names known in it, at once
            self._relabel()
        elif not self._waiting and not self._device_action:
            self._run(self._apps.refresh(), "Retranslating")

    def _relabel(self) -> None:
        """The apps' names and descriptions in the panel's language, from the server."""
        _ = self._window.tasks.spawn(self._relabelled(self._generation), "Naming the apps")

    async def _relabelled(self, generation: int) -> None:
        changed = await self._apps.refresh_labels()
        on_list = self.screen.pages.currentWidget() is self.screen.list_page
        if changed and on_list and generation == self._generation:
            self.screen.show_list(self._apps.apps())

    def launch(self, app_id: str) -> None:
        entry = next((a for a in self._apps.apps() if a.app_id == app_id), None)
        if entry is not None and not entry.available:
            offline = Text("Apps", "{app} needs the network: the server is offline.")
            self._window.show_toast(str(offline.format(app=entry.name)))
            return
        self.screen.set_busy(entry.name if entry else app_id)
        self._run(self._apps.launch(app_id), "Launching")

    def act(self, action: str, values: dict[str, Any]) -> None:
        self._run(self._apps.act(action, values), "Sending")

    def _run(self, work: Any, what: str) -> None:
        self._sync_language()  # read by `work` when it runs, just after this
        self._generation += 1
        self._waiting = True
        _ = self._window.tasks.spawn(self._answer(work, self._generation), f"{what} an app")

    async def _answer(self, work: Any, generation: int) -> None:
        try:
            view = await work
        except AppUnavailable as exc:
            if generation == self._generation:
                self._waiting = False
                self._give_up(unavailable_text(exc))
            return
        if generation != self._generation:
            return  # the user left meanwhile
        self._waiting = False
        self._device_action = (
            view is not None and view.screen is not None and (view.screen.device is not None)
        )
        if view is None or view.done:
            self._status(None)
            self.screen.show_list(self._apps.apps())
            return
        self.screen.show_view(view)
        self._status(view.name)
        if view.screen is not None and view.screen.device is not None:
            self._run(self._apps.device_action(view.screen.device), "Device action for")

    def _status(self, app_name: str | None) -> None:
        """The status bar names the app running, beside the device's name."""
        name = self._window.device.name
        self._window.status_bar.set_device_name(f"{name} · {app_name}" if app_name else name)

    def _give_up(self, message: str) -> None:
        """The server or the app stopped answering: home, with the reason."""
        self._apps.leave()
        self._window.show_home()
        self._window.show_toast(message, "error")

    def _to_list(self) -> None:
        self._left()
        self._status(None)
        self._apps.leave()
        self.screen.show_list(self._apps.apps())

    def _left(self) -> None:
        """The user left the app: an answer still due is dropped."""
        self._generation += 1
        self._waiting = self._device_action = False

    def _page_changed(self, _index: int) -> None:
        if self._window.stack.currentWidget() is not self.screen:
            self._left()
            self._status(None)
            if self._apps.running is not None:
                self._apps.leave()  # Home, Reset, a logout: the app ends on the server
