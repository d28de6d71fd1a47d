"""The job list follows the device's job events live: rows appear, change and go.

Rows are painted by a delegate (no widget per job); tests reach one by job id with
`jobs_screen.row_of(job_id)`, a live handle on what the row shows, and tap its Cancel area
through the list's viewport. The model takes each event at once; the view (Qt's rows, the count,
the empty state) hears of them once per frame, or at `flush()`.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.fake_device import ALICE, BOB, FakeDevice
from support.i18n import in_language

from panel.device.model import Job, JobKind, JobState, User
from panel.ui.screens.jobs import HELD_NOTE, OTHER_USER, JobListModel, JobRowHandle, RowText
from panel.ui.window import PanelWindow

pytestmark = pytest.mark.gui

DISPLAY, ACCESSIBLE = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole


@pytest.fixture
def jobs(home: PanelWindow) -> PanelWindow:
    home.show_jobs()
    assert home.current_screen() is home.jobs_screen
    return home


def row(window: PanelWindow, job_id: str) -> JobRowHandle:
    found = window.jobs_screen.row_of(job_id)
    assert found is not None, job_id
    return found


def tap_cancel(qtbot: QtBot, window: PanelWindow, job_id: str) -> None:
    screen = window.jobs_screen
    at: QPoint = screen.cancel_rect(job_id).center()
    QTest.mouseClick(screen.list_view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_empty_list_says_so(jobs: PanelWindow) -> None:
    screen = jobs.jobs_screen
    assert screen.empty_label.isVisible()
    assert "No jobs yet" in screen.empty_label.text()
    assert not screen.list_view.isVisible()


def test_rows_appear_change_and_disappear_with_events(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    screen = jobs.jobs_screen
    job = device.add_job("Quarterly report.pdf", JobState.QUEUED, pages=5, copies=2)
    shown = row(jobs, job.job_id)
    assert screen.empty_label.isVisible()  # the view catches up at the end of the frame
    jobs.flush()
    assert not screen.empty_label.isVisible()
    assert screen.list_view.isVisible()
    assert screen.count_label.text() == "1 job"
    assert shown.title == "Quarterly report.pdf"
    assert "1001" in shown.meta
    assert shown.badge == "Queued"
    assert shown.state == "queued"
    # `.text.progress` reads the row anew: mypy would keep `shown.progress` narrowed.
    assert shown.text.progress is None

    device.set_state(job.job_id, JobState.PRINTING)
    assert shown.badge == "Printing"
    assert shown.progress_text == "Page 1 of 10"  # the sheet in the engine
    assert shown.progress == (0, 10)
    device.progress(job.job_id, 3)  # three sheets out: the fourth is printing
    assert shown.progress_text == "Page 4 of 10"
    assert shown.progress == (3, 10)
    device.progress(job.job_id, 10)
    assert shown.progress_text == "Page 10 of 10"
    assert shown.progress == (10, 10)

    device.set_state(job.job_id, JobState.COMPLETED)
    assert shown.badge == "Completed"
    assert shown.text.progress is None
    assert not shown.can_cancel

    device.remove_job(job.job_id)
    assert screen.row_of(job.job_id) is None
    jobs.flush()
    assert screen.empty_label.isVisible()


def test_newest_job_is_on_top(device: FakeDevice, jobs: PanelWindow) -> None:
    device.add_job("first")
    device.add_job("second")
    assert jobs.jobs_screen.titles() == ["second", "first"]
    # Opening the list again shows the device's own order.
    jobs.show_home()
    device.add_job("third")
    jobs.show_jobs()
    assert jobs.jobs_screen.titles() == ["third", "second", "first"]


def test_rows_between_others_follow_removals(device: FakeDevice, jobs: PanelWindow) -> None:
    made = [device.add_job(f"job {n}") for n in range(5)]
    device.remove_job(made[2].job_id)
    device.set_state(made[1].job_id, JobState.PRINTING)
    device.add_job("job 5")
    screen = jobs.jobs_screen
    assert screen.titles() == ["job 5", "job 4", "job 3", "job 1", "job 0"]
    assert row(jobs, made[1].job_id).badge == "Printing"
    assert row(jobs, made[1].job_id).row == 3


def test_badges_are_painted_in_distinct_colours(device: FakeDevice, jobs: PanelWindow) -> None:
    states = (
        JobState.HELD,
        JobState.SENDING,
        JobState.ACCEPTED,
        JobState.PRINTING,
        JobState.COMPLETED,
        JobState.FAILED,
    )
    made = [device.add_job(state.value, state) for state in states]
    screen = jobs.jobs_screen
    colours = set()
    for job in made:
        badge = screen.badge_rect(job.job_id)
        image = screen.list_view.viewport().grab().toImage()
        colours.add(image.pixelColor(badge.center().x(), badge.top() + 3).name())
    assert len(colours) == len(states)


def test_held_outgoing_job_says_it_sends_when_online(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job(
        "Scan 10:00", JobState.HELD, kind=JobKind.SCAN, pages=3, destination="Finance share"
    )
    shown = row(jobs, job.job_id)
    assert shown.badge == "Held"
    assert shown.note == HELD_NOTE == "Held — sends when online"
    assert shown.meta == "1001  ·  Scan  ·  3 pages  ·  to Finance share"
    assert shown.can_cancel
    device.set_state(job.job_id, JobState.SENDING)
    assert (shown.badge, shown.note) == ("Sending", "")
    device.set_state(job.job_id, JobState.ACCEPTED)
    assert shown.badge == "Accepted"
    assert not shown.can_cancel  # the server has it: nothing left to cancel here


def test_failed_job_shows_its_reason(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Invoice.pdf", JobState.PRINTING, pages=2)
    device.set_state(job.job_id, JobState.FAILED, "Paper jam in tray 2")
    shown = row(jobs, job.job_id)
    assert shown.badge == "Failed"
    assert shown.note == "Paper jam in tray 2"


def test_tapping_cancel_cancels_that_job(
    qtbot: QtBot, device: FakeDevice, jobs: PanelWindow
) -> None:
    held = device.add_job("Boarding pass", JobState.HELD, kind=JobKind.CLOUD_PRINT)
    other = device.add_job("Scan", JobState.SENDING, kind=JobKind.SCAN)
    assert row(jobs, held.job_id).can_cancel
    tap_cancel(qtbot, jobs, held.job_id)
    assert device.called("cancel_job") == [(held.job_id,)]
    assert row(jobs, held.job_id).badge == "Cancelled"
    assert not row(jobs, held.job_id).can_cancel
    assert row(jobs, other.job_id).can_cancel


def test_a_tap_beside_cancel_does_nothing(
    qtbot: QtBot, device: FakeDevice, jobs: PanelWindow
) -> None:
    job = device.add_job("Report", JobState.QUEUED)
    screen = jobs.jobs_screen
    card = screen.row_rect(job.job_id)
    QTest.mouseClick(screen.list_view.viewport(), Qt.MouseButton.LeftButton, pos=card.center())
    # Pressed on Cancel, released elsewhere: not a tap on Cancel either.
    cancel = screen.cancel_rect(job.job_id).center()
    viewport = screen.list_view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=cancel)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=card.center())
    assert device.called("cancel_job") == []


def test_refused_cancel_is_explained(qtbot: QtBot, device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Report", JobState.QUEUED)
    device.cancel_job = lambda job_id: False  # type: ignore[method-assign]
    tap_cancel(qtbot, jobs, job.job_id)
    assert jobs.toast.isVisible()
    assert "can no longer be cancelled" in jobs.toast.text()


def test_progress_without_a_known_page_count(device: FakeDevice, jobs: PanelWindow) -> None:
    job = device.add_job("Fax from +33 1 23 45", JobState.PRINTING, pages=0, kind=JobKind.FAX)
    device.progress(job.job_id, 2)
    assert row(jobs, job.job_id).progress_text == "Page 3"


def test_ten_thousand_held_jobs_drain_through_the_list(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    """10,000 jobs created one event each, then 20,000 state changes in bursts of 200: the
    list keeps up (the model takes each event in O(log n), with no widget per job)."""
    made = device.hold_outgoing(10_000)
    screen, model = jobs.jobs_screen, jobs.jobs_screen.model
    jobs.flush()
    assert model.rowCount() == 10_000
    assert screen.count_label.text() == "10,000 jobs"
    assert jobs.status_bar.held_label.text() == "10,000 held"
    assert row(jobs, made[0].job_id).row == 9_999  # the oldest is at the bottom
    assert row(jobs, made[-1].job_id).row == 0
    assert row(jobs, made[4_321].job_id).badge == "Held"
    assert model.count(JobState.HELD) == 10_000

    device.drain(batch=200)
    jobs.flush()
    assert model.rowCount() == 10_000
    assert model.count(JobState.ACCEPTED) == 10_000
    assert model.active_count() == 0
    sample = row(jobs, made[4_321].job_id)
    assert (sample.badge, sample.title, sample.row) == ("Accepted", "Held 4322", 10_000 - 4_322)
    assert not jobs.status_bar.held_label.isVisible()
    assert not jobs.drain_banner.isVisible()
    assert not jobs.leds["data"].is_on()
    assert jobs.home_screen.jobs_badge.isHidden()
    assert ALICE.user_id in sample.meta


# -- the view catches up once per frame ----------------------------------------------------------
class Heard:
    """What the model told Qt, and whether each row Qt knew of showed the right job then."""

    def __init__(self, model: JobListModel) -> None:
        self.model = model
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int]] = []
        self.mismatches = 0
        model.rowsInserted.connect(self._on_inserted)
        model.rowsRemoved.connect(self._on_removed)
        model.dataChanged.connect(self._on_changed)

    def check(self) -> None:
        """Qt's rows are the newest-first list less the jobs Qt has not heard of yet (on top)."""
        model = self.model
        ahead = model.job_count() - model.rowCount()
        assert ahead >= 0
        for qt_row in range(model.rowCount()):
            if model.job_of(model.index(qt_row, 0)) is not model.job_at(qt_row + ahead):
                self.mismatches += 1

    def _on_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.inserted.append((first, last))
        self.check()

    def _on_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.removed.append((first, last))
        self.check()

    def _on_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        self.changed.append((top.row(), bottom.row()))
        self.check()


def test_ten_thousand_jobs_created_then_each_changed_twice_leave_the_model_right(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    """Correctness, not timing: 10,000 creations and 20,000 changes in one frame reach Qt as
    one insertion and one dataChanged, and every row shows the right job in its last state."""
    model = jobs.jobs_screen.model
    heard = Heard(model)
    made = [device.add_job(f"Job {n}", JobState.QUEUED, pages=2) for n in range(10_000)]
    for job in made:
        device.set_state(job.job_id, JobState.PRINTING)
    for job in made:
        device.progress(job.job_id, 1)
    assert model.rowCount() == 0  # Qt has heard nothing yet: the frame has not ended
    assert model.job_count() == 10_000  # the model has taken every event
    assert row(jobs, made[1_234].job_id).progress_text == "Page 2 of 2"

    jobs.flush()
    assert heard.inserted == [(0, 9_999)]  # one insertion
    assert heard.changed == []  # jobs Qt had not shown yet need no dataChanged
    assert heard.mismatches == 0
    assert model.rowCount() == 10_000
    assert jobs.jobs_screen.count_label.text() == "10,000 jobs"
    assert model.count(JobState.PRINTING) == model.active_count() == 10_000

    # Each job changed twice more, over several frames: a dataChanged per frame, at most.
    for n, job in enumerate(made):
        device.set_state(job.job_id, JobState.COMPLETED)
        if n % 2_500 == 0:
            jobs.flush()
    for job in made[::-1]:
        device.set_state(job.job_id, JobState.FAILED, "Paper jam")
    jobs.flush()
    assert len(heard.changed) == 5
    assert heard.changed[-1] == (0, 9_999)
    assert heard.inserted == [(0, 9_999)]
    assert heard.mismatches == 0
    assert model.rowCount() == model.job_count() == 10_000
    sample = row(jobs, made[4_321].job_id)
    assert (sample.row, sample.title, sample.badge, sample.note) == (
        10_000 - 4_322,
        "Job 4321",
        "Failed",
        "Paper jam",
    )
    index = model.index(sample.row, 0)
    shown = model.data(index, JobListModel.JOB_ROLE)
    assert shown is made[4_321]
    assert model.job_of(index) is made[4_321]
    assert model.count(JobState.FAILED) == 10_000
    assert model.active_count() == 0
    assert not jobs.leds["data"].is_on()
    assert jobs.leds["attention"].is_on()


def test_qt_rows_match_the_list_through_any_mix_of_events(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    """Creations, changes and removals in any order, with frames anywhere: whenever Qt hears of
    rows coming or going, each of its rows shows the job the list has there."""
    model = jobs.jobs_screen.model
    heard = Heard(model)
    chance = random.Random(7)
    alive: list[str] = []
    for step in range(1_000):
        roll = chance.random()
        if roll < 0.45 or not alive:
            alive.append(device.add_job(f"Job {step}", JobState.QUEUED).job_id)
        elif roll < 0.8:
            device.set_state(chance.choice(alive), JobState.PRINTING)
        elif roll < 0.95:
            gone = chance.choice(alive)
            alive.remove(gone)
            device.remove_job(gone)
        else:
            jobs.flush()
    jobs.flush()
    heard.check()
    assert heard.mismatches == 0
    assert heard.removed  # the mix did take rows out between frames
    assert model.rowCount() == model.job_count() == len(alive)
    shown = [model.job_at(r) for r in range(len(alive))]
    assert [job.job_id if job is not None else None for job in shown] == alive[::-1]
    assert jobs.jobs_screen.titles() == [device.jobs.by_id[j].title for j in alive[::-1]]


def test_an_event_shows_by_the_next_frame_without_a_flush(
    qtbot: QtBot, device: FakeDevice, jobs: PanelWindow
) -> None:
    screen = jobs.jobs_screen
    job = device.add_job("Report", JobState.QUEUED)
    assert screen.count_label.text() == "0 jobs"
    qtbot.waitUntil(lambda: screen.count_label.text() == "1 job")
    assert screen.model.rowCount() == 1
    assert jobs.home_screen.jobs_badge.text() == "1"  # in the same frame as the rows
    device.set_state(job.job_id, JobState.COMPLETED)
    qtbot.waitUntil(lambda: jobs.home_screen.jobs_badge.isHidden())


# -- privacy: each user sees their own jobs; others' are anonymous rows (issue 11) ----------------
CHEN = User("1003", "Chen Wei")


def test_another_users_job_is_an_anonymous_row_with_no_action(
    qtbot: QtBot, device: FakeDevice, jobs: PanelWindow
) -> None:
    mine = device.add_job("Alice's boarding pass", JobState.QUEUED, pages=2)
    theirs = device.add_job(
        "Chen's medical report.pdf", JobState.PRINTING, user_id=CHEN.user_id, pages=7
    )
    device.set_state(theirs.job_id, JobState.FAILED, "Paper jam while printing medical report")
    screen = jobs.jobs_screen
    assert screen.titles() == [OTHER_USER, "Alice's boarding pass"]
    own = row(jobs, mine.job_id)
    assert (own.title, own.private, own.can_cancel) == ("Alice's boarding pass", False, True)
    other = row(jobs, theirs.job_id)
    assert other.private
    assert (other.title, other.meta, other.badge) == ("Other user", "Cloud print", "Failed")
    assert other.note == ""  # no reason: it may quote the document
    assert other.text.progress is None  # no page count
    assert not other.can_cancel
    # Nothing private reaches Qt's side either (screen readers, the remote operator's view).
    jobs.flush()
    index = screen.model.index(other.row, 0)
    shown = [screen.model.data(index, role) for role in (DISPLAY, ACCESSIBLE)]
    assert all("Chen" not in str(text) and "1003" not in str(text) for text in shown)
    # Its row paints no Cancel button, and a tap where one would be does nothing.
    device.set_state(theirs.job_id, JobState.PRINTING)
    tap_cancel(qtbot, jobs, theirs.job_id)
    assert device.called("cancel_job") == []
    assert device.jobs.by_id[theirs.job_id].state is JobState.PRINTING

    def button_edge(job_id: str) -> str:
        """The colour where a Cancel button's red edge is painted."""
        rect = screen.cancel_rect(job_id)
        image = screen.list_view.viewport().grab().toImage()
        return image.pixelColor(rect.left() + 1, rect.center().y()).name()

    assert button_edge(mine.job_id) != "#ffffff"  # Alice's row has its Cancel button
    assert button_edge(theirs.job_id) == "#ffffff"  # Chen's: the plain card


def test_an_administrator_sees_and_manages_every_job(
    qtbot: QtBot, device: FakeDevice, home: PanelWindow
) -> None:
    theirs = device.add_job("Chen's payslip", JobState.QUEUED, user_id=CHEN.user_id)
    device.sign_in(None)
    device.sign_in(BOB)  # an administrator
    home.show_jobs()
    shown = row(home, theirs.job_id)
    assert (shown.title, shown.private, shown.can_cancel) == ("Chen's payslip", False, True)
    assert CHEN.user_id in shown.meta
    tap_cancel(qtbot, home, theirs.job_id)
    assert device.called("cancel_job") == [(theirs.job_id,)]
    assert shown.badge == "Cancelled"


def test_rows_follow_the_user_who_logs_in(device: FakeDevice, jobs: PanelWindow) -> None:
    alices = device.add_job("Alice's contract", JobState.QUEUED)
    chens = device.add_job("Chen's thesis", JobState.QUEUED, user_id=CHEN.user_id)
    screen = jobs.jobs_screen
    assert screen.titles() == [OTHER_USER, "Alice's contract"]
    device.sign_in(None)
    assert jobs.current_screen() is jobs.login_screen  # nobody: the list needs a login
    assert screen.titles() == [OTHER_USER, OTHER_USER]  # and shows nobody anything meanwhile
    device.sign_in(CHEN)
    jobs.show_jobs()
    assert screen.titles() == ["Chen's thesis", OTHER_USER]
    assert row(jobs, chens.job_id).can_cancel
    assert not row(jobs, alices.job_id).can_cancel


def test_the_list_opens_at_the_top_for_the_next_user(device: FakeDevice, jobs: PanelWindow) -> None:
    for n in range(40):
        device.add_job(f"Alice's job {n}", JobState.COMPLETED)
    screen = jobs.jobs_screen
    jobs.flush()
    bar = screen.list_view.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()  # Alice scrolled down to her oldest job
    device.sign_in(None)
    device.sign_in(CHEN)
    jobs.show_jobs()
    assert bar.value() == 0
    # The same user opening the list again keeps their place.
    bar.setValue(bar.maximum() // 2)
    jobs.show_home()
    jobs.show_jobs()
    assert bar.value() == bar.maximum() // 2


def test_the_stop_key_explains_why_it_cannot_cancel_another_users_job(
    device: FakeDevice, home: PanelWindow
) -> None:
    theirs = device.add_job("Chen's thesis", JobState.PRINTING, user_id=CHEN.user_id)
    home.keys["stop"].click()
    assert device.jobs.by_id[theirs.job_id].state is JobState.PRINTING
    assert home.toast.isVisible()
    assert "another user" in home.toast.text()


@pytest.mark.parametrize(
    ("kind", "label"), [(JobKind.COPY, "Copy"), (JobKind.LOCAL_PRINT, "Print")]
)
def test_a_print_made_at_the_device_is_not_listed_as_a_copy(kind: JobKind, label: str) -> None:
    """A box file, a phone's photo or an app's document printed here says Print; a copy, Copy."""
    alice = User(ALICE.user_id, ALICE.name)
    job = Job("j1", kind, "Handout.pdf", alice.user_id, JobState.QUEUED, pages=2)
    assert job.is_local
    assert job.prints
    assert RowText.of(job, alice).meta.split("  ·  ")[1] == label
    assert RowText.anonymous(job).meta == label


def test_the_list_switches_language_while_it_is_showing(
    device: FakeDevice, jobs: PanelWindow
) -> None:
    """Title, button, count and painted rows follow a switch; the screen is not rebuilt."""
    screen = jobs.jobs_screen
    job = device.add_job("Quarterly report.pdf", JobState.QUEUED, pages=5, copies=2)
    held = device.add_job("Held scan", JobState.HELD, pages=1)
    jobs.flush()
    with in_language("ja"):
        assert jobs.jobs_screen is screen
        assert screen.title_label.text() == "ジョブ一覧"
        assert screen.back_button.text() == "ホーム"
        assert screen.count_label.text() == "2 件"
        shown = row(jobs, job.job_id)
        assert shown.badge == "待機中"
        assert shown.meta == "1001  ·  クラウドプリント  ·  5 ページ  ·  2 部"
        assert row(jobs, held.job_id).note == "保留中 — オンライン復帰後に送信します"
        screen.list_view.viewport().grab()  # painting in Japanese works
    assert screen.title_label.text() == "Jobs"
    assert screen.back_button.text() == "Home"
    assert screen.count_label.text() == "2 jobs"
    assert row(jobs, job.job_id).badge == "Queued"
