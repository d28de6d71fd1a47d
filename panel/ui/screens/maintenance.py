"""Remote maintenance on the touchscreen (S3): the request screen behind the Maintenance call
key, the consent prompt when an operator connects, the banner shown for the whole call, and
the operator's chat lines.

The views only show what `MaintenanceStatus` says and report what the user chose; the window
calls the device's maintenance client. The consent prompt counts down on the device's clock
(the deadline is device time): when it runs out the core answers "deny", not the view.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from panel.device.maintenance import (
    MAX_NOTE,
    ChatLine,
    Consent,
    MaintenancePhase,
    MaintenanceStatus,
)
from panel.ui import i18n, theme
from panel.ui.i18n import Text, bind, translate, translate_marked
from panel.ui.widgets import ElidedLabel, Label, TextKeyboard, repolish

# What the user can say is wrong, as big buttons: (reason sent to the operator, icon). The
# operator reads the English reason; the button shows it in the panel's language (REASON_TEXT).
REASONS: tuple[tuple[str, str], ...] = (
    ("Paper jam", "print"),
    ("Print quality", "copy"),
    ("Scanning or fax", "scan"),
    ("Network or login", "cloud-off"),
    ("Error message", "maintenance"),
    ("Something else", "apps"),
)
REASON_TEXT = {
    "Paper jam": Text("Maintenance", "Paper jam"),
    "Print quality": Text("Maintenance", "Print quality"),
    "Scanning or fax": Text("Maintenance", "Scanning or fax"),
    "Network or login": Text("Maintenance", "Network or login"),
    "Error message": Text("Maintenance", "Error message"),
    "Something else": Text("Maintenance", "Something else"),
}

CONSENT_TEXT = {
    Consent.DENY: Text("Maintenance", "Viewing not allowed"),
    Consent.VIEW: Text("Maintenance", "Viewing your screen"),
    Consent.OPERATE: Text("Maintenance", "Operating this panel"),
}

# Why a call ended, as the panel's user reads it (the relay's and the device's end reasons).
END_TEXT = {
    "ended_by_panel": Text("Maintenance", "You ended remote maintenance."),
    "cancelled_by_panel": Text("Maintenance", "Maintenance call cancelled."),
    "ended_by_operator": Text("Maintenance", "The service operator ended the session."),
    "operator_disconnected": Text("Maintenance", "The service operator left the session."),
    "operator_absent": Text(
        "Maintenance", "The service operator did not join. Call again if you still need help."
    ),
    "operator_logged_out": Text("Maintenance", "The service operator left the session."),
    "panel_disconnected": Text("Maintenance", "The connection to the service desk was lost."),
    "connection_lost": Text("Maintenance", "The connection to the service desk was lost."),
    "server_shutdown": Text("Maintenance", "The service desk closed the session."),
    "replaced": Text("Maintenance", "A newer maintenance call from this panel replaced this one."),
}

# The maintenance client's refusals (panel/device/maintenance.py words them in English).
_REFUSALS = {
    "A maintenance call is already under way.": Text(
        "Maintenance", "A maintenance call is already under way."
    ),
    "The maintenance service cannot be reached now. Try again later.": Text(
        "Maintenance", "The maintenance service cannot be reached now. Try again later."
    ),
    "No maintenance session is running.": Text("Maintenance", "No maintenance session is running."),
}


def refusal_text(message: str) -> Text | str:
    """A refusal of the maintenance client, in the panel's language (a relay's or the
    protocol's own words as the core marked them)."""
    found = _REFUSALS.get(message)
    return found if found is not None else translate_marked("Core", message)


def end_text(reason: str) -> str:
    found = END_TEXT.get(reason)
    return (
        str(found) if found is not None else translate("Maintenance", "Remote maintenance ended.")
    )


def consent_text(consent: Consent) -> str:
    return str(CONSENT_TEXT[consent])


def status_texts(status: MaintenanceStatus) -> tuple[str, str]:
    """(headline, detail) of a call in progress, in the panel's language."""
    phase = status.phase
    name = status.operator_name or translate("Maintenance", "A service operator")
    if phase is MaintenancePhase.CALLING:
        return (
            translate("Maintenance", "Calling the service desk…"),
            translate("Maintenance", "Your request is on its way."),
        )
    if phase is MaintenancePhase.QUEUED:
        ahead = status.position - 1
        if ahead <= 0:
            detail = translate(
                "Maintenance", "You are next: the first free operator takes your call."
            )
        elif ahead == 1:
            detail = translate("Maintenance", "1 call ahead of yours.")
        else:
            detail = str(Text("Maintenance", "{n} calls ahead of yours.").format(n=ahead))
        place = Text("Maintenance", "You are number {position} in the queue")
        return str(place.format(position=status.position)), detail
    if phase is MaintenancePhase.ASSIGNED:
        taking = Text("Maintenance", "{name} is taking your call").format(name=name)
        return str(taking), translate("Maintenance", "They will connect to this panel in a moment.")
    if phase is MaintenancePhase.ACTIVE:
        consent = status.consent
        connected = Text("Maintenance", "{name} is connected").format(name=name)
        waiting = translate("Maintenance", "Waiting for your answer")
        return str(connected), (waiting if consent is None else consent_text(consent))
    if phase is MaintenancePhase.ENDED:
        return translate("Maintenance", "Remote maintenance ended"), end_text(status.end_reason)
    return "", ""


def _button(text: Text | str, object_name: str, parent: QWidget, height: int = 64) -> QPushButton:
    button = QPushButton(parent)
    bind(button, text)
    button.setObjectName(object_name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(height)
    return button


class ReasonButton(QToolButton):
    """One reason for the call: a big checkable button, icon beside its words."""

    def __init__(self, reason: str, icon_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.reason = reason  # what the operator reads: English
        self.setObjectName("reasonButton")
        words = REASON_TEXT.get(reason, reason)
        bind(self, words)
        bind(self, words, "setAccessibleName")
        bind(self, words, "setToolTip")  # a tool button elides long words in the middle
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setProperty("beside", True)
        self.setIcon(theme.icon(icon_name, theme.ACCENT, 36))
        self.setIconSize(QSize(36, 36))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(140, 64)

    resized = Signal()

    def fits_beside(self) -> bool:
        """Whether the words fit beside the icon at this width."""
        needed = self.fontMetrics().horizontalAdvance(self.text()) + self.iconSize().width() + 40
        return self.width() >= needed

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class MaintenanceScreen(QWidget):
    """The Maintenance call key's screen: choose a reason, add a note if you like, call; then
    where the call is (queued, with whom), with a way to cancel it."""

    back = Signal()  # leave without calling, or keep working while the call waits
    call_requested = Signal(str, str)  # reason, note
    cancel_call = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("maintenanceScreen")
        self.busy = False
        self.titles: dict[QWidget, ElidedLabel] = {}  # each page's title
        self._status: MaintenanceStatus | None = None
        self._attached: tuple[list[str], Sequence[object]] = ([], ())
        self.pages = QStackedWidget(self)
        self.form = self._build_form()
        self.typing = self._build_keyboard_page()
        self.progress = self._build_progress()
        for page in (self.form, self.typing, self.progress):
            self.pages.addWidget(page)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.pages)
        self.reset()
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self, _language: str = "") -> None:
        """What is drawn from state, in the new language (the rest is bound)."""
        self.set_attachments(*self._attached)
        if self._status is not None:
            self.set_status(self._status)
        self._arrange_reasons()
        self._refresh()

    # -- construction -----------------------------------------------------------------------------
    def _header(
        self, page: QWidget, title: Text, back_text: Text
    ) -> tuple[QHBoxLayout, QPushButton]:
        back = _button(back_text, "backButton", page, 56)
        back.setIcon(theme.icon("back", theme.ACCENT, 24))
        back.setIconSize(QSize(24, 24))
        heading = ElidedLabel(parent=page)
        heading.setObjectName("screenTitle")
        bind(heading, title, "set_full_text")
        bind(heading, title, "setToolTip")  # the whole title, when it is elided
        self.titles[page] = heading
        row = QHBoxLayout()
        row.setSpacing(18)
        row.addWidget(back)
        row.addWidget(heading, 1)
        return row, back

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        header, self.back_button = self._header(
            page, Text("Maintenance", "Call for maintenance"), Text("Maintenance", "Back")
        )
        self.back_button.clicked.connect(self.back)

        left = QFrame(page)
        left.setObjectName("composeCard")
        reasons = QVBoxLayout(left)
        reasons.setContentsMargins(16, 14, 16, 16)
        reasons.setSpacing(10)
        ask = self.ask_label = Label(parent=left)
        bind(ask, Text("Maintenance", "What is the problem?"))
        ask.setObjectName("fieldLabel")
        reasons.addWidget(ask)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.reason_group = QButtonGroup(self)
        self.reason_group.setExclusive(True)
        self.reason_buttons: dict[str, ReasonButton] = {}
        for index, (reason, icon_name) in enumerate(REASONS):
            button = ReasonButton(reason, icon_name, left)
            self.reason_group.addButton(button)
            self.reason_buttons[reason] = button
            button.resized.connect(self._arrange_reasons)
            grid.addWidget(button, index // 2, index % 2)
        self.reason_group.buttonToggled.connect(lambda *_: self._refresh())
        # In the question's place while it shows (most often "Choose what the problem is."):
        # neither card has height to spare at 800x480 once the words are longer than English.
        self.error_label = Label(parent=left)
        self.error_label.setObjectName("composeError")
        self.error_label.setWordWrap(True)
        reasons.addWidget(self.error_label)
        reasons.addLayout(grid, 1)

        right = QFrame(page)
        right.setObjectName("composeCard")
        side = QVBoxLayout(right)
        side.setContentsMargins(20, 14, 20, 18)
        side.setSpacing(6)
        note_label = Label(parent=right)
        bind(note_label, Text("Maintenance", "Note (optional)"))
        note_label.setObjectName("fieldLabel")
        self.note_button = _button("", "noteButton", right, 58)
        self.note_button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.note_button.clicked.connect(self.edit_note)
        attached = Label(parent=right)
        bind(attached, Text("Maintenance", "Sent with your call"))
        attached.setObjectName("fieldLabel")
        self.attached_label = Label(parent=right)
        self.attached_label.setObjectName("composeHint")
        self.attached_label.setWordWrap(True)
        self.call_button = _button(Text("Maintenance", "Call service"), "primaryButton", right, 68)
        self.call_button.setIcon(theme.icon("maintenance", "#ffffff", 30))
        self.call_button.setIconSize(QSize(30, 30))
        self.call_button.clicked.connect(self.submit)
        side.addWidget(note_label)
        side.addWidget(self.note_button)
        side.addSpacing(8)
        side.addWidget(attached)
        side.addWidget(self.attached_label)
        side.addStretch(1)
        side.addWidget(self.call_button)

        cards = QHBoxLayout()
        cards.setSpacing(18)
        cards.addWidget(left, 3)
        cards.addWidget(right, 2)
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 14, 24, 16)
        column.setSpacing(12)
        column.addLayout(header)
        column.addLayout(cards, 1)
        return page

    def _build_keyboard_page(self) -> QWidget:
        page = QWidget(self)
        header, back = self._header(
            page, Text("Maintenance", "Describe the problem"), Text("Maintenance", "Back")
        )
        back.clicked.connect(self._note_done)
        self.note_field = QLineEdit(page)
        self.note_field.setObjectName("field")
        self.note_field.setMaxLength(MAX_NOTE)
        bind(
            self.note_field,
            Text("Maintenance", "e.g. Tray 2 jams on every second page"),
            "setPlaceholderText",
        )
        self.note_field.setMinimumHeight(60)
        self.note_field.returnPressed.connect(self._note_done)
        self.keyboard = TextKeyboard(page)
        self.keyboard.text.connect(self.note_field.insert)
        self.keyboard.backspace.connect(self.note_field.backspace)
        self.keyboard.done.connect(self._note_done)
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 14, 24, 16)
        column.setSpacing(12)
        column.addLayout(header)
        column.addWidget(self.note_field)
        column.addWidget(self.keyboard, 1)
        return page

    def _build_progress(self) -> QWidget:
        page = QWidget(self)
        card = QFrame(page)
        card.setObjectName("composeCard")
        card.setMinimumWidth(580)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 28, 36, 28)
        inner.setSpacing(10)
        icon = Label(parent=card)
        icon.setPixmap(theme.pixmap("maintenance", theme.ACCENT, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_title = Label(parent=card)
        self.progress_title.setObjectName("screenTitle")
        self.progress_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_title.setWordWrap(True)
        self.progress_detail = Label(parent=card)
        self.progress_detail.setObjectName("screenSubtitle")
        self.progress_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_detail.setWordWrap(True)
        self.progress_hint = Label(parent=card)
        bind(
            self.progress_hint,
            Text(
                "Maintenance",
                "You can keep using the panel meanwhile: the bar at the top shows the call.",
            ),
        )
        self.progress_hint.setObjectName("composeHint")
        self.progress_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_hint.setWordWrap(True)
        self.cancel_button = _button(
            Text("Maintenance", "Cancel call"), "secondaryButton", card, 64
        )
        self.cancel_button.clicked.connect(self.cancel_call)
        self.continue_button = _button(
            Text("Maintenance", "Continue working"), "primaryButton", card, 64
        )
        self.continue_button.clicked.connect(self.back)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.continue_button)
        inner.addWidget(icon)
        inner.addWidget(self.progress_title)
        inner.addWidget(self.progress_detail)
        inner.addSpacing(6)
        inner.addWidget(self.progress_hint)
        inner.addStretch(1)
        inner.addLayout(buttons)
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 18, 24, 18)
        column.addWidget(card, 1, Qt.AlignmentFlag.AlignHCenter)
        return page

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refresh()  # the note is shortened to the width of its button

    def _arrange_reasons(self) -> None:
        """Icons beside the words where every reason fits (wide screens), above them if not."""
        beside = all(button.fits_beside() for button in self.reason_buttons.values())
        style = (
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            if beside
            else Qt.ToolButtonStyle.ToolButtonTextUnderIcon
        )
        for button in self.reason_buttons.values():
            if button.toolButtonStyle() != style:
                button.setToolButtonStyle(style)
                button.setProperty("beside", beside)
                repolish(button)

    # -- input ------------------------------------------------------------------------------------
    def reason(self) -> str:
        checked = self.reason_group.checkedButton()
        return checked.reason if isinstance(checked, ReasonButton) else ""

    def choose(self, reason: str) -> None:
        self.reason_buttons[reason].setChecked(True)

    def note(self) -> str:
        return self.note_field.text().strip()

    def edit_note(self) -> None:
        """The note's keyboard page (the physical keyboard types into the field too)."""
        self.pages.setCurrentWidget(self.typing)
        self.note_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _note_done(self) -> None:
        self.pages.setCurrentWidget(self.form)
        self._refresh()

    def submit(self) -> None:
        if self.busy:
            return
        reason = self.reason()
        if not reason:
            self.show_error(Text("Maintenance", "Choose what the problem is."))
            return
        self.show_error("")
        self.call_requested.emit(reason, self.note())

    # -- what the window tells it -----------------------------------------------------------------
    def set_attachments(self, codes: list[str], summary: Sequence[object]) -> None:
        """What travels with the call: the error codes and the panel's state, in words: one
        line each, drawn with str() in the current language (a `Text`, or parts joined)."""
        self._attached = (codes, summary)
        if codes:
            head = str(Text("Maintenance", "Error codes: {codes}").format(codes=", ".join(codes)))
        else:
            head = translate("Maintenance", "No error codes")
        self.attached_label.setText("\n".join([head, *map(str, summary)]))

    def set_busy(self, busy: bool) -> None:
        """While the request goes out, the button says so."""
        self.busy = busy
        calling = Text("Maintenance", "Calling…")
        bind(self.call_button, calling if busy else Text("Maintenance", "Call service"))
        self._refresh()

    def show_error(self, message: Text | str) -> None:
        """A refusal in red above Call (a `Text` follows a language switch)."""
        bind(self.error_label, message)
        self.error_label.setVisible(bool(str(message)))
        self.ask_label.setVisible(not str(message))

    def show_form(self) -> None:
        self.pages.setCurrentWidget(self.form)

    def set_status(self, status: MaintenanceStatus) -> None:
        """Follow the call: the progress page while it waits; the form again once it is over."""
        self._status = status
        if status.in_call:
            title, detail = status_texts(status)
            self.progress_title.setText(title)
            self.progress_detail.setText(detail)
            bind(
                self.cancel_button,
                Text("Maintenance", "End session")
                if status.phase is MaintenancePhase.ACTIVE
                else Text("Maintenance", "Cancel call"),
            )
            self.pages.setCurrentWidget(self.progress)
        elif self.pages.currentWidget() is self.progress:
            self.pages.setCurrentWidget(self.form)

    def reset(self) -> None:
        """A fresh form: no reason chosen, no note."""
        self.reason_group.setExclusive(False)
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self.reason_group.setExclusive(True)
        self.note_field.clear()
        self.set_busy(False)
        self.show_error("")
        self.pages.setCurrentWidget(self.form)

    def _refresh(self) -> None:
        note = self.note()
        room = max(self.note_button.width() - 40, 40)
        shown = self.note_button.fontMetrics().elidedText(note, Qt.TextElideMode.ElideRight, room)
        self.note_button.setText(shown if note else translate("Maintenance", "Tap to add a note"))
        self.note_button.setProperty("empty", not note)
        repolish(self.note_button)
        self.call_button.setEnabled(not self.busy and bool(self.reason()))


class ConsentDialog(QWidget):
    """Asks the panel's user what the connected operator may do, over the whole touchscreen.

    The first time it counts down to the core's deadline (device time): "no answer = deny".
    Opened again from the banner it changes the choice, without a countdown.
    """

    chosen = Signal(object)  # Consent

    TICK_MS = 200

    def __init__(self, time_source: Callable[[], float], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("consentOverlay")
        self._time = time_source
        self._deadline = 0.0
        self._timeout_s = 30.0
        parent.installEventFilter(self)
        card = self.card = QFrame(self)
        card.setObjectName("consentCard")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(30, 24, 30, 22)
        inner.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(12)
        icon = Label(parent=card)
        icon.setPixmap(theme.pixmap("maintenance", theme.ACCENT, 40))
        kicker = Label(parent=card)
        bind(kicker, Text("Maintenance", "Remote maintenance"))
        kicker.setObjectName("consentKicker")
        top.addWidget(icon)
        top.addWidget(kicker, 1)
        self.title = Label(parent=card)
        self.title.setObjectName("consentTitle")
        self.title.setWordWrap(True)
        self.body = Label(parent=card)
        bind(
            self.body,
            Text(
                "Maintenance",
                "Choose what they may do on this panel. You can end the session at any time"
                " with the Stop key or the End button at the top.",
            ),
        )
        self.body.setObjectName("screenSubtitle")
        self.body.setWordWrap(True)
        self.buttons: dict[Consent, QPushButton] = {
            Consent.DENY: _button(Text("Maintenance", "Deny"), "consentDeny", card, 72),
            Consent.VIEW: _button(Text("Maintenance", "Allow viewing"), "consentView", card, 72),
            Consent.OPERATE: _button(
                Text("Maintenance", "Allow operation"), "consentOperate", card, 72
            ),
        }
        row = QHBoxLayout()
        row.setSpacing(14)
        for choice, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            row.addWidget(button)
        self.countdown_label = Label(parent=card)
        self.countdown_label.setObjectName("consentCountdown")
        self.countdown_bar = QProgressBar(card)
        self.countdown_bar.setObjectName("consentProgress")
        self.countdown_bar.setTextVisible(False)
        self.keep_button = _button(Text("Maintenance", "Keep as it is"), "linkButton", card, 48)
        self.keep_button.clicked.connect(self.hide)
        inner.addLayout(top)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addSpacing(6)
        inner.addLayout(row)
        inner.addSpacing(4)
        inner.addWidget(self.countdown_label)
        inner.addWidget(self.countdown_bar)
        inner.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignHCenter)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 24)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignCenter)
        self._ticker = QTimer(self)
        self._ticker.setInterval(self.TICK_MS)
        self._ticker.timeout.connect(self.tick)
        i18n.notifier().changed.connect(self.tick)
        self.hide()

    # -- showing ----------------------------------------------------------------------------------
    def ask(self, operator_name: str, deadline: float, timeout_s: float) -> None:
        """The first prompt of a session: counts down to `deadline` (device time)."""
        self._deadline, self._timeout_s = deadline, max(timeout_s, 1.0)
        wants = Text("Maintenance", "{name} from the service desk wants to connect")
        bind(self.title, wants.format(name=operator_name))
        for button in self.buttons.values():
            button.setEnabled(True)
        self.countdown_label.show()
        self.countdown_bar.show()
        self.countdown_bar.setRange(0, round(self._timeout_s * 10))
        self.keep_button.hide()
        self._open()
        self.tick()
        self._ticker.start()

    def change(self, operator_name: str, current: Consent | None) -> None:
        """Change the answer during the session; the current one is marked."""
        self._deadline = 0.0
        may = Text("Maintenance", "What may {name} do on this panel?")
        bind(self.title, may.format(name=operator_name))
        for choice, button in self.buttons.items():
            button.setEnabled(choice is not current)
        self.countdown_label.hide()
        self.countdown_bar.hide()
        self.keep_button.show()
        self._ticker.stop()
        self._open()

    def _open(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.card.setFixedWidth(min(660, parent.width() - 80))
        self.show()
        self.raise_()

    def hideEvent(self, event: QHideEvent) -> None:
        self._ticker.stop()
        super().hideEvent(event)

    def remaining_s(self) -> int:
        """Whole seconds left to answer (device time), rounded up as a countdown shows them."""
        return max(0, math.ceil(self._deadline - self._time() - 1e-9))

    def tick(self, *_: object) -> None:
        """Redraw the countdown from the device's clock (and after a language switch)."""
        if not self._deadline:
            return
        left = max(0.0, self._deadline - self._time())
        seconds = self.remaining_s()
        if seconds:
            no_answer = Text("Maintenance", "No answer in {seconds} s means Deny.")
            self.countdown_label.setText(str(no_answer.format(seconds=seconds)))
        else:
            self.countdown_label.setText(translate("Maintenance", "No answer: denied."))
        self.countdown_bar.setValue(round(min(left, self._timeout_s) * 10))

    def _choose(self, choice: Consent) -> None:
        self.hide()
        self.chosen.emit(choice)

    # -- look -------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return super().eventFilter(watched, event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(12, 20, 30, 165))
        painter.end()


class MaintenanceBanner(QFrame):
    """Across the top of the touchscreen for the whole call: who, what they may do, and End."""

    end_requested = Signal()
    change_requested = Signal()  # change the consent
    details_requested = Signal()  # tapped: the request screen shows the call

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("maintenanceBanner")
        self.setFixedHeight(48)
        icon = Label(parent=self)
        icon.setPixmap(theme.pixmap("maintenance", "#ffffff", 24))
        self.title_label = ElidedLabel(parent=self)
        self.title_label.setObjectName("bannerTitle")
        self.detail_label = ElidedLabel(parent=self)
        self.detail_label.setObjectName("bannerDetail")
        self.consent_pill = Label(parent=self)
        self.consent_pill.setObjectName("consentPill")
        self.change_button = _button(Text("Maintenance", "Change"), "bannerButton", self, 36)
        self.change_button.clicked.connect(self.change_requested)
        self.end_button = _button(Text("Maintenance", "End"), "bannerEnd", self, 36)
        self.end_button.setMinimumWidth(96)
        self.end_button.clicked.connect(self.end_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 0, 10, 0)
        row.setSpacing(12)
        middle = Qt.AlignmentFlag.AlignVCenter
        row.addWidget(icon, 0, middle)
        row.addWidget(self.title_label, 0, middle)
        row.addWidget(self.detail_label, 1, middle)
        row.addWidget(self.consent_pill, 0, middle)
        row.addWidget(self.change_button, 0, middle)
        row.addWidget(self.end_button, 0, middle)
        self._status: MaintenanceStatus | None = None
        i18n.notifier().changed.connect(self._retranslate)
        self.hide()

    def _retranslate(self, _language: str = "") -> None:
        if self._status is not None:
            self.set_status(self._status)

    def set_status(self, status: MaintenanceStatus) -> None:
        """Shown while a call is under way, hidden once it is over."""
        self._status = status
        if not status.in_call:
            self.hide()
            return
        title, detail = status_texts(status)
        active = status.phase is MaintenancePhase.ACTIVE
        if active:
            remote = Text("Maintenance", "Remote maintenance · {name}")
            title = str(remote.format(name=status.operator_name))
            detail = ""
            consent = status.consent
            if consent is None:
                self.consent_pill.setText(translate("Maintenance", "Answer needed"))
            else:
                self.consent_pill.setText(consent_text(consent))
            self.consent_pill.setProperty("consent", consent.value if consent else "pending")
            repolish(self.consent_pill)
        self.title_label.set_full_text(title)
        self.detail_label.set_full_text(detail)
        self.detail_label.setVisible(bool(detail))
        self.consent_pill.setVisible(active)
        self.change_button.setVisible(active and status.consent is not None)
        bind(
            self.end_button,
            Text("Maintenance", "End") if active else Text("Maintenance", "Cancel call"),
        )
        self.show()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton:
            self.details_requested.emit()
        super().mouseReleaseEvent(event)


class MaintenanceChat(QFrame):
    """The operator's latest message, in a slim strip under the banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("maintenanceChat")
        self.setFixedHeight(36)
        self.label = ElidedLabel(parent=self)
        self.label.setObjectName("chatText")
        row = QHBoxLayout(self)
        row.setContentsMargins(56, 0, 16, 0)
        row.addWidget(self.label, 1, Qt.AlignmentFlag.AlignVCenter)
        self.lines: list[ChatLine] = []
        self.hide()

    def add_line(self, line: ChatLine) -> None:
        """Keep every line; show the operator's newest (the panel's own are echoes)."""
        self.lines.append(line)
        if line.from_panel:
            return
        self.label.set_full_text(f"{line.sender}: {line.text}")
        self.show()

    def text(self) -> str:
        """The whole line shown (the label may end in an ellipsis)."""
        return self.label.full_text()

    def clear(self) -> None:
        self.lines.clear()
        self.label.set_full_text("")
        self.hide()
