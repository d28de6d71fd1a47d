"""The dock's presence sensor and card reader (S4): a person approaches or leaves the panel
(also F8 / Shift+F8 on the panel), a card is held to the reader."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from panel.device.model import LoginResult, User
from panel.ui.bridge import DeviceBridge
from panel.ui.dock.network_card import Run
from panel.ui.dock.parts import Card, FitLabel, button, follow_language, narrow
from panel.ui.i18n import Text, bind, translate, translate_marked
from panel.ui.widgets import repolish

if TYPE_CHECKING:
    from panel.ui.dock.parts import DockedDevice

APPROACH_KEY, LEAVE_KEY = "F8", "Shift+F8"


class SensorsCard(Card):
    """Presence: who is in front, Approaches / Leaves. Card reader: a demo card or a typed id,
    Tap card; a refusal also shows on the panel (`refused`)."""

    def __init__(
        self,
        device: DockedDevice,
        cards: Sequence[tuple[str, str]],
        run: Run,
        log: Callable[[str], None],
        refused: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Text("DockSensors", "Presence sensor and card reader"), parent)
        self.device = device
        self._run = run
        self._log = log
        self._refused = refused
        # Who is in front on a line of its own: beside the two buttons it had no room.
        self.presence_label = FitLabel(parent=self)
        self.presence_label.setObjectName("qaPresence")
        self.column.addWidget(self.presence_label)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.approach_button = button(
            Text("DockSensors", "Approaches"),
            Text("DockSensors", "A person approaches the panel ({key})").format(key=APPROACH_KEY),
            self,
        )
        self.leave_button = button(
            Text("DockSensors", "Leaves"),
            Text("DockSensors", "The person leaves ({key})").format(key=LEAVE_KEY),
            self,
        )
        self.approach_button.clicked.connect(self.person_approaches)
        self.leave_button.clicked.connect(self.person_leaves)
        row.addWidget(self.approach_button, 1)
        row.addWidget(self.leave_button, 1)
        self.column.addLayout(row)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.card_box = QComboBox(self)
        self.card_box.setObjectName("qaCombo")
        self.card_box.setEditable(True)
        self.card_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        bind(self.card_box, Text("DockSensors", "A demo card, or type a card id"), "setToolTip")
        narrow(self.card_box)
        for card_id, label in cards:
            self.card_box.addItem(label, card_id)
        self.tap_button = button(
            Text("DockSensors", "Tap card"),
            Text("DockSensors", "Hold the card to the panel's reader"),
            self,
        )
        self.tap_button.clicked.connect(self.tap_card)
        row.addWidget(self.card_box, 1)
        row.addWidget(self.tap_button)
        self.column.addLayout(row)
        self._present = False
        follow_language(self, lambda: self.show_presence(self._present))

    def connect_bridge(self, bridge: DeviceBridge) -> None:
        bridge.presence_changed.connect(self._on_presence)
        bridge.session_changed.connect(self._on_session)

    # -- presence -------------------------------------------------------------------------------
    def person_approaches(self) -> None:
        self.device.presence.person_approached()

    def person_leaves(self) -> None:
        self.device.presence.person_left()

    def _on_presence(self, present: bool) -> None:
        self.show_presence(present)
        self._log(
            translate("DockSensors", "Presence: a person approaches")
            if present
            else translate("DockSensors", "Presence: the person left")
        )

    def show_presence(self, present: bool) -> None:
        self._present = present
        self.presence_label.set_full_text(
            translate("DockSensors", "Someone is in front")
            if present
            else translate("DockSensors", "Nobody in front")
        )
        self.presence_label.setProperty("present", present)
        repolish(self.presence_label)

    # -- the card reader ------------------------------------------------------------------------
    def tap_card(self) -> None:
        """Tap the chosen (or typed) card on the reader; a refusal shows on the panel."""
        text = self.card_box.currentText().strip()
        index = self.card_box.findText(text)
        card_id = str(self.card_box.itemData(index)) if index >= 0 else text
        if not card_id:
            self._log(
                translate("DockSensors", "Card reader: pick a demo card or type a card id first")
            )
            return
        self._run(self._tap(card_id), translate("DockSensors", "the card tap"))

    async def _tap(self, card_id: str) -> None:
        result: LoginResult = await self.device.cards.tap(card_id)
        if result.ok and result.user is not None:
            line = translate("DockSensors", "Card {card}: {user} logged in")
            self._log(line.format(card=card_id, user=result.user.name))
        else:
            message = translate_marked("Core", result.message)
            line = translate("DockSensors", "Card {card}: refused: {reason}")
            self._log(line.format(card=card_id, reason=message))
            self._refused(message)

    def _on_session(self, user: User | None) -> None:
        if user is not None:
            line = translate("DockSensors", "Session: {user} logged in")
            self._log(line.format(user=user.name))
        else:
            self._log(translate("DockSensors", "Session: logged out"))
