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
from panel.ui.dock.parts import Card, FitLabel, button, narrow

if TYPE_CHECKING:
    from panel.ui.dock.parts import DockedDevice

NONE_PLACED = "No originals placed"


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
        super().__init__("Originals (copy)", parent)
        self.device = device
        self._run = run
        self._log = log
        self._refused = refused
        self.placed_label = FitLabel(NONE_PLACED, self)
        self.placed_label.setObjectName("qaLine")
        self.column.addWidget(self.placed_label)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.sample_box = QComboBox(self)
        self.sample_box.setObjectName("qaCombo")
        self.sample_box.setToolTip("A sample original set shipped with the simulator")
        narrow(self.sample_box)
        for sample in SAMPLES:
            self.sample_box.addItem(sample.name, sample.key)
        self.placement_box = QComboBox(self)
        self.placement_box.setObjectName("qaCombo")
        self.placement_box.setToolTip("The document feeder takes many pages, the glass one")
        narrow(self.placement_box)
        for placement in Placement:
            self.placement_box.addItem(placement.label.capitalize(), placement.value)
        row.addWidget(self.sample_box, 3)
        row.addWidget(self.placement_box, 2)
        self.column.addLayout(row)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.place_button = button("Place", "Place the sample set on the feeder or glass", self)
        self.file_button = button("File…", "Place a PDF or image file's pages", self)
        self.remove_button = button("Remove", "Take the originals away", self)
        self.place_button.clicked.connect(self.place_sample)
        self.file_button.clicked.connect(self.choose_file)
        self.remove_button.clicked.connect(self.remove)
        for widget in (self.place_button, self.file_button, self.remove_button):
            row.addWidget(widget, 1)
        self.column.addLayout(row)
        self._dialog: QFileDialog | None = None
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
            self._run(self._placed(copier.place_sample(key, self.placement())), "placing originals")

    def choose_file(self) -> None:
        """A file dialog that does not nest an event loop (the asyncio loop runs on)."""
        if self._dialog is None:
            self._dialog = QFileDialog(self, "Place a file on the copier")
            self._dialog.setNameFilters(
                ["PDF and images (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.tif *.tiff)", "All (*)"]
            )
            self._dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            self._dialog.fileSelected.connect(lambda name: self.place_file(Path(name)))
        self._dialog.open()

    def place_file(self, path: Path) -> None:
        copier = self._copier()
        if copier is not None:
            self._run(self._placed(copier.place_file(path, self.placement())), "placing a file")

    async def _placed(self, placing: Coroutine[Any, Any, Original]) -> None:
        try:
            original = await placing
        except CopyError as refused:
            self._log(f"Originals: {refused.message}")
            self._refused(refused.message)
            return
        self._log(f"Originals: {original.name}, {original.describe()}")

    def remove(self) -> None:
        copier = self._copier()
        if copier is not None and copier.original is not None:
            copier.remove_originals()
            self._log("Originals: taken away")

    def _copier(self) -> CopyControl | None:
        return copier_of(self.device)

    # -- what the device says -------------------------------------------------------------------
    def _on_copy(self, status: CopyStatus, change: str) -> None:
        if change == "originals":
            self.show_original(status.original)

    def show_original(self, original: Original | None) -> None:
        if original is None:
            self.placed_label.set_full_text(NONE_PLACED)
        else:
            self.placed_label.set_full_text(f"{original.name}: {original.describe()}")
        self.remove_button.setEnabled(original is not None)
