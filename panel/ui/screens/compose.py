"""What the Scan and Fax screens share: a header, a left card, a right card with the page
stepper, a hint that a refusal replaces (in red), and one big action button."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from panel.ui import i18n, theme
from panel.ui.i18n import Text, bind
from panel.ui.widgets import CoreText, Label, Stepper

MAX_PAGES = 50


class ComposeScreen(QWidget):
    """Base of a screen that composes an outgoing job; subclasses fill `left` and `details`."""

    back = Signal()

    def __init__(
        self,
        object_name: str,
        title: Text,
        action: Text,
        action_icon: str,
        busy_text: Text,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.busy = False
        self.online = True
        self._action = action
        self._busy_text = busy_text

        self.back_button = QPushButton(self)
        bind(self.back_button, Text("Compose", "Home"))
        self.back_button.setObjectName("backButton")
        self.back_button.setIcon(theme.icon("back", theme.ACCENT, 24))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        heading = Label(parent=self)
        bind(heading, title)
        heading.setObjectName("screenTitle")
        self.offline_pill = Label(parent=self)
        bind(self.offline_pill, Text("Compose", "Offline — jobs are held"))
        self.offline_pill.setObjectName("offlinePill")
        self.offline_pill.hide()
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.back_button)
        header.addWidget(heading, 1)
        header.addWidget(self.offline_pill, 0, Qt.AlignmentFlag.AlignVCenter)

        self.left = QFrame(self)
        self.left.setObjectName("composeCard")
        self.right = QFrame(self)
        self.right.setObjectName("composeCard")
        side = QVBoxLayout(self.right)
        side.setContentsMargins(22, 16, 22, 18)
        side.setSpacing(6)
        self.details = QVBoxLayout()  # the subclass's own fields, above the pages
        self.details.setSpacing(6)
        side.addLayout(self.details)
        pages_label = Label(parent=self.right)
        bind(pages_label, Text("Compose", "Pages"))
        pages_label.setObjectName("fieldLabel")
        self.pages = Stepper(1, MAX_PAGES, 1, self.right)
        side.addWidget(pages_label)
        side.addWidget(self.pages)
        side.addStretch(1)
        self.hint_label = Label(parent=self.right)
        self.hint_label.setObjectName("composeHint")
        self.hint_label.setWordWrap(True)
        self.error_label = Label(parent=self.right)
        self.error_label.setObjectName("composeError")
        self.error_label.setWordWrap(True)
        side.addWidget(self.hint_label)
        side.addWidget(self.error_label)
        side.addSpacing(4)
        self.action_button = QPushButton(self.right)
        bind(self.action_button, action)
        self.action_button.setObjectName("primaryButton")
        self.action_button.setIcon(theme.icon(action_icon, "#ffffff", 30))
        self.action_button.setIconSize(QSize(30, 30))
        self.action_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.action_button.setMinimumHeight(68)
        self.action_button.clicked.connect(self.submit)
        side.addWidget(self.action_button)

        cards = QHBoxLayout()
        cards.setSpacing(18)
        cards.addWidget(self.left, 11)
        cards.addWidget(self.right, 9)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 14, 24, 16)
        column.setSpacing(12)
        column.addLayout(header)
        column.addLayout(cards, 1)
        self.error_label.hide()  # the subclass calls refresh() once its own parts exist
        i18n.notifier().changed.connect(self.refresh)  # the hint is worded from the state

    # -- for subclasses ---------------------------------------------------------------------------
    def submit(self) -> None:
        """The action button (or Enter): check the input, then emit the request."""
        raise NotImplementedError

    def ready(self) -> bool:
        """Whether the input is complete enough to enable the action button."""
        return True

    def hint(self) -> Text | str:
        """The line above the action button when there is no refusal to show."""
        return ""

    # -- what the window tells it -----------------------------------------------------------------
    def set_online(self, online: bool) -> None:
        self.online = online
        self.offline_pill.setVisible(not online)
        self.refresh()

    def set_busy(self, busy: bool) -> None:
        """While the device writes the job to its outbox, the button says so and is disabled."""
        self.busy = busy
        bind(self.action_button, self._busy_text if busy else self._action)
        self.pages.setEnabled(not busy)
        self.left.setEnabled(not busy)
        self.refresh()

    def show_error(self, message: Text | str) -> None:
        """A refusal, in red, where the hint was; an empty message brings the hint back. A
        string is the core's (translated when it was marked)."""
        text = CoreText(message) if isinstance(message, str) and message else message
        bind(self.error_label, text)
        self.error_label.setVisible(bool(str(text)))
        self.refresh()

    def composed(self) -> None:
        """The job is in the outbox: ready for the next one (same destination, one page)."""
        self.set_busy(False)
        self.pages.set_value(1)
        self.show_error("")

    def reset(self) -> None:
        """Forget everything chosen (Reset key, logout)."""
        self.set_busy(False)
        self.pages.set_value(1)
        self.show_error("")

    def refresh(self, *_: object) -> None:
        self.action_button.setEnabled(not self.busy and self.ready())
        text = self.hint()
        bind(self.hint_label, text)
        self.hint_label.setVisible(bool(str(text)) and not self.error_label.text())
