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
from panel.device.qr import ProjectedPage, QrState, QrStatus
from panel.ui import theme
from panel.ui.widgets import Label

if TYPE_CHECKING:
    from panel.device.qr import QrScanner
    from panel.ui.window import PanelWindow

PLACE_PHONE = (
    "Place your phone on the document stand, screen up, showing the QR code of a photo "
    "(phone: Photos → choose → Show QR code)."
)
STATE_WORDS = {
    QrState.IDLE: ("Waiting for a phone", "#5b6875"),
    QrState.READING: ("Reading the QR code", "#1b64c4"),
    QrState.FETCHING: ("Receiving from the phone", "#1b64c4"),
    QrState.PROJECTED: ("Projected", "#2e7d32"),
    QrState.REFUSED: ("Not projected", "#b3261e"),
}
ZOOMS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)

STYLE = """
QFrame#standCard { background: #ffffff; border: 1px solid #d8dee6; border-radius: 16px; }
QLabel#cardTitle { font-size: 15px; font-weight: bold; color: #46525f; }
QLabel#qrState { font-size: 15px; font-weight: bold; border-radius: 13px; padding: 3px 12px;
    color: #ffffff; }
QLabel#qrMessage { font-size: 15px; color: #1d2733; }
QLabel#qrMessage[refused="true"] { color: #b3261e; font-weight: bold; }
QLabel#pageLabel { font-size: 16px; color: #1d2733; min-width: 110px; }
QPushButton#toolButton { min-height: 52px; min-width: 52px; font-size: 20px; font-weight: bold;
    color: #1b64c4; background: #f2f6fb; border: 2px solid #c3d3e8; border-radius: 12px;
    padding: 0 10px; }
QPushButton#toolButton:pressed { background: #dfe9f6; }
QPushButton#toolButton:disabled { color: #a9b4c0; border-color: #dde3ea; }
"""


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
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

    def __init__(self, placeholder: str, dark: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self.placeholder = placeholder
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
            font = painter.font()
            font.setPixelSize(16)
            painter.setFont(font)
            painter.drawText(
                bounds.adjusted(24, 24, -24, -24),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.placeholder,
            )
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
        self.back_button = _button("Home", "backButton", self)
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.clicked.connect(self._back)
        self.heading = Label("Phone", self)
        self.heading.setObjectName("screenTitle")
        self.state_label = Label(parent=self)
        self.state_label.setObjectName("qrState")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(self.heading)
        header.addStretch(1)
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

    # -- construction ---------------------------------------------------------------------------
    def _card(self, title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame(parent)
        card.setObjectName("standCard")
        box = QVBoxLayout(card)
        box.setContentsMargins(14, 12, 14, 14)
        box.setSpacing(8)
        heading = Label(title.upper(), card)
        heading.setObjectName("cardTitle")
        box.addWidget(heading)
        return card, box

    def _build_stand(self) -> QWidget:
        page = QWidget(self)
        camera, camera_box = self._card("Camera", page)
        self.camera_view = ImageView(PLACE_PHONE, dark=False, parent=camera)
        self.message = Label(parent=camera)
        self.message.setObjectName("qrMessage")
        self.message.setWordWrap(True)
        camera_box.addWidget(self.camera_view, 1)
        camera_box.addWidget(self.message)
        stand, stand_box = self._card("Document stand", page)
        self.projection = ImageView("Nothing projected yet", dark=True, parent=stand)
        self.stand_page = Label(parent=stand)
        self.stand_page.setObjectName("pageLabel")
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        self.full_button = _button("Full screen", "toolButton", stand)
        self.full_button.clicked.connect(self.show_full)
        self.print_button = _button("Print", "primaryButton", stand)
        self.print_button.setIcon(theme.icon("print", "#ffffff", 24))
        self.print_button.clicked.connect(self.print_requested)
        self.store_button = _button("Store", "toolButton", stand)
        self.store_button.setToolTip("Store in your box")
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
        self.zoom_out_button.setToolTip("Zoom out")
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(-1))
        self.zoom_in_button = _button("+", "toolButton", page)
        self.zoom_in_button.setToolTip("Zoom in")
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(1))
        self.rotate_button = _button("", "toolButton", page)
        self.rotate_button.setIcon(theme.icon("rotate", theme.ACCENT, 26))
        self.rotate_button.setIconSize(QSize(26, 26))
        self.rotate_button.setToolTip("Rotate")
        self.rotate_button.clicked.connect(self.rotate)
        self.previous_button = _button(
            "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}", "toolButton", page
        )
        self.previous_button.setToolTip("Previous page")
        self.previous_button.clicked.connect(lambda: self.go_to(self.page - 1))
        self.page_label = Label(parent=page)
        self.page_label.setObjectName("pageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = _button(
            "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}", "toolButton", page
        )
        self.next_button.setToolTip("Next page")
        self.next_button.clicked.connect(lambda: self.go_to(self.page + 1))
        self.full_store_button = _button("Store", "toolButton", page)
        self.full_store_button.setToolTip("Store in your box")
        self.full_store_button.clicked.connect(self.store_requested)
        self.full_print_button = _button("Print", "primaryButton", page)
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
        self.state_label.setText(words)
        self.state_label.setStyleSheet(f"background: {colour};")
        refused = status.state is QrState.REFUSED
        self.message.setProperty("refused", refused)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(status.message or PLACE_PHONE)
        if new_scan:
            self.camera_view.set_image(_image(status.frame) if status.frame else None)
        projected = status.state is QrState.PROJECTED and bool(status.pages)
        if projected and new_scan:
            self.page = 0
            self.full_view.zoom, self.full_view.quarter_turns = 1.0, 0
        if not projected:
            self.projection.placeholder = (
                status.message
                if refused
                else "Receiving…"
                if status.state is QrState.FETCHING
                else "Nothing projected yet"
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
        text = f"{page.name} — page {self.page + 1} of {count}" if page is not None else ""
        self.stand_page.setText(text)
        self.page_label.setText(f"{self.page + 1} / {count}" if count else "")
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page + 1 < count)
        self.zoom_out_button.setEnabled(page is not None and self.full_view.zoom > ZOOMS[0])
        self.zoom_in_button.setEnabled(page is not None and self.full_view.zoom < ZOOMS[-1])
        self.rotate_button.setEnabled(page is not None)

    def show_full(self) -> None:
        if self.current() is not None:
            self.pages.setCurrentIndex(1)
            self.heading.setText("Phone — full screen")
            self.back_button.setText("Stand")  # back goes to the document stand first

    def show_stand(self) -> None:
        self.pages.setCurrentIndex(0)
        self.heading.setText("Phone")
        self.back_button.setText("Home")

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
            window.show_toast("The camera is not available yet: the device is still starting.")
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
        pages = "1 page" if job.pages == 1 else f"{job.pages} pages"
        self._window.show_toast(f"Printing {pages} from the phone — see Jobs.")

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
        files = "1 file" if len(stored) == 1 else f"{len(stored)} files"
        self._window.show_toast(f"Stored {files} in your box (Shared files).")
