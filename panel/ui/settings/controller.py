"""The Settings screens' controller: it keeps the device's settings (`SettingsStore`), opens
the screen for an administrator only, and applies every saved change at once, without a
restart: the device side through `panel.device.settings.apply_to_device` (timers on the
running power manager, the networks' order on the failover policy, the name), the panel side
here (language, date and time format, screen size, key click).

Key click: the panel had no sound. A tap on an enabled button of the touchscreen calls
`QApplication.beep()` (the platform's bell: silent where there is none, as under Xvfb) and is
counted in `clicks`, so the setting is seen to work where nothing can be heard.

`install` runs before the panel's first paint (`mfp-panel run`): the screens, the entry page
and the information page are imported when Settings is first opened, not here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, QSize
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDockWidget, QWidget

from panel import config
from panel.device.settings import (
    SCREENS,
    NetworkChoice,
    PanelSettings,
    SettingError,
    SettingsStore,
    apply_to_device,
    check_server,
    check_url,
    network_order,
    show_as,
)
from panel.ui import i18n
from panel.ui.bridge import engine_of, powered
from panel.ui.i18n import Text

if TYPE_CHECKING:
    from panel.device.device import Device
    from panel.ui.settings.entry import Entry
    from panel.ui.settings.info import DeviceFacts
    from panel.ui.settings.screen import SettingsScreen
    from panel.ui.window import PanelWindow

# panel.device.networks.NetworkState's values (the core is not imported before the first paint).
NETWORK_STATES = {
    "unknown": Text("Settings", "Not tried yet"),
    "reachable": Text("Settings", "Reaches the server"),
    "unreachable": Text("Settings", "Does not reach the server"),
    "recovering": Text("Settings", "Recovering"),
}
IN_USE = Text("Settings", "In use")
NOT_USED = Text("Settings", "Off: not used")
ADMINS_ONLY = Text("Settings", "Settings are for administrators.")
CHECKING = Text("Settings", "Checking the server…")


def core(device: object) -> Device | None:
    """`device` if it is the real device core (not a booting or a test's fake one). The core
    is not imported for this: a panel paints before it loads it (`mfp-panel run`)."""
    module = sys.modules.get("panel.device.device")
    if module is not None and isinstance(device, module.Device):
        return cast("Device", device)
    return None


def install(window: PanelWindow, file: config.DeviceSettings) -> SettingsController:
    """The Settings of `window`, kept in the device's settings `file`, applied now."""
    return SettingsController.install(window, SettingsStore(file))


class SettingsController(QObject):
    """One per panel window: `SettingsController.install(window, store)` at start (it applies
    the stored settings), `SettingsController.of(window)` after."""

    def __init__(self, window: PanelWindow, store: SettingsStore) -> None:
        super().__init__(window)
        self.setObjectName("settingsController")
        self._window = window
        self.store = store
        self._screen: SettingsScreen | None = None
        self.clicks = 0  # key clicks given (see the module's docstring)
        self._starting = False  # applying the stored settings as the panel starts (install)
        store.subscribe(self._applied)
        window.view.viewport().installEventFilter(self)

    @classmethod
    def install(
        cls, window: PanelWindow, store: SettingsStore, *, starting: bool = True
    ) -> SettingsController:
        """The controller of `window` over `store`, with the stored settings applied now.

        `starting`: the panel is starting, so the saved language is the panel's language. A
        controller made later (the first time Settings opens) leaves the language alone: a
        walk-up user may have picked theirs with the login screen's language key."""
        found = window.findChild(SettingsController, "settingsController")
        if found is not None:
            found.deleteLater()
        size = window.screen_size
        shown = f"{size.width()}x{size.height()}"
        if "screen" not in store.file.panel and shown in SCREENS:
            # No size saved yet: the one the panel was started with (--screen) is the setting.
            store.current = replace(store.current, screen=shown)
        controller = cls(window, store)
        controller._starting = starting
        controller._applied(None, store.current)
        controller._starting = False
        return controller

    @classmethod
    def of(cls, window: PanelWindow) -> SettingsController:
        """`window`'s controller; without one installed, over the device's settings file in
        the platform's config dir."""
        found = window.findChild(SettingsController, "settingsController")
        if found is not None:
            return found
        file = config.DeviceSettings.load(window.device.name)
        return cls.install(window, SettingsStore(file), starting=False)

    # -- the screen ---------------------------------------------------------------------------
    @property
    def screen(self) -> SettingsScreen:
        if self._screen is None:
            from panel.ui.settings.screen import SettingsScreen

            screen = self._screen = SettingsScreen(self)
            self._window.stack.addWidget(screen)
            screen.back.connect(self._window.show_home)
            screen.entry.submitted.connect(self._submit)
            screen.category_opened.connect(self._opened)
        return self._screen

    def show(self) -> None:
        """The Settings screen, for an administrator; anyone else is told it is not theirs."""
        user = self._window.device.user
        if user is None:
            self._window.show_login()
            return
        if not user.is_admin:
            self._window.show_toast(str(ADMINS_ONLY), "warning")
            return
        screen = self.screen
        screen.start()
        self._window.stack.setCurrentWidget(screen)

    def _opened(self, key: str) -> None:
        if key == "info" and self._screen is not None:
            info = self._screen.pages["info"]
            from panel.ui.settings.info import InfoPage

            assert isinstance(info, InfoPage)
            info.show_facts(self.facts())

    # -- what the pages ask (panel.ui.settings.pages.Settings) --------------------------------
    @property
    def current(self) -> PanelSettings:
        return self.store.current

    def change(self, **changes: object) -> None:
        """Save and apply; SettingError (nothing saved) when a value cannot be taken."""
        self.store.update(**changes)

    def edit(self, entry: Entry) -> None:
        self.screen.open_entry(entry)

    def server_url(self) -> str:
        """The URL the settings name, else the one the device runs with."""
        real = core(self._window.device)
        running = real.config.server_url if real is not None else ""
        return self.store.current.server_url or running

    def save_url(self, text: str) -> Awaitable[None]:
        """A malformed URL is refused at once; a well-formed one is saved only once the server
        there has answered its health check (the awaitable)."""
        url = check_url(text)

        async def check_and_save() -> None:
            real = core(self._window.device)
            await check_server(url, real.clock if real is not None else None)
            self.change(server_url=url)

        return check_and_save()

    def offline_login_allowed(self) -> bool | None:
        cache = getattr(self._window.device, "cache", None)
        allowed = getattr(cache, "offline_login_allowed", None)
        return allowed if isinstance(allowed, bool) else None

    def networks(self) -> list[tuple[NetworkChoice, str]]:
        """The device's networks in the settings' order, each with what is known of it."""
        return [(choice, str(state)) for choice, state in self._network_states()]

    def _network_states(self) -> list[tuple[NetworkChoice, Text]]:
        device = self._window.device
        running = powered(device)
        statuses = {s.name: s for s in running.networks} if running is not None else {}
        real = core(device)
        names = real.link.networks.names if real is not None else list(statuses)
        shown = []
        for choice in network_order(self.store.current, names):
            status = statuses.get(choice.name)
            if not choice.enabled or status is None:
                state = NOT_USED if not choice.enabled else NETWORK_STATES["unknown"]
            else:
                state = IN_USE if status.active else NETWORK_STATES[status.state.value]
            shown.append((choice, state))
        return shown

    def facts(self) -> DeviceFacts:
        from panel.ui.settings.info import DeviceFacts

        device = self._window.device
        device_id = str(getattr(device, "device_id", "") or "")
        networks: list[tuple[str, str, Text | str]] = []
        real = core(device)
        if real is not None:
            manager = real.link.networks
            for choice, state in self._network_states():
                route = next(
                    r for r in (*manager.routes, *manager.disabled) if r.name == choice.name
                )
                networks.append((route.name, route.base_url, state))
        engine = engine_of(device)
        counters: tuple[tuple[Text, int], ...] = ()
        if engine is not None:
            c = engine.status().counters
            counters = (
                (Text("Settings", "Pages printed"), c.total),
                (Text("Settings", "Colour pages"), c.colour),
                (Text("Settings", "Black and white pages"), c.mono),
                (Text("Settings", "Two-sided sheets"), c.duplex),
                (Text("Settings", "Sheets"), c.sheets),
            )
        return DeviceFacts(
            device_id,
            device.name,
            self.server_url(),
            tuple(networks),
            counters,
            registered=bool(device_id),
        )

    # -- typed values -------------------------------------------------------------------------
    def _submit(self, text: str) -> None:
        screen = self.screen
        entry = screen.entry.entry
        if entry is None:
            return
        screen.entry.clear_error()  # this value's answer, not the last one's
        try:
            pending = entry.commit(text)
        except SettingError as refused:
            screen.entry.refuse(refused)
            return
        if pending is None:
            screen.close_entry()
            return
        screen.entry.set_checking(CHECKING)

        async def finish() -> None:
            try:
                await pending
            except SettingError as refused:
                screen.entry.refuse(refused)
                return
            if screen.entry.entry is entry:  # not cancelled meanwhile
                screen.close_entry()

        _ = self._window.tasks.spawn(finish(), "check a server URL")

    # -- applying -----------------------------------------------------------------------------
    def apply_device(self) -> None:
        """The device side of the settings, on the device the window has now (`mfp-panel run`
        attaches the core after the first paint)."""
        device = self._window.device
        real = core(device)
        if real is not None:
            apply_to_device(real, self.store.current)
        self._window.status_bar.set_device_name(self.store.current.device_name or device.name)

    def _applied(self, old: PanelSettings | None, new: PanelSettings) -> None:
        """What a saved change (or the stored settings at start, `old` None) does now."""
        window = self._window
        show_as(new)
        self.apply_device()
        # At start $MFP_LANGUAGE, when set, wins over the saved language (i18n.start_language).
        chosen = old is not None and old.language != new.language
        at_start = self._starting and not os.environ.get(i18n.ENV_OVERRIDE)
        if (chosen or at_start) and new.language != i18n.current_language():
            i18n.set_language(new.language)
        if old is None or old.screen != new.screen:
            self._resize(QSize(*new.screen_size))
        window.status_bar.set_time(window.device.time())  # in the new format at once

    def _resize(self, size: QSize) -> None:
        """The touchscreen at its new logical resolution, the window fitted around it."""
        window = self._window
        if window.screen_size == size:
            return
        window.screen_size = QSize(size)
        view = window.view
        view.logical_size = QSize(size)
        window.touchscreen.setFixedSize(size)
        scene = view.scene()
        scene.setSceneRect(QRectF(0, 0, size.width(), size.height()))
        view.fit()
        dock = next(
            (d for d in window.findChildren(QDockWidget) if d.isVisible() and hasattr(d, "beside")),
            None,
        )
        window.fit_to_screen(dock.beside() if dock is not None else 0)

    # -- key click ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and self.store.current.key_click:
            assert isinstance(event, QMouseEvent)
            if self._button_at(event.position().toPoint()):
                self.clicks += 1
                QApplication.beep()
        return False

    def _button_at(self, point: QPoint) -> bool:
        """Whether a tap at `point` (the view's viewport) lands on an enabled button."""
        window = self._window
        scene_point = window.view.mapToScene(point)
        local = window.view.proxy.mapFromScene(scene_point).toPoint()
        widget: QWidget | None = window.touchscreen.childAt(local)
        while widget is not None and not isinstance(widget, QAbstractButton):
            widget = widget.parentWidget()
        return widget is not None and widget.isEnabled()
