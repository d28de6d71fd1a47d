"""The dock's originals card (Copy): place a sample original set or any PDF/image file on the
simulated document feeder or the glass, or take the originals away."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QWidget

from panel.device.copying import SAMPLES, CopyError, CopyStatus, Original, Placement
from panel.ui.bridge import CopyControl, DeviceBridge, copier_of
from panel.ui.dock.network_card import Run
from panel.ui.dock.parts import Card, FitLabel, add_items, button, follow_language, narrow
from panel.ui.i18n import Text, bind, translate, translate_marked

if TYPE_CHECKING:
    from panel.ui.dock.parts import DockedDevice

NONE_PLACED = Text("DockOriginals", "No originals placed")
SAMPLE_NAMES = {  # the shipped sample sets' names (the core's English), by key
    "letter": Text("DockOriginals", "Letter, 3 pages"),
    "report": Text("DockOriginals", "Report, 5 pages"),
    "photo": Text("DockOriginals", "Photo, 1 page"),
}
PLACEMENTS = {
    Placement.FEEDER: Text("DockOriginals", "Feeder"),
    Placement.GLASS: Text("DockOriginals", "Glass"),
}


def sample_name(name: str) -> Text | str:
    """A sample set's name in the current language; any other original's name (a file's) as
    it is."""
    key = next((sample.key for sample in SAMPLES if sample.name == name), None)
    return SAMPLE_NAMES.get(key, name) if key is not None else name


def describe(original: Original) -> str:
    """ "3 pages in the feeder", "1 page on the glass" (the core's words, translated here)."""
    pages = original.pages
    if original.placement is Placement.GLASS:
        if pages == 1:
            return translate("DockOriginals", "1 page on the glass")
        return translate("DockOriginals", "{pages} pages on the glass").format(pages=pages)
    if pages == 1:
        return translate("DockOriginals", "1 page in the feeder")
    return translate("DockOriginals", "{pages} pages in the feeder").format(pages=pages)


class OriginalsCard(Card):
    """Sample set or file, feeder or glass; Place, File…, Remove. What lies there, on a line."""

    def __init__(
        self,
        device: DockedDevice,
        run: Run,
        log: Callable[[str], None],
        refused: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Text("DockOriginals", "Originals (copy)"), parent)
        self.device = device
        self._run = run
        self._log = log
        self._refused = refused
        self.placed_label = FitLabel(str(NONE_PLACED), self)
        self.placed_label.setObjectName("qaLine")
        self.column.addWidget(self.placed_label)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.sample_box = QComboBox(self)
        self.sample_box.setObjectName("qaCombo")
        bind(
            self.sample_box,
            Text("DockOriginals", "A sample original set shipped with the simulator"),
            "setToolTip",
        )
        narrow(self.sample_box)
        add_items(self.sample_box, [(sample_name(s.name), s.key) for s in SAMPLES])
        self.placement_box = QComboBox(self)
        self.placement_box.setObjectName("qaCombo")
        bind(
            self.placement_box,
            Text("DockOriginals", "The document feeder takes many pages, the glass one"),
            "setToolTip",
        )
        narrow(self.placement_box)
        add_items(self.placement_box, [(PLACEMENTS[p], p.value) for p in Placement])
        row.addWidget(self.sample_box, 3)
        row.addWidget(self.placement_box, 2)
        self.column.addLayout(row)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.place_button = button(
            Text("DockOriginals", "Place"),
            Text("DockOriginals", "Place the sample set on the feeder or glass"),
            self,
        )
        self.file_button = button(
            Text("DockOriginals", "File…"),
            Text("DockOriginals", "Place a PDF or image file's pages"),
            self,
        )
        self.remove_button = button(
            Text("DockOriginals", "Remove"), Text("DockOriginals", "Take the originals away"), self
        )
        self.place_button.clicked.connect(self.place_sample)
        self.file_button.clicked.connect(self.choose_file)
        self.remove_button.clicked.connect(self.remove)
        for widget in (self.place_button, self.file_button, self.remove_button):
            row.addWidget(widget, 1)
        self.column.addLayout(row)
        self._dialog: QFileDialog | None = None
        self._original: Original | None = None
        follow_language(self, lambda: self.show_original(self._original))
        copier = copier_of(device)
        if copier is None:  # a device still booting, a test's fake: the card is not shown
            self.hide()
        else:
            self.show_original(copier.status().original)

    def connect_bridge(self, bridge: DeviceBridge) -> None:
        bridge.copy_changed.connect(self._on_copy)

    def placement(self) -> Placement:
        return Placement(str(self.placement_box.currentData()))

    # -- actions --------------------------------------------------------------------------------
    def place_sample(self) -> None:
        copier = self._copier()
        if copier is not None:
            key = str(self.sample_box.currentData())
            placing = copier.place_sample(key, self.placement())
            self._run(self._placed(placing), translate("DockOriginals", "placing originals"))

    def choose_file(self) -> None:
        """A file dialog that does not nest an event loop (the asyncio loop runs on)."""
        if self._dialog is None:
            self._dialog = QFileDialog(
                self, translate("DockOriginals", "Place a file on the copier")
            )
            self._dialog.setNameFilters(
                [
                    translate("DockOriginals", "PDF and images")
                    + " (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.tif *.tiff)",
                    translate("DockOriginals", "All files") + " (*)",
                ]
            )
            self._dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            self._dialog.fileSelected.connect(lambda name: self.place_file(Path(name)))
        self._dialog.open()

    def place_file(self, path: Path) -> None:
        copier = self._copier()
        if copier is not None:
            placing = copier.place_file(path, self.placement())
            self._run(self._placed(placing), translate("DockOriginals", "placing a file"))

    async def _placed(self, placing: Coroutine[Any, Any, Original]) -> None:
        try:
            original = await placing
        except CopyError as refused:
            message = translate_marked("Core", refused.message)
            self._log(translate("DockOriginals", "Originals: {message}").format(message=message))
            self._refused(message)
            return
        line = translate("DockOriginals", "Originals: {name}, {pages}")
        self._log(line.format(name=sample_name(original.name), pages=describe(original)))

    def remove(self) -> None:
        copier = self._copier()
        if copier is not None and copier.original is not None:
            copier.remove_originals()
            self._log(translate("DockOriginals", "Originals: taken away"))

    def _copier(self) -> CopyControl | None:
        return copier_of(self.device)

    # -- what the device says -------------------------------------------------------------------
    def _on_copy(self, status: CopyStatus, change: str) -> None:
        if change == "originals":
            self.show_original(status.original)

    def show_original(self, original: Original | None) -> None:
        self._original = original
        if original is None:
            self.placed_label.set_full_text(str(NONE_PLACED))
        else:
            self.placed_label.set_full_text(f"{sample_name(original.name)}: {describe(original)}")
        self.remove_button.setEnabled(original is not None)
