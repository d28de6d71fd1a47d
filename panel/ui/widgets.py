"""Building blocks of the panel: the scaled touchscreen, LEDs, hardware keys, keypads, toast,
page stepper, drain banner, text keyboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QRadialGradient, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from panel.device.model import ConnectionState, OutboxStats, User
from panel.device.settings import format_datetime
from panel.ui import i18n, theme
from panel.ui.i18n import Text, bind

if TYPE_CHECKING:
    from panel.device.networks import NetworkStatus

MIN_TOUCH = 56  # smallest touch target, in logical touchscreen pixels


class CoreText(Text):
    """A string the device core marked (`panel.text.marker("Core", ...)`), shown in the current
    language: `bind(label, CoreText(result.message))` follows a switch as any `Text` does.
    Unmarked strings (a server's own words) show as they are."""

    __slots__ = ()

    def __init__(self, message: str) -> None:
        super().__init__("Core", message)


class _Upper(Text):
    __slots__ = ()

    def __str__(self) -> str:
        return super().__str__().upper()


def upper(text: Text) -> Text:
    """`text` in capitals where its language has them (a card's heading)."""
    made = _Upper(text.context, text.source)
    made.values = text.values
    return made


# Network kinds the panel knows by name: shown in the panel's language; others as configured.
NETWORK_KINDS: dict[str, Text] = {
    "Wired LAN": Text("StatusBar", "Wired LAN"),
    "Wireless LAN": Text("StatusBar", "Wireless LAN"),
    "Wi-Fi": Text("StatusBar", "Wi-Fi"),
    "LTE": Text("StatusBar", "LTE"),
}


def network_name(name: str) -> Text | str:
    """A network's name as a person reads it ("Wired LAN" is 有線LAN in Japanese)."""
    return NETWORK_KINDS.get(name, name)


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property the sheet selects on has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class ScreenView(QGraphicsView):
    """Shows `content` at its logical resolution, scaled to fit the view (aspect ratio kept).

    The content lives in a QGraphicsProxyWidget, so taps and key presses are mapped back to
    logical coordinates by Qt itself.
    """

    def __init__(self, content: QWidget, size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screenView")
        self.logical_size = QSize(size)
        content.setFixedSize(size)
        scene = QGraphicsScene(self)
        self.proxy = scene.addWidget(content)
        scene.setSceneRect(QRectF(0, 0, size.width(), size.height()))
        self.setScene(scene)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(QColor("#000000")))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(size.width() // 4, size.height() // 4)

    def scale_factor(self) -> float:
        """Displayed pixels per logical pixel."""
        return self.transform().m11()

    def fit(self) -> None:
        viewport = self.viewport().size()
        factor = min(
            viewport.width() / self.logical_size.width(),
            viewport.height() / self.logical_size.height(),
        )
        self.resetTransform()
        self.scale(factor, factor)
        self.centerOn(self.sceneRect().center())

    def map_from_content(self, widget: QWidget, point: QPoint | None = None) -> QPoint:
        """Viewport position of `point` in `widget` (its centre by default), e.g. to tap it."""
        local = widget.rect().center() if point is None else point
        content = self.proxy.widget()
        in_content = widget.mapTo(content, local)
        return self.mapFromScene(self.proxy.mapToScene(QPointF(in_content)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


class Led(QWidget):
    """An indicator lamp on the bezel: off, steadily on, or blinking at about 1 Hz."""

    BLINK_MS = 500  # half a period: lit 0.5 s, dark 0.5 s
    SLOW_BLINK_MS = 1500  # the Power LED of a sleeping device: lit 1.5 s, dark 1.5 s

    def __init__(self, name: str, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"led-{name}")
        self._color = QColor(color)
        self._on = False
        self._lit = False  # what the lamp shows right now (a blinking lamp alternates)
        self.blink_timer = QTimer(self)
        self.blink_timer.setInterval(self.BLINK_MS)
        self.blink_timer.timeout.connect(self._toggle)
        self.setFixedSize(22, 22)

    def is_on(self) -> bool:
        """The lamp is in use: steadily on or blinking."""
        return self._on

    def is_blinking(self) -> bool:
        return self.blink_timer.isActive()

    def is_lit(self) -> bool:
        """Whether the lamp shows light at this instant (a blinking lamp is dark half the time)."""
        return self._lit

    def set_on(self, on: bool) -> None:
        """Steadily on, or off; stops blinking."""
        self._set(on, blinking=False)

    def set_blinking(self, blinking: bool) -> None:
        """Blink (starting lit), or go off."""
        self._blink_at(self.BLINK_MS)
        self._set(blinking, blinking=blinking)

    def set_blinking_slowly(self) -> None:
        """Blink slowly (starting lit): the Power LED while the device sleeps."""
        self._blink_at(self.SLOW_BLINK_MS)
        self._set(True, blinking=True)

    def _blink_at(self, half_period_ms: int) -> None:
        """A new rhythm restarts the blinking; the same one keeps going."""
        if self.blink_timer.interval() != half_period_ms:
            self.blink_timer.stop()
            self.blink_timer.setInterval(half_period_ms)

    def _set(self, on: bool, blinking: bool) -> None:
        if blinking and self.blink_timer.isActive():
            return  # keep the rhythm going: no restart on every event
        if not blinking:
            self.blink_timer.stop()
        self._on = on
        self._show(on)
        if blinking:
            self.blink_timer.start()

    def _toggle(self) -> None:
        self._show(not self._lit)

    def _show(self, lit: bool) -> None:
        if lit != self._lit:
            self._lit = lit
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setPen(QColor("#111316"))
        if self._lit:
            glow = QRadialGradient(rect.center(), rect.width() / 2, rect.center() - QPointF(2, 2))
            glow.setColorAt(0.0, self._color.lighter(170))
            glow.setColorAt(0.55, self._color)
            glow.setColorAt(1.0, self._color.darker(150))
            painter.setBrush(glow)
        else:
            dark = QRadialGradient(rect.center(), rect.width() / 2, rect.center() - QPointF(2, 2))
            dark.setColorAt(0.0, QColor("#4b5157"))
            dark.setColorAt(1.0, QColor("#202327"))
            painter.setBrush(dark)
        painter.drawEllipse(rect)
        painter.end()


class HardKey(QToolButton):
    """A hardware key on the bezel: never takes keyboard focus away from the touchscreen."""

    def __init__(
        self, text: Text | str, icon_name: str, stop: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stopKey" if stop else "hardKey")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(34, 34) if stop else QSize(28, 28))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(72, 84)
        self.set_label(text, icon_name)

    def set_label(self, text: Text | str, icon_name: str) -> None:
        bind(self, text)
        bind(self, text, "setToolTip")  # the whole name where a long one is elided
        color = "#ffffff" if self.objectName() == "stopKey" else theme.ON_DARK
        self.setIcon(theme.icon(icon_name, color, 34))


def _label(button: QPushButton, text: Text | str) -> None:
    """A key's words follow a language switch; its characters (digits, letters) do not."""
    if isinstance(text, Text):
        bind(button, text)
    else:
        button.setText(text)


def _pad_key(parent: QWidget, text: Text | str, object_name: str, least: QSize) -> QPushButton:
    """A key of an on-screen keypad or keyboard: it never takes the focus from the field
    being typed into, and it grows with the pad."""
    button = QPushButton(parent)
    _label(button, text)
    button.setObjectName(object_name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumSize(least)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return button


class Keypad(QWidget):
    """The on-screen numeric keypad: 0-9, Clear, Backspace and OK, all finger-sized."""

    digit = Signal(str)
    clear = Signal()
    backspace = Signal()
    ok = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        for index, label in enumerate("123456789"):
            grid.addWidget(self._digit_key(label), index // 3, index % 3)
        clear = self._key("clear", Text("Keypad", "Clear"), "keypadAction")
        clear.clicked.connect(self.clear)
        grid.addWidget(clear, 3, 0)
        grid.addWidget(self._digit_key("0"), 3, 1)
        back = self._key("backspace", "", "keypadAction")
        back.setIcon(theme.icon("backspace", "#46525f", 30))
        back.setIconSize(QSize(30, 30))
        bind(back, Text("Keypad", "Backspace"), "setToolTip")
        back.setAutoRepeat(True)
        back.clicked.connect(self.backspace)
        grid.addWidget(back, 3, 2)
        ok = self._key("ok", Text("Keypad", "OK"), "keypadOk")
        ok.clicked.connect(self.ok)
        grid.addWidget(ok, 4, 0, 1, 3)

    def _key(self, name: str, text: Text | str, object_name: str) -> QPushButton:
        button = self.buttons[name] = _pad_key(self, text, object_name, QSize(84, 62))
        return button

    def _digit_key(self, label: str) -> QPushButton:
        button = self._key(label, label, "keypadKey")
        button.clicked.connect(lambda: self.digit.emit(label))
        return button


class Label(QLabel):
    """A label that shows its text as it is, never as HTML.

    QLabel's default (Qt.AutoText) renders anything that looks like markup as rich text, and
    much of what the panel shows comes from outside: job titles, user and destination names,
    the server's messages. `<img src="file:///...">` in a job title must stay characters.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)


class Toast(QLabel):
    """A transient message floating over the bottom of the touchscreen (plain text only)."""

    DURATION_MS = 3500

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote job titles and names
        self._area = parent
        self.setObjectName("toast")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.level = "info"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        i18n.notifier().changed.connect(self._refit)
        self.hide()

    def show_message(self, text: Text | str, level: str = "info") -> None:
        self.level = level
        self.setProperty("level", level)
        repolish(self)
        bind(self, text)  # a switch while it shows redraws it in the new language
        self._fit()
        self.show()
        self.raise_()
        self._timer.start(self.DURATION_MS)

    def _refit(self) -> None:
        if self.isVisible():  # the new language's text is longer or shorter
            self._fit()

    def _fit(self) -> None:
        area = self._area.size()
        limit = int(area.width() * 0.8)
        self.setWordWrap(False)
        natural = self.sizeHint()
        if natural.width() <= limit:
            self.resize(natural)
        else:
            self.setWordWrap(True)
            self.resize(limit, self.heightForWidth(limit))
        self.move((area.width() - self.width()) // 2, area.height() - self.height() - 28)


class StatusBar(QWidget):
    """The touchscreen's top line: device, user, connection, held jobs, clock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFixedHeight(46)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 0, 16, 0)
        row.setSpacing(12)
        self.device_label = Label(parent=self)
        self.device_label.setObjectName("deviceLabel")
        self.connection_label = Label(parent=self)
        self.connection_label.setObjectName("connectionLabel")
        self.network_label = self._network_label()
        self.held_label = Label(parent=self)
        self.held_label.setObjectName("heldLabel")
        self.held_label.hide()
        user_icon = Label(parent=self)
        user_icon.setPixmap(theme.pixmap("user", theme.ON_DARK, 20))
        self.user_label = Label(parent=self)
        self.user_label.setObjectName("userLabel")
        self.clock_label = Label(parent=self)
        self.clock_label.setObjectName("clockLabel")
        middle = Qt.AlignmentFlag.AlignVCenter
        row.addWidget(self.device_label, 0, middle)
        row.addWidget(self.connection_label, 0, middle)
        row.addWidget(self.network_label, 0, middle)
        row.addWidget(self.held_label, 0, middle)
        row.addStretch(1)
        row.addWidget(user_icon, 0, middle)
        row.addWidget(self.user_label, 0, middle)
        row.addSpacing(10)
        row.addWidget(self.clock_label, 0, middle)
        self._user: User | None = None
        self._networks: tuple[Sequence[NetworkStatus], bool] = ((), False)
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self) -> None:
        """The network's tip names it in the panel's language (the labels are bound)."""
        self.set_network(*self._networks)

    def set_device_name(self, name: str) -> None:
        self.device_label.setText(name)

    def set_user(self, user: User | None) -> None:
        bind(self.user_label, user.name if user is not None else Text("StatusBar", "Not logged in"))

    def set_connection(self, state: ConnectionState) -> None:
        text = {
            ConnectionState.ONLINE: Text("StatusBar", "Online"),
            ConnectionState.CONNECTING: Text("StatusBar", "Connecting…"),
            ConnectionState.OFFLINE: Text("StatusBar", "Offline"),
        }[state]
        bind(self.connection_label, text)
        self.connection_label.setProperty("state", state.value)
        repolish(self.connection_label)

    def _network_label(self) -> Label:
        label = Label(parent=self)
        label.setObjectName("networkLabel")
        label.hide()  # a device with one network: Online / Offline says it all
        return label

    def set_network(self, statuses: Sequence[NetworkStatus], offline: bool = False) -> None:
        """The network in use by name ("Wired LAN", "LTE"), or "No network" (none in use, or
        the device `offline`: none reaches the server); its state is the pill's colour: the
        preferred network, a fallback, none (S2)."""
        label = self.network_label
        self._networks = (statuses, offline)
        active = None if offline else next((n for n in statuses if n.active), None)
        text: Text | str
        if active is not None:
            preferred = statuses[0].active
            state = "preferred" if preferred else "fallback"
            text = network_name(active.name)
            tip = (
                Text("StatusBar", "Connected over {network}")
                if preferred
                else Text("StatusBar", "Connected over {network} (fallback)")
            ).format(network=text)
        elif not offline and all(n.state.value == "unknown" for n in statuses):  # none tried
            state, text = "unknown", Text("StatusBar", "Searching…")
            tip = Text("StatusBar", "Looking for a network to the server")
        else:
            state, text = "none", Text("StatusBar", "No network")
            tip = Text("StatusBar", "No network reaches the server")
        bind(label, text)
        bind(label, tip, "setToolTip")
        label.setProperty("network", state)
        repolish(label)
        label.setVisible(len(statuses) > 1)

    def set_held(self, count: int) -> None:
        bind(self.held_label, Text("StatusBar", "{count} held").format(count=f"{count:,}"))
        self.held_label.setVisible(count > 0)

    def set_time(self, seconds: float) -> None:
        # In the device's time format (Settings: 24 or 12 hour); the date is in its tooltip.
        self.clock_label.setText(format_datetime(seconds, with_date=False, with_seconds=True))
        self.clock_label.setToolTip(format_datetime(seconds))


class Stepper(QWidget):
    """A number between `minimum` and `maximum` set with big minus and plus buttons."""

    value_changed = Signal(int)

    def __init__(
        self, minimum: int = 1, maximum: int = 50, value: int = 1, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stepper")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.minimum, self.maximum = minimum, maximum
        self._value = minimum
        self.minus_button = self._button("\N{MINUS SIGN}", Text("Stepper", "Fewer"))
        self.plus_button = self._button("+", Text("Stepper", "More"))
        self.value_label = Label(parent=self)
        self.value_label.setObjectName("stepperValue")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value_label.setMinimumWidth(88)
        self.minus_button.clicked.connect(lambda: self.set_value(self._value - 1))
        self.plus_button.clicked.connect(lambda: self.set_value(self._value + 1))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.minus_button)
        row.addWidget(self.value_label, 1)
        row.addWidget(self.plus_button)
        self.set_value(value)
        self._sync()

    def _button(self, text: str, tip: Text) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("stepperButton")
        bind(button, tip, "setToolTip")
        bind(button, tip, "setAccessibleName")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(True)  # hold to count quickly, as on a device
        button.setAutoRepeatDelay(450)
        button.setAutoRepeatInterval(90)
        button.setFixedSize(72, 64)
        return button

    def value(self) -> int:
        return self._value

    def set_value(self, value: int) -> None:
        value = max(self.minimum, min(self.maximum, value))
        if value != self._value:
            self._value = value
            self._sync()
            self.value_changed.emit(value)

    def _sync(self) -> None:
        self.value_label.setText(str(self._value))
        self.minus_button.setEnabled(self._value > self.minimum)
        self.plus_button.setEnabled(self._value < self.maximum)


class DrainBanner(QFrame):
    """A slim bar under the status bar while held jobs are being sent: "12 of 40"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drainBanner")
        self.setFixedHeight(34)
        self.label = Label(parent=self)
        self.label.setObjectName("drainText")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("drainProgress")
        self.bar.setTextVisible(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 0, 16, 0)
        row.setSpacing(16)
        icon = Label(parent=self)
        icon.setPixmap(theme.pixmap("cloud", "#ffffff", 20))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.label, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.bar, 1, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def set_stats(self, stats: OutboxStats) -> None:
        """Shown while a drain runs (drain_total > 0), hidden otherwise."""
        total = stats.drain_total
        if total <= 0:
            self.hide()
            return
        done = max(0, min(stats.drain_done, total))
        bind(
            self.label,
            Text("DrainBanner", "Sending held jobs — {done} of {total}").format(
                done=done, total=total
            ),
        )
        if self.bar.maximum() != total:
            self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.show()


class DialPad(QWidget):
    """A fax dial keypad: 0-9, *, #, + (international prefix), Backspace and Clear.

    1 2 3 ⌫
    4 5 6 ⌫
    7 8 9 Clear
    * 0 # +
    """

    key = Signal(str)  # "0".."9", "*", "#" or "+"
    clear = Signal()
    backspace = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for row, keys in enumerate(("123", "456", "789", "*0#")):
            for column, label in enumerate(keys):
                grid.addWidget(self._typing_key(label, "keypadKey"), row, column)
        back = self._key("backspace", "", "keypadAction")
        back.setIcon(theme.icon("backspace", "#46525f", 32))
        back.setIconSize(QSize(32, 32))
        bind(back, Text("Keypad", "Backspace"), "setToolTip")
        bind(back, Text("Keypad", "Backspace"), "setAccessibleName")
        back.setAutoRepeat(True)
        back.setMaximumHeight(2 * 96 + 8)  # two rows tall
        back.clicked.connect(self.backspace)
        grid.addWidget(back, 0, 3, 2, 1)
        clear = self._key("clear", Text("Keypad", "Clear"), "keypadAction")
        clear.clicked.connect(self.clear)
        grid.addWidget(clear, 2, 3)
        grid.addWidget(self._typing_key("+", "keypadKey"), 3, 3)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        for row in range(4):
            grid.setRowStretch(row, 1)

    def _key(self, name: str, text: Text | str, object_name: str) -> QPushButton:
        button = QPushButton(self)
        _label(button, text)
        button.setObjectName(object_name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(MIN_TOUCH + 8, MIN_TOUCH)
        button.setMaximumHeight(96)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.buttons[name] = button
        return button

    def _typing_key(self, label: str, object_name: str) -> QPushButton:
        button = self._key(label, label, object_name)
        button.clicked.connect(lambda: self.key.emit(label))
        return button


class TextKeyboard(QWidget):
    """An on-screen QWERTY keyboard for short free text (a note), finger-sized.

    Keys never take focus: they type into whatever field has it, so a physical keyboard and
    this one can be used together. Shift capitalises the next letter only.
    """

    text = Signal(str)  # one character (or a space)
    backspace = Signal()
    done = Signal()

    ROWS = ("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textKeyboard")
        self.buttons: dict[str, QPushButton] = {}
        self.shifted = False
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for row, keys in enumerate(self.ROWS):
            for column, char in enumerate(keys):
                button = self._key(char, char, "keyboardKey")
                button.clicked.connect(lambda _checked=False, c=char: self._type(c))
                grid.addWidget(button, row, column * 2, 1, 2)
        back = self._key("backspace", "", "keypadAction")
        back.setIcon(theme.icon("backspace", "#46525f", 26))
        back.setIconSize(QSize(26, 26))
        bind(back, Text("Keypad", "Backspace"), "setAccessibleName")
        back.setAutoRepeat(True)
        back.clicked.connect(self.backspace)
        grid.addWidget(back, 0, 20, 2, 3)
        shift = self._key("shift", Text("Keyboard", "Shift"), "keypadAction")
        shift.setCheckable(True)
        shift.toggled.connect(self._shift)
        grid.addWidget(shift, 2, 20, 2, 3)
        space = self._key("space", Text("Keyboard", "Space"), "keyboardKey")
        space.clicked.connect(lambda: self.text.emit(" "))
        grid.addWidget(space, 4, 4, 1, 12)
        for column, char in ((0, "@"), (2, "/"), (16, "-")):
            extra = self._key(char, char, "keyboardKey")
            extra.clicked.connect(lambda _checked=False, c=char: self.text.emit(c))
            grid.addWidget(extra, 4, column, 1, 2)
        ok = self._key("done", Text("Keyboard", "Done"), "keypadOk")
        ok.clicked.connect(self.done)
        grid.addWidget(ok, 4, 18, 1, 5)

    def _key(self, name: str, label: Text | str, object_name: str) -> QPushButton:
        button = self.buttons[name] = _pad_key(self, label, object_name, QSize(40, 48))
        return button

    def _type(self, char: str) -> None:
        if self.shifted:
            self.buttons["shift"].setChecked(False)  # one letter only
            char = char.upper()
        self.text.emit(char)

    def _shift(self, on: bool) -> None:
        self.shifted = on
        for char in "".join(self.ROWS):
            if char.isalpha():
                self.buttons[char].setText(char.upper() if on else char)


class ElidedLabel(Label):
    """A one-line label that ends in "…" when its text does not fit (names and messages from
    outside have any length); `full_text()` is what was set."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._full = ""
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split())  # one line
        self.updateGeometry()  # the size hint follows the whole text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(48, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 1)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))
