"""Scan screen (S1): pick a destination from the cached address book, set the page count, Scan.

The address book comes from the device's cache, so it works offline; the window runs the
composition (`scan_requested`) and reports back with `composed()` or `show_error()`.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from panel.device.settings import format_datetime
from panel.protocol.messages import Destination
from panel.ui import i18n, theme
from panel.ui.i18n import Text, bind
from panel.ui.screens.compose import ComposeScreen
from panel.ui.widgets import Label

KIND_ICONS = {"email": "mail", "folder": "folder", "cloud": "cloud", "box": "shared"}
KIND_LABELS = {
    "email": Text("Scan", "E-mail"),
    "folder": Text("Scan", "Folder"),
    "cloud": Text("Scan", "Cloud"),
    "box": Text("Scan", "Box"),
}
# "Store in box" (S6): the scan kept in the user's own box on this device, offline too.
BOX_DESTINATION = Destination("box:mine", "Store in my box", "box", "On this device, Shared files")
BOX_WORDS = (Text("Scan", "Store in my box"), Text("Scan", "On this device, Shared files"))
EMPTY_TEXT = Text(
    "Scan", "No destinations yet — the address book arrives when the device is online."
)


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def shown(item: Destination) -> tuple[str, str]:
    """A destination's name and address as the list shows them ("Store in my box" translated;
    the address book's entries as the server sent them)."""
    if item == BOX_DESTINATION:
        return str(BOX_WORDS[0]), str(BOX_WORDS[1])
    return item.name, item.address


def default_title(seconds: float) -> str:
    """The name a scan gets: when it was made, to the minute, in local time, written as the
    Settings' date style and clock say."""
    stamp = format_datetime(seconds)
    return str(Text("Scan", "Scan {time}").format(time=stamp))


class DestinationModel(QAbstractListModel):
    """The cached address book, in the cache's order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[Destination] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._items)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        item = self.at(index.row()) if index.isValid() else None
        if item is None:
            return None
        name, address = shown(item)
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{name}, {kind_label(item.kind)}, {address}"
        return None

    def at(self, row: int) -> Destination | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, dest_id: str) -> int:
        for row, item in enumerate(self._items):
            if item.dest_id == dest_id:
                return row
        return -1

    def set_items(self, items: list[Destination]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()


class DestinationDelegate(QStyledItemDelegate):
    """A destination as a big touch row: kind icon, name, address; a tick when chosen."""

    ROW_HEIGHT = 72
    GAP = 8

    def __init__(self, model: DestinationModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._icons: dict[tuple[str, bool], QPixmap] = {}
        self._tick = theme.pixmap("check", theme.ACCENT, 28)
        self.name_font = QFont("DejaVu Sans")
        self.name_font.setPixelSize(18)
        self.name_font.setBold(True)
        self.address_font = QFont("DejaVu Sans")
        self.address_font.setPixelSize(14)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width() or 400, self.ROW_HEIGHT + self.GAP)

    def card(self, rect: QRect) -> QRect:
        return QRect(rect.left(), rect.top(), rect.width() - 4, self.ROW_HEIGHT)

    def _icon(self, kind: str, enabled: bool) -> QPixmap:
        key = (kind, enabled)
        icon = self._icons.get(key)
        if icon is None:
            icon = theme.pixmap(
                KIND_ICONS.get(kind, "send"), theme.ACCENT if enabled else theme.MUTED, 36
            )
            self._icons[key] = icon
        return icon

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        item = self._model.at(index.row())
        if item is None:
            return
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        card = self.card(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.setPen(QPen(QColor(theme.ACCENT), 3))
            painter.setBrush(QColor("#e8f1fc"))
            outline = QRectF(card).adjusted(1.5, 1.5, -1.5, -1.5)
        else:
            painter.setPen(QPen(QColor("#d3dae2"), 1))
            painter.setBrush(QColor("#ffffff" if enabled else "#f3f5f8"))
            outline = QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(outline, 12, 12)
        middle = card.center().y()
        painter.drawPixmap(
            QRect(card.left() + 16, middle - 18, 36, 36), self._icon(item.kind, enabled)
        )
        right = card.right() - 16
        if selected:
            painter.drawPixmap(QRect(right - 28, middle - 14, 28, 28), self._tick)
            right -= 40
        left = card.left() + 68
        width = right - left
        name_m, address_m = QFontMetrics(self.name_font), QFontMetrics(self.address_font)
        top = middle - (name_m.height() + 2 + address_m.height()) // 2
        painter.setFont(self.name_font)
        painter.setPen(QColor("#1d2733" if enabled else "#6f7b88"))
        item_name, item_address = shown(item)
        name = name_m.elidedText(item_name, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            QRect(left, top, width, name_m.height()), Qt.AlignmentFlag.AlignVCenter, name
        )
        painter.setFont(self.address_font)
        painter.setPen(QColor("#5b6875"))
        kind = kind_label(item.kind)
        address = address_m.elidedText(
            f"{kind}  ·  {item_address}", Qt.TextElideMode.ElideMiddle, width
        )
        painter.drawText(
            QRect(left, top + name_m.height() + 2, width, address_m.height()),
            Qt.AlignmentFlag.AlignVCenter,
            address,
        )
        painter.restore()


class ScanScreen(ComposeScreen):
    """Scan to a destination of the cached address book."""

    scan_requested = Signal(str, int, str)  # dest_id, pages, title
    store_requested = Signal(int, str)  # pages, title: "Store in box" (offer_box)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "scanScreen",
            Text("Scan", "Scan"),
            Text("Scan", "Scan"),
            "scan",
            Text("Scan", "Scanning…"),
            parent,
        )
        self._box = False  # "Store in my box" offered first (a device with boxes)
        self._destinations: list[Destination] = []
        self.destination_model = DestinationModel(self)
        self.destination_list = QListView(self.left)
        self.destination_list.setObjectName("destinationList")
        self.destination_list.setModel(self.destination_model)
        self.destination_list.setItemDelegate(DestinationDelegate(self.destination_model, self))
        self.destination_list.setUniformItemSizes(True)
        self.destination_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.destination_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.destination_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.destination_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.destination_list.setFrameShape(QFrame.Shape.NoFrame)
        self.destination_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        selection = self.destination_list.selectionModel()
        selection.selectionChanged.connect(self._on_selection)

        self.empty_label = Label(parent=self.left)
        bind(self.empty_label, EMPTY_TEXT)
        self.empty_label.setObjectName("emptyText")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_icon = Label(parent=self.left)
        empty_icon.setPixmap(theme.pixmap("address-book", theme.MUTED, 64))
        empty_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state = QWidget(self.left)
        empty_box = QVBoxLayout(self.empty_state)
        empty_box.addStretch(1)
        empty_box.addWidget(empty_icon)
        empty_box.addWidget(self.empty_label)
        empty_box.addStretch(2)

        send_to = Label(parent=self.left)
        bind(send_to, Text("Scan", "Send to"))
        send_to.setObjectName("fieldLabel")
        box = QVBoxLayout(self.left)
        box.setContentsMargins(16, 14, 12, 14)
        box.setSpacing(8)
        box.addWidget(send_to)
        box.addWidget(self.destination_list, 1)
        box.addWidget(self.empty_state, 1)

        name_label = Label(parent=self.right)
        bind(name_label, Text("Scan", "Document name"))
        name_label.setObjectName("fieldLabel")
        self.title_label = Label(default_title(0), self.right)
        self.title_label.setObjectName("composeValue")
        self.details.addWidget(name_label)
        self.details.addWidget(self.title_label)
        self.details.addSpacing(8)
        self.set_destinations([])
        self._time = 0.0
        i18n.notifier().changed.connect(self._retranslate)

    def _retranslate(self) -> None:
        """The rows are painted: paint them again; the default name follows the language."""
        self.destination_list.viewport().update()
        self.set_time(self._time)

    # -- input ------------------------------------------------------------------------------------
    def selected_destination(self) -> Destination | None:
        rows = self.destination_list.selectionModel().selectedRows()
        return self.destination_model.at(rows[0].row()) if rows else None

    def select_destination(self, dest_id: str) -> bool:
        """Choose `dest_id` as a tap would; False when the address book does not have it."""
        row = self.destination_model.row_of(dest_id)
        if row < 0:
            return False
        index = self.destination_model.index(row, 0)
        self.destination_list.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.destination_list.scrollTo(index)
        return True

    def destination_rect(self, dest_id: str) -> QRect:
        """Where `dest_id`'s row is, in the list's viewport (scrolled into view first)."""
        index = self.destination_model.index(self.destination_model.row_of(dest_id), 0)
        self.destination_list.scrollTo(index)
        return self.destination_list.visualRect(index)

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if self.error_label.text():
            self.show_error("")
        else:
            self.refresh()

    # -- what the window tells it -----------------------------------------------------------------
    def set_destinations(self, destinations: list[Destination]) -> None:
        """The cached address book changed: show it, keeping the chosen entry if still there."""
        chosen = self.selected_destination()
        self._destinations = list(destinations)
        destinations = [BOX_DESTINATION, *destinations] if self._box else destinations
        self.destination_model.set_items(destinations)
        if chosen is not None:
            self.select_destination(chosen.dest_id)
        empty = not destinations
        self.destination_list.setVisible(not empty)
        self.empty_state.setVisible(empty)
        self.refresh()

    def offer_box(self, on: bool) -> None:
        """Offer "Store in my box" above the address book (the window connects
        `store_requested` to the device's boxes)."""
        self._box = on
        self.set_destinations(self._destinations)

    def set_time(self, seconds: float) -> None:
        """The device's clock: the default document name follows it, to the minute."""
        self._time = seconds
        title = default_title(seconds)
        if title != self.title_label.text():
            self.title_label.setText(title)

    def submit(self) -> None:
        chosen = self.selected_destination()
        if self.busy:
            return
        if chosen is None:
            self.show_error(Text("Scan", "Choose where to send the scan."))
            return
        self.show_error("")
        if chosen == BOX_DESTINATION:
            self.store_requested.emit(self.pages.value(), self.title_label.text())
            return
        self.scan_requested.emit(chosen.dest_id, self.pages.value(), self.title_label.text())

    def reset(self) -> None:
        self.destination_list.clearSelection()
        self.destination_list.scrollToTop()
        super().reset()

    # -- ComposeScreen ----------------------------------------------------------------------------
    def ready(self) -> bool:
        return self.selected_destination() is not None

    def hint(self) -> Text | str:
        chosen = self.selected_destination()
        if chosen is None:
            if self.destination_model.rowCount() == 0:
                return ""
            return Text("Scan", "Choose where to send the scan.")
        if chosen == BOX_DESTINATION:
            return Text(
                "Scan", "Stores the scan in your box on this device: Shared files lists it."
            )
        if not self.online:
            return Text(
                "Scan",
                "Sends to {name}. Offline: it waits on this device and goes when the link is back.",
            ).format(name=chosen.name)
        return Text("Scan", "Sends to {name}.").format(name=chosen.name)
