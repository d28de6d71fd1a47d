"""A login the server ended while the device was away (issue 11, finding 1): the panel goes back
to the login screen and says why, in the screen's message area."""

from __future__ import annotations

import pytest
from support.fake_device import ALICE, FakeDevice
from support.i18n import in_language

from panel.device.events import Event, EventKind
from panel.device.power import PowerState
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

REASON = "You were logged out: the device was offline for more than 2 minutes."


def test_a_login_ended_by_the_server_shows_the_login_screen_with_the_reason(
    device: FakeDevice, home: PanelWindow
) -> None:
    assert home.current_screen() is not home.login_screen
    device.user = None  # as the core does: the session ends, with the server's reason
    device.events.publish(Event(EventKind.SESSION_CHANGED, None, {"reason": REASON}))
    assert home.current_screen() is home.login_screen
    assert home.login_screen.error_label.text() == REASON
    assert not home.login_screen.error_label.isHidden()


def test_a_logout_at_the_panel_shows_no_reason(device: FakeDevice, home: PanelWindow) -> None:
    device.sign_in(None)
    assert home.current_screen() is home.login_screen
    assert home.login_screen.error_label.isHidden()


def test_the_reason_stays_through_dim_sleep_and_wake_until_someone_logs_in(
    device: FakeDevice, home: PanelWindow
) -> None:
    """The login may end while the panel is dark: its user must still read why when they come
    back, while what anyone typed is forgotten as usual."""
    device.user = None
    device.events.publish(Event(EventKind.SESSION_CHANGED, None, {"reason": REASON}))
    screen = home.login_screen
    screen.user_field.setText("1003")
    for state in (PowerState.DIMMED, PowerState.SLEEP, PowerState.ACTIVE):
        device.power.set_state(state)
        assert screen.error_label.text() == REASON
        assert not screen.error_label.isHidden()
    assert screen.user_field.text() == ""
    device.sign_in(ALICE)
    device.sign_in(None)  # the next logout, at the panel: no stale reason
    assert screen.error_label.isHidden()


def test_the_reason_is_said_in_the_panel_language_by_its_code(
    device: FakeDevice, home: PanelWindow
) -> None:
    """The server words the reason in English; a Japanese panel says it by its reason code,
    and a switch back shows the server's sentence again."""
    device.user = None
    device.events.publish(
        Event(EventKind.SESSION_CHANGED, None, {"reason": REASON, "code": "offline"})
    )
    label = home.login_screen.error_label
    with in_language("ja"):
        assert label.text() == ("機器のオフラインが長く続いたため、ログアウトしました。")
    assert label.text() == REASON
