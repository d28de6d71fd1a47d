"""The panel's side of a remote maintenance call (S3): the Maintenance call key, the request
screen, the consent prompt, the banner and chat strip, and the remote screen session.

The views and the device's maintenance client pull in the protocol and the network stack: they
are imported and built only for a device that has a maintenance client, never before the first
paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from panel.ui.i18n import Text, translate

if TYPE_CHECKING:
    from panel.device.maintenance import (
        ChatLine,
        Consent,
        MaintenanceStatus,
        OperatorInput,
        PanelState,
    )
    from panel.ui.bridge import PanelDevice
    from panel.ui.maintenance_bridge import MaintenanceBridge, MaintenanceService
    from panel.ui.remote_screen import RemoteScreen
    from panel.ui.screens.maintenance import (
        ConsentDialog,
        MaintenanceBanner,
        MaintenanceChat,
        MaintenanceScreen,
    )
    from panel.ui.window import PanelWindow

CALL_FAILED = Text("Maintenance", "The call could not be made. Try again.")
# The panel's state in the "Sent with your call" lines (the operator gets the state's codes).
PRINTER_WORDS = {
    "idle": Text("Maintenance", "Printer idle"),
    "processing": Text("Maintenance", "Printer processing"),
    "stopped": Text("Maintenance", "Printer stopped"),
}
CONNECTION_WORDS = {
    "online": Text("Maintenance", "online"),
    "offline": Text("Maintenance", "offline"),
    "connecting": Text("Maintenance", "connecting"),
}

# The screen on show, as a maintenance call reports it to the operator.
SCREEN_NAMES = {
    "loginScreen": "login",
    "homeScreen": "home",
    "jobListScreen": "jobs",
    "scanScreen": "scan",
    "faxScreen": "fax",
    "copyScreen": "copy",
    "deviceStatusScreen": "device-status",
    "sharedFilesScreen": "shared-files",
    "engineFault": "engine-fault",
}
# Those names as the panel's user reads them in "Sent with your call".
SCREEN_WORDS = {
    "login": Text("Maintenance", "login"),
    "home": Text("Maintenance", "home"),
    "jobs": Text("Maintenance", "jobs"),
    "scan": Text("Maintenance", "scan"),
    "fax": Text("Maintenance", "fax"),
    "copy": Text("Maintenance", "copy"),
    "device-status": Text("Maintenance", "device status"),
    "shared-files": Text("Maintenance", "shared files"),
    "engine-fault": Text("Maintenance", "engine fault"),
}


class Joined:
    """Parts shown as one line, each in the language shown when the line is drawn."""

    def __init__(self, parts: list[Text | str], separator: str = " · ") -> None:
        self.parts = parts
        self.separator = separator

    def __str__(self) -> str:
        return self.separator.join(map(str, self.parts))


class MaintenanceCall(QObject):
    """Everything about a maintenance call on one panel window."""

    _banner: MaintenanceBanner
    _chat: MaintenanceChat
    _consent: ConsentDialog

    def __init__(self, window: PanelWindow) -> None:
        super().__init__(window)
        self._window = window
        self._views_built = False
        self._screen: MaintenanceScreen | None = None
        self._screen_before_call: QWidget | None = None
        self._fault_up = False  # the engine's fault screen was up when the key was pressed
        self.service: MaintenanceService | None = None
        self.bridge: MaintenanceBridge | None = None
        self.remote: RemoteScreen | None = None

    @property
    def device(self) -> PanelDevice:
        """The window's device (it changes when a booting panel attaches the real core)."""
        return self._window.device

    # -- the views --------------------------------------------------------------------------------
    @property
    def banner(self) -> MaintenanceBanner:
        """Across the top for the whole of a call (hidden otherwise)."""
        self._build_views()
        return self._banner

    @property
    def chat(self) -> MaintenanceChat:
        self._build_views()
        return self._chat

    @property
    def consent_dialog(self) -> ConsentDialog:
        self._build_views()
        return self._consent

    def _build_views(self) -> None:
        """The banner and chat strip across the top (hidden until a call), the consent prompt
        over the touchscreen."""
        if self._views_built:
            return
        from panel.ui.screens.maintenance import ConsentDialog, MaintenanceBanner, MaintenanceChat

        self._views_built = True
        touchscreen = self._window.touchscreen
        banner = self._banner = MaintenanceBanner(touchscreen)
        chat = self._chat = MaintenanceChat(touchscreen)
        column = touchscreen.layout()
        assert isinstance(column, QVBoxLayout)
        column.insertWidget(1, banner)  # right under the status bar
        column.insertWidget(2, chat)
        self._consent = ConsentDialog(lambda: self.device.time(), touchscreen)
        self._consent.chosen.connect(self._set_consent)
        banner.end_requested.connect(self.end)
        banner.change_requested.connect(self._change_consent)
        banner.details_requested.connect(self.show)

    @property
    def screen(self) -> MaintenanceScreen:
        """The request form and the state of the call under way."""
        if self._screen is None:
            from panel.ui.screens.maintenance import MaintenanceScreen

            screen = self._screen = MaintenanceScreen()
            self._window.stack.addWidget(screen)
            screen.back.connect(self._leave_screen)
            screen.call_requested.connect(self._start_call)
            screen.cancel_call.connect(self.end)
        return self._screen

    # -- following the device's maintenance client ------------------------------------------------
    def attach(self) -> None:
        """Follow the maintenance client of the window's device, if it has one."""
        self.close()
        self.service = None
        device = self.device
        if getattr(device, "maintenance", None) is None:  # booting, or a fake
            if self._views_built:
                from panel.device.maintenance import MaintenanceStatus

                self._show_call(MaintenanceStatus(), "")
            return
        from panel.ui.maintenance_bridge import MaintenanceBridge, maintenance_of
        from panel.ui.remote_screen import RemoteScreen

        service = self.service = maintenance_of(device)
        if service is None:
            return
        self._build_views()
        bridge = self.bridge = MaintenanceBridge(device.events, self)
        bridge.changed.connect(self._show_call)
        bridge.chat.connect(self._on_chat)
        bridge.operator_input.connect(self._on_operator_input)
        self.remote = RemoteScreen(self._window.view, service, self._press_key, parent=self)
        bridge.refresh.connect(self.remote.refresh)
        self._show_call(service.status, "")

    def close(self) -> None:
        """Stop following the client and streaming the screen (detach, or the window closes)."""
        if self.bridge is not None:
            self.bridge.detach()
            self.bridge.deleteLater()
            self.bridge = None
        if self.remote is not None:
            self.remote.stop()
            self.remote.tap_mark.deleteLater()
            self.remote.deleteLater()
            self.remote = None

    # -- the Maintenance call key and the request screen ------------------------------------------
    def show(self) -> None:
        """The Maintenance call key: the request form, or where the call under way is."""
        window = self._window
        service = self.service
        if service is None:
            window.show_toast(
                translate("Maintenance", "Remote maintenance is not available right now.")
            )
            return
        screen = self.screen
        current = window.current_screen()
        if current is not screen:
            self._screen_before_call = current
            # A jam's screen over the panel goes down (as with Later) so the request form is
            # seen; the call says the user was looking at it.
            self._fault_up = window.lift_fault_screen()
        status = service.status
        if not status.in_call:
            screen.reset()
            codes, summary = self._attachments()
            screen.set_attachments(codes, summary)
        screen.set_status(status)
        window.stack.setCurrentWidget(screen)

    def _leave_screen(self) -> None:
        """Back to where the user was when they pressed the Maintenance call key."""
        window = self._window
        before = self._screen_before_call
        self._screen_before_call = None
        self._fault_up = False
        if before is None or before is window.login_screen or self.device.user is None:
            window.show_home()
        else:
            window.stack.setCurrentWidget(before)

    def _panel_state(self) -> PanelState:
        """What the panel shows and does now: it travels with the call."""
        from panel.device.maintenance import PanelState

        window = self._window
        before = self._screen_before_call or window.current_screen()
        name = "engineFault" if self._fault_up else before.objectName()
        user = self.device.user
        return PanelState(
            screen=SCREEN_NAMES.get(name, name),
            width=window.screen_size.width(),
            height=window.screen_size.height(),
            printer_state=window.printer.value,
            connection=window.connection.value,
            user_id=user.user_id if user is not None else "",
            active_jobs=window.active_jobs(),
            outbox_held=window.outbox.held,
        )

    def _attachments(self) -> tuple[list[str], list[Text | Joined]]:
        """The error codes (what lights Attention) and the panel's state, in words: one `Text`
        a line, so the screen words them in the language it shows."""
        state = self._panel_state()
        user = self.device.user
        printer = PRINTER_WORDS.get(state.printer_state)
        jobs: list[Text | str] = [
            printer if printer is not None else f"Printer {state.printer_state}"
        ]
        if state.active_jobs:
            active = (
                Text("Maintenance", "{n} active job")
                if state.active_jobs == 1
                else Text("Maintenance", "{n} active jobs")
            )
            jobs.append(active.format(n=state.active_jobs))
        if state.outbox_held:
            jobs.append(Text("Maintenance", "{n} held").format(n=state.outbox_held))
        jobs.append(CONNECTION_WORDS.get(state.connection, state.connection))
        screen = Text("Maintenance", "Screen: {screen} · {size}").format(
            screen=SCREEN_WORDS.get(state.screen, state.screen),
            size=f"{state.width}x{state.height}",
        )
        lines: list[Text | Joined] = [
            screen,
            Text("Maintenance", "{name} logged in").format(name=user.name)
            if user is not None
            else Text("Maintenance", "Nobody logged in"),
            Joined(jobs),
        ]
        return self._error_codes(), lines

    def _error_codes(self) -> list[str]:
        """What the operator reads with the call (`panel.device.attention`, the rule the
        Attention LED follows): the engine's codes (a jam's J-0101...), then a failed job's
        and the connection's. A device without an engine yet has only its printer state."""
        from panel.device.attention import error_codes
        from panel.device.engine.status import Counters, EngineStatus

        window = self._window
        status = window.engine_status or EngineStatus(
            window.printer, (), (), (), Counters(), 0.0, 0.0, False, None
        )
        return error_codes(status, window.connection, window.job_failed)

    def _start_call(self, reason: str, note: str) -> None:
        service = self.service
        if service is None:
            return
        self.screen.set_busy(True)
        codes = self._error_codes()  # as they are now, not when the screen opened
        _ = self._window.tasks.spawn(self._call(service, reason, note, codes), "maintenance call")

    async def _call(
        self, service: MaintenanceService, reason: str, note: str, codes: list[str]
    ) -> None:
        """Ask for the call; a refusal shows on the request screen. Anything else is a bug: the
        screen says so and the window's task owner reports it."""
        from panel.device.maintenance import MaintenanceError

        screen = self.screen
        try:
            await service.request(reason, note, codes, self._panel_state())
        except MaintenanceError as refused:
            screen.set_busy(False)
            from panel.ui.screens.maintenance import refusal_text

            screen.show_error(refusal_text(refused.message))
            return
        except Exception:
            screen.set_busy(False)
            screen.show_error(CALL_FAILED)
            raise
        screen.set_busy(False)

    def end(self) -> None:
        """End the call (the banner's End, Cancel call, the Stop key)."""
        service = self.service
        if service is not None and service.status.in_call:
            # The end comes as MAINTENANCE_CHANGED.
            _ = self._window.tasks.spawn(service.end("user"), "ending the maintenance call")

    def stop_key_ends_call(self) -> bool:
        """During a call the Stop key ends it (a second press stops printing)."""
        service = self.service
        if service is None or not service.status.in_call:
            return False
        self.end()
        return True

    # -- the call under way -----------------------------------------------------------------------
    def _show_call(self, status: MaintenanceStatus, change: str) -> None:
        """Everything that follows the call: banner, request screen, consent prompt, stream."""
        from panel.device.maintenance import Consent

        window = self._window
        self.banner.set_status(status)
        if self._screen is not None:
            self._screen.set_status(status)
        if self.remote is not None:
            if status.viewing:
                self.remote.start()
            else:
                self.remote.stop()
        dialog = self.consent_dialog
        prompting = dialog.isVisible()
        if status.consent_needed:
            if change == "started" or not prompting:
                if window.current_screen() is self._screen:
                    self._leave_screen()
                timeout = self.service.consent_timeout_s if self.service else 30.0
                dialog.ask(status.operator_name, status.consent_deadline, timeout)
        elif not status.in_call:
            dialog.hide()
        if change == "consent" and prompting and status.consent is Consent.DENY:
            dialog.hide()  # nobody answered: the core said no
            window.show_toast(
                translate(
                    "Maintenance",
                    "No answer: the operator may not see this panel. Tap Change to allow it.",
                ),
                "warning",
            )
        if change == "ended":
            self.chat.clear()
            if window.current_screen() is self._screen:
                self._leave_screen()
            from panel.ui.screens.maintenance import end_text

            window.show_toast(end_text(status.end_reason))

    def _set_consent(self, choice: Consent) -> None:
        from panel.device.maintenance import MaintenanceError

        service = self.service
        if service is None:
            return
        try:
            service.set_consent(choice)
        except MaintenanceError as exc:
            from panel.ui.screens.maintenance import refusal_text

            self._window.show_toast(str(refusal_text(exc.message)), "warning")

    def _change_consent(self) -> None:
        from panel.device.maintenance import MaintenancePhase

        status = self.service.status if self.service is not None else None
        if status is not None and status.phase is MaintenancePhase.ACTIVE and status.consent:
            self.consent_dialog.change(status.operator_name, status.consent)

    def _on_chat(self, line: ChatLine) -> None:
        self.chat.add_line(line)

    def _on_operator_input(self, event: OperatorInput) -> None:
        if self.remote is not None:
            self.remote.inject(event)

    def _press_key(self, name: str) -> None:
        """The operator pressed a hardware key: the key lights up and does what it does."""
        window = self._window
        handlers = {"home": window.show_home, "reset": window.reset, "stop": window.cancel_printing}
        handler = handlers.get(name)
        if handler is None:
            return
        window.bezel.flash_key(name)
        handler()
