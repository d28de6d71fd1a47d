"""The device's power state on the panel (S4), and every touch reported to the core as use.

Dimmed: the touchscreen darkens slowly, as a backlight turned down (a `QPropertyAnimation` on
a shade's darkness). Asleep: the screen is dark and the Power LED blinks slowly. Awake again:
the screen is lit at once, as a real panel's backlight comes on.

The core counts the panel as in use only when the panel says so: one event filter on the
touchscreen view (its viewport gets every tap, the view every key press) and one on each
hardware key call `touch()` / `hardware_key()`, with no per-widget wiring. On a sleeping panel
the first touch or key only wakes it: the finger lands on a dark screen, so the control under
it must not also be pressed.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Property as QtProperty
from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPropertyAnimation,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QWidget

from panel.device.power import PowerState
from panel.ui.bridge import PowerControl
from panel.ui.widgets import HardKey, Led, ScreenView, repolish

DIM_LEVEL = 0.62  # how dark a dimmed screen is: 0 lit, 1 dark
DIM_MS = 900  # the slow fade of dimming
SLEEP_MS = 450  # dimmed (or lit, at the Energy Saver key) to dark

# What counts as someone using the touchscreen (a touchscreen's taps reach Qt as mouse events).
_TOUCHES = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel}
)
# The rest of a touch that woke the panel: swallowed with it.
_REST_OF_TOUCH = frozenset(
    {QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick}
)


class ScreenShade(QWidget):
    """A black layer over the touchscreen, `level` dark (0 clear .. 1 black); never takes a tap."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("screenShade")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._level = 0.0
        self.hide()

    def darkness(self) -> float:
        return self._level

    def set_darkness(self, level: float) -> None:
        self._level = min(1.0, max(0.0, level))
        self.setVisible(self._level > 0.0)
        self.update()

    level = QtProperty(float, darkness, set_darkness)  # what the animation drives

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, round(255 * self._level)))
        painter.end()


class PowerView(QObject):
    """Shows the power state on the touchscreen and the Power LED; reports use to the core."""

    lit = Signal()  # the touchscreen has been painted lit again after dimming or sleep

    def __init__(
        self,
        view: ScreenView,
        power_led: Led,
        keys: Mapping[str, HardKey],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = view
        self._viewport = view.viewport()
        self._led = power_led
        self._energy_key = keys["energy_saver"]
        # The Energy Saver key says "use" through its own click (it sleeps or wakes the device).
        self._keys = {key for name, key in keys.items() if name != "energy_saver"}
        self.shade = ScreenShade(self._viewport)
        self.shade.resize(self._viewport.size())
        self.animation = QPropertyAnimation(self.shade, b"level", self)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self.state = PowerState.ACTIVE
        self._power: PowerControl | None = None
        self._swallowing: QObject | None = None  # where the rest of a waking touch goes
        self._lit_pending = False
        self._viewport.installEventFilter(self)
        view.installEventFilter(self)
        for key in self._keys:
            key.installEventFilter(self)

    def attach(self, power: PowerControl | None) -> None:
        """Follow `power` (None: a device still booting, always lit)."""
        self._power = power
        self.show_state(power.state if power is not None else PowerState.ACTIVE, animate=False)

    @property
    def level(self) -> float:
        """How dark the touchscreen is now: 0 lit, DIM_LEVEL dimmed, 1 dark."""
        return self.shade.darkness()

    # -- showing the state ------------------------------------------------------------------------
    def show_state(self, state: PowerState, animate: bool = True) -> None:
        previous, self.state = self.state, state
        self.animation.stop()
        self._energy_key.setProperty("asleep", state is PowerState.SLEEP)
        repolish(self._energy_key)
        if state is PowerState.ACTIVE:
            self.shade.set_darkness(0.0)  # lit at once: waking must feel instant
            self._led.set_on(True)
            if previous is not PowerState.ACTIVE:
                self._lit_pending = True
                self._viewport.update()
            return
        self._lit_pending = False
        if state is PowerState.DIMMED:
            self._led.set_on(True)
            self._fade_to(DIM_LEVEL, DIM_MS if animate else 0)
        else:
            self._led.set_blinking_slowly()
            self._fade_to(1.0, SLEEP_MS if animate else 0)

    def _fade_to(self, level: float, ms: int) -> None:
        if ms <= 0:
            self.shade.set_darkness(level)
            return
        self.animation.setDuration(ms)
        self.animation.setStartValue(self.level)
        self.animation.setEndValue(level)
        self.animation.start()

    # -- touches and keys -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._swallowing is watched and kind in _REST_OF_TOUCH:
            if kind == QEvent.Type.MouseButtonRelease:
                self._swallowing = None
            return True
        if watched is self._viewport:
            if kind in _TOUCHES:
                return self._used(watched, kind != QEvent.Type.Wheel, hardware=False)
            if kind == QEvent.Type.Resize and isinstance(event, QResizeEvent):
                self.shade.resize(event.size())
            elif kind == QEvent.Type.Paint and self._lit_pending:
                self._lit_pending = False
                QTimer.singleShot(0, self, self._painted_lit)  # after this paint is done
        elif watched is self._view:
            if kind == QEvent.Type.KeyPress:
                return self._used(watched, False, hardware=False)
        elif kind == QEvent.Type.MouseButtonPress and watched in self._keys:
            return self._used(watched, True, hardware=True)
        return False

    def _used(self, watched: QObject, has_release: bool, hardware: bool) -> bool:
        """Tell the core; on a sleeping panel, swallow what only woke it (True)."""
        power = self._power
        if power is None:
            return False
        asleep = power.state is PowerState.SLEEP
        if hardware:
            power.hardware_key()
        else:
            power.touch()
        if asleep and has_release:
            self._swallowing = watched
        return asleep

    def _painted_lit(self) -> None:
        if self.state is PowerState.ACTIVE:
            self.lit.emit()
