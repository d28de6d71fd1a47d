"""The dock's camera card (QR connection, S7): hold the phone simulator (or any image file) to
the device's camera, as well or as badly as a hand holds it (rotation, perspective, blur, noise,
glare, small), and see what the camera made of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSlider,
    QWidget,
)

from panel.device.qr import Degradation, QrState, QrStatus
from panel.ui.dock.parts import Card, FitLabel, button, follow_language
from panel.ui.i18n import Text, bind, translate, translate_marked
from panel.ui.widgets import Label

if TYPE_CHECKING:
    from panel.device.qr import QrScanner
    from panel.ui.bridge import DeviceBridge
    from panel.ui.dock.parts import DockedDevice

DEFAULT_PHONE_URL = "http://127.0.0.1:8640"  # `mfp-panel phone`'s default port
KINDS = (
    ("rotation", Text("DockCamera", "Rotate")),
    ("perspective", Text("DockCamera", "Tilt")),
    ("blur", Text("DockCamera", "Blur")),
    ("noise", Text("DockCamera", "Noise")),
    ("glare", Text("DockCamera", "Glare")),
    ("small", Text("DockCamera", "Small")),
)


class CameraCard(Card):
    """Hold phone to camera, File…, Take away; the degradations and their strength."""

    def __init__(
        self,
        device: DockedDevice,
        phone_url: str,
        log: Callable[[str], None],
        show_screen: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Text("DockCamera", "Camera (phone QR)"), parent)
        self.phone_url = phone_url
        self._log = log
        self._show_screen = show_screen
        self.scanner: QrScanner | None = getattr(device, "qr", None)
        self.phone_label = FitLabel("", self)
        self.phone_label.setObjectName("qaLine")
        self.column.addWidget(self.phone_label)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.hold_button = button(
            Text("DockCamera", "Hold phone to camera"),
            Text("DockCamera", "The camera sees the phone simulator's screen now"),
            self,
        )
        self.file_button = button(
            Text("DockCamera", "File…"),
            Text("DockCamera", "Hold any image file to the camera"),
            self,
        )
        self.away_button = button(
            Text("DockCamera", "Away"),
            Text("DockCamera", "Take the phone off the document stand"),
            self,
        )
        self.hold_button.clicked.connect(self.hold_phone)
        self.file_button.clicked.connect(self.choose_file)
        self.away_button.clicked.connect(self.take_away)
        row.addWidget(self.hold_button, 3)
        row.addWidget(self.file_button, 1)
        row.addWidget(self.away_button, 1)
        self.column.addLayout(row)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.kind_buttons: dict[str, QPushButton] = {}
        for index, (kind, text) in enumerate(KINDS):
            tip = Text("DockCamera", "Degrade the camera's view: {kind}").format(kind=text)
            toggle = button(text, tip, self, checkable=True)
            toggle.toggled.connect(self._show_strength)
            grid.addWidget(toggle, index // 3, index % 3)
            self.kind_buttons[kind] = toggle
        self.column.addLayout(grid)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.strength = QSlider(Qt.Orientation.Horizontal, self)
        self.strength.setRange(0, 100)
        self.strength.setValue(40)
        bind(
            self.strength,
            Text("DockCamera", "How badly the phone is held (0: perfectly)"),
            "setToolTip",
        )
        self.strength.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.strength.valueChanged.connect(self._show_strength)
        self.strength_label = Label(parent=self)
        self.strength_label.setObjectName("qaLine")
        self.strength_label.setMinimumWidth(96)
        row.addWidget(self.strength, 1)
        row.addWidget(self.strength_label)
        self.column.addLayout(row)
        self.result_label = FitLabel("", self)
        self.result_label.setObjectName("qaLine")
        self.column.addWidget(self.result_label)
        self._dialog: QFileDialog | None = None
        self._status: QrStatus | None = None
        follow_language(self, self._retranslate)
        self._retranslate()
        if self.scanner is None:  # a test's fake device: no camera
            self.hide()

    def connect_bridge(self, bridge: DeviceBridge) -> None:
        bridge.qr_changed.connect(self.show_status)

    def degradation(self) -> Degradation:
        kinds = {kind for kind, toggle in self.kind_buttons.items() if toggle.isChecked()}
        return Degradation.strength(self.strength.value() / 100, kinds)

    def _retranslate(self) -> None:
        self.phone_label.set_full_text(
            translate("DockCamera", "Phone: {url}").format(url=self.phone_url)
        )
        self._show_strength()
        self._show_result(self._status)

    def _show_strength(self) -> None:
        kinds = [str(text) for kind, text in KINDS if self.kind_buttons[kind].isChecked()]
        self.strength_label.setText(
            f"{self.strength.value()}% {'+'.join(kinds)}"
            if kinds
            else translate("DockCamera", "held well")
        )
        self.strength.setEnabled(bool(kinds))

    # -- actions --------------------------------------------------------------------------------
    def hold_phone(self) -> None:
        if self.scanner is not None:
            line = translate("DockCamera", "Camera: phone held to the camera ({how})")
            self._log(line.format(how=self.strength_label.text()))
            self._show_screen()
            self.scanner.async_see_phone(self.phone_url, self.degradation())

    def choose_file(self) -> None:
        """A file dialog that does not nest an event loop."""
        if self._dialog is None:
            self._dialog = QFileDialog(self, translate("DockCamera", "Hold an image to the camera"))
            self._dialog.setNameFilters(
                [
                    translate("DockCamera", "Images") + " (*.png *.jpg *.jpeg *.gif *.bmp)",
                    translate("DockCamera", "All files") + " (*)",
                ]
            )
            self._dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            self._dialog.fileSelected.connect(lambda name: self.hold_file(Path(name)))
        self._dialog.open()

    def hold_file(self, path: Path) -> None:
        if self.scanner is not None:
            line = translate("DockCamera", "Camera: {file} held to the camera")
            self._log(line.format(file=path.name))
            self._show_screen()
            self.scanner.async_see_file(path, self.degradation())

    def take_away(self) -> None:
        if self.scanner is not None:
            self.scanner.clear()
            self._log(translate("DockCamera", "Camera: the stand is empty"))

    def show_status(self, status: QrStatus) -> None:
        text = self._show_result(status)
        if text is not None and status.state is not QrState.IDLE:
            self._log(translate("DockCamera", "Camera: {result}").format(result=text))

    def _show_result(self, status: QrStatus | None) -> str | None:
        """What the camera made of the stand, on the result line (None: nothing new)."""
        if status is None or status.state is QrState.IDLE:
            text = translate("DockCamera", "Nothing on the stand")
        elif status.state is QrState.PROJECTED:
            names = ", ".join(p.name for p in status.pages)
            text = translate("DockCamera", "Projected: {pages}").format(pages=names)
        elif status.state is QrState.REFUSED:
            message = translate_marked("Core", status.message)
            text = translate("DockCamera", "Refused: {reason}").format(reason=message)
        else:
            return None
        self._status = status
        self.result_label.set_full_text(text)
        return text
