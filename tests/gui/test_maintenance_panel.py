"""Remote maintenance on the panel (S3) over the real stack: a real server and its relay, a real
device core (on a ManualClock, so the consent prompt's 30 s are device time), its window, and
an operator doing what the console does (the headless OperatorClient).

Synchronous pytest-qt tests like the rest of this folder: coroutines run as tasks on the
session's qasync loop while qtbot's waits process Qt events (`run`). The panel's user acts by
tapping through the scaled touchscreen (`finger`) and pressing the bezel keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support import device_config, running_server
from support.panel_touch import finger, logged_in
from support.qt_loop import run

from panel.device import ConnectionState, Device
from panel.device.clock import ManualClock
from panel.device.maintenance import Consent, MaintenancePhase, MaintenanceStatus, PanelState
from panel.protocol.maintenance import (
    ChatMessage,
    ConsentReport,
    ScreenRect,
    ScreenUpdate,
    SessionEnded,
)
from panel.protocol.messages import ErrorFrame
from panel.server.app import RunningServer
from panel.server.demo_data import DEMO_OPERATORS
from panel.server.relay.client import LiveView, OperatorClient
from panel.ui.screens.maintenance import MaintenanceScreen
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

(OP1, OLIVIA, OP1_PASSWORD), (OP2, RAVI, OP2_PASSWORD) = DEMO_OPERATORS


class CallStack:
    """A server with the demo operators, a device on a ManualClock, its panel, and operators."""

    def __init__(
        self, qtbot: QtBot, server: RunningServer, device: Device, window: PanelWindow
    ) -> None:
        self.qtbot, self.server, self.device, self.window = qtbot, server, device, window
        clock = device.clock
        assert isinstance(clock, ManualClock)
        self.clock: ManualClock = clock
        self.operators: list[OperatorClient] = []
        self.views: list[LiveView] = []
        self.others: list[Device] = []
        self.server_up = True

    def operator(self, operator_id: str = OP1, available: bool = True) -> OperatorClient:
        """An operator logged in (and available, unless told otherwise)."""
        password = {op: pw for op, _, pw in DEMO_OPERATORS}[operator_id]
        client = OperatorClient(self.server.url)
        self.operators.append(client)
        run(self.qtbot, client.login(operator_id, password))
        if available:
            run(self.qtbot, client.set_presence("available"))
        return client

    def other_device(self, tmp: Path, name: str) -> Device:
        """A second device (no panel) that calls too."""
        device = Device(device_config(self.server, tmp, name))
        run(self.qtbot, device.start())
        self.others.append(device)
        return device

    @property
    def status(self) -> MaintenanceStatus:
        return self.device.maintenance.status

    def wait_phase(self, phase: MaintenancePhase, timeout_ms: int = 10_000) -> None:
        self.qtbot.waitUntil(lambda: self.status.phase is phase, timeout=timeout_ms)

    def close(self) -> None:
        self.window.close()
        for view in self.views:
            run(self.qtbot, view.close())
        for device in [self.device, *self.others]:
            run(self.qtbot, device.stop())
        for client in self.operators:
            run(self.qtbot, client.close())
        if self.server_up:
            run(self.qtbot, self.server.stop())


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[CallStack]:
    server = run(qtbot, running_server(tmp_path))
    for operator_id, name, password in DEMO_OPERATORS:
        server.store.add_operator(operator_id, name, password)
    device = Device(device_config(server, tmp_path / "device", "Lobby MFP"), clock=ManualClock())
    run(qtbot, device.start())
    window = PanelWindow(device)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: device.connection_state is ConnectionState.ONLINE)
    stack = CallStack(qtbot, server, device, window)
    yield stack
    stack.close()


def press(window: PanelWindow, key: str) -> None:
    QTest.mouseClick(window.keys[key], Qt.MouseButton.LeftButton)


def request_screen(window: PanelWindow) -> MaintenanceScreen:
    screen = window.current_screen()
    assert isinstance(screen, MaintenanceScreen), f"{screen.objectName()} is on show"
    return screen


def call_for(qtbot: QtBot, stack: CallStack, reason: str = "Paper jam") -> MaintenanceScreen:
    """Maintenance call key, a reason, Call service: the call is with the relay."""
    window = stack.window
    press(window, "maintenance")
    screen = request_screen(window)
    finger(window, screen.reason_buttons[reason])
    finger(window, screen.call_button)
    qtbot.waitUntil(lambda: stack.status.phase is not MaintenancePhase.CALLING)
    return screen


def in_session(qtbot: QtBot, stack: CallStack, operator: OperatorClient) -> LiveView:
    """Call, the operator accepts and opens the live view: the panel asks for consent."""
    call_for(qtbot, stack)
    stack.wait_phase(MaintenancePhase.ASSIGNED)
    start = run(qtbot, operator.accept(stack.status.call_id))
    view = run(qtbot, operator.view(start.call_id))
    stack.views.append(view)
    run(qtbot, view.details())
    stack.wait_phase(MaintenancePhase.ACTIVE)
    qtbot.waitUntil(stack.window.consent_dialog.isVisible)
    return view


def consent(qtbot: QtBot, stack: CallStack, view: LiveView, choice: Consent) -> None:
    """The panel's user taps a choice in the consent prompt; the operator hears of it."""
    window = stack.window
    finger(window, window.consent_dialog.buttons[choice])
    report = run(qtbot, view.wait(ConsentReport))
    assert report.choice == choice.value


def screen_update(
    qtbot: QtBot, view: LiveView, predicate: Callable[[ScreenUpdate], bool] = lambda _: True
) -> ScreenUpdate:
    return run(qtbot, view.wait(ScreenUpdate, predicate))


def covers(update: ScreenUpdate, width: int, height: int) -> bool:
    """The update's rectangles cover the whole screen (they are tile-aligned, disjoint)."""
    return sum(r.w * r.h for r in update.rects) == width * height


# -- the request screen ---------------------------------------------------------------------------


def test_the_maintenance_key_opens_a_request_that_carries_the_panel_state(
    qtbot: QtBot, stack: CallStack
) -> None:
    window = stack.window
    logged_in(qtbot, window)
    finger(window, window.home_screen.tiles["jobs"])
    press(window, "maintenance")
    screen = request_screen(window)
    assert not screen.call_button.isEnabled()  # a reason first
    attached = screen.attached_label.text()
    assert "No error codes" in attached
    assert "Screen: jobs · 1024x600" in attached
    assert "Alice Martin logged in" in attached

    finger(window, screen.reason_buttons["Print quality"])
    assert screen.call_button.isEnabled()
    finger(window, screen.note_button)
    assert screen.pages.currentWidget() is screen.typing
    keys = screen.keyboard.buttons
    finger(window, keys["shift"])
    for key in ["s", "t", "r", "e", "a", "k", "s", "space", "2"]:
        finger(window, keys[key])
    QTest.keyClicks(screen.note_field, " pages")  # a physical keyboard types there too
    finger(window, keys["done"])
    assert screen.pages.currentWidget() is screen.form
    assert screen.note_button.text() == "Streaks 2 pages"

    finger(window, screen.call_button)  # nobody is available: the call waits in the queue
    stack.wait_phase(MaintenancePhase.QUEUED)
    assert screen.pages.currentWidget() is screen.progress
    assert screen.progress_title.text() == "You are number 1 in the queue"
    banner = window.maintenance_banner
    assert banner.isVisible()
    assert banner.title_label.full_text() == "You are number 1 in the queue"
    assert banner.end_button.text() == "Cancel call"

    (call,) = stack.server.relay.calls().calls
    assert (call.reason, call.note, call.error_codes) == ("Print quality", "Streaks 2 pages", [])
    assert call.panel == PanelState(
        screen="jobs",
        width=1024,
        height=600,
        printer_state="idle",
        connection="online",
        user_id="1001",
        active_jobs=0,
        outbox_held=0,
    )

    finger(window, screen.continue_button)  # keep working: back where the user was
    assert window.current_screen() is window.jobs_screen
    assert banner.isVisible()


def test_a_jam_travels_with_the_call_as_its_code_and_the_server_has_the_status(
    qtbot: QtBot, stack: CallStack
) -> None:
    """Issue 14: the call carries the engine's codes (a jam's J-0101), the request screen shows
    them, and the server's status of the device (its reports) has the same jam."""
    window, device = stack.window, stack.device
    device.engine.jam("tray-1")
    qtbot.waitUntil(
        lambda: window.engine_status is not None and window.engine_status.error_codes == ["J-0101"]
    )
    qtbot.waitUntil(window.fault_screen.isVisible)
    press(window, "maintenance")  # the user calls service from the jam's screen
    screen = request_screen(window)
    assert not window.fault_screen.isVisible()  # the form is not opened underneath it
    assert "Error codes: J-0101" in screen.attached_label.text()
    finger(window, screen.reason_buttons["Paper jam"])
    finger(window, screen.call_button)
    stack.wait_phase(MaintenancePhase.QUEUED)
    (call,) = stack.server.relay.calls().calls
    assert call.error_codes == ["J-0101"]
    assert call.panel.printer_state == "stopped"
    assert call.panel.screen == "engine-fault"  # what the user was looking at

    def server_codes() -> list[str]:
        status = stack.server.store.device_status(device.device_id, "").status
        return [] if status is None else [r.code for r in status.reasons]

    qtbot.waitUntil(lambda: server_codes() == ["J-0101"])


def test_the_queue_position_moves_up_then_the_assigned_operator_is_named(
    qtbot: QtBot, stack: CallStack, tmp_path: Path
) -> None:
    window = stack.window
    first = stack.other_device(tmp_path / "other", "Basement MFP")
    run(qtbot, first.maintenance.request("Toner", panel_state=PanelState(width=800, height=480)))
    screen = call_for(qtbot, stack)
    banner = window.maintenance_banner
    qtbot.waitUntil(lambda: screen.progress_title.text() == "You are number 2 in the queue")
    assert screen.progress_detail.text() == "1 call ahead of yours."
    assert banner.title_label.full_text() == "You are number 2 in the queue"

    olivia = stack.operator(OP1)  # takes the first call: we are next
    qtbot.waitUntil(lambda: first.maintenance.status.phase is MaintenancePhase.ASSIGNED)
    qtbot.waitUntil(lambda: screen.progress_title.text() == "You are number 1 in the queue")
    assert screen.progress_detail.text() == "You are next: the first free operator takes your call."

    stack.operator(OP2)  # a second operator comes: the call is offered to him
    stack.wait_phase(MaintenancePhase.ASSIGNED)
    assert screen.progress_title.text() == f"{RAVI} is taking your call"
    assert banner.title_label.full_text() == f"{RAVI} is taking your call"
    assert olivia.info is not None
    assert olivia.info.name == OLIVIA


def test_cancel_call_while_queued_ends_it_and_the_banner_goes(
    qtbot: QtBot, stack: CallStack
) -> None:
    window = stack.window
    screen = call_for(qtbot, stack)
    stack.wait_phase(MaintenancePhase.QUEUED)
    finger(window, screen.cancel_button)
    stack.wait_phase(MaintenancePhase.ENDED)
    assert stack.status.end_reason == "cancelled_by_panel"
    assert not window.maintenance_banner.isVisible()
    assert window.current_screen() is window.login_screen  # where the user was
    assert window.toast.text() == "Maintenance call cancelled."
    qtbot.waitUntil(lambda: not stack.server.relay.calls().calls)


def test_a_call_the_service_desk_cannot_take_is_refused_on_the_screen(
    qtbot: QtBot, stack: CallStack
) -> None:
    window = stack.window
    run(qtbot, stack.server.stop())
    stack.server_up = False
    press(window, "maintenance")
    screen = request_screen(window)
    finger(window, screen.reason_buttons["Something else"])
    finger(window, screen.call_button)
    qtbot.waitUntil(lambda: screen.error_label.text() != "")
    assert screen.error_label.text() == (
        "The maintenance service cannot be reached now. Try again later."
    )
    assert screen.pages.currentWidget() is screen.form
    assert screen.call_button.text() == "Call service"
    assert not window.maintenance_banner.isVisible()


# -- consent --------------------------------------------------------------------------------------


def test_the_consent_prompt_counts_down_on_the_device_clock_and_silence_denies(
    qtbot: QtBot, stack: CallStack
) -> None:
    window = stack.window
    view = in_session(qtbot, stack, stack.operator())
    dialog = window.consent_dialog
    assert dialog.title.text() == f"{OLIVIA} from the service desk wants to connect"
    assert dialog.countdown_label.text() == "No answer in 30 s means Deny."
    assert window.maintenance_banner.consent_pill.text() == "Answer needed"
    dialog.tick()  # its ticker fires as wall time passes: the device's clock has not moved
    assert dialog.countdown_label.text() == "No answer in 30 s means Deny."

    stack.clock.advance(12)
    qtbot.waitUntil(lambda: dialog.countdown_label.text() == "No answer in 18 s means Deny.")
    assert dialog.countdown_bar.value() == 180
    assert stack.status.consent_needed

    stack.clock.advance(18)  # no answer within 30 s of device time: the core says no
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert stack.status.consent is Consent.DENY
    assert run(qtbot, view.wait(ConsentReport)).choice == "deny"
    assert window.maintenance_banner.consent_pill.text() == "Viewing not allowed"
    assert window.toast.level == "warning"
    assert window.toast.text().startswith("No answer: the operator may not see this panel.")
    assert window.remote is not None
    assert not window.remote.active  # nothing is streamed


def test_viewing_streams_the_screen_and_operation_lets_the_operator_tap_and_press_keys(
    qtbot: QtBot, stack: CallStack
) -> None:
    window = stack.window
    logged_in(qtbot, window)
    view = in_session(qtbot, stack, stack.operator())
    consent(qtbot, stack, view, Consent.VIEW)
    assert window.maintenance_banner.consent_pill.text() == "Viewing your screen"

    whole = screen_update(qtbot, view, lambda u: covers(u, 1024, 600))
    assert (whole.width, whole.height) == (1024, 600)
    for rect in whole.rects:
        picture = QImage.fromData(rect.data)
        assert not picture.isNull(), f"{rect.fmt} at {rect.x},{rect.y} does not decode"

    tile = window.home_screen.tiles["jobs"]
    at = tile.mapTo(window.touchscreen, tile.rect().center())
    run(qtbot, view.tap(at.x(), at.y()))
    refused = run(qtbot, view.wait(ErrorFrame))
    assert refused.code == "input_refused"
    assert window.current_screen() is window.home_screen

    finger(window, window.maintenance_banner.change_button)
    consent(qtbot, stack, view, Consent.OPERATE)
    assert window.maintenance_banner.consent_pill.text() == "Operating this panel"
    at = tile.mapTo(window.touchscreen, tile.rect().center())  # the banner moved the tiles
    run(qtbot, view.tap(at.x(), at.y()))
    qtbot.waitUntil(lambda: window.current_screen() is window.jobs_screen)
    content = QRect(window.jobs_screen.mapTo(window.touchscreen, QPoint(0, 0)), QSize(1024, 400))
    screen_update(  # the operator sees the new screen
        qtbot, view, lambda u: any(QRect(r.x, r.y, r.w, r.h).intersects(content) for r in u.rects)
    )

    remote = window.remote
    assert remote is not None
    assert remote.tap_mark.isVisible()  # the panel's user sees where the operator tapped

    run(qtbot, view.key("home"))
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen)
    run(qtbot, view.key("stop"))  # the operator's Stop stops printing, not their session
    qtbot.waitUntil(lambda: window.toast.text() == "Nothing is printing.")
    assert stack.status.phase is MaintenancePhase.ACTIVE


def test_the_operator_chat_shows_under_the_banner(qtbot: QtBot, stack: CallStack) -> None:
    window = stack.window
    view = in_session(qtbot, stack, stack.operator())
    consent(qtbot, stack, view, Consent.DENY)
    run(qtbot, view.chat("Please open tray 2"))
    chat = window.maintenance_chat
    qtbot.waitUntil(chat.isVisible)
    assert chat.text() == f"{OLIVIA}: Please open tray 2"
    assert run(qtbot, view.wait(ChatMessage)).sender == OLIVIA


# -- ending from the panel ------------------------------------------------------------------------


def test_the_banners_end_button_ends_the_session(qtbot: QtBot, stack: CallStack) -> None:
    window = stack.window
    view = in_session(qtbot, stack, stack.operator())
    consent(qtbot, stack, view, Consent.VIEW)
    banner = window.maintenance_banner
    assert banner.end_button.text() == "End"
    finger(window, banner.end_button)
    ended = run(qtbot, view.wait(SessionEnded))
    assert (ended.reason, ended.by) == ("ended_by_panel", "device")
    qtbot.waitUntil(lambda: not banner.isVisible())
    assert window.toast.text() == "You ended remote maintenance."
    assert window.remote is not None
    assert not window.remote.active
    (entry,) = stack.server.store.maintenance_log()
    assert (entry.end_reason, entry.consent_trail) == ("ended_by_panel", ["view"])


def test_the_stop_key_ends_the_session_first(qtbot: QtBot, stack: CallStack) -> None:
    window = stack.window
    view = in_session(qtbot, stack, stack.operator())
    press(window, "stop")  # the prompt is still open: Stop works all the same
    ended = run(qtbot, view.wait(SessionEnded))
    assert ended.reason == "ended_by_panel"
    qtbot.waitUntil(lambda: not window.maintenance_banner.isVisible())
    assert not window.consent_dialog.isVisible()
    press(window, "stop")  # no call any more: Stop is Stop again
    assert window.toast.text() == "Nothing is printing."


def test_the_operator_ending_the_session_takes_the_banner_away(
    qtbot: QtBot, stack: CallStack
) -> None:
    window = stack.window
    view = in_session(qtbot, stack, stack.operator())
    consent(qtbot, stack, view, Consent.OPERATE)
    run(qtbot, view.end())
    qtbot.waitUntil(lambda: not window.maintenance_banner.isVisible())
    assert window.toast.text() == "The service operator ended the session."
    assert stack.status.end_reason == "ended_by_operator"
    assert run(qtbot, view.wait(SessionEnded)).reason == "ended_by_operator"


# -- what the operator is sent ---------------------------------------------------------------------


def area(update: ScreenUpdate) -> int:
    return sum(r.w * r.h for r in update.rects)


def test_only_changed_regions_go_png_when_calm_jpeg_when_busy_then_refined(
    qtbot: QtBot, stack: CallStack
) -> None:
    window = stack.window
    logged_in(qtbot, window)  # the home screen: nothing on it moves by itself
    view = in_session(qtbot, stack, stack.operator())
    consent(qtbot, stack, view, Consent.VIEW)
    screen_update(qtbot, view, lambda u: covers(u, 1024, 600))
    remote = window.remote
    assert remote is not None
    run(qtbot, quiet(view))  # the first picture (and the relay's refresh) has settled sharp
    assert not remote.mirror.lossy
    strip = window.maintenance_chat

    # The operator's first line opens the chat strip: everything under it moves (large: JPEG,
    # then the same again as PNG once still).
    run(qtbot, view.chat("Hello"))
    moved = screen_update(qtbot, view, lambda u: area(u) > 0.5 * 1024 * 600)
    assert "jpeg" in {r.fmt for r in moved.rects}
    refined = screen_update(qtbot, view, lambda u: area(u) > 0.5 * 1024 * 600 and _all_png(u))
    assert refined.seq > moved.seq
    run(qtbot, quiet(view))
    where = QRect(strip.mapTo(window.touchscreen, QPoint(0, 0)), strip.size())

    # A new line: only the strip's row of tiles changes, as PNG.
    run(qtbot, view.chat("Please open tray 2"))
    line = screen_update(qtbot, view, lambda u: any(_meets(r, where) for r in u.rects))
    assert _all_png(line)
    assert area(line) <= 2 * 64 * 1024
    assert all(r.y <= where.bottom() and r.y + r.h > where.top() for r in line.rects)

    # Lines in quick succession: the strip is busy and goes as JPEG...
    formats: set[str] = set()
    for n in range(4):
        run(qtbot, view.chat(f"Step {n + 1}"))
        busy = screen_update(qtbot, view, lambda u: any(_meets(r, where) for r in u.rects))
        formats |= {r.fmt for r in busy.rects}
    assert "jpeg" in formats
    # ...until it is still: then the operator gets it again, sharp.
    sharp = screen_update(qtbot, view, _all_png)
    assert any(_meets(r, where) for r in sharp.rects)
    assert remote.stats.refined_rects >= 2


async def quiet(view: LiveView, still_s: float = 0.6) -> None:
    """Until no screen update has come for `still_s`."""
    while True:
        try:
            await view.wait(ScreenUpdate, wait_s=still_s)
        except TimeoutError:
            return


def _meets(rect: ScreenRect, where: QRect) -> bool:
    return QRect(rect.x, rect.y, rect.w, rect.h).intersects(where)


def _all_png(update: ScreenUpdate) -> bool:
    return all(r.fmt == "png" for r in update.rects)
