"""The fault screen: what stopped the engine, where (a picture of the spot), and how to clear it.

It comes up by itself over whatever the touchscreen shows when the engine reports an error
(a jam, an open cover, empty black toner) or asks a question (paper out, colour toner empty),
as a real panel's does, and goes when the reason is cleared. A jam is cleared with Done (the
user says the paper is out: `clear_requested`); a cover goes when it is closed; a question is
answered with one of its choices (`answered`). Later hides it until something new happens (the
status bar's engine pill brings it back). The vendor code is there, small, for the service
engineer.

The window wires the signals to the engine; this view only shows an `EngineStatus`.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from panel.device.engine import faults
from panel.device.engine.status import EngineStatus, Prompt, Reason, Severity
from panel.paths import resources_dir
from panel.ui import i18n
from panel.ui.i18n import Text, bind, translate_marked
from panel.ui.widgets import Label, repolish

PICTURE_DPR = 2.0  # drawn at twice the size, sharp when the touchscreen is scaled up
PICTURE_ASPECT = 150 / 160  # height / width of the pictures' view box

# What the panel calls each reason, as a heading.
TITLES = {
    "media-jam": Text("Engine", "Paper jam"),
    "cover-open": Text("Engine", "Cover open"),
    "door-open": Text("Engine", "Door open"),
    "toner-empty": Text("Engine", "Toner empty"),
    "toner-low": Text("Engine", "Toner low"),
    "media-needed": Text("Engine", "Load paper"),
    "media-empty": Text("Engine", "Tray empty"),
    "marker-supply-low": Text("Engine", "Supplies low"),
}
# A question's heading and picture, and the reason it is about (its steps are shown too).
PROMPTS = {
    "paper-out": (Text("Engine", "Out of paper"), "paper", "media-needed"),
    "toner-empty": (Text("Engine", "Toner empty"), "toner", "toner-empty"),
}
CLEARED_BY_DONE = frozenset({"media-jam"})  # the others go when the device sees them fixed
DONE_HINT = Text(
    "Engine", "Press Done when the paper is out: printing goes on from the jammed page."
)
# What makes the screen go by itself, for the reasons Done does not clear.
GOES_WHEN = {
    "cover-open": Text("Engine", "This message goes once the cover is closed."),
    "door-open": Text("Engine", "This message goes once the door is closed."),
    "toner-empty": Text("Engine", "This message goes once a new cartridge is in."),
    "media-needed": Text("Engine", "This message goes once paper is loaded."),
}
GOES_BY_ITSELF = Text("Engine", "This message goes once the problem is fixed.")
# The engine's own tray and toner names, as the panel says them (other names pass as they are).
TRAY_NAMES = {
    "Tray 1": Text("Engine", "Tray 1"),
    "Tray 2": Text("Engine", "Tray 2"),
    "Bypass": Text("Engine", "Bypass"),
}
COLOUR_NAMES = {
    "black": Text("Engine", "Black"),
    "cyan": Text("Engine", "Cyan"),
    "magenta": Text("Engine", "Magenta"),
    "yellow": Text("Engine", "Yellow"),
}
CHOICES = {
    "mono": Text("Engine", "Print in black only"),
    "cancel": Text("Engine", "Cancel the job"),
}


def title(reason: Reason) -> str:
    heading = TITLES.get(reason.keyword)
    return str(heading) if heading else reason.keyword.replace("-", " ").capitalize()


def tray_label(name: str) -> str:
    known = TRAY_NAMES.get(name)
    return str(known) if known else name


def colour_label(colour: str) -> str:
    known = COLOUR_NAMES.get(colour)
    return str(known) if known else colour.capitalize()


def _row(reason: Reason) -> faults.Fault | None:
    try:
        return faults.find(reason.keyword, reason.location)
    except KeyError:
        return None


def _media(reason: Reason) -> str:
    return reason.media or translate_marked("Core", faults.ANY_MEDIA)


def reason_message(reason: Reason) -> str:
    """A reason's sentence in the panel's language: its catalogue row's (the core marks them),
    filled with its media; a reason the catalogue does not know, as the core said it."""
    row = _row(reason)
    if row is None:
        return translate_marked("Core", reason.message)
    return translate_marked("Core", row.message).format(media=_media(reason))


def reason_steps(reason: Reason) -> tuple[str, ...]:
    row = _row(reason)
    if row is None or len(row.steps) != len(reason.steps):
        return tuple(translate_marked("Core", step) for step in reason.steps)
    return tuple(translate_marked("Core", step).format(media=_media(reason)) for step in row.steps)


def _tray_of(status: EngineStatus, tray_id: str) -> str:
    tray = next((t for t in status.trays if t.tray_id == tray_id), None)
    return tray_label(tray.name) if tray is not None else tray_id


def prompt_message(prompt: Prompt, reason: Reason | None, status: EngineStatus) -> str:
    """The engine's question in the panel's language, worded from what it is about (the
    reason's tray or toner and media); an unknown question as the core asked it."""
    if reason is not None and prompt.kind == "paper-out":
        others = any(choice.startswith("tray:") for choice, _ in prompt.choices)
        text = (
            Text(
                "Engine",
                "{tray} is out of {media} paper. Load {media} paper or choose another tray.",
            )
            if others
            else Text("Engine", "{tray} is out of {media} paper. Load {media} paper.")
        )
        return str(text.format(tray=_tray_of(status, reason.location), media=_media(reason)))
    if reason is not None and prompt.kind == "toner-empty":
        colour = reason.location.removeprefix("toner-")
        return str(
            Text(
                "Engine", "{colour} toner is empty. Print the rest in black only, or cancel."
            ).format(colour=colour_label(colour))
        )
    return translate_marked("Core", prompt.message)


def choice_label(choice_id: str, label: str, status: EngineStatus) -> str:
    """A choice's button: "Use Tray 2 (A4)" for another tray, the panel's words for the others."""
    known = CHOICES.get(choice_id)
    if known is not None:
        return str(known)
    tray_id = choice_id.removeprefix("tray:")
    tray = next((t for t in status.trays if t.tray_id == tray_id), None)
    if choice_id.startswith("tray:") and tray is not None:
        return str(
            Text("Engine", "Use {tray} ({media})").format(
                tray=tray_label(tray.name), media=tray.media_label
            )
        )
    return translate_marked("Core", label)


@functools.cache
def engine_stylesheet() -> str:
    """The engine screens' rules (resources/engine/engine.qss), over the panel's sheet."""
    return (resources_dir() / "engine" / "engine.qss").read_text(encoding="utf-8")


@functools.cache
def _renderer_source(name: str) -> bytes:
    return (resources_dir() / "engine" / f"{name}.svg").read_bytes()


def picture_name(icon: str, location: str) -> str:
    """The picture of `icon` at `location` when there is one ("jam-tray.tray-2": the lower
    tray pulled out), else the reason's own."""
    specific = f"{icon}.{location}"
    return specific if (resources_dir() / "engine" / f"{specific}.svg").is_file() else icon


def engine_picture(name: str, width: int) -> QPixmap:
    """Picture `name` (resources/engine/NAME.svg) `width` logical px wide, drawn at 2x."""
    renderer = QSvgRenderer(QByteArray(_renderer_source(name)))
    size = QSize(round(width * PICTURE_DPR), round(width * PICTURE_ASPECT * PICTURE_DPR))
    image = QPixmap(size)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    image.setDevicePixelRatio(PICTURE_DPR)
    return image


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget and sub-layout of `layout`."""
    while (item := layout.takeAt(0)) is not None:
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)


def _button(text: Text | str, object_name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(parent)
    bind(button, text)
    button.setObjectName(object_name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(60)
    return button


def what_to_show(status: EngineStatus) -> Prompt | Reason | None:
    """The engine's question if it asks one, else its first error; None: nothing stops it."""
    if status.prompt is not None:
        return status.prompt
    return next((r for r in status.reasons if r.severity is Severity.ERROR), None)


class EngineFaultScreen(QWidget):
    """Over the touchscreen below the status bar while an error stands or a question waits."""

    clear_requested = Signal(str)  # the jam's code: Done (the paper has been taken out)
    answered = Signal(str)  # the chosen choice_id of the engine's question
    later = Signal()  # hide until something new happens

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("engineFault")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(engine_stylesheet())
        self.shown: Prompt | Reason | None = None
        self.status: EngineStatus | None = None  # the last one shown (a language switch)
        self.picture_name = ""
        self.choice_buttons: dict[str, QPushButton] = {}

        self.card = QFrame(self)
        self.card.setObjectName("faultCard")
        picture_frame = QFrame(self.card)
        picture_frame.setObjectName("faultPicture")
        self.picture = Label(parent=picture_frame)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        framed = QVBoxLayout(picture_frame)
        framed.setContentsMargins(10, 10, 10, 10)
        framed.addWidget(self.picture)
        self.code_label = Label(parent=self.card)
        self.code_label.setObjectName("faultCode")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(picture_frame)
        left.addWidget(self.code_label)
        left.addStretch(1)

        self.kicker = Label(parent=self.card)
        self.kicker.setObjectName("faultKicker")
        self.title_label = Label(parent=self.card)
        self.title_label.setObjectName("faultTitle")
        self.message_label = Label(parent=self.card)
        self.message_label.setObjectName("faultMessage")
        self.message_label.setWordWrap(True)
        self.steps = QVBoxLayout()
        self.steps.setSpacing(8)
        self.step_labels: list[Label] = []
        self.more_label = Label(parent=self.card)
        self.more_label.setObjectName("faultMore")
        self.more_label.setWordWrap(True)
        self.hint_label = Label(parent=self.card)
        self.hint_label.setObjectName("faultHint")
        self.hint_label.setWordWrap(True)
        self.choices = QGridLayout()
        self.choices.setSpacing(10)
        self.later_button = _button(Text("Engine", "Later"), "linkButton", self.card)
        self.later_button.clicked.connect(self.later)
        self.done_button = _button(Text("Engine", "Done"), "primaryButton", self.card)
        self.done_button.setMinimumWidth(180)
        self.done_button.clicked.connect(self._done)
        actions = QHBoxLayout()
        actions.setSpacing(12)
        actions.addWidget(self.later_button)
        actions.addStretch(1)
        actions.addWidget(self.done_button)

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.kicker, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.title_label)
        right.addWidget(self.message_label)
        right.addSpacing(8)
        right.addLayout(self.steps)
        right.addSpacing(4)
        right.addWidget(self.more_label)
        right.addStretch(1)
        right.addWidget(self.hint_label)
        right.addLayout(self.choices)
        right.addLayout(actions)

        inner = QHBoxLayout(self.card)
        inner.setContentsMargins(20, 18, 22, 16)
        inner.setSpacing(22)
        inner.addLayout(left)
        inner.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(self.card)
        self.hide()
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self) -> None:
        """Everything shown is worded from the status: word it again in the new language."""
        if self.status is not None:
            self.shown = None
            self.show_status(self.status)

    # -- what the window tells it -----------------------------------------------------------------
    def show_status(self, status: EngineStatus) -> bool:
        """Show the engine's question or first error; False when there is neither."""
        shown = what_to_show(status)
        self.status = status
        if shown is None:
            self.shown = None
            return False
        if shown != self.shown:
            self.shown = shown
            if isinstance(shown, Prompt):
                self._show_prompt(shown, status)
            else:
                self._show_reason(shown)
        others = [r for r in status.reasons if r is not self._reason_of(shown, status) and r.stops]
        also = " ".join(f"{reason_message(r)} ({r.code})" for r in others)
        self.more_label.setText(
            str(Text("Engine", "Also: {reasons}").format(reasons=also)) if others else ""
        )
        self.more_label.setVisible(bool(others))
        return True

    def cover(self, area: QWidget) -> None:
        """Lie over `area` (the window's screen stack) and follow its geometry."""
        area.installEventFilter(self)
        self.setGeometry(area.geometry())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QWidget) and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.setGeometry(watched.geometry())
        return super().eventFilter(watched, event)

    # -- the two kinds ----------------------------------------------------------------------------
    def _show_reason(self, reason: Reason) -> None:
        self._set_severity(reason.severity)
        self.kicker.setText(str(Text("Engine", "PRINTING HAS STOPPED")))
        self.title_label.setText(title(reason))
        self.message_label.setText(reason_message(reason))
        self._set_steps(reason_steps(reason))
        self._set_picture(picture_name(reason.icon, reason.location))
        self.code_label.setText(f"{reason.code} · {reason.ipp}")
        self._set_choices(())
        clears = reason.keyword in CLEARED_BY_DONE
        self.done_button.setVisible(clears)
        self.hint_label.setText(
            str(DONE_HINT if clears else GOES_WHEN.get(reason.keyword, GOES_BY_ITSELF))
        )
        self.hint_label.show()

    def _show_prompt(self, prompt: Prompt, status: EngineStatus) -> None:
        heading, picture, _keyword = PROMPTS.get(
            prompt.kind, (prompt.kind.replace("-", " ").capitalize(), "paper", "")
        )
        reason = self._reason_of(prompt, status)
        self._set_severity(Severity.ERROR)
        self.kicker.setText(str(Text("Engine", "THE JOB IS WAITING")))
        self.title_label.setText(str(heading))
        self.message_label.setText(prompt_message(prompt, reason, status))
        self._set_steps(reason_steps(reason) if reason is not None else ())
        self._set_picture(
            picture_name(reason.icon, reason.location) if reason is not None else picture
        )
        self.code_label.setText(f"{reason.code} · {reason.ipp}" if reason is not None else "")
        self._set_choices(tuple((c, choice_label(c, label, status)) for c, label in prompt.choices))
        self.done_button.hide()
        self.hint_label.hide()  # the question says what to do

    @staticmethod
    def _reason_of(shown: Prompt | Reason, status: EngineStatus) -> Reason | None:
        """The reason a question is about (the error with the prompt's keyword)."""
        if isinstance(shown, Reason):
            return shown
        keyword = PROMPTS.get(shown.kind, ("", "", ""))[2]
        return next((r for r in status.reasons if r.keyword == keyword), None)

    # -- parts ------------------------------------------------------------------------------------
    def _set_severity(self, severity: Severity) -> None:
        self.card.setProperty("severity", severity.value)
        repolish(self.card)
        repolish(self.kicker)

    def _set_steps(self, steps: tuple[str, ...]) -> None:
        clear_layout(self.steps)
        self.step_labels = []
        for number, text in enumerate(steps, start=1):
            row = QHBoxLayout()
            row.setSpacing(12)
            badge = Label(str(number), self.card)
            badge.setObjectName("stepNumber")
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            line = Label(text, self.card)
            line.setObjectName("stepText")
            line.setWordWrap(True)
            line.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(line, 1)
            self.steps.addLayout(row)
            self.step_labels.append(line)

    def _set_choices(self, choices: tuple[tuple[str, str], ...]) -> None:
        clear_layout(self.choices)
        self.choice_buttons = {}
        columns = 2 if len(choices) > 1 else 1
        for index, (choice_id, label) in enumerate(choices):
            button = _button(label, "choiceButton", self.card)
            button.setProperty("cancel", choice_id == "cancel")
            button.clicked.connect(lambda _checked=False, c=choice_id: self.answered.emit(c))
            self.choices.addWidget(button, index // columns, index % columns)
            self.choice_buttons[choice_id] = button

    def _set_picture(self, name: str) -> None:
        self.picture_name = name
        self._draw_picture()

    def _draw_picture(self) -> None:
        if self.picture_name:
            width = max(180, min(340, round(self.width() * 0.3)))
            self.picture.setPixmap(engine_picture(self.picture_name, width))

    def _done(self) -> None:
        if isinstance(self.shown, Reason):
            self.clear_requested.emit(self.shown.code)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._draw_picture()
