"""The scenario runner over a real server, real simulated networks and a real device core on the
virtual clock: a passing run, a failing one whose report names the right step and line, `after`
chains, JUnit XML, the exit codes of `scenario run` and a bad file.

The scenarios are written as files are (TOML through the format's parser), so lines are real.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from panel.cli import main as cli
from panel.scenario.format import loads
from panel.scenario.junit import junit_xml
from panel.scenario.runner import RunOptions, run_scenario
from panel.scenario.world import World

HEAD = """
[scenario]
name = "@NAME@"
timeout = @TIMEOUT@

[[network]]
name = "lan"
[[network]]
name = "lte"
kind = "cellular"

[[device]]
name = "mfp-1"
networks = ["lan", "lte"]
settings = { auto_logout_s = 900 }

[[user]]
id = "1001"
name = "Alice"
pin = "1234"
"""

# Alice logs in; a job for her prints; the LAN drops and the device goes on over LTE.
PASSING = (
    HEAD
    + """
[[step]]
at = 1
action = "login"
user = "1001"

[[step]]
at = 1
expect = "trace"
source = "server"
concern = "auth"
event = "login"
fields = { user_id = "1001" }
id = "in"

[[step]]
after = "in"
at = 2
action = "submit_job"
user = "1001"
title = "Quarterly report"
pages = 2

[[step]]
after = "in"
at = 2
expect = "job_state"
title = "Quarterly report"
state = "completed"
within = 30
id = "printed"

[[step]]
after = "printed"
at = 1
action = "network_down"
network = "lan"

[[step]]
after = "printed"
at = 1
expect = "trace"
source = "device"
concern = "networks"
event = "active"
fields = { network = "lte" }
within = 30

[[step]]
at = 300
action = "wait"
"""
)

# The job can never print: the printer jams before it is sent, and nobody clears it.
FAILING = (
    HEAD
    + """
[[step]]
at = 1
action = "engine_fault"
code = "J-0101"

[[step]]
at = 2
action = "login"
user = "1001"

[[step]]
at = 3
action = "submit_job"
user = "1001"
title = "Stuck"

[[step]]
at = 3
expect = "job_state"
title = "Stuck"
state = "completed"
within = 20
"""
)


def scenario_file(tmp_path: Path, name: str, body: str, timeout: int = 600) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(body.replace("@NAME@", name).replace("@TIMEOUT@", str(timeout)))
    return path


def line_of(text: str, needle: str) -> int:
    """The line (1-based) of the `[[step]]` whose key line `needle` is the last in `text`."""
    lines = text.splitlines()
    key = max(i for i, line in enumerate(lines, 1) if line.strip() == needle)
    return max(i for i in range(1, key) if lines[i - 1].strip() == "[[step]]")


async def test_a_passing_scenario_runs_ten_minutes_in_seconds(tmp_path):
    path = scenario_file(tmp_path, "passing", PASSING)
    result = await run_scenario(loads(path.read_text(), path), RunOptions())

    assert result.passed, result.message
    assert [r.status for r in result.steps].count("met") == 3
    assert result.timeline_s == pytest.approx(300, abs=1.0)
    assert result.wall_s < result.timeline_s / 10  # far faster than its timeline
    printed = next(r for r in result.steps if r.step.id == "printed")
    submitted = next(r for r in result.steps if r.step.kind == "submit_job")
    in_ = next(r for r in result.steps if r.step.id == "in")
    assert submitted.started == pytest.approx(in_.finished + 2)  # `after` counts from "in"
    assert printed.finished is not None
    assert printed.finished - submitted.started < 30


async def test_a_failing_scenario_names_the_expectation_and_its_line(tmp_path):
    path = scenario_file(tmp_path, "failing", FAILING)
    text = path.read_text()
    result = await run_scenario(loads(text, path), RunOptions())

    assert not result.passed
    assert result.failure is not None
    assert result.failure.step.kind == "job_state"
    line = line_of(text, 'expect = "job_state"')
    assert result.failure.step.line == line
    assert f"at line {line}" in result.message
    assert "not met within 20 s" in result.message
    assert "saw: 'Stuck' printing" in result.message  # what there was instead
    assert result.failed_at == pytest.approx(23.0, abs=0.01)
    # the trace before the failure, device and server: the job printing into a standing jam
    assert any("device mfp-1 jobs state" in t and "state='printing'" in t for t in result.trace)
    assert any("server reports received" in t and "J-0101" in t for t in result.trace)
    assert result.timeline_s == pytest.approx(23.0, abs=0.01)  # it stops at the failure


async def test_a_count_that_must_hold_fails_the_moment_it_breaks(tmp_path):
    body = (
        HEAD
        + """
[[step]]
at = 0
expect = "count"
what = "trace"
concern = "auth"
event = "login"
op = "<="
value = 0
within = 60

[[step]]
at = 5
action = "login"
user = "1001"
"""
    )
    path = scenario_file(tmp_path, "count", body)
    result = await run_scenario(loads(path.read_text(), path), RunOptions())
    assert not result.passed
    assert "no longer holds at 5.000 s" in result.message


@pytest.mark.parametrize(
    ("concern", "event", "seen"),
    [
        ("auth", "logn", "saw: no such line; events of 'auth' seen: "),
        ("auht", "login", "saw: no line of 'auht'; concerns seen: "),
    ],
    ids=["event-misspelt", "concern-misspelt"],
)
async def test_a_trace_line_never_written_lists_what_was_written(tmp_path, concern, event, seen):
    """A misspelt event (or concern) shows at once beside the names that were written."""
    body = (
        HEAD
        + f"""
[[step]]
at = 1
action = "login"
user = "1001"

[[step]]
at = 1
expect = "trace"
source = "server"
concern = "{concern}"
event = "{event}"
within = 5
"""
    )
    path = scenario_file(tmp_path, "typo", body)
    result = await run_scenario(loads(path.read_text(), path), RunOptions())
    assert not result.passed
    assert seen in result.message, result.message
    listed = result.message.split(seen, 1)[1].split(", ")
    assert ("login" if concern == "auth" else "auth") in listed
    assert len(listed) <= 11  # at most ten names, then "... (N more)"
    assert len(set(listed)) == len(listed)  # each once


def test_junit_has_one_testcase_per_scenario_and_names_the_failure(tmp_path):
    passing = scenario_file(tmp_path, "passing", PASSING)
    failing = scenario_file(tmp_path, "failing", FAILING)
    report = tmp_path / "out" / "junit.xml"

    code = cli(["scenario", "run", str(passing), str(failing), "--junit", str(report)])

    assert code == 1
    suite = ET.parse(report).getroot()
    assert suite.tag == "testsuite"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"passing", "failing"}
    assert cases["passing"].find("failure") is None
    failure = cases["failing"].find("failure")
    assert failure is not None
    line = line_of(failing.read_text(), 'expect = "job_state"')
    assert f"expect job_state (state='completed', title='Stuck') at line {line}" in failure.get(
        "message", ""
    )
    assert "J-0101" in (failure.text or "")


def test_exit_code_0_when_every_scenario_passes_with_a_summary(tmp_path, capsys):
    passing = scenario_file(tmp_path, "passing", PASSING)
    assert cli(["scenario", "run", str(passing)]) == 0
    out = capsys.readouterr().out
    assert f"PASS {passing} (passing)" in out
    assert "1 of 1 scenarios passed" in out


def test_exit_code_1_and_the_trace_around_the_failure(tmp_path, capsys):
    failing = scenario_file(tmp_path, "failing", FAILING)
    assert cli(["scenario", "run", str(failing)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {failing} (failing) at 23.000 s: expect job_state" in out
    assert "trace before the failure" in out
    assert "device mfp-1 jobs state" in out


def test_a_bad_file_is_exit_code_2_with_path_line_and_column(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "bad"\n\n[[step]]\nat = 1\naction = "levitate"\n')
    report = tmp_path / "junit.xml"

    assert cli(["scenario", "run", str(bad), "--junit", str(report)]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:6:")
    assert "levitate" in err
    suite = ET.parse(report).getroot()
    assert suite.get("errors") == "1"


def test_an_unknown_device_setting_is_a_bad_file(tmp_path, capsys):
    body = HEAD.replace("auto_logout_s = 900", "warp_drive = 9") + '\n[[step]]\naction = "wait"\n'
    path = scenario_file(tmp_path, "setting", body)
    assert cli(["scenario", "run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "unknown setting warp_drive" in err
    assert str(path) in err


def test_junit_xml_escapes_what_a_message_holds():
    root = ET.fromstring(junit_xml([], [("a <b>.toml", 'x & "y"')]))
    (case,) = root.iter("testcase")
    assert case.find("error").get("message") == 'x & "y"'


KILL = (
    HEAD
    + """
[[step]]
at = 1
action = "login"
user = "1001"

[[step]]
at = 3
action = "kill_device"

[[step]]
at = 3
expect = "count"
what = "trace"
concern = "auth"
event = "logout"
op = "<="
value = 0
within = 5

[[step]]
at = 4
action = "restart_device"

[[step]]
at = 10
action = "login"
user = "1001"

[[step]]
at = 12
action = "network_down"
network = "lan"

[[step]]
at = 12
action = "network_down"
network = "lte"

[[step]]
at = 13
action = "scan"
pages = 2
title = "Held scan"

[[step]]
at = 13
expect = "job_state"
title = "Held scan"
state = "held"

[[step]]
at = 14
expect = "count"
what = "outbox"
value = 1

[[step]]
at = 14
expect = "count"
what = "outbox"
state = "held"
value = 1

[[step]]
at = 15
action = "kill_device"

[[step]]
at = 16
action = "restart_device"

[[step]]
at = 17
action = "network_up"
network = "lan"

[[step]]
at = 17
expect = "job_state"
title = "Held scan"
state = "accepted"
within = 60
"""
)


async def test_a_killed_device_says_nothing_more_and_keeps_what_it_committed(tmp_path):
    """kill_device is a power cut: the server hears no logout (a clean stop logs the user
    out), and a scan held offline before it is sent once the restarted device is online."""
    path = scenario_file(tmp_path, "kill", KILL)
    result = await run_scenario(loads(path.read_text(), path), RunOptions())
    assert result.passed, result.message


async def test_a_clean_stop_in_place_of_the_kill_is_told_apart(tmp_path, monkeypatch):
    """The check above can fail: a device stopped cleanly logs its user out on the server."""

    async def clean_stop(self: World, name: str) -> None:
        await self._stop_device(name)

    monkeypatch.setattr(World, "kill_device", clean_stop)
    path = scenario_file(tmp_path, "stop", KILL)
    result = await run_scenario(loads(path.read_text(), path), RunOptions())
    assert not result.passed
    assert "expect count" in result.message
    assert "no longer holds" in result.message


async def test_a_restart_of_a_running_device_is_a_clean_reboot(tmp_path):
    """restart_device without a kill first shuts down as a reboot does: the user's session
    ends on the server (a power cut, kill_device, leaves it standing)."""
    body = (
        HEAD
        + """
[[step]]
at = 1
action = "login"
user = "1001"

[[step]]
at = 3
action = "restart_device"

[[step]]
at = 3
expect = "trace"
source = "server"
concern = "auth"
event = "logout"
fields = { user_id = "1001" }
within = 5

[[step]]
at = 3
expect = "trace"
source = "device"
concern = "device"
event = "start"
"""
    )
    path = scenario_file(tmp_path, "reboot", body)
    result = await run_scenario(loads(path.read_text(), path), RunOptions())
    assert result.passed, result.message
