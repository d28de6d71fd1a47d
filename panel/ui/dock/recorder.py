"""The dock's recorder (issue 18): Record / Stop turns what a QA engineer does on the panel and in
the dock into a scenario file (`panel.scenario.writer`), so an issue reproduced by hand once is
kept and replayed by `mfp-panel scenario run`.

What is recorded, and from where (the device's events and the dock's own controls, not the
widgets' pixels):
- actions: a login (the login screen's PIN submission, or a card held to the dock's reader),
  a logout, a tap on a panel control (its object name or visible text, as the runner's `tap`
  finds it), a hard key, a person approaching or leaving, a network taken down or up or given a
  fault (the simulated networks' own events: the control API's changes too), an engine fault
  raised or cleared;
- draft expectations, each marked by a comment for the engineer to keep, tighten or delete:
  the screen the panel shows after an action, the network in use changing (failover), the
  session, the power state, and the states the jobs reach.

Times are scenario seconds from Record, on the device's clock (a 10x demo clock records 10 s
for one real second, as the virtual-clock replay counts them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from panel.device.events import Event, EventKind
from panel.device.model import ConnectionState, Job, JobKind
from panel.scenario.model import (
    DEFAULT_WITHIN_S,
    FAULTS_WITH_VALUE,
    MAX_COPIES,
    MAX_PAGES,
    DeviceSpec,
    NetworkSpec,
    Scenario,
    Step,
    UserSpec,
)
from panel.scenario.writer import dumps
from panel.ui import i18n
from panel.ui.dock.network_card import Run
from panel.ui.dock.parts import FitLabel, button
from panel.ui.i18n import Text, bind

if TYPE_CHECKING:
    from panel.sim import NetworkEvent, NetworkSet
    from panel.ui.dock.parts import DockedDevice
    from panel.ui.window import PanelWindow

READY = "online"  # the first expectation's id when recording starts with the device online
DRAFT = "draft expectation (observed while recording): keep, tighten or delete"
STAND_IN_PIN = "0000"  # a user logged in by card: the replay creates them with this PIN
PRESS_OUTCOME_S = 1.0  # a logout this soon after a tap or a key is theirs, not a step of its own
MIN_WITHIN_S = 10.0  # a draft's deadline: at least this, or twice what it took when recorded
# Screens whose taps are not kept: the login keypad (the login is the step).
_UNTAPPED = frozenset({"login"})
# The keys of an on-screen pad that submit what was typed (a Keypad's, a TextKeyboard's).
_SUBMIT_KEYS = ("ok", "done")
SECRET_TYPED = (
    "a PIN or password was typed on the panel's keypad before this step: not recorded "
    "(type it again when replaying)"
)


def _naming() -> tuple[Callable[[QWidget], str], Callable[[QWidget], str]]:
    """The runner's own names for a screen and a control (panel.scenario.qt_panel), so that a
    recorded tap is found again on replay; imported when recording starts, not with the dock."""
    from panel.scenario.qt_panel import control_text, screen_name

    return screen_name, control_text


def english_text(widget: QWidget) -> str:
    """The English of what `widget` shows (its bound text, else its bound accessible name),
    one line and without a mnemonic as the runner reads a control; "" when none is bound."""
    for setter in ("setText", "setAccessibleName"):
        bound = i18n._state.bindings.get((id(widget), setter))
        if bound is None or bound[0]() is not widget:
            continue
        text = bound[2]
        shown = _english(text) if isinstance(text, Text) else text
        return " ".join(shown.replace("&", "").split())
    return ""


def _english(text: Text) -> str:
    values = {k: _english(v) if isinstance(v, Text) else v for k, v in text.values.items()}
    return text.source.format(**values) if values else text.source


def network_kind(name: str) -> str:
    """A simulated network's kind from its name (the demo's: "Wired LAN", "LTE")."""
    lowered = name.lower()
    if any(word in lowered for word in ("lte", "cell", "4g", "5g", "mobile")):
        return "cellular"
    if "wi-fi" in lowered or "wifi" in lowered or "wlan" in lowered:
        return "wifi"
    return "lan"


@dataclass
class _Entry:
    at: float
    step: Step
    note: str = ""


def typing_pad(widget: QWidget) -> QWidget | None:
    """The panel's on-screen keypad or keyboard `widget` is a key of, if it is one."""
    from panel.ui.widgets import Keypad, TextKeyboard

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (Keypad, TextKeyboard)):
            return parent
        parent = parent.parentWidget()
    return None


def types_secret(pad: QWidget) -> bool:
    """The keys of `pad` type into a field that shows dots (a box PIN, a password): the
    field with the focus, or a field shown on the pad's page (a pad is wired to its field by
    signals, which cannot be read back: every field it may type into counts)."""
    fields: list[QLineEdit] = []
    focused = QApplication.focusWidget()
    if isinstance(focused, QLineEdit):
        fields.append(focused)
    page = pad.parentWidget()
    if page is not None:
        fields += [f for f in page.findChildren(QLineEdit) if f.isVisible()]
    return any(f.echoMode() != QLineEdit.EchoMode.Normal for f in fields)


@dataclass
class Recording:
    """What was recorded: the scenario, and a note (a comment) for each draft step."""

    scenario: Scenario
    notes: dict[int, str] = field(default_factory=dict)
    started: float = 0.0  # wall time of Record (the file's header says when)

    def text(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self.started))
        header = (
            f"Recorded by the mfp-panel QA dock on {when}.",
            "Times are seconds from Record on the device's clock. Steps marked 'draft' are",
            "what the panel showed while recording: check them before keeping the file.",
            "Replay: mfp-panel scenario run THIS-FILE.toml",
        )
        return dumps(self.scenario, header, self.notes)


class Recorder(QObject):
    """Records one panel window's device (and the dock's simulated networks) between `start`
    and `stop`. `chosen_card()` gives the card the dock's reader is about to tap."""

    changed = Signal()  # a step was recorded (the dock shows the count)

    def __init__(
        self,
        window: PanelWindow,
        device: DockedDevice,
        sims: NetworkSet | None,
        chosen_card: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.device = device
        self.sims = sims
        self._chosen_card = chosen_card
        self._entries: list[_Entry] = []
        self._users: dict[str, UserSpec] = {}
        self._undo: list[Callable[[], None]] = []
        self._start_mono = 0.0
        self._start_wall = 0.0
        self._pin_login: tuple[str, str] | None = None  # submitted, not yet answered
        self._card: str | None = None  # tapped, not yet answered
        self._secret_typed = False  # keys of a secret typed since the last action
        self._last_action: tuple[float, str | None, float] = (0.0, None, 0.0)
        self._anchor: tuple[str, float] | None = None  # the last screen seen: (its id, when)
        self._faults: dict[str, dict[str, int]] = {}
        self._settling: set[str] = set()  # networks changed in this turn of the event loop
        self._deferred: list[Callable[[], None]] = []
        self._engine_codes: set[str] = set()
        self._job_states: dict[str, str] = {}
        self.recording = False
        self._screen_name: Callable[[QWidget], str] = QWidget.objectName
        self._control_text: Callable[[QWidget], str] = QWidget.objectName

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> None:
        if self.recording:
            return
        self._screen_name, self._control_text = _naming()
        self.recording = True
        self._entries, self._users = [], {}
        self._pin_login = self._card = None
        self._secret_typed = False
        self._start_mono = self.device.time()
        self._start_wall = time.time()
        self._last_action, self._anchor = (0.0, None, 0.0), None
        self._job_states = {job.job_id: job.state.value for job in self.device.jobs.all()}
        engine = getattr(self.device, "engine", None)
        self._engine_codes = set(engine.status().error_codes) if engine is not None else set()
        events = self.device.events
        self._undo = [
            events.subscribe(
                self._on_event,
                EventKind.SESSION_CHANGED,
                EventKind.PRESENCE_CHANGED,
                EventKind.NETWORK_CHANGED,
                EventKind.POWER_CHANGED,
                EventKind.JOB_STATE_CHANGED,
                EventKind.JOB_CREATED,
                EventKind.ENGINE_STATUS_CHANGED,
            )
        ]
        window = self.window
        self._connect(window.login_screen.submitted, self._on_pin_submitted)
        self._connect(window.stack.currentChanged, self._on_screen)
        if self.sims is not None:
            from panel.sim.faults import faults_on

            self._faults = {net.name: _fault_values(faults_on(net)) for net in self.sims}
            self._undo.append(self.sims.subscribe(self._on_sim_event))
        if self.device.connection_state is ConnectionState.ONLINE:
            # Recorded from a device that was online: the replay starts from there too (a
            # device just started logs a user in only once its link says hello).
            self._expect(
                "trace",
                READY,
                source="device",
                concern="connection",
                event="state",
                fields={"state": ConnectionState.ONLINE.value},
            )
            self._anchor = (READY, 0.0)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            self._undo.append(lambda: app.removeEventFilter(self))
        self.changed.emit()

    def stop(self) -> Recording:
        """Stop recording; the scenario of what was recorded."""
        self._run_deferred()  # what happened just before Stop is in
        for undo in reversed(self._undo):
            with contextlib.suppress(RuntimeError, TypeError):  # a widget already gone
                undo()
        self._undo = []
        self.recording = False
        self.changed.emit()
        return self.recording_so_far()

    def _defer(self, noted: Callable[[], None]) -> None:
        """Note it at the end of this turn of the event loop (or at Stop, if sooner)."""
        self._deferred.append(noted)
        if len(self._deferred) == 1:
            QTimer.singleShot(0, self, self._run_deferred)

    def _run_deferred(self) -> None:
        while self._deferred:
            self._deferred.pop(0)()

    def _connect(self, signal: Any, slot: Callable[..., None]) -> None:
        signal.connect(slot)
        self._undo.append(lambda: signal.disconnect(slot))

    @property
    def steps(self) -> int:
        return len(self._entries)

    def now(self) -> float:
        """Scenario seconds since Record (device clock), to the millisecond."""
        return round(max(0.0, self.device.time() - self._start_mono), 3)

    # -- the scenario ---------------------------------------------------------------------------
    def recording_so_far(self) -> Recording:
        device = self.device
        networks = tuple(
            NetworkSpec(status.name, network_kind(status.name)) for status in device.networks
        ) or (NetworkSpec("lan"),)
        spec = DeviceSpec(device.name, tuple(n.name for n in networks))
        entries = sorted(self._entries, key=lambda e: e.at)  # stable: causes before outcomes
        steps = tuple(dataclasses.replace(e.step, device=device.name) for e in entries)
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(self._start_wall))
        scenario = Scenario(
            name=f"Recorded on {device.name} at {when} UTC",
            description="Recorded in the QA dock.",
            devices=(spec,),
            users=tuple(self._users.values()),
            networks=networks,
            steps=steps,
        )
        notes = {i: e.note for i, e in enumerate(entries) if e.note}
        return Recording(scenario, notes, self._start_wall)

    def _action(self, kind: str, **params: Any) -> None:
        """An action at its time; after a screen was seen, relative to that screen (a person
        acts on what the panel shows: the replay waits for the same screen first)."""
        at = self.now()
        after, offset = None, at
        if self._anchor is not None:
            after, offset = self._anchor[0], round(max(0.0, at - self._anchor[1]), 3)
        self._last_action = (at, after, offset)
        step = Step(kind, False, offset, after=after, params=params)
        note = SECRET_TYPED if self._secret_typed else ""
        self._secret_typed = False
        self._entries.append(_Entry(at, step, note))
        self.changed.emit()

    def _expect(self, kind: str, step_id: str | None = None, **params: Any) -> None:
        """A draft expectation, placed where the last action is (its likely cause), with a
        deadline that covers twice what it took when recorded."""
        at, after, offset = self._last_action
        took = self.now() - at
        within = max(MIN_WITHIN_S, DEFAULT_WITHIN_S, round(2 * took + 5, 1))
        step = Step(kind, True, offset, after=after, params=params, id=step_id, within=within)
        self._entries.append(_Entry(at, step, DRAFT))
        self.changed.emit()

    # -- the panel ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A finger lifted from a control of the touchscreen, or from a hard key: seen before
        the control acts on it, so the step comes before what it causes (a logout, a screen)."""
        if (
            not self.recording
            or event.type() != QEvent.Type.MouseButtonRelease
            or not isinstance(watched, QAbstractButton)
            or not watched.isEnabled()
        ):
            return False
        # What was shown before this finger came down is noted before it: the screen the tap
        # was made on is the one it counts from (a busy loop can deliver the tap before the
        # turn that would have noted the screen).
        self._run_deferred()
        for name, key in self.window.keys.items():
            if watched is key:
                self._on_key(name)
                return False
        if not self.window.touchscreen.isAncestorOf(watched) or self.screen() in _UNTAPPED:
            return False
        pad = typing_pad(watched)
        if pad is not None and types_secret(pad):
            # A secret's keys are never recorded, nor their number: only its submit key,
            # with a note that something was typed before it.
            self._secret_typed = True
            if not any(getattr(pad, "buttons", {}).get(k) is watched for k in _SUBMIT_KEYS):
                return False
        self._action("tap", target=self._tap_target(watched))
        return False

    def _tap_target(self, widget: QWidget) -> str:
        """The control as the runner names it, in English whatever the panel's language (a
        replay runs in English): the English of the text bound to it, when it has one."""
        if i18n.current_language() != i18n.ENGLISH:
            english = english_text(widget)
            if english:
                return english
        return self._control_text(widget)

    def screen(self) -> str:
        page = self.window.stack.currentWidget()
        return self._screen_name(page) if page is not None else ""

    def _on_pin_submitted(self, user_id: str, pin: str) -> None:
        self._pin_login = (user_id, pin)

    def _on_key(self, name: str) -> None:
        self._action("key", key=name)

    def _on_screen(self, _index: int) -> None:
        """A screen shown: noted once the change that showed it is recorded (a login shows
        home from inside the session change, before the recorder hears of the session)."""
        if self.window.device is not self.device:
            return
        name = self.screen()
        if name:
            self._defer(lambda: self._screen_seen(name))

    def _screen_seen(self, name: str) -> None:
        if not self.recording:
            return
        step_id = f"screen-{sum(e.step.kind == 'screen' for e in self._entries) + 1}"
        self._expect("screen", step_id, screen=name)
        self._anchor = (step_id, self.now())

    # -- the device -----------------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        kind = event.kind
        if kind is EventKind.SESSION_CHANGED:
            self._on_session(event)
        elif kind is EventKind.PRESENCE_CHANGED:
            self._action("presence", present=bool(event.subject))
        elif kind is EventKind.NETWORK_CHANGED:
            fields = {"reason": event.fields.get("reason", "")}
            if event.subject is not None:
                fields["network"] = event.subject.name
            self._expect(
                "trace", source="device", concern="networks", event="active", fields=fields
            )
        elif kind is EventKind.POWER_CHANGED:
            state = event.subject.value
            self._expect(
                "trace", source="device", concern="power", event="state", fields={"state": state}
            )
        elif kind in (EventKind.JOB_CREATED, EventKind.JOB_STATE_CHANGED):
            self._on_job(event)
        elif kind is EventKind.ENGINE_STATUS_CHANGED and event.fields.get("change") in (
            "fault",
            "cleared",
        ):
            self._on_engine(event)

    def _on_session(self, event: Event) -> None:
        user = event.subject
        if user is None:
            if not self._just_pressed():  # a Log out tap or the Login key: that is the step
                self._action("logout")
            self._expect("trace", source="device", concern="auth", event="session", fields={})
            return
        pending, self._pin_login = self._pin_login, None
        card, self._card = self._card, None
        if pending is not None and pending[0] == user.user_id:
            self._users[user.user_id] = UserSpec(
                user.user_id, user.name, pending[1], role=user.role
            )
            self._action("login", user=user.user_id, method="pin")
        elif card is not None:
            known = self._users.get(user.user_id)
            pin = known.pin if known is not None else STAND_IN_PIN
            self._users[user.user_id] = UserSpec(user.user_id, user.name, pin, card, user.role)
            self._action("card", card=card)
        else:  # logged in by some other way (a kept session): not replayable as such
            return
        self._expect(
            "trace",
            source="device",
            concern="auth",
            event="session",
            fields={"user_id": user.user_id},
        )

    def _just_pressed(self) -> bool:
        """The last step is a tap or a key pressed a moment ago (its outcome is arriving)."""
        if not self._entries or self._entries[-1].step.kind not in ("tap", "key"):
            return False
        return self.now() - self._entries[-1].at <= PRESS_OUTCOME_S

    def card_tapped(self) -> None:
        """The dock's Tap card was pressed: the session that follows is a card login."""
        if self.recording:
            self._card = self._chosen_card() or None

    def _on_job(self, event: Event) -> None:
        job = event.subject
        if event.kind is EventKind.JOB_CREATED and job.kind is JobKind.CLOUD_PRINT:
            self._submitted(job)
        state = job.state.value
        if self._job_states.get(job.job_id) == state:
            return
        self._job_states[job.job_id] = state
        params: dict[str, Any] = {"state": state}
        if job.title:
            params["title"] = job.title
        self._expect("job_state", **params)

    def _submitted(self, job: Job) -> None:
        """A print job came from the server (sent from a desk, `mfp-panel server submit`, or
        held for the user until they logged in): the replay sends it the same way."""
        if job.user_id not in self._users:  # not logged in here (yet): a stand-in PIN
            self._users[job.user_id] = UserSpec(job.user_id, job.user_id, STAND_IN_PIN)
        params: dict[str, Any] = {"user": job.user_id}
        if job.title:
            params["title"] = job.title
        if 1 <= job.pages <= MAX_PAGES:
            params["pages"] = job.pages
        if 1 <= job.copies <= MAX_COPIES:
            params["copies"] = job.copies
        self._action("submit_job", **params)

    def _on_engine(self, event: Event) -> None:
        codes = set(event.subject.error_codes)
        for code in sorted(codes - self._engine_codes):
            self._action("engine_fault", code=code)
        for code in sorted(self._engine_codes - codes):
            self._action("engine_clear", code=code)
        self._engine_codes = codes

    # -- the simulated networks -----------------------------------------------------------------
    def _on_sim_event(self, event: NetworkEvent) -> None:
        """A change of a simulated network, read once the change is whole: a fault set again
        is its old toxic removed, then the new one added (two events, one step)."""
        if event.kind.value.startswith("connection-") or self.sims is None:
            return
        network = event.network
        if network not in self.sims or network in self._settling:
            return
        self._settling.add(network)
        self._defer(lambda: self._sim_settled(network))

    def _sim_settled(self, network: str) -> None:
        self._settling.discard(network)
        if not self.recording or self.sims is None or network not in self.sims:
            return
        from panel.sim.faults import faults_on

        now = _fault_values(faults_on(self.sims.get(network)))
        before = self._faults.get(network, {})
        self._faults[network] = now
        self._network_changes(network, before, now)

    def _network_changes(self, network: str, before: dict[str, int], now: dict[str, int]) -> None:
        """The steps that take `network` from faults `before` to `now`. A scenario cannot lift
        one fault (a fault's value is > 0): a lift is a restore, then what stays is put back."""
        lifted = any(fault not in now for fault in before if fault != "down")
        if lifted:
            self._action("network_restore", network=network)
            before = {}
        if ("down" in now) != ("down" in before):
            self._action("network_down" if "down" in now else "network_up", network=network)
        for fault in sorted(set(now) - {"down"}):
            value = now[fault]
            if value == before.get(fault):
                continue
            if fault in FAULTS_WITH_VALUE:
                self._action("network_fault", network=network, fault=fault, value=value)
            else:
                self._action("network_fault", network=network, fault=fault)


def _fault_values(on: Any) -> dict[str, int]:
    return {str(fault): int(value) for fault, value in on.items()}


def default_path(device: Any, started: float) -> Path:
    """Where Stop writes: the device's data directory, `scenarios/recorded-<UTC time>.toml`."""
    base = getattr(getattr(device, "config", None), "data_dir", None)
    if base is None:
        from panel import config

        base = config.data_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(started))
    return Path(base) / "scenarios" / f"recorded-{stamp}.toml"


def write_recording(recording: Recording, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(recording.text(), encoding="utf-8")
    tmp.replace(path)
    return path


class RecorderCard(QFrame):
    """Record / Stop (the scenario is written at Stop, its path shown) and Report… (a bug-report
    zip, `panel.ui.dock.report`). `written(path)`: a scenario or a report was written (the demo
    then keeps its data directory on exit)."""

    written = Signal(Path)

    def __init__(
        self,
        window: PanelWindow,
        device: DockedDevice,
        sims: NetworkSet | None,
        chosen_card: Callable[[], str],
        run: Run,
        log: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # A dock card (parts.Card's look) of one row: the dock should not scroll, so no
        # heading; the status line shows only while there is something to say.
        self.setObjectName("qaSection")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(8, 6, 8, 6)
        self.column.setSpacing(5)
        self.panel_window = window
        self.device = device
        self._run = run
        self._log = log
        self.recorder = Recorder(window, device, sims, chosen_card, self)
        self.last: Recording | None = None  # what was recorded last (the report holds it)
        self.last_path: Path | None = None
        self.report_path: Path | None = None
        self.traces: list[Path] = []  # the traces the dock shows: the report holds them too
        row = QHBoxLayout()
        row.setSpacing(6)
        self.record_button = self._button(
            "qaRecord",
            Text("QaRecorder", "Record"),
            Text("QaRecorder", "Record what you do on the panel and in the dock as a scenario"),
        )
        self.stop_button = self._button(
            "qaStopRecording",
            Text("QaRecorder", "Stop"),
            Text("QaRecorder", "Stop recording and write the scenario file"),
        )
        self.report_button = self._button(
            "qaReport",
            Text("QaRecorder", "Report…"),
            Text(
                "QaRecorder",
                "Write a bug report: traces, a screenshot, versions, settings without secrets "
                "and the recorded scenario, in one zip",
            ),
        )
        for widget in (self.record_button, self.stop_button, self.report_button):
            row.addWidget(widget, 1)
        self.column.addLayout(row)
        self.status_label = FitLabel(parent=self)
        self.status_label.setObjectName("qaRecorderStatus")
        self.column.addWidget(self.status_label)
        self.record_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.report_button.clicked.connect(self.report)
        self.recorder.changed.connect(self.show_state)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.show_state)
        self._status: Text = Text("QaRecorder", "Not recording")
        self._said = False  # a status other than the first was set (an error, a report)
        i18n.notifier().changed.connect(self.show_state)
        self.show_state()
        window.installEventFilter(self)

    def _button(self, name: str, text: Text, tip: Text) -> QPushButton:
        made = button("", "", self)
        made.setObjectName(name)
        bind(made, text)
        bind(made, tip, "setToolTip")
        return made

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The panel window closing ends a recording under way: it is written, not lost."""
        if watched is self.panel_window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def start(self) -> None:
        self.recorder.start()
        self.ticker.start()
        self._log(str(Text("QaRecorder", "Recording started")))

    def stop(self) -> Path | None:
        """Stop and write the scenario under the device's data directory; its path."""
        if not self.recorder.recording:
            return None
        self.ticker.stop()
        recording = self.recorder.stop()
        self.last = recording
        path = default_path(self.device, recording.started)
        try:
            write_recording(recording, path)
        except OSError as exc:
            error = Text("QaRecorder", "Could not write the scenario: {error}")
            self._say(error.format(error=str(exc)))
            return None
        self.last_path = path
        self._say(Text("QaRecorder", "Scenario saved: {path}").format(path=str(path)))
        self.written.emit(path)
        return path

    def report(self) -> None:
        """Write a bug report (a recording under way is stopped first: it goes in)."""
        self.stop()
        from panel.ui.dock.report import write_dock_report

        self._say(Text("QaRecorder", "Writing the bug report…"), logged=False)
        self._run(
            self._report(
                write_dock_report(
                    self.device, self.panel_window.bezel, self.last, shown=self.traces
                )
            ),
            "report",
        )

    async def _report(self, writing: Coroutine[Any, Any, Path]) -> Path:
        path = await writing
        self.report_path = path
        self._say(Text("QaRecorder", "Bug report saved: {path}").format(path=str(path)))
        self.written.emit(path)
        return path

    def _say(self, status: Text, logged: bool = True) -> None:
        """The status line says `status` (and the dock's log, unless `logged` is False)."""
        self._status, self._said = status, True
        if logged:
            self._log(str(status))
        self.show_state()

    def show_state(self, *_: object) -> None:
        recording = self.recorder.recording
        self.status_label.setVisible(recording or self._said)
        self.record_button.setEnabled(not recording)
        self.stop_button.setEnabled(recording)
        if recording:
            text = Text("QaRecorder", "Recording: {steps} steps, {seconds} s").format(
                steps=self.recorder.steps, seconds=f"{self.recorder.now():.0f}"
            )
            self.status_label.set_full_text(str(text))
        else:
            self.status_label.set_full_text(str(self._status))


def chosen_card_of(card_box: QComboBox) -> Callable[[], str]:
    """The card the dock's reader taps: a demo card's id, or the id typed (as SensorsCard)."""

    def chosen() -> str:
        text = card_box.currentText().strip()
        index = card_box.findText(text)
        return str(card_box.itemData(index)) if index >= 0 else text

    return chosen
