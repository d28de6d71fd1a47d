"""The Phone screen (S7): the camera scanner's view of the document stand and what it projects.

Left, the camera: what it sees (the frame the QR was read from) and what it is doing. Right, the
document stand: the image fetched from the phone, projected, or the refusal in words. Full
screen shows the projected pages with zoom, rotate and paging; Print sends them to the engine
as a local job, Store in box puts them in the user's box (S6).

`PhoneController` observes the device's `qr` (panel/device/qr.py) and runs its work as tasks of
the window; the screen only shows and asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from panel.device.files import FileError, personal_box
from panel.device.qr import ProjectedPage, QrState, QrStatus, Refusal
from panel.ui import i18n, theme
from panel.ui.i18n import Text, bind, translate_marked
from panel.ui.widgets import CoreText, ElidedLabel, Label, upper

if TYPE_CHECKING:
    from panel.device.qr import QrScanner
    from panel.ui.window import PanelWindow

PLACE_PHONE = Text(
    "Phone",
    "Place your phone on the document stand, screen up, showing the QR code of a photo (phone: Photos → choose → Show QR code).",  # noqa: E501
)
STATE_WORDS = {
    QrState.IDLE: (Text("Phone", "Waiting for a phone"), "#5b6875"),
    QrState.READING: (Text("Phone", "Reading the QR code"), "#1b64c4"),
    QrState.FETCHING: (Text("Phone", "Receiving from the phone"), "#1b64c4"),
    QrState.PROJECTED: (Text("Phone", "Projected"), "#2e7d32"),
    QrState.REFUSED: (Text("Phone", "Not projected"), "#b3261e"),
}
# A refusal whose sentence carries values (an address, a size) in the panel's language: what
# went wrong, by its code; the core's own sentence in English, and where it was marked.
REFUSALS = {
    Refusal.NO_QR: Text("Phone", "No QR code found. Hold the phone flat, closer to the camera."),
    Refusal.NOT_OURS: Text("Phone", "This QR code is not one for this device."),
    Refusal.MALFORMED: Text("Phone", "The QR code or the phone's answer is damaged."),
    Refusal.VERSION: Text("Phone", "The phone's app is too old or too new for this device."),
    Refusal.REMOTE_ADDRESS: Text(
        "Phone", "The QR code points outside the local network: not connected."
    ),
    Refusal.EXPIRED: Text("Phone", "This QR code has expired. Show a new one on the phone."),
    Refusal.USED: Text("Phone", "This QR code was used already. Show a new one on the phone."),
    Refusal.TOO_LARGE: Text("Phone", "The image is too large: refused."),
    Refusal.WRONG_TYPE: Text("Phone", "The phone did not send a photo."),
    Refusal.NOT_IMAGE: Text("Phone", "What the phone sent is not an image."),
    Refusal.BOMB: Text("Phone", "The image is too large to show."),
    Refusal.UNREACHABLE: Text("Phone", "The phone cannot be reached. Is it on the same network?"),
    Refusal.TIMEOUT: Text(
        "Phone", "The phone is too slow to answer. Show a new QR code and try again."
    ),
    Refusal.CUT_OFF: Text(
        "Phone", "The transfer from the phone broke off. Show a new QR code and try again."
    ),
    Refusal.REFUSED: Text("Phone", "The phone refused the request."),
}


def qr_message(status: QrStatus) -> str:
    """What the camera is doing, or why it did not project, in the panel's language."""
    if status.state is QrState.READING:
        return str(Text("Phone", "Reading the QR code..."))
    if status.state is QrState.FETCHING:
        if status.received:
            return str(
                Text("Phone", "Receiving from the phone... {kb} KB").format(
                    kb=status.received // 1024
                )
            )
        return str(Text("Phone", "Connecting to the phone..."))
    if status.state is QrState.PROJECTED and status.pages:
        names = ", ".join(p.name for p in status.pages)
        return str(Text("Phone", "From the phone: {names}").format(names=names))
    if not status.message:
        return str(PLACE_PHONE)
    said = translate_marked("Core", status.message)
    if said != status.message or i18n.current_language() == i18n.ENGLISH:
        return said
    generic = REFUSALS.get(status.refusal) if status.refusal is not None else None
    return str(generic) if generic is not None else said


ZOOMS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
NOTHING_YET = Text("Phone", "Nothing projected yet")

STYLE = """
QFrame#standCard { background: #ffffff; border: 1px solid #d8dee6; border-radius: 16px; }
QLabel#cardTitle { font-size: 15px; font-weight: bold; color: #46525f; }
QLabel#qrState { font-size: 15px; font-weight: bold; border-radius: 13px; padding: 3px 12px;
    color: #ffffff; }
QLabel#qrMessage { font-size: 15px; color: #1d2733; }
QLabel#qrMessage[refused="true"] { color: #b3261e; font-weight: bold; }
QLabel#pageLabel { font-size: 16px; color: #1d2733; min-width: 72px; }
QPushButton#toolButton, QPushButton#toolTextButton { min-height: 52px; font-size: 20px;
    font-weight: bold;
    color: #1b64c4; background: #f2f6fb; border: 2px solid #c3d3e8; border-radius: 12px;
    padding: 0 10px; }
QPushButton#toolButton { min-width: 44px; padding: 0 4px; }
QPushButton#toolButton:pressed, QPushButton#toolTextButton:pressed { background: #dfe9f6; }
QPushButton#toolButton:disabled, QPushButton#toolTextButton:disabled { color: #a9b4c0;
    border-color: #dde3ea; }
"""


def _button(text: Text | str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(parent)
    if isinstance(text, Text):
        bind(button, text)
    else:
        button.setText(text)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(52)
    return button


def _image(data: bytes) -> QImage:
    image = QImage()
    image.loadFromData(data)
    return image


class ImageView(QWidget):
    """A picture fitted to the widget, then zoomed and turned by quarter turns; dark surround
    like a projection; a placeholder text when there is none."""

    def __init__(self, placeholder: Text | str, dark: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self.placeholder: Text | str = placeholder  # translated when painted
        self._dark = dark
        self._pixmap: QPixmap | None = None
        self.zoom = 1.0
        self.quarter_turns = 0

    def set_image(self, image: QImage | None) -> None:
        self._pixmap = (
            QPixmap.fromImage(image) if image is not None and not image.isNull() else None
        )
        self.update()

    def has_image(self) -> bool:
        return self._pixmap is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bounds = QRectF(self.rect())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#1f262e" if self._dark else "#eef2f6"))
        painter.drawRoundedRect(bounds, 12, 12)
        if self._pixmap is None:
            painter.setPen(QColor("#c9d2dc" if self._dark else "#5b6875"))
            area = bounds.adjusted(24, 24, -24, -24)
            flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
            text = str(self.placeholder)
            font = painter.font()
            for pixels in (16, 15, 14, 13, 12, 11):  # a longer wording takes a smaller size
                font.setPixelSize(pixels)
                painter.setFont(font)
                if painter.boundingRect(area, flags, text).height() <= area.height():
                    break
            painter.drawText(area, flags, text)
            return
        turned = self.quarter_turns % 2 == 1
        w, h = self._pixmap.width(), self._pixmap.height()
        if turned:
            w, h = h, w
        fit = min((bounds.width() - 16) / w, (bounds.height() - 16) / h) * self.zoom
        painter.setClipRect(bounds.adjusted(4, 4, -4, -4))
        painter.translate(bounds.center())
        painter.rotate(90 * self.quarter_turns)
        painter.scale(fit, fit)
        pw, ph = self._pixmap.width(), self._pixmap.height()
        painter.drawPixmap(QPointF(-pw / 2, -ph / 2), self._pixmap)


class PhoneScreen(QWidget):
    """The camera view and the document stand; the projected pages full screen."""

    back = Signal()
    print_requested = Signal()
    store_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneScreen")
        self.setStyleSheet(STYLE)
        self.status = QrStatus(QrState.IDLE)
        self.page = 0
        self.back_button = _button(Text("Phone", "Home"), "backButton", self)
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.clicked.connect(self._back)
        self.heading = Label(parent=self)
        bind(self.heading, Text("Phone", "Phone"))
        self.heading.setObjectName("screenTitle")
        self.state_label = Label(parent=self)
        self.state_label.setObjectName("qrState")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(self.heading, 1)
        header.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignVCenter)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_stand())
        self.pages.addWidget(self._build_full())
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 14, 24, 16)
        column.setSpacing(12)
        column.addLayout(header)
        column.addWidget(self.pages, 1)
        self.set_status(self.status)
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self) -> None:
        """The message and the page line are worded from the status: again; the pictures'
        placeholders are painted."""
        self.message.setText(qr_message(self.status))
        self._show_page()
        for view in (self.camera_view, self.projection, self.full_view):
            view.update()

    # -- construction ---------------------------------------------------------------------------
    def _card(self, title: Text, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame(parent)
        card.setObjectName("standCard")
        box = QVBoxLayout(card)
        box.setContentsMargins(14, 12, 14, 14)
        box.setSpacing(8)
        heading = Label(parent=card)
        bind(heading, upper(title))
        heading.setObjectName("cardTitle")
        box.addWidget(heading)
        return card, box

    def _build_stand(self) -> QWidget:
        page = QWidget(self)
        camera, camera_box = self._card(Text("Phone", "Camera"), page)
        self.camera_view = ImageView(PLACE_PHONE, dark=False, parent=camera)
        self.message = Label(parent=camera)
        self.message.setObjectName("qrMessage")
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(1)  # a long word must not widen the card: it wraps
        camera_box.addWidget(self.camera_view, 1)
        camera_box.addWidget(self.message)
        stand, stand_box = self._card(Text("Phone", "Document stand"), page)
        self.projection = ImageView(NOTHING_YET, dark=True, parent=stand)
        self.stand_page = ElidedLabel(parent=stand)  # a long file name ends in "…"
        self.stand_page.setObjectName("pageLabel")
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.full_button = _button(Text("Phone", "Full screen"), "toolTextButton", stand)
        self.full_button.clicked.connect(self.show_full)
        self.print_button = _button(Text("Phone", "Print"), "primaryButton", stand)
        self.print_button.setIcon(theme.icon("print", "#ffffff", 24))
        self.print_button.clicked.connect(self.print_requested)
        self.store_button = _button(Text("Phone", "Store"), "toolTextButton", stand)
        bind(self.store_button, Text("Phone", "Store in your box"), "setToolTip")
        self.store_button.setIcon(theme.icon("folder", theme.ACCENT, 24))
        self.store_button.clicked.connect(self.store_requested)
        buttons.addWidget(self.full_button)
        buttons.addWidget(self.store_button)
        buttons.addWidget(self.print_button, 1)
        stand_box.addWidget(self.projection, 1)
        stand_box.addWidget(self.stand_page)
        stand_box.addLayout(buttons)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addWidget(camera, 4)
        row.addWidget(stand, 7)
        return page

    def _build_full(self) -> QWidget:
        page = QWidget(self)
        self.full_view = ImageView("", dark=True, parent=page)
        tools = QHBoxLayout()
        tools.setSpacing(8)
        self.zoom_out_button = _button("\N{MINUS SIGN}", "toolButton", page)
        bind(self.zoom_out_button, Text("Phone", "Zoom out"), "setToolTip")
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(-1))
        self.zoom_in_button = _button("+", "toolButton", page)
        bind(self.zoom_in_button, Text("Phone", "Zoom in"), "setToolTip")
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(1))
        self.rotate_button = _button("", "toolButton", page)
        self.rotate_button.setIcon(theme.icon("rotate", theme.ACCENT, 26))
        self.rotate_button.setIconSize(QSize(26, 26))
        bind(self.rotate_button, Text("Phone", "Rotate"), "setToolTip")
        self.rotate_button.clicked.connect(self.rotate)
        self.previous_button = _button(
            "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}", "toolButton", page
        )
        bind(self.previous_button, Text("Phone", "Previous page"), "setToolTip")
        self.previous_button.clicked.connect(lambda: self.go_to(self.page - 1))
        self.page_label = Label(parent=page)
        self.page_label.setObjectName("pageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = _button(
            "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}", "toolButton", page
        )
        bind(self.next_button, Text("Phone", "Next page"), "setToolTip")
        self.next_button.clicked.connect(lambda: self.go_to(self.page + 1))
        self.full_store_button = _button(Text("Phone", "Store"), "toolTextButton", page)
        bind(self.full_store_button, Text("Phone", "Store in your box"), "setToolTip")
        self.full_store_button.clicked.connect(self.store_requested)
        self.full_print_button = _button(Text("Phone", "Print"), "primaryButton", page)
        self.full_print_button.clicked.connect(self.print_requested)
        for widget in (
            self.zoom_out_button,
            self.zoom_in_button,
            self.rotate_button,
            self.previous_button,
            self.page_label,
            self.next_button,
        ):
            tools.addWidget(widget)
        tools.addStretch(1)
        tools.addWidget(self.full_store_button)
        tools.addWidget(self.full_print_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.full_view, 1)
        column.addLayout(tools)
        return page

    # -- showing --------------------------------------------------------------------------------
    def set_status(self, status: QrStatus) -> None:
        new_scan = status.scan_id != self.status.scan_id or status.state is not self.status.state
        self.status = status
        words, colour = STATE_WORDS[status.state]
        bind(self.state_label, words)
        self.state_label.setStyleSheet(f"background: {colour};")
        refused = status.state is QrState.REFUSED
        self.message.setProperty("refused", refused)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(qr_message(status))
        if new_scan:
            self.camera_view.set_image(_image(status.frame) if status.frame else None)
        projected = status.state is QrState.PROJECTED and bool(status.pages)
        if projected and new_scan:
            self.page = 0
            self.full_view.zoom, self.full_view.quarter_turns = 1.0, 0
        if not projected:
            self.projection.placeholder = (
                CoreText(status.message)
                if refused
                else Text("Phone", "Receiving…")
                if status.state is QrState.FETCHING
                else NOTHING_YET
            )
            if self.pages.currentIndex() == 1:
                self.show_stand()
        for button in (
            self.print_button,
            self.store_button,
            self.full_button,
            self.full_print_button,
            self.full_store_button,
        ):
            button.setEnabled(projected)
        if new_scan or not projected:
            self._show_page()

    def current(self) -> ProjectedPage | None:
        pages = self.status.pages if self.status.state is QrState.PROJECTED else ()
        return pages[self.page] if 0 <= self.page < len(pages) else None

    def _show_page(self) -> None:
        page = self.current()
        image = _image(page.data) if page is not None else None
        self.projection.set_image(image)
        self.full_view.set_image(image)
        count = len(self.status.pages) if page is not None else 0
        text = (
            str(
                Text("Phone", "{name} — page {page} of {count}").format(
                    name=page.name, page=self.page + 1, count=count
                )
            )
            if page is not None
            else ""
        )
        self.stand_page.set_full_text(text)
        self.stand_page.setToolTip(text)
        self.page_label.setText(f"{self.page + 1} / {count}" if count else "")
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page + 1 < count)
        self.zoom_out_button.setEnabled(page is not None and self.full_view.zoom > ZOOMS[0])
        self.zoom_in_button.setEnabled(page is not None and self.full_view.zoom < ZOOMS[-1])
        self.rotate_button.setEnabled(page is not None)

    def show_full(self) -> None:
        if self.current() is not None:
            self.pages.setCurrentIndex(1)
            bind(self.heading, Text("Phone", "Phone — full screen"))
            # back goes to the document stand first
            bind(self.back_button, Text("Phone", "Stand"))

    def show_stand(self) -> None:
        self.pages.setCurrentIndex(0)
        bind(self.heading, Text("Phone", "Phone"))
        bind(self.back_button, Text("Phone", "Home"))

    def go_to(self, page: int) -> None:
        if 0 <= page < len(self.status.pages):
            self.page = page
            self.full_view.zoom, self.full_view.quarter_turns = 1.0, 0
            self._show_page()

    def zoom_by(self, steps: int) -> None:
        at = min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - self.full_view.zoom))
        self.full_view.zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, at + steps))]
        self.full_view.update()
        self._show_page()

    def rotate(self) -> None:
        self.full_view.quarter_turns = (self.full_view.quarter_turns + 1) % 4
        self.full_view.update()

    def _back(self) -> None:
        if self.pages.currentIndex() == 1:
            self.show_stand()
        else:
            self.back.emit()


class PhoneController(QObject):
    """The Phone screen of one window and the device's camera scanner it shows."""

    def __init__(self, window: PanelWindow) -> None:
        super().__init__(window)
        self.setObjectName("phoneController")
        self._window = window
        self.scanner: QrScanner | None = getattr(window.device, "qr", None)
        self.screen = PhoneScreen()
        window.stack.addWidget(self.screen)
        self.screen.back.connect(window.show_home)
        self.screen.print_requested.connect(self._print)
        self.screen.store_requested.connect(self._store)
        if self.scanner is not None:
            window.bridge.qr_changed.connect(self.screen.set_status)
            self.screen.set_status(self.scanner.status)

    @classmethod
    def of(cls, window: PanelWindow) -> PhoneController:
        """The window's controller, made the first time the screen is opened."""
        found = window.findChild(PhoneController, "phoneController")
        return found if found is not None else cls(window)

    def show(self) -> None:
        window = self._window
        if window.device.user is None:
            window.show_login()
            return
        if self.scanner is None:
            window.show_toast(
                Text("Phone", "The camera is not available yet: the device is still starting.")
            )
            return
        window.stack.setCurrentWidget(self.screen)

    def _print(self) -> None:
        user = self._window.device.user
        if self.scanner is None or user is None:
            return
        try:
            job = self.scanner.print_projection(user.user_id)
        except (FileError, ValueError) as exc:
            self._window.show_toast(str(exc), "error")
            return
        self._window.show_toast(
            Text("Phone", "Printing 1 page from the phone — see Jobs.")
            if job.pages == 1
            else Text("Phone", "Printing {n} pages from the phone — see Jobs.").format(n=job.pages)
        )

    def _store(self) -> None:
        user = self._window.device.user
        if self.scanner is not None and user is not None:
            _ = self._window.tasks.spawn(self._store_in_box(user.user_id), "store phone images")

    async def _store_in_box(self, user_id: str) -> None:
        assert self.scanner is not None
        try:
            stored = await self.scanner.store_projection(user_id, personal_box(user_id))
        except FileError as exc:
            self._window.show_toast(exc.message, "error")
            return
        self._window.show_toast(
            Text("Phone", "Stored 1 file in your box (Shared files).")
            if len(stored) == 1
            else Text("Phone", "Stored {n} files in your box (Shared files).").format(n=len(stored))
        )
