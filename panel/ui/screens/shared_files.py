"""The Shared files screen (S6): one list of the files the user may see across the fleet.

Files are grouped by the device that holds them, each group headed by the holder's state
(online, asleep: woken to send, offline: with an icon and words, known before anyone asks). A
search by name (typed on the panel's keyboard) filters the list. A tapped file shows its first
page (panel/ui/file_preview.py: drawn when its bytes are on this device, else a placeholder
with its type), its details, and Print here, Copy to my box, Delete (its owner only, after a
confirmation). A box with a PIN asks for it on the keypad. While a file comes in from another
device a bar under the header shows the bytes, the rate and that it comes "via server".

`SharedFilesController` runs the device's `files` (panel/device/files.py) as tasks of the
window; the screen only shows and asks. This device's own files come from the device itself
(fresh at once); the other devices' from the server's fleet index.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from panel.device.files import MAX_SCAN_PAGES, BoxFile, FileError, TransferProgress, personal_box
from panel.device.settings import format_datetime
from panel.protocol.files import FileMeta
from panel.threads import in_thread
from panel.ui import i18n, theme
from panel.ui.bridge import FilesDevice, files_of
from panel.ui.file_preview import FirstPage, file_type, preview_image, read_first_page
from panel.ui.i18n import Text, bind, translate, translate_marked
from panel.ui.widgets import ElidedLabel, Keypad, Label, TextKeyboard, repolish

if TYPE_CHECKING:
    from panel.device.model import User
    from panel.protocol.files import FileList
    from panel.ui.window import PanelWindow

HERE = "here"  # this device's own group: its files are on this device
STATE_WORDS = {
    HERE: (Text("SharedFiles", "This device"), "print", "#1b64c4"),
    "online": (Text("SharedFiles", "Online"), "cloud", "#2e7d32"),
    "asleep": (Text("SharedFiles", "Asleep — woken to send"), "energy", "#a86400"),
    "offline": (
        Text("SharedFiles", "Offline — files come when it is back"),
        "cloud-off",
        "#b3261e",
    ),
}
PREVIEW_SIZE = QSize(132, 187)
NOT_HERE_NOTE = Text("SharedFiles", "Preview once the file is here")
EMPTY_TEXT = Text(
    "SharedFiles",
    "No shared files yet.\nFiles stored in your box or a shared box on any device appear here.",
)
SERVER_NEEDED = Text("SharedFiles", "Only this device's files are shown: {reason}")
_PREVIEWS_KEPT = 16

STYLE = """
QListWidget#filesList { background: transparent; border: none; outline: none; }
QPushButton#searchButton {
    min-height: 52px; font-size: 17px; color: #46525f; background: #f7f9fb;
    border: 2px solid #c3ccd6; border-radius: 12px; padding: 0 14px; text-align: left;
}
QPushButton#searchButton[query="true"] { color: #1d2733; border-color: #1b64c4; font-weight: bold; }
QFrame#filesDetails { background: #ffffff; border: 1px solid #d8dee6; border-radius: 16px; }
QLabel#fileName { font-size: 18px; font-weight: bold; color: #1d2733; }
QLabel#fileMeta { font-size: 14px; color: #5b6875; }
QPushButton#fileAction {
    min-height: 50px; font-size: 16px; font-weight: bold; color: #1b64c4; background: #ffffff;
    border: 1px solid #cfd7e0; border-bottom: 3px solid #bcc6d1; border-radius: 12px;
    padding: 0 10px;
}
QPushButton#fileAction:pressed { background: #e3ecf7; }
QPushButton#fileAction:disabled { color: #a5b0bc; background: #f3f5f8; }
QPushButton#primaryButton, QPushButton#secondaryButton { min-height: 50px; font-size: 17px; }
QPushButton#secondaryButton:disabled { color: #c9aaa7; background: #f8f5f5; border-color: #eadada; }
QFrame#transferBar { background: #eaf1fb; border: 1px solid #b9cfee; border-radius: 12px; }
QFrame#transferBar[state="failed"] { background: #fbeae8; border-color: #e0aaa4; }
QFrame#transferBar[state="done"] { background: #e9f5ea; border-color: #a9d3ad; }
QLabel#transferTitle { font-size: 15px; font-weight: bold; color: #1d2733; }
QLabel#transferText { font-size: 14px; color: #46525f; }
QLabel#viaServer {
    font-size: 12px; font-weight: bold; color: #ffffff; background: #1b64c4;
    border-radius: 9px; padding: 1px 8px;
}
QProgressBar#transferProgress {
    max-height: 10px; border: none; border-radius: 5px; background: #d3dfee;
}
QProgressBar#transferProgress::chunk { border-radius: 5px; background: #1b64c4; }
QLabel#filesMessage { font-size: 15px; font-weight: bold; border-radius: 10px; padding: 6px 12px; }
QLabel#filesMessage[level="info"] { color: #134a91; background: #e7f0fb; }
QLabel#filesMessage[level="warning"] { color: #6b4000; background: #fdf0d9; }
QLabel#filesMessage[level="error"] { color: #8e1c16; background: #fbeae8; }
QFrame#composeCard QLabel#screenTitle { font-size: 22px; }
"""


# -- what the list shows ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FileRow:
    """One file as the list shows it: where it is and what may be done with it."""

    device_id: str
    device_name: str
    state: str  # HERE, or the holder's state: "online", "asleep", "offline"
    box_id: str
    box_name: str
    locked: bool
    meta: FileMeta

    @property
    def here(self) -> bool:
        return self.state == HERE


@dataclass(frozen=True, slots=True)
class Group:
    device_id: str
    device_name: str
    state: str
    rows: tuple[FileRow, ...]


def rows_of(
    device_id: str,
    device_name: str,
    local: list[BoxFile],
    box_names: dict[str, tuple[str, bool]],
    fleet: FileList | None,
) -> list[Group]:
    """This device's group first (from the device itself), then the other devices' by name."""
    mine = tuple(
        FileRow(
            device_id,
            device_name,
            HERE,
            f.box_id,
            box_names.get(f.box_id, (f.box_id, False))[0],
            box_names.get(f.box_id, ("", False))[1],
            f.meta,
        )
        for f in sorted(local, key=lambda f: -f.meta.created_at)
    )
    groups = [Group(device_id, device_name, HERE, mine)] if mine else []
    others: dict[str, list[FileRow]] = {}
    for entry in fleet.files if fleet is not None else []:
        if entry.device_id == device_id:
            continue
        others.setdefault(entry.device_id, []).append(
            FileRow(
                entry.device_id,
                entry.device_name,
                entry.holder_state,
                entry.box_id,
                entry.box_name,
                entry.locked,
                entry.file,
            )
        )
    for rows in sorted(others.values(), key=lambda rows: rows[0].device_name.lower()):
        rows.sort(key=lambda r: -r.meta.created_at)
        first = rows[0]
        groups.append(Group(first.device_id, first.device_name, first.state, tuple(rows)))
    return groups


def state_words(state: str) -> str:
    """A device group's state in words (an unknown state: its code)."""
    found = STATE_WORDS.get(state)
    return state if found is None else str(found[0])


# What the device core and the server say when a box action or a transfer is refused, by code:
# their messages are English sentences, some naming the holding device ({device}).
_ERRORS_BY_CODE = {
    "unknown_box": Text("SharedFiles", "There is no such box on this device."),
    "unknown_file": Text("SharedFiles", "That file is not in a box you may use."),
    "not_owner": Text("SharedFiles", "Only the file's owner may delete it."),
    "already_coming": Text("SharedFiles", "That file is already coming in."),
    "already_here": Text("SharedFiles", "That file is on this device already."),
    "checksum_mismatch": Text(
        "SharedFiles", "The file that came does not match its checksum; nothing was stored."
    ),
    "holder_wrong_size": Text(
        "SharedFiles", "The holding device sent the wrong number of bytes; nothing was stored."
    ),
    "wrong_size": Text(
        "SharedFiles", "The holding device sent the wrong number of bytes; nothing was stored."
    ),
    "transfer_broken": Text(
        "SharedFiles",
        "The transfer broke off and could not go on; what came is kept to resume later.",
    ),
    "holder_offline": Text(
        "SharedFiles", "{device} holds that file and is offline; try again when it is back."
    ),
    "holder_asleep": Text(
        "SharedFiles", "{device} holds that file and did not wake up; try again shortly."
    ),
    "holder_silent": Text("SharedFiles", "{device} did not start sending the file."),
    "holder_missing": Text("SharedFiles", "{device} no longer has that file; nothing was stored."),
    "busy": Text("SharedFiles", "Too many transfers are under way; try again shortly."),
    "wrong_box_pin": Text("SharedFiles", "That box's PIN is not right."),
    "not_logged_in_here": Text("SharedFiles", "That user is not logged in at this device."),
    "forbidden": Text("SharedFiles", "Users may list and fetch only their own files."),
    "bad_pages": Text("SharedFiles", "Scan 1 to {pages} pages at a time."),
}
# The core's messages without a code of their own ("file_error"), by their words.
_ERRORS_BY_MESSAGE = {
    "You may store files only in your own box or a shared box.": Text(
        "SharedFiles", "You may store files only in your own box or a shared box."
    ),
    "The server cannot be reached: the list needs it.": Text(
        "SharedFiles", "The server cannot be reached: the list needs it."
    ),
    "The server cannot be reached: try again when online.": Text(
        "SharedFiles", "The server cannot be reached: try again when online."
    ),
    "The file is too large for a box.": Text("SharedFiles", "The file is too large for a box."),
}
# A transfer's failure comes without its code: its fixed words are known too.
_ERRORS_BY_MESSAGE.update({t.source: t for t in _ERRORS_BY_CODE.values() if "{" not in t.source})


def error_text(message: str, code: str = "", device: str = "") -> Text | str:
    """A refusal in the panel's language: by its code, else its known words, else as the core
    marked it (untranslated when it did not)."""
    found = _ERRORS_BY_CODE.get(code)
    if found is not None and (device or "{device}" not in found.source):
        return found.format(device=device, pages=MAX_SCAN_PAGES)
    known = _ERRORS_BY_MESSAGE.get(message)
    return known if known is not None else translate_marked("Core", message)


def human_size(size: int) -> str:
    """Bytes in SI units (B, kB, MB, GB: the same in both languages, as on panels)."""
    if size < 1000:
        return f"{size} B"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            value = size / scale
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{size} B"  # pragma: no cover


def file_line(meta: FileMeta, viewer: str = "") -> str:
    """Owner · pages · size · date: the row's second line ("You" for the viewer's own)."""
    pages = Text("SharedFiles", "{n} page") if meta.pages == 1 else Text("SharedFiles", "{n} pages")
    when = format_datetime(meta.created_at)  # Settings' date style and 12/24 h clock
    owner = (
        translate("SharedFiles", "You")
        if meta.owner == viewer
        else str(Text("SharedFiles", "User {user}").format(user=meta.owner))
    )
    return f"{owner}  ·  {pages.format(n=meta.pages)}  ·  {human_size(meta.size)}  ·  {when}"


def transfer_text(progress: TransferProgress) -> str:
    """What the transfer bar says under the file's name."""
    if progress.state == "failed":
        if not progress.message:
            return translate("SharedFiles", "The transfer failed.")
        return str(error_text(progress.message))
    if progress.state == "done":
        done = Text("SharedFiles", "Stored in your box — {size}")
        return str(done.format(size=human_size(progress.total)))
    if progress.state == "verifying":
        return translate("SharedFiles", "Checking the checksum…")
    amount = Text("SharedFiles", "{done} of {total}").format(
        done=human_size(progress.done), total=human_size(progress.total)
    )
    if progress.state == "waiting":
        waiting = Text("SharedFiles", "{amount} — waiting for the holding device…")
        return str(waiting.format(amount=amount))
    return f"{amount}  ·  {human_size(int(progress.rate_bps))}/s"


# -- the list's rows, painted ------------------------------------------------------------------
_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class FilesDelegate(QStyledItemDelegate):
    """A device heading (name, state pill) or a file card (type, name, owner · pages · size ·
    date, box, a lock for a box with a PIN)."""

    HEADING_H, ROW_H, GAP = 36, 58, 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bold = QFont("DejaVu Sans")
        self.bold.setPixelSize(16)
        self.bold.setBold(True)
        self.small = QFont("DejaVu Sans")
        self.small.setPixelSize(13)
        self.tag = QFont("DejaVu Sans")
        self.tag.setPixelSize(11)
        self.tag.setBold(True)
        self._icons: dict[tuple[str, str, int], QPixmap] = {}
        self.viewer = ""  # the user looking: their own files say "You"

    def icon(self, name: str, colour: str, size: int) -> QPixmap:
        key = (name, colour, size)
        if key not in self._icons:
            self._icons[key] = theme.pixmap(name, colour, size)
        return self._icons[key]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        heading = isinstance(index.data(_ROW_ROLE), Group)
        return QSize(
            option.rect.width() or 400, (self.HEADING_H if heading else self.ROW_H) + self.GAP
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        item = index.data(_ROW_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(0, 0, -4, -self.GAP)
        if isinstance(item, Group):
            self._heading(painter, rect, item)
        elif isinstance(item, FileRow):
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            self._file(painter, rect, item, selected)
        painter.restore()

    def _heading(self, painter: QPainter, rect: QRect, group: Group) -> None:
        _, icon, colour = STATE_WORDS.get(group.state, (group.state, "cloud", "#5b6875"))
        words = state_words(group.state)
        middle = rect.center().y()
        painter.drawPixmap(QRect(rect.left() + 2, middle - 11, 22, 22), self.icon(icon, colour, 22))
        painter.setFont(self.bold)
        painter.setPen(QColor("#1d2733"))
        name_m = QFontMetrics(self.bold)
        name = name_m.elidedText(group.device_name, Qt.TextElideMode.ElideRight, rect.width() // 2)
        left = rect.left() + 32
        painter.drawText(
            QRect(left, rect.top(), rect.width(), rect.height()),
            Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        left += name_m.horizontalAdvance(name) + 12
        painter.setFont(self.tag)
        tag_m = QFontMetrics(self.tag)
        text = tag_m.elidedText(
            words, Qt.TextElideMode.ElideRight, max(10, rect.right() - left - 16)
        )
        pill = QRect(left, middle - 11, tag_m.horizontalAdvance(text) + 16, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(pill, 11, 11)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

    def _file(self, painter: QPainter, rect: QRect, row: FileRow, selected: bool) -> None:
        if selected:
            painter.setPen(QPen(QColor(theme.ACCENT), 3))
            painter.setBrush(QColor("#e8f1fc"))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 12, 12)
        else:
            painter.setPen(QPen(QColor("#d3dae2"), 1))
            painter.setBrush(QColor("#ffffff" if row.state != "offline" else "#f3f5f8"))
            painter.drawRoundedRect(rect, 12, 12)
        middle = rect.center().y()
        kind = file_type(row.meta.name)
        badge = QRect(rect.left() + 10, middle - 18, 38, 36)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e3ebf5"))
        painter.drawRoundedRect(badge, 6, 6)
        painter.setFont(self.tag)
        painter.setPen(QColor(theme.ACCENT))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, kind[:4])
        right = rect.right() - 10
        if row.locked:
            painter.drawPixmap(
                QRect(right - 20, middle - 10, 20, 20), self.icon("lock", "#5b6875", 20)
            )
            right -= 28
        box = translate("SharedFiles", "My box") if row.box_id.startswith("user:") else row.box_name
        tag_m = QFontMetrics(self.tag)
        box = tag_m.elidedText(box, Qt.TextElideMode.ElideRight, 110)
        tag = QRect(
            right - tag_m.horizontalAdvance(box) - 14,
            rect.top() + 9,
            tag_m.horizontalAdvance(box) + 14,
            20,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eef1f5"))
        painter.drawRoundedRect(tag, 10, 10)
        painter.setPen(QColor("#46525f"))
        painter.setFont(self.tag)
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, box)
        left = badge.right() + 12
        name_m, small_m = QFontMetrics(self.bold), QFontMetrics(self.small)
        painter.setFont(self.bold)
        painter.setPen(QColor("#1d2733" if row.state != "offline" else "#6f7b88"))
        name = name_m.elidedText(row.meta.name, Qt.TextElideMode.ElideRight, tag.left() - left - 8)
        painter.drawText(
            QRect(left, rect.top() + 8, tag.left() - left, name_m.height()),
            Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        painter.setFont(self.small)
        painter.setPen(QColor("#5b6875"))
        line = small_m.elidedText(
            file_line(row.meta, self.viewer), Qt.TextElideMode.ElideRight, rect.right() - left - 10
        )
        painter.drawText(
            QRect(
                left, rect.bottom() - 8 - small_m.height(), rect.right() - left, small_m.height()
            ),
            Qt.AlignmentFlag.AlignVCenter,
            line,
        )


# -- the screen --------------------------------------------------------------------------------
class FitButton(QPushButton):
    """A button whose words end in "…" when they do not fit its width (a longer language in a
    fixed card); its tooltip then gives the whole words. `full_text()` is what was set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        # A push button's policy makes its whole words its minimum width: let it shrink.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, self.sizePolicy().verticalPolicy())

    def setText(self, text: str) -> None:
        self._full = text
        self.updateGeometry()
        self._fit()

    def full_text(self) -> str:
        return self._full

    def setToolTip(self, tip: str) -> None:
        self._tip = tip
        self._fit()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        extra = metrics.horizontalAdvance(self._full) - metrics.horizontalAdvance(super().text())
        return QSize(hint.width() + max(0, extra), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(64, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.contentsRect().width() - 20  # the style sheets' padding (10 px a side)
        if not self.icon().isNull():
            room -= self.iconSize().width() + 6
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        if self.width() <= 1 or not self.isVisible():
            shown = self._full  # not laid out yet: the whole words
        super().setText(shown)
        elided = shown != self._full
        super().setToolTip(
            "\n".join(filter(None, (self._full, self._tip))) if elided else self._tip
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()


def _button(text: Text | str, name: str, parent: QWidget) -> QPushButton:
    button = FitButton(parent)
    bind(button, text)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class SharedFilesScreen(QWidget):
    """The list, its search, a file's preview and actions, the PIN prompt and the confirmation."""

    back = Signal()
    selected = Signal(object)  # FileRow | None
    print_requested = Signal(object, str)  # FileRow, box PIN
    copy_requested = Signal(object, str)  # FileRow, box PIN
    delete_requested = Signal(object)  # FileRow, confirmed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedFilesScreen")
        self.setStyleSheet(STYLE)
        self.groups: list[Group] = []
        self.query = ""
        self.user_id = ""
        self.current: FileRow | None = None
        self._pending: tuple[str, FileRow] | None = None  # an action waiting for its PIN
        self.titles: dict[QWidget, ElidedLabel] = {}  # each page's title
        self.pages = QStackedWidget(self)
        self.list_page = self._build_list_page()
        self.search_page = self._build_search_page()
        self.pin_page = self._build_pin_page()
        self.confirm_page = self._build_confirm_page()
        for page in (self.list_page, self.search_page, self.pin_page, self.confirm_page):
            self.pages.addWidget(page)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.pages)
        self._preview_shown: tuple[str, FirstPage | None] | None = None
        self._transfer: TransferProgress | None = None
        self.show_file(None)
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self, _language: str = "") -> None:
        """What is drawn from state, again in the new language (bound labels follow by
        themselves)."""
        self.list.viewport().update()
        self._fill_texts()
        self._show_details(self.current)
        if self._transfer is not None:
            self.transfer_text.setText(transfer_text(self._transfer))
        if self._preview_shown is not None:
            self.show_preview(*self._preview_shown)

    # -- building ----------------------------------------------------------------------------
    def _header(self, page: QWidget, title: Text, back: Text) -> tuple[QHBoxLayout, QPushButton]:
        button = _button(back, "backButton", page)
        button.setIcon(theme.icon("back", theme.ACCENT, 24))
        button.setIconSize(QSize(24, 24))
        heading = ElidedLabel(parent=page)
        bind(heading, title, "set_full_text")
        bind(heading, title, "setToolTip")  # the whole title, when it is elided
        heading.setObjectName("screenTitle")
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(button)
        row.addWidget(heading, 1)
        self.titles[page] = heading
        return row, button

    def _build_list_page(self) -> QWidget:
        page = QWidget(self)
        header, self.back_button = self._header(
            page, Text("SharedFiles", "Shared files"), Text("SharedFiles", "Home")
        )
        self.back_button.clicked.connect(self.back)
        self.search_button = _button(Text("SharedFiles", "Search by name"), "searchButton", page)
        self.search_button.setIcon(theme.icon("address-book", "#5b6875", 22))
        self.search_button.setIconSize(QSize(22, 22))
        self.search_button.setMinimumWidth(200)
        self.search_button.clicked.connect(self.open_search)
        self.clear_button = _button(Text("SharedFiles", "Clear"), "linkButton", page)
        self.clear_button.clicked.connect(lambda: self.set_query(""))
        self.clear_button.hide()  # shown with a query
        header.addWidget(self.search_button)
        header.addWidget(self.clear_button)

        self.message = Label(parent=page)
        self.message.setObjectName("filesMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.transfer = self._build_transfer(page)

        self.list = QListWidget(page)
        self.list.setObjectName("filesList")
        self.delegate = FilesDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.itemSelectionChanged.connect(self._on_selection)
        self.empty_label = Label(str(EMPTY_TEXT), page)
        self.empty_label.setObjectName("emptyText")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        body = QHBoxLayout()
        body.setSpacing(12)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.empty_label, 1)
        body.addLayout(left, 1)
        body.addWidget(self._build_details(page))
        column = QVBoxLayout(page)
        column.setContentsMargins(20, 12, 16, 12)
        column.setSpacing(8)
        column.addLayout(header)
        column.addWidget(self.message)
        column.addWidget(self.transfer)
        column.addLayout(body, 1)
        return page

    def _build_transfer(self, page: QWidget) -> QFrame:
        bar = QFrame(page)
        bar.setObjectName("transferBar")
        icon = Label(parent=bar)
        icon.setPixmap(theme.pixmap("cloud", theme.ACCENT, 26))
        self.transfer_title = ElidedLabel(parent=bar)
        self.transfer_title.setObjectName("transferTitle")
        self.via_server = Label(parent=bar)
        bind(self.via_server, Text("SharedFiles", "via server"))
        self.via_server.setObjectName("viaServer")
        self.transfer_text = Label(parent=bar)
        self.transfer_text.setObjectName("transferText")
        self.transfer_text.setWordWrap(True)  # long words in another language: two lines
        self.transfer_bar = QProgressBar(bar)
        self.transfer_bar.setObjectName("transferProgress")
        self.transfer_bar.setTextVisible(False)
        self.transfer_bar.setRange(0, 1000)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.transfer_title, 1)
        top.addWidget(self.via_server, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.transfer_text)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addLayout(top)
        words.addWidget(self.transfer_bar)
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 6, 12, 8)
        row.setSpacing(10)
        row.addWidget(icon)
        row.addLayout(words, 1)
        bar.hide()
        return bar

    def _build_details(self, page: QWidget) -> QFrame:
        card = QFrame(page)
        card.setObjectName("filesDetails")
        card.setFixedWidth(340)
        self.name_label = Label(parent=card)
        self.name_label.setObjectName("fileName")
        self.name_label.setWordWrap(True)
        self.meta_label = Label(parent=card)
        self.meta_label.setObjectName("fileMeta")
        self.meta_label.setWordWrap(True)
        self.preview = Label(parent=card)
        self.preview.setObjectName("filePreview")
        self.preview.setFixedSize(PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_kind = ""  # "page", "image" or "placeholder": what the preview shows
        self.print_button = _button(Text("SharedFiles", "Print here"), "primaryButton", card)
        self.print_button.clicked.connect(lambda: self._act("print"))
        self.copy_button = _button(Text("SharedFiles", "Copy to my box"), "fileAction", card)
        self.copy_button.clicked.connect(lambda: self._act("copy"))
        self.delete_button = _button(Text("SharedFiles", "Delete"), "secondaryButton", card)
        self.delete_button.clicked.connect(self._ask_delete)
        actions = QVBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.print_button)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        middle.addLayout(actions, 1)
        column = QVBoxLayout(card)
        column.setContentsMargins(14, 10, 14, 12)
        column.setSpacing(6)
        column.addWidget(self.name_label)
        column.addWidget(self.meta_label)
        column.addLayout(middle, 1)
        return card

    def _build_search_page(self) -> QWidget:
        page = QWidget(self)
        header, back = self._header(
            page, Text("SharedFiles", "Search by name"), Text("SharedFiles", "Back")
        )
        back.clicked.connect(self.close_search)
        self.search_field = QLineEdit(page)
        self.search_field.setObjectName("field")
        self.search_field.setMaxLength(120)
        bind(self.search_field, Text("SharedFiles", "Part of a file's name"), "setPlaceholderText")
        self.search_field.textChanged.connect(self.set_query)
        self.search_field.returnPressed.connect(self.close_search)
        self.keyboard = TextKeyboard(page)
        self.keyboard.text.connect(self.search_field.insert)
        self.keyboard.backspace.connect(self.search_field.backspace)
        self.keyboard.done.connect(self.close_search)
        column = QVBoxLayout(page)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(header)
        column.addWidget(self.search_field)
        column.addWidget(self.keyboard, 1)
        return page

    def _build_pin_page(self) -> QWidget:
        page = QWidget(self)
        header, back = self._header(
            page, Text("SharedFiles", "Box PIN"), Text("SharedFiles", "Back")
        )
        back.clicked.connect(self._pin_cancelled)
        self.pin_prompt = Label(parent=page)
        self.pin_prompt.setObjectName("screenSubtitle")
        self.pin_prompt.setWordWrap(True)
        self.pin_field = QLineEdit(page)
        self.pin_field.setObjectName("field")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(16)
        self.pin_keypad = Keypad(page)
        self.pin_keypad.digit.connect(self.pin_field.insert)
        self.pin_keypad.backspace.connect(self.pin_field.backspace)
        self.pin_keypad.clear.connect(self.pin_field.clear)
        self.pin_keypad.ok.connect(self._pin_entered)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self.pin_prompt)
        left.addWidget(self.pin_field)
        left.addStretch(1)
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addLayout(left, 1)
        body.addWidget(self.pin_keypad, 1)
        column = QVBoxLayout(page)
        column.setContentsMargins(20, 12, 20, 12)
        column.setSpacing(10)
        column.addLayout(header)
        column.addLayout(body, 1)
        return page

    def _build_confirm_page(self) -> QWidget:
        page = QWidget(self)
        card = QFrame(page)
        card.setObjectName("composeCard")
        card.setMinimumWidth(520)
        self.confirm_title = Label(parent=card)
        self.confirm_title.setObjectName("screenTitle")
        self.confirm_title.setWordWrap(True)
        self.confirm_text = Label(parent=card)
        self.confirm_text.setObjectName("screenSubtitle")
        self.confirm_text.setWordWrap(True)
        self.cancel_delete = _button(Text("SharedFiles", "Cancel"), "fileAction", card)
        self.cancel_delete.clicked.connect(self.show_list)
        self.confirm_delete = _button(Text("SharedFiles", "Delete"), "secondaryButton", card)
        self.confirm_delete.clicked.connect(self._deleted)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.cancel_delete)
        buttons.addWidget(self.confirm_delete)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(30, 24, 30, 24)
        inner.setSpacing(12)
        inner.addWidget(self.confirm_title)
        inner.addWidget(self.confirm_text)
        inner.addSpacing(8)
        inner.addLayout(buttons)
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        return page

    # -- the list ------------------------------------------------------------------------------
    def set_groups(self, groups: list[Group], user_id: str) -> None:
        """Show `groups` (filtered by the search), keeping the chosen file if still there."""
        self.groups, self.user_id = groups, user_id
        self.delegate.viewer = user_id
        self._fill()

    def set_query(self, query: str) -> None:
        query = " ".join(query.split())
        if self.search_field.text() != query and not query:
            self.search_field.clear()
        if query == self.query:
            return
        self.query = query
        bind(
            self.search_button,
            f"“{query}”" if query else Text("SharedFiles", "Search by name"),
        )
        self.search_button.setProperty("query", bool(query))
        repolish(self.search_button)
        self.clear_button.setVisible(bool(query))
        self._fill()

    def visible_groups(self) -> list[Group]:
        """The groups and files the search leaves (all without a query)."""
        needle = self.query.casefold()
        shown = []
        for group in self.groups:
            rows = tuple(r for r in group.rows if needle in r.meta.name.casefold())
            if rows:
                shown.append(Group(group.device_id, group.device_name, group.state, rows))
        return shown

    def _fill(self) -> None:
        chosen = self.current
        self.list.blockSignals(True)
        self.list.clear()
        again: QListWidgetItem | None = None
        for group in self.visible_groups():
            heading = QListWidgetItem(self.list)
            heading.setData(_ROW_ROLE, group)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            words = state_words(group.state)
            heading.setData(Qt.ItemDataRole.AccessibleTextRole, f"{group.device_name}: {words}")
            for row in group.rows:
                item = QListWidgetItem(self.list)
                item.setData(_ROW_ROLE, row)
                item.setData(
                    Qt.ItemDataRole.AccessibleTextRole,
                    f"{row.meta.name}, {file_line(row.meta, self.user_id)}",
                )
                if chosen is not None and _same(row, chosen):
                    again = item
        self.list.blockSignals(False)
        empty = self.list.count() == 0
        self.list.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self._fill_texts()
        if again is not None:
            again.setSelected(True)
            row = again.data(_ROW_ROLE)
            self.current = row
            self._show_details(row)
            self.selected.emit(row)  # its preview may have come meanwhile (a copy fetched)
        else:
            self.show_file(None)

    def _fill_texts(self) -> None:
        """The empty list's words (and the rows' spoken texts) in the current language."""
        if self.query and self.groups:
            nothing = Text("SharedFiles", "No file's name has “{query}”.")
            self.empty_label.setText(str(nothing.format(query=self.query)))
        else:
            self.empty_label.setText(str(EMPTY_TEXT))
        for n in range(self.list.count()):
            item = self.list.item(n)
            row = item.data(_ROW_ROLE)
            if isinstance(row, Group):
                spoken = f"{row.device_name}: {state_words(row.state)}"
            else:
                spoken = f"{row.meta.name}, {file_line(row.meta, self.user_id)}"
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)

    def headings(self) -> list[tuple[str, str]]:
        """(device name, state words) of each group shown, top to bottom (tests)."""
        return [(g.device_name, state_words(g.state)) for g in self.visible_groups()]

    def file_names(self) -> list[str]:
        return [r.meta.name for g in self.visible_groups() for r in g.rows]

    def item_of(self, file_id: str) -> QListWidgetItem | None:
        for n in range(self.list.count()):
            item = self.list.item(n)
            row = item.data(_ROW_ROLE)
            if isinstance(row, FileRow) and row.meta.file_id == file_id:
                return item
        return None

    def row_rect(self, file_id: str) -> QRect:
        item = self.item_of(file_id)
        assert item is not None, file_id
        self.list.scrollToItem(item)
        return self.list.visualItemRect(item)

    def select(self, file_id: str) -> bool:
        item = self.item_of(file_id)
        if item is not None:
            self.list.setCurrentItem(item)
        return item is not None

    def _on_selection(self) -> None:
        items = self.list.selectedItems()
        row = items[0].data(_ROW_ROLE) if items else None
        self.show_file(row if isinstance(row, FileRow) else None)

    # -- the chosen file -----------------------------------------------------------------------
    def show_file(self, row: FileRow | None) -> None:
        changed = row is None or self.current is None or not _same(row, self.current)
        self.current = row
        self._show_details(row)
        if changed:
            self.selected.emit(row)

    def _show_details(self, row: FileRow | None) -> None:
        for button in (self.print_button, self.copy_button, self.delete_button):
            button.setVisible(row is not None)
        self.preview.setVisible(row is not None)
        if row is None:
            self.name_label.setText(translate("SharedFiles", "Choose a file"))
            self.meta_label.setText(
                translate(
                    "SharedFiles",
                    "Its first page, who stored it and what you can do with it show here.",
                )
            )
            return
        meta = row.meta
        self.name_label.setText(meta.name)
        mine = row.box_id == personal_box(self.user_id)
        if row.here:
            where = (
                Text("SharedFiles", "In your box on this device")
                if mine
                else Text("SharedFiles", "In box “{box}” on this device")
            )
        else:
            where = (
                Text("SharedFiles", "In your box on {device}")
                if mine
                else Text("SharedFiles", "In box “{box}” on {device}")
            )
        place = str(where.format(box=row.box_name, device=row.device_name))
        if row.locked:
            place = str(Text("SharedFiles", "{place} (PIN)").format(place=place))
        self.meta_label.setText(f"{file_line(meta, self.user_id)}\n{place}")
        mine_here = row.here and mine
        # An offline holder's files stay actionable: the answer says so in words.
        self.copy_button.setEnabled(not mine_here)
        self.copy_button.setToolTip(
            translate("SharedFiles", "Already in your box") if mine_here else ""
        )
        owner = meta.owner == self.user_id
        self.delete_button.setEnabled(owner and row.here)
        if owner and row.here:
            self.delete_button.setToolTip("")
        elif not owner:
            self.delete_button.setToolTip(translate("SharedFiles", "Only its owner may delete it"))
        else:
            at = Text("SharedFiles", "Delete it at {device}").format(device=row.device_name)
            self.delete_button.setToolTip(str(at))

    def show_preview(self, file_id: str, first: FirstPage | None) -> None:
        """The first page of `file_id` (None: its bytes are not on this device)."""
        row = self.current
        if row is None or row.meta.file_id != file_id:
            return
        self._preview_shown = (file_id, first)
        if first is None:
            first = FirstPage(file_type(row.meta.name))
            note = str(NOT_HERE_NOTE)
        else:
            note = translate("SharedFiles", "No preview")
        image = preview_image(first, PREVIEW_SIZE, note)
        self.preview_kind = (
            "page"
            if first.plan is not None
            else "image"
            if first.image is not None
            else "placeholder"
        )
        self.preview.setPixmap(QPixmap.fromImage(image))

    # -- messages and the transfer --------------------------------------------------------------
    def show_message(self, text: Text | str, level: str = "info") -> None:
        """A line above the list; a `Text` follows a language switch while it shows."""
        bind(self.message, text)
        self.message.setProperty("level", level)
        repolish(self.message)
        self.message.setVisible(bool(str(text)))

    def show_transfer(self, progress: TransferProgress) -> None:
        self._transfer = progress
        self.transfer_title.set_full_text(progress.name)
        self.transfer_text.setText(transfer_text(progress))
        total = max(1, progress.total)
        self.transfer_bar.setValue(round(1000 * min(progress.done, total) / total))
        self.transfer.setProperty("state", progress.state)
        repolish(self.transfer)
        self.transfer.show()

    # -- search, PIN, confirmation ---------------------------------------------------------------
    def show_list(self) -> None:
        self.pages.setCurrentWidget(self.list_page)

    def open_search(self) -> None:
        self.search_field.setText(self.query)
        self.pages.setCurrentWidget(self.search_page)
        self.search_field.setFocus()

    def close_search(self) -> None:
        self.set_query(self.search_field.text())
        self.show_list()

    def _act(self, action: str) -> None:
        row = self.current
        if row is None:
            return
        if row.locked and not row.here:
            self._pending = (action, row)
            prompt = Text(
                "SharedFiles", "The box “{box}” on {device} has a PIN. Type it to use “{file}”."
            )
            bind(
                self.pin_prompt,
                prompt.format(box=row.box_name, device=row.device_name, file=row.meta.name),
            )
            self.pin_field.clear()
            self.pages.setCurrentWidget(self.pin_page)
            return
        self._request(action, row, "")

    def _request(self, action: str, row: FileRow, pin: str) -> None:
        (self.print_requested if action == "print" else self.copy_requested).emit(row, pin)

    def _pin_entered(self) -> None:
        pending, self._pending = self._pending, None
        pin = self.pin_field.text()
        self.pin_field.clear()
        self.show_list()
        if pending is not None:
            self._request(pending[0], pending[1], pin)

    def _pin_cancelled(self) -> None:
        self._pending = None
        self.pin_field.clear()
        self.show_list()

    def _ask_delete(self) -> None:
        row = self.current
        if row is None:
            return
        bind(self.confirm_title, Text("SharedFiles", "Delete “{file}”?").format(file=row.meta.name))
        if row.box_id == personal_box(self.user_id):
            removed = Text(
                "SharedFiles", "It is removed from your box on this device. This cannot be undone."
            )
        else:
            removed = Text(
                "SharedFiles",
                "It is removed from the box “{box}” on this device. This cannot be undone.",
            )
        bind(self.confirm_text, removed.format(box=row.box_name))
        self.pages.setCurrentWidget(self.confirm_page)

    def _deleted(self) -> None:
        row = self.current
        self.show_list()
        if row is not None:
            self.delete_requested.emit(row)

    def reset(self) -> None:
        """Forget the search, the choice and what was said (the next user starts clean)."""
        self._pending = None
        self.pin_field.clear()
        self.search_field.clear()
        self.set_query("")
        self.groups = []
        self.current = None
        self._fill()
        self.show_message("")
        self.transfer.hide()
        self._transfer = None
        self._preview_shown = None
        self.show_list()


def _same(a: FileRow, b: FileRow) -> bool:
    return a.device_id == b.device_id and a.meta.file_id == b.meta.file_id


# -- the controller -------------------------------------------------------------------------------
class SharedFilesController(QObject):
    """The Shared files screen of one window and the device's document boxes it drives."""

    def __init__(self, window: PanelWindow) -> None:
        super().__init__(window)
        self._window = window
        self._screen: SharedFilesScreen | None = None
        self._loading = False
        self._again = False
        self._previews: OrderedDict[str, FirstPage] = OrderedDict()  # by SHA-256

    @property
    def device(self) -> FilesDevice | None:
        return files_of(self._window.device)

    @property
    def screen(self) -> SharedFilesScreen:
        if self._screen is None:
            window = self._window
            screen = self._screen = SharedFilesScreen()
            window.stack.addWidget(screen)
            screen.back.connect(window.show_home)
            screen.selected.connect(self._preview)
            screen.print_requested.connect(self._print)
            screen.copy_requested.connect(self._copy)
            screen.delete_requested.connect(self._delete)
        return self._screen

    def show(self) -> None:
        window = self._window
        if window.device.user is None:
            window.show_login()
            return
        if self.device is None:
            window.show_toast(
                translate(
                    "SharedFiles",
                    "Shared files are not available yet: the device is still starting.",
                )
            )
            return
        screen = self.screen
        screen.show_list()
        window.stack.setCurrentWidget(screen)
        self.refresh()

    def reset(self) -> None:
        if self._screen is not None:
            self._screen.reset()

    # -- the list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load the list again (once more after the load under way, if one is)."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        _ = self._window.tasks.spawn(self._load(), "shared files")

    async def _load(self) -> None:
        try:
            while True:
                self._again = False
                await self._load_once()
                if not self._again:
                    return
        finally:
            self._loading = False

    async def _load_once(self) -> None:
        device, user = self.device, self._window.device.user
        if device is None or user is None or self._screen is None:
            return
        fleet: FileList | None = None
        note: Text | str = ""
        try:
            fleet = await device.files.list_fleet(user.user_id)
        except FileError as refused:
            note = SERVER_NEEDED.format(reason=error_text(refused.message, refused.code))
        user = self._window.device.user
        if user is None:
            return
        files = device.files
        names = {b.box_id: (b.name, bool(b.pin_hash)) for b in files.boxes()}
        groups = rows_of(
            device.device_id, self._window.device.name, files.visible_to(user.user_id), names, fleet
        )
        self.screen.set_groups(groups, user.user_id)
        if note or self.screen.message.property("level") == "warning":
            self.screen.show_message(note, "warning")

    def box_changed(self, _subject: object, _change: str) -> None:
        if self._screen is not None and self._screen.isVisible():
            self.refresh()

    def transfer(self, progress: TransferProgress) -> None:
        if self._screen is not None:
            self._screen.show_transfer(progress)

    # -- the preview -----------------------------------------------------------------------------
    def _local_copy(self, row: FileRow) -> BoxFile | None:
        """This device's file with `row`'s content (the file itself, or a copy fetched here)."""
        device = self.device
        if device is None:
            return None
        if row.here:
            return device.files.get(row.meta.file_id)
        user = self._window.device.user
        mine = device.files.visible_to(user.user_id) if user is not None else []
        return next((f for f in mine if f.meta.sha256 == row.meta.sha256), None)

    def _preview(self, row: FileRow | None) -> None:
        if row is None:
            return
        local = self._local_copy(row)
        if local is None:
            self.screen.show_preview(row.meta.file_id, None)
            return
        cached = self._previews.get(row.meta.sha256)
        if cached is not None:
            self.screen.show_preview(row.meta.file_id, cached)
            return
        self.screen.show_preview(row.meta.file_id, FirstPage(file_type(row.meta.name)))
        _ = self._window.tasks.spawn(self._read_preview(row, local), "file preview")

    async def _read_preview(self, row: FileRow, local: BoxFile) -> None:
        device = self.device
        if device is None:
            return
        first = await in_thread(
            read_first_page, device.files.content_path(local.meta.file_id), row.meta.name
        )
        self._previews[row.meta.sha256] = first
        while len(self._previews) > _PREVIEWS_KEPT:
            self._previews.popitem(last=False)
        if self._screen is not None:
            self._screen.show_preview(row.meta.file_id, first)

    # -- actions ---------------------------------------------------------------------------------
    def _user(self) -> User | None:
        return self._window.device.user

    def _print(self, row: FileRow, pin: str) -> None:
        _ = self._window.tasks.spawn(self._run(self._print_file(row, pin), row), "print box file")

    def _copy(self, row: FileRow, pin: str) -> None:
        _ = self._window.tasks.spawn(self._run(self._copy_file(row, pin), row), "copy box file")

    def _delete(self, row: FileRow) -> None:
        _ = self._window.tasks.spawn(self._run(self._delete_file(row), row), "delete box file")

    async def _run(self, action: Coroutine[Any, Any, None], row: FileRow) -> None:
        """One action on `row`; its refusal (FileError) is said on the screen, in its words."""
        if self._screen is not None:
            self._screen.show_message("")
        try:
            await action
        except FileError as refused:
            said = error_text(refused.message, refused.code, row.device_name)
            self.screen.show_message(said, "error")

    async def _print_file(self, row: FileRow, pin: str) -> None:
        device, user = self.device, self._user()
        if device is None or user is None:
            return
        local = self._local_copy(row)
        if local is None:
            local = await device.files.fetch(row.device_id, row.meta.file_id, user.user_id, pin)
            self.refresh()
        device.files.print_file(local.meta.file_id, user.user_id)
        printing = Text("SharedFiles", "Printing “{file}” here.").format(file=row.meta.name)
        self._window.show_toast(str(printing))

    async def _copy_file(self, row: FileRow, pin: str) -> None:
        device, user = self.device, self._user()
        if device is None or user is None:
            return
        files = device.files
        have = self._local_copy(row)
        if have is not None and have.box_id == personal_box(user.user_id):
            already = Text("SharedFiles", "“{file}” is in your box already.")
            self._window.show_toast(str(already.format(file=row.meta.name)))
            return
        if row.here:
            source = files.content_path(row.meta.file_id)
            await files.store(
                user.user_id, personal_box(user.user_id), row.meta.name, source, row.meta.pages
            )
        else:
            await files.fetch(row.device_id, row.meta.file_id, user.user_id, pin)
        now = Text("SharedFiles", "“{file}” is in your box now.").format(file=row.meta.name)
        self._window.show_toast(str(now))
        self.refresh()

    async def _delete_file(self, row: FileRow) -> None:
        device, user = self.device, self._user()
        if device is None or user is None:
            return
        await device.files.remove(row.meta.file_id, user.user_id)
        self._window.show_toast(
            str(Text("SharedFiles", "Deleted “{file}”.").format(file=row.meta.name))
        )
        self.refresh()

    # -- Scan's "Store in box" (panel/ui/screens/scan.py) ----------------------------------------
    def store_scan(self, pages: int, title: str) -> None:
        """Scan `pages` pages into the user's own box; the Scan screen shows how it went."""
        _ = self._window.tasks.spawn(self._store_scan(pages, title), "scan to box")

    async def _store_scan(self, pages: int, title: str) -> None:
        scan = self._window.scan_screen
        device, user = self.device, self._user()
        if device is None or user is None:
            scan.set_busy(False)
            return
        scan.set_busy(True)
        try:
            stored = await device.files.store_scan(user, personal_box(user.user_id), pages, title)
        except FileError as refused:
            scan.set_busy(False)
            scan.show_error(str(error_text(refused.message, refused.code)))
            return
        except Exception:
            scan.set_busy(False)
            scan.show_error(translate("SharedFiles", "The scan could not be stored. Try again."))
            raise
        scan.composed()
        stored_in = Text("SharedFiles", "Stored “{file}” in your box.")
        self._window.show_toast(str(stored_in.format(file=stored.meta.name)))
