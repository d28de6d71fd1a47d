"""Scan and fax toasts over the real device core and a real server: online, the panel says
"Sent" once the server has the job (issue 11: it said "Held" although it was online)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from support.panel_touch import finger, logged_in
from support.real_panel import RealPanel, open_real_panel

from panel.device import JobState
from panel.protocol.messages import Destination
from panel.ui.i18n import Text

pytestmark = pytest.mark.gui

AP = Destination("d-ap", "Accounts Payable", "email", "ap@example.com")


@pytest.fixture
def stack(qtbot: QtBot, tmp_path: Path) -> Iterator[RealPanel]:
    stack = open_real_panel(qtbot, tmp_path, "Toast MFP", (AP,))
    yield stack
    stack.close()


def test_an_online_scan_toasts_sent_once_the_server_accepted_it(
    qtbot: QtBot, stack: RealPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, device = stack.window, stack.device
    toasts: list[str] = []
    show_toast = window.show_toast

    def record(text: Text | str, level: str = "info") -> None:
        toasts.append(str(text))
        show_toast(text, level)

    monkeypatch.setattr(window, "show_toast", record)
    logged_in(qtbot, window)
    scan = window.scan_screen
    finger(window, window.home_screen.tiles["scan"])
    qtbot.waitUntil(lambda: scan.destination_model.row_of(AP.dest_id) >= 0)
    finger(window, scan.destination_list.viewport(), scan.destination_rect(AP.dest_id).center())
    finger(window, scan.action_button)
    qtbot.waitUntil(lambda: window.toast.text() == "Sent to Accounts Payable", timeout=10_000)
    assert window.toast.isVisible()
    assert toasts == ["Sending to Accounts Payable…", "Sent to Accounts Payable"]
    (job,) = [j for j in device.jobs.all() if j.state is JobState.ACCEPTED]
    assert [e.key for e in stack.server.store.ledger(device.device_id)] == [job.job_id]


def test_a_fax_while_the_server_is_down_toasts_held(qtbot: QtBot, stack: RealPanel) -> None:
    window = stack.window
    logged_in(qtbot, window)
    finger(window, window.home_screen.tiles["fax"])
    stack.server_down()
    fax = window.fax_screen
    for key in "0155501234":
        finger(window, fax.dialpad.buttons[key])
    finger(window, fax.action_button)
    qtbot.waitUntil(lambda: window.toast.isVisible() and not fax.busy)
    assert window.toast.text() == "Held — sends when online"
