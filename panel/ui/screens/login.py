"""Login screen (S4): User ID and PIN, typed on the on-screen keypad or a physical keyboard.

Nothing typed or said here outlives its moment: the window clears the screen on logout, dim,
sleep and wake. A lock after wrong PINs is counted down to the second. The language key lets
a walk-up user read the panel in their language until they log out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from panel.device.model import LoginResult
from panel.lockout import WRONG_PIN
from panel.ui import i18n, theme
from panel.ui.i18n import LANGUAGES, Text, bind
from panel.ui.widgets import MIN_TOUCH, CoreText, Keypad, Label, repolish

MAX_FIELD = 64


def duration_text(seconds: float) -> Text:
    """A wait as people say it: "4 min 30 s", "5 min", "45 s" (rounded up to the second)."""
    total = max(1, math.ceil(seconds))
    minutes, secs = divmod(total, 60)
    if not minutes:
        return Text("Login", "{s} s").format(s=secs)
    if not secs:
        return Text("Login", "{min} min").format(min=minutes)
    return Text("Login", "{min} min {s} s").format(min=minutes, s=secs)


def locked_text(retry_after_s: float) -> Text:
    """A lock under way, and when the next try is allowed (panel.lockout's wording)."""
    return Text("Login", "Too many wrong PINs. Try again in {time}.").format(
        time=duration_text(retry_after_s)
    )


def refusal_text(result: LoginResult) -> Text:
    """A refused login in the panel's language: a wrong PIN (warning before the last try) is
    worded here from its numbers; other reasons are the core's marked strings."""
    if result.attempts_left == 1 and result.lock_s:
        minutes = result.lock_s / 60
        lock = (
            Text("Login", "a {n}-minute lock").format(n=f"{minutes:g}")
            if minutes.is_integer()
            else Text("Login", "a lock of {time}").format(time=duration_text(result.lock_s))
        )
        return Text("Login", "Wrong user ID or PIN. 1 attempt left before {lock}.").format(
            lock=lock
        )
    if result.message == WRONG_PIN:
        return Text("Login", "Wrong user ID or PIN.")
    if not result.message:
        return Text("Login", "Login refused.")
    return CoreText(result.message)


# Why the server ended a login, by its reason code, for a language the server does not speak.
ENDED = {
    "offline": Text("Login", "You were logged out: the device was offline for too long."),
    "elsewhere": Text("Login", "You were logged out: you logged in at another device."),
    "logout": Text("Login", "You were logged out."),
}
ENDED_UNKNOWN = Text("Login", "You were logged out: the server no longer had your login.")


class EndedText(Text):
    """The server's sentence for a login it ended: as the server said it in English (or where
    the sentence is marked), else the panel's words for its reason code."""

    __slots__ = ("code",)

    def __init__(self, message: str, code: str) -> None:
        super().__init__("Core", message)
        self.code = code

    def __str__(self) -> str:
        said = super().__str__()
        if said != self.source or i18n.current_language() == i18n.ENGLISH:
            return said
        return str(ENDED.get(self.code, ENDED_UNKNOWN))


class LanguageKey(QPushButton):
    """The language key (a globe and the next language's name, in that language): tapped, the
    whole panel switches to it for this session; the window goes back to the device's language
    at logout. Language names are never translated: each is written as its readers know it."""

    chosen = Signal(str)  # a language code of i18n.LANGUAGES

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageKey")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setIcon(theme.icon("globe", theme.ACCENT, 26))
        self.setIconSize(QSize(26, 26))
        self.setMinimumSize(MIN_TOUCH, MIN_TOUCH)
        bind(self, Text("Login", "Language"), "setToolTip")
        bind(self, Text("Login", "Language"), "setAccessibleName")
        self.clicked.connect(lambda: self.chosen.emit(self.next_language()))
        i18n.notifier().changed.connect(self._show)
        self._show()

    def next_language(self) -> str:
        """The language a tap switches to: the one after the current one."""
        codes = list(LANGUAGES)
        current = i18n.current_language()
        return codes[(codes.index(current) + 1) % len(codes)] if current in codes else codes[0]

    def _show(self, *_: object) -> None:
        self.setText(LANGUAGES[self.next_language()])


class LoginScreen(QWidget):
    """Collects User ID + PIN and emits `submitted`; the window runs the check and reports back."""

    submitted = Signal(str, str)  # user_id, pin
    language_chosen = Signal(str)  # the language key: a language code for this session
    first_painted = Signal()  # emitted once, from the first real paintEvent

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginScreen")
        self.checking = False
        self._painted = False
        self.logged_out_reason: Text | str = ""  # why the server ended the last login, until
        # the next one
        # A lock's countdown: real seconds, as the server's lock runs (tests set `now`).
        self.now: Callable[[], float] = time.monotonic
        self.locked_until: float | None = None
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self.show_lock)

        self.user_field = self._field(Text("Login", "User ID"), password=False)
        self.pin_field = self._field(Text("Login", "PIN"), password=True)
        self.active_field = self.user_field
        self.error_label = Label(parent=self)
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.keypad = Keypad(self)
        self.ok_button = self.keypad.buttons["ok"]
        self.language_key = LanguageKey(self)
        self.language_key.chosen.connect(self.language_chosen)

        self.keypad.digit.connect(self._type_digit)
        self.keypad.backspace.connect(lambda: self.active_field.backspace())
        self.keypad.clear.connect(lambda: self.active_field.clear())
        self.keypad.ok.connect(self.submit)
        for field in (self.user_field, self.pin_field):
            field.returnPressed.connect(self.submit)
            field.installEventFilter(self)

        self._build()
        self.show_error("")
        self._mark_active()

    def _field(self, placeholder: Text, password: bool) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName("field")
        bind(field, placeholder, "setPlaceholderText")
        field.setMaxLength(MAX_FIELD)
        field.setMinimumHeight(64)
        if password:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def _build(self) -> None:
        card = QFrame(self)
        card.setObjectName("loginCard")
        form = QVBoxLayout(card)
        form.setContentsMargins(26, 18, 26, 18)
        form.setSpacing(6)
        heading = QHBoxLayout()
        heading.setSpacing(14)
        lock = Label(parent=card)
        lock.setPixmap(theme.pixmap("lock", theme.ACCENT, 40))
        title = Label(parent=card)
        bind(title, Text("Login", "Sign in"))
        title.setObjectName("screenTitle")
        heading.addWidget(lock)
        heading.addWidget(title, 1)
        heading.addWidget(self.language_key, 0, Qt.AlignmentFlag.AlignVCenter)
        form.addLayout(heading)
        subtitle = Label(parent=card)
        bind(subtitle, Text("Login", "Enter your User ID and PIN."))
        subtitle.setObjectName("screenSubtitle")
        subtitle.setWordWrap(True)
        form.addWidget(subtitle)
        form.addSpacing(6)
        for text, field in (
            (Text("Login", "User ID"), self.user_field),
            (Text("Login", "PIN"), self.pin_field),
        ):
            label = Label(parent=card)
            bind(label, text)
            label.setObjectName("fieldLabel")
            form.addWidget(label)
            form.addWidget(field)
        form.addStretch(1)
        # The hint and a refusal share one place: small screens have room for one of them.
        self.hint_label = Label(parent=card)
        bind(self.hint_label, Text("Login", "Tap a field, then use the keypad."))
        self.hint_label.setObjectName("loginHint")
        self.hint_label.setWordWrap(True)
        form.addWidget(self.hint_label)
        form.addWidget(self.error_label)

        pad_card = QFrame(self)
        pad_card.setObjectName("keypadCard")
        pad_box = QVBoxLayout(pad_card)
        pad_box.setContentsMargins(18, 18, 18, 18)
        pad_box.addWidget(self.keypad)

        row = QHBoxLayout(self)
        row.setContentsMargins(24, 16, 24, 16)
        row.setSpacing(20)
        row.addWidget(card, 11)
        row.addWidget(pad_card, 9)

    # -- input --------------------------------------------------------------------------------
    def select_field(self, field: QLineEdit) -> None:
        """Make `field` the one the keypad (and the keyboard) types into."""
        self.active_field = field
        self._mark_active()
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _mark_active(self) -> None:
        for field in (self.user_field, self.pin_field):
            field.setProperty("active", field is self.active_field)
            repolish(field)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in (self.user_field, self.pin_field) and event.type() in (
            QEvent.Type.FocusIn,
            QEvent.Type.MouseButtonPress,
        ):
            assert isinstance(watched, QLineEdit)
            if watched is not self.active_field:
                self.active_field = watched
                self._mark_active()
        return super().eventFilter(watched, event)

    def _type_digit(self, digit: str) -> None:
        if not self.checking:
            self.active_field.insert(digit)

    def submit(self) -> None:
        """OK or Enter: check locally that both fields are filled, then ask for the real check."""
        if self.checking:
            return
        user_id = self.user_field.text().strip()
        pin = self.pin_field.text()
        if not user_id:
            self.show_error(Text("Login", "Enter your User ID."))
            self.select_field(self.user_field)
            return
        if not pin:
            self.show_error(Text("Login", "Enter your PIN."))
            self.select_field(self.pin_field)
            return
        self.show_error("")
        self.submitted.emit(user_id, pin)

    # -- what the window tells it -------------------------------------------------------------
    def set_checking(self, checking: bool) -> None:
        """While the PIN is being checked, OK says so and nothing can be typed."""
        self.checking = checking
        self.ok_button.setEnabled(not checking)
        bind(self.ok_button, Text("Keypad", "Checking…") if checking else Text("Keypad", "OK"))
        for field in (self.user_field, self.pin_field):
            field.setReadOnly(checking)

    def show_error(self, message: Text | str) -> None:
        """A refusal, in red, where the hint was; an empty message brings the hint back. A
        string from the core is shown translated when it was marked."""
        text = CoreText(message) if isinstance(message, str) and message else message
        bind(self.error_label, text)
        self.error_label.setVisible(bool(str(text)))
        self.hint_label.setVisible(not str(text))

    def show_logged_out(self, reason: str, code: str = "") -> None:
        """Why the server ended the login (`code`: the server's reason code). It stays through
        dim, sleep and wake (`clear`) until someone logs in: the user it happened to reads it
        when they come back to the panel."""
        self.logged_out_reason = EndedText(reason, code)
        self.show_error(self.logged_out_reason)

    def show_refusal(self, message: Text | str, retry_after_s: float | None = None) -> None:
        """A refusal; with `retry_after_s`, a lock whose message counts down to the next try."""
        self._stop_lock()
        self.pin_field.clear()
        self.select_field(self.pin_field)
        if retry_after_s:
            self.locked_until = self.now() + retry_after_s
            self._countdown.start()
            self.show_lock()
        else:
            self.show_error(message or Text("Login", "Login refused."))

    def show_lock(self) -> None:
        """The lock's message with the time left (each second); the hint again once it ends."""
        if self.locked_until is None:
            return
        left = self.locked_until - self.now()
        if left <= 0:
            self._stop_lock()
            self.show_error("")
        else:
            self.show_error(locked_text(left))

    def _stop_lock(self) -> None:
        self._countdown.stop()
        self.locked_until = None

    def clear(self) -> None:
        """Forget what was typed and said (ID, PIN, a refusal, a lock's countdown): the next
        person finds a clean screen, but for why the last login ended. A check under way goes
        on."""
        self._stop_lock()
        self.user_field.clear()
        self.pin_field.clear()
        self.show_error(self.logged_out_reason)
        self.active_field = self.user_field
        self._mark_active()
        if self.isVisible():  # hidden, it must not take the keyboard from the screen shown
            self.user_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        """Start over (Reset key, logout): nothing typed, nothing said, nothing being checked."""
        self.set_checking(False)
        self.clear()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
