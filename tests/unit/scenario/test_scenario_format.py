"""The scenario parser (issue 18): a good file reads into the model, and every mistake the format
names (/work/notes/scenario-format.md) is one ScenarioError at the offending line and column,
naming the key and what is allowed there."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from panel.scenario import model
from panel.scenario.format import MAX_BYTES, ScenarioError, load, loads
from panel.scenario.model import DEFAULT_WITHIN_S, DeviceSpec, NetworkSpec, Scenario, Step

HEAD = '[scenario]\nname = "t"\n'  # lines 1-2
NETS = '[[network]]\nname = "lan"\n[[network]]\nname = "wifi"\nkind = "wifi"\n'  # 5 lines
ALICE = '[[user]]\nid = "1001"\nname = "Alice"\npin = "1234"\ncard = "04A1"\n'  # 5 lines
BOB = '[[user]]\nid = "1002"\nname = "Bob"\npin = "9999"\n'  # 4 lines, no card


def step(*lines: str) -> str:
    return "[[step]]\n" + "".join(f"{line}\n" for line in lines)


# (test id, file text, line, column, a fragment of the message)
BAD_FILES: list[tuple[str, str | bytes, int, int, str]] = [
    # the file itself
    ("toml syntax", HEAD + "at = = 1\n", 3, 6, "TOML syntax: Invalid value"),
    ("toml syntax at end", HEAD + "[[step]]\nat = ", 4, 6, "TOML syntax"),
    ("not utf-8", b'[scenario]\nname = "caf\xe9"\n', 2, 12, "not UTF-8"),
    (
        "not utf-8, column in characters",
        '[scenario]\nname = "日本'.encode() + b'\xff"\n',
        2,
        11,
        "not UTF-8",
    ),
    ("empty", "", 1, 1, "the file is empty"),
    ("only comments", "# nothing yet\n\n", 1, 1, "the file is empty"),
    ("too large", "#" * (MAX_BYTES + 1), 1, 1, "larger than 1024 KiB"),
    ("nested too deeply", "a = " + "[" * 5000 + "]" * 5000, 1, 1, "nested too deeply"),
    # top level
    (
        "unknown top-level table",
        HEAD + "[[steps]]\nat = 1\n",
        3,
        1,
        'unknown top-level key or table "steps" (did you mean "step"?)',
    ),
    (
        "unknown top-level key",
        'title = "x"\n' + HEAD,
        1,
        1,
        'unknown top-level key or table "title"',
    ),
    ("no scenario table", step('action = "wait"'), 1, 1, "no [scenario] table"),
    ("scenario not a table", 'scenario = "x"\n', 1, 1, "scenario must be a table"),
    (
        "scenario without name",
        '[scenario]\ndescription = "d"\n',
        1,
        1,
        "[scenario]: missing name (required)",
    ),
    (
        "scenario name not a string",
        "[scenario]\nname = 5\n",
        2,
        1,
        "name must be a non-empty string in quotes, not 5 (an integer)",
    ),
    ("scenario name empty", '[scenario]\nname = " "\n', 2, 1, "name must be a non-empty string"),
    (
        "unknown key in scenario",
        HEAD + "timout = 5\n",
        3,
        1,
        'unknown key "timout" (did you mean "timeout"?); allowed: name, description, timeout',
    ),
    (
        "timeout not positive",
        HEAD + "timeout = 0\n",
        3,
        1,
        "timeout must be a finite number of seconds > 0",
    ),
    (
        "timeout infinite",
        HEAD + "timeout = inf\n",
        3,
        1,
        "timeout must be a finite number of seconds > 0, not inf",
    ),
    (
        "step written as a table",
        HEAD + '[step]\naction = "wait"\n',
        3,
        1,
        "step must be an array of tables: write each one as [[step]]",
    ),
    # networks
    (
        "network without name",
        HEAD + '[[network]]\nkind = "wifi"\n',
        3,
        1,
        "[[network]] #1: missing name",
    ),
    (
        "network kind unknown",
        HEAD + '[[network]]\nname = "x"\nkind = "wlan"\n',
        5,
        1,
        'kind = "wlan" is not one of: lan, wifi, cellular',
    ),
    (
        "network declared twice",
        HEAD + NETS + '[[network]]\nname = "lan"\n',
        9,
        1,
        'network "lan" is declared twice',
    ),
    (
        "unknown key in network",
        HEAD + '[[network]]\nname = "x"\nloss = 3\n',
        5,
        1,
        '[[network]] #1: unknown key "loss"; allowed: name, kind',
    ),
    # devices
    (
        "device without name",
        HEAD + "[[device]]\nnetworks = []\n",
        3,
        1,
        "[[device]] #1: missing name",
    ),
    (
        "device declared twice",
        HEAD + '[[device]]\nname = "a"\n[[device]]\nname = "a"\n',
        6,
        1,
        'device "a" is declared twice',
    ),
    (
        "device network not declared",
        HEAD + NETS + '[[device]]\nname = "a"\nnetworks = ["lan", "wfi"]\n',
        10,
        20,
        'network "wfi" is not declared (did you mean "wifi"?); declared networks: lan, wifi',
    ),
    (
        "device network listed twice",
        HEAD + NETS + '[[device]]\nname = "a"\nnetworks = ["lan", "lan"]\n',
        10,
        20,
        'network "lan" is listed twice',
    ),
    (
        "device networks empty",
        HEAD + '[[device]]\nname = "a"\nnetworks = []\n',
        5,
        1,
        "networks must be a non-empty array",
    ),
    (
        "device network not a name",
        HEAD + '[[device]]\nname = "a"\nnetworks = [1]\n',
        5,
        13,
        "networks holds names, not 1 (an integer)",
    ),
    (
        "device settings not a table",
        HEAD + '[[device]]\nname = "a"\nsettings = 5\n',
        5,
        1,
        "settings must be a table",
    ),
    (
        "device setting not a scalar",
        HEAD + '[[device]]\nname = "a"\nsettings = { auto_logout_s = [1] }\n',
        5,
        14,
        'setting "auto_logout_s" must be a string, number or boolean',
    ),
    (
        "unknown key in device",
        HEAD + '[[device]]\nname = "a"\nnetwork = ["lan"]\n',
        5,
        1,
        'unknown key "network" (did you mean "networks"?)',
    ),
    # users
    (
        "user without pin",
        HEAD + '[[user]]\nid = "1"\nname = "A"\n',
        3,
        1,
        "[[user]] #1: missing pin (required)",
    ),
    (
        "user pin a number",
        HEAD + '[[user]]\nid = "1"\nname = "A"\npin = 1234\n',
        6,
        1,
        'pin must be a non-empty string in quotes, e.g. pin = "1234", not 1234 (an integer)',
    ),
    (
        "user declared twice",
        HEAD + ALICE + '[[user]]\nid = "1001"\nname = "B"\npin = "1"\n',
        9,
        1,
        'user id "1001" is declared twice',
    ),
    (
        "card of two users",
        HEAD + ALICE + '[[user]]\nid = "2"\nname = "B"\npin = "1"\ncard = "04A1"\n',
        12,
        1,
        'card "04A1" is already the card of user "1001"',
    ),
    (
        "user role unknown",
        HEAD + '[[user]]\nid = "1"\nname = "A"\npin = "1"\nrole = "root"\n',
        7,
        1,
        'role = "root" is not one of: user, admin',
    ),
    (
        "unknown key in user",
        HEAD + '[[user]]\nid = "1"\nname = "A"\npin = "1"\npassword = "x"\n',
        7,
        1,
        'unknown key "password"',
    ),
    # steps: action / expect
    (
        "step with both",
        HEAD + step('action = "wait"', 'expect = "screen"', 'screen = "home"'),
        5,
        1,
        "has both action and expect: write two steps",
    ),
    (
        "step with neither",
        HEAD + step("at = 1"),
        3,
        1,
        "needs either action = ... (something to do) or expect = ...",
    ),
    (
        "unknown action",
        HEAD + step('action = "loggin"'),
        4,
        1,
        'unknown action "loggin" (did you mean "login"?); known: card, copy,',
    ),
    (
        "unknown expect kind",
        HEAD + step('expect = "screens"'),
        4,
        1,
        'unknown expect "screens" (did you mean "screen"?); known: count, job_state, screen, trace',
    ),
    ("action not a string", HEAD + step("action = 1"), 4, 1, "unknown action 1 (an integer)"),
    (
        "missing parameter",
        HEAD + step('action = "tap"'),
        3,
        1,
        "(action tap): missing target (required for tap)",
    ),
    (
        "unknown parameter",
        HEAD + step('action = "logout"', 'user = "1"'),
        5,
        1,
        'unknown key "user"; logout takes: no parameters (and any step: after, at, device, id)',
    ),
    (
        "within on an action",
        HEAD + step('action = "wait"', "within = 5"),
        5,
        1,
        "within is only for expectations",
    ),
    # steps: types and ranges
    (
        "at negative",
        HEAD + step('action = "wait"', "at = -1"),
        5,
        1,
        "at must be a finite number of seconds >= 0, not -1",
    ),
    (
        "at a string",
        HEAD + step('action = "wait"', 'at = "5s"'),
        5,
        1,
        'at must be a finite number of seconds >= 0, not "5s" (a string)',
    ),
    ("at a boolean", HEAD + step('action = "wait"', "at = true"), 5, 1, "not true (a boolean)"),
    (
        "at not finite",
        HEAD + step('action = "wait"', "at = nan"),
        5,
        1,
        "at must be a finite number of seconds >= 0, not nan",
    ),
    ("at a date", HEAD + step('action = "wait"', "at = 2026-12-06"), 5, 1, "not a date/time"),
    (
        "at past the timeout",
        HEAD + "timeout = 60\n" + step('action = "wait"', "at = 61"),
        6,
        1,
        "at = 61 s is past the scenario's timeout (60 s)",
    ),
    (
        "within zero",
        HEAD + step('expect = "screen"', 'screen = "home"', "within = 0"),
        6,
        1,
        "within must be a finite number of seconds > 0",
    ),
    (
        "pages too many",
        HEAD + step('action = "scan"', "pages = 51"),
        5,
        1,
        "pages must be a whole number from 1 to 50, not 51",
    ),
    (
        "pages not whole",
        HEAD + step('action = "scan"', "pages = 2.5"),
        5,
        1,
        "pages must be a whole number from 1 to 50, not 2.5",
    ),
    (
        "copies zero",
        HEAD + step('action = "copy"', "copies = 0"),
        5,
        1,
        "copies must be a whole number from 1 to 999",
    ),
    (
        "choice unknown",
        HEAD + step('action = "copy"', 'sides = "1-3"'),
        5,
        1,
        'sides = "1-3" is not one of: 1-1, 1-2, 2-2',
    ),
    (
        "string empty",
        HEAD + step('action = "tap"', 'target = ""'),
        5,
        1,
        'target must be a non-empty string, not "" (a string)',
    ),
    (
        "boolean wanted",
        HEAD + step('action = "presence"', 'present = "yes"'),
        5,
        1,
        "present must be true or false",
    ),
    (
        "count value negative",
        HEAD + step('expect = "count"', 'what = "jobs"', "value = -1"),
        6,
        1,
        "value must be a whole number >= 0",
    ),
    (
        "fields not a table",
        HEAD + step('expect = "trace"', 'concern = "a"', 'event = "b"', 'fields = "x"'),
        7,
        1,
        "fields must be a table",
    ),
    (
        "field a table",
        HEAD
        + step('expect = "trace"', 'concern = "a"', 'event = "b"', "fields = { a = { b = 1 } }"),
        7,
        12,
        'field "a" must be a string, number, boolean or an array',
    ),
    (
        "source unknown",
        HEAD + step('expect = "trace"', 'concern = "a"', 'event = "b"', 'source = "dock"'),
        7,
        1,
        'source = "dock" is not one of: device, server',
    ),
    (
        "job state unknown",
        HEAD + step('expect = "job_state"', 'state = "done"'),
        5,
        1,
        'state = "done" is not one of: held, sending,',
    ),
    (
        "a long name is cut short in the message",
        HEAD + step('action = "wait"', f'device = "{"x" * 500}"'),
        5,
        1,
        f'device "{"x" * 37}..." is not declared',
    ),
    # steps: combinations of parameters
    (
        "fault without value",
        HEAD + NETS + step('action = "network_fault"', 'network = "lan"', 'fault = "latency"'),
        8,
        1,
        "a latency fault needs value = ... (ms)",
    ),
    (
        "fault with a value it does not take",
        HEAD
        + NETS
        + step('action = "network_fault"', 'network = "lan"', 'fault = "reset"', "value = 3"),
        12,
        1,
        "a reset fault takes no value",
    ),
    (
        "loss over 100",
        HEAD
        + NETS
        + step('action = "network_fault"', 'network = "lan"', 'fault = "loss"', "value = 130"),
        12,
        1,
        "loss is a percentage: 0 < value <= 100",
    ),
    (
        "fault value zero",
        HEAD
        + NETS
        + step('action = "network_fault"', 'network = "lan"', 'fault = "loss"', "value = 0"),
        12,
        1,
        "value must be a finite number > 0",
    ),
    (
        "count trace without concern",
        HEAD + step('expect = "count"', 'what = "trace"', "value = 1"),
        3,
        1,
        "counting trace lines needs concern",
    ),
    (
        "count jobs with concern",
        HEAD + step('expect = "count"', 'what = "jobs"', "value = 1", 'concern = "jobs"'),
        7,
        1,
        'concern is only for what = "trace"',
    ),
    (
        "count trace with state",
        HEAD
        + step(
            'expect = "count"', 'what = "trace"', "value = 1", 'concern = "jobs"', 'state = "held"'
        ),
        8,
        1,
        'state is for what = "jobs" or "outbox"',
    ),
    # steps: references
    (
        "after names nothing",
        HEAD + step('action = "wait"', 'after = "home"'),
        5,
        1,
        'after = "home" names no expectation above this step; ids above: none',
    ),
    (
        "after names a later step",
        HEAD
        + step('action = "wait"', 'after = "home"')
        + step('expect = "screen"', 'screen = "home"', 'id = "home"'),
        5,
        1,
        'after = "home" names no expectation above this step',
    ),
    (
        "after names an action",
        HEAD + step('action = "wait"', 'id = "w"') + step('action = "wait"', 'after = "w"'),
        8,
        1,
        'after = "w" names an action',
    ),
    (
        "duplicate id",
        HEAD
        + step('expect = "screen"', 'screen = "home"', 'id = "a"')
        + step('expect = "screen"', 'screen = "jobs"', 'id = "a"'),
        10,
        1,
        'id "a" is used by an earlier step',
    ),
    (
        "device not declared",
        HEAD + step('action = "wait"', 'device = "mfp-2"'),
        5,
        1,
        'device "mfp-2" is not declared (did you mean "mfp-1"?); declared devices: mfp-1',
    ),
    (
        "network not declared",
        HEAD + NETS + step('action = "network_down"', 'network = "wlan"'),
        10,
        1,
        'network "wlan" is not declared (did you mean "lan"?); declared networks: lan, wifi',
    ),
    (
        "user not declared",
        HEAD + ALICE + step('action = "login"', 'user = "1010"'),
        10,
        1,
        'user "1010" is not declared (did you mean "1001"?); declared user ids: 1001',
    ),
    (
        "card not declared",
        HEAD + ALICE + step('action = "card"', 'card = "FFFF"'),
        10,
        1,
        'card "FFFF" is no declared user\'s card or id; declared cards: 04A1',
    ),
    (
        "card of a user without one",
        HEAD + BOB + step('action = "card"', 'card = "1002"'),
        9,
        1,
        'user "1002" has no card',
    ),
    (
        "card login without a card",
        HEAD + BOB + step('action = "login"', 'user = "1002"', 'method = "card"'),
        10,
        1,
        'user "1002" logs in by card but has no card',
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        pytest.param(text, line, column, fragment, id=name)
        for name, text, line, column, fragment in BAD_FILES
    ],
)
def test_a_bad_file_is_one_error_at_its_place(
    text: str | bytes, line: int, column: int, fragment: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        loads(text, path="bad.toml")
    error = caught.value
    assert fragment in error.message
    assert (error.line, error.column) == (line, column), str(error)
    assert str(error) == f"bad.toml:{line}:{column}: {error.message}"


EXAMPLE = '''\
# the format's own example (scenario-format.md)
[scenario]
name = "The LAN drops while a user is logged in and a job is sent"
description = """Field report 2031:
[[step]] in a description is text, not a step"""
timeout = 300

[[network]]
name = "lan"
[[network]]
name = "wifi"
kind = "wifi"

[[device]]
name = "mfp-1"
networks = ["wifi", "lan"]
settings = { auto_logout_s = 120 }

[[user]]
id = "1001"
name = "Alice"
pin = "1234"
card = "04A1B2C3"

[[step]]
at = 0
action = "login"
user = "1001"

[[step]]
at = 1
expect = "screen"
screen = "home"
id = "home"
within = 5

[[step]]
after = "home"
at = 2.5
action = "network_down"
network = "lan"
device = "mfp-1"

[[step]]
at = 4
expect = "trace"
source = "device"
concern = "networks"
event = "active"
fields = { network = "wifi", reason = "failover" }
'''


def test_a_good_file_reads_into_the_model(tmp_path: Path) -> None:
    file = tmp_path / "lan.toml"
    file.write_text(EXAMPLE, encoding="utf-8")
    scenario = load(file)
    assert scenario.path == file
    assert scenario.name == "The LAN drops while a user is logged in and a job is sent"
    assert scenario.description.startswith("Field report 2031:\n[[step]]")
    assert scenario.timeout == 300.0
    assert scenario.networks == (NetworkSpec("lan", "lan", 8), NetworkSpec("wifi", "wifi", 10))
    assert scenario.devices == (DeviceSpec("mfp-1", ("wifi", "lan"), {"auto_logout_s": 120}, 14),)
    assert [(u.id, u.name, u.pin, u.card, u.role, u.line) for u in scenario.users] == [
        ("1001", "Alice", "1234", "04A1B2C3", "user", 19)
    ]
    assert scenario.steps == (
        Step("login", False, 0.0, None, "mfp-1", {"user": "1001"}, None, DEFAULT_WITHIN_S, 25),
        Step("screen", True, 1.0, None, "mfp-1", {"screen": "home"}, "home", 5.0, 30),
        Step("network_down", False, 2.5, "home", "mfp-1", {"network": "lan"}, line=37),
        Step(
            "trace",
            True,
            4.0,
            None,
            "mfp-1",
            {
                "source": "device",
                "concern": "networks",
                "event": "active",
                "fields": {"network": "wifi", "reason": "failover"},
            },
            line=44,
        ),
    )
    assert scenario.length_s == 4.0


def test_what_a_file_leaves_out_is_the_model_default() -> None:
    """One device on every network declared (in file order), steps on the first device."""
    scenario = loads(HEAD + step('action = "wait"'))
    assert scenario == Scenario(
        "t",
        devices=(DeviceSpec("mfp-1", ("lan",)),),
        steps=(Step("wait", False, device="mfp-1", line=3),),
    )
    two = loads(
        HEAD + NETS + '[[device]]\nname = "a"\n[[device]]\nname = "b"\n' + step('action = "wait"')
    )
    assert [d.networks for d in two.devices] == [("lan", "wifi"), ("lan", "wifi")]
    assert two.steps[0].device == "a"


def test_windows_line_ends_and_a_bom_read_as_the_same_file() -> None:
    plain = loads(EXAMPLE)
    windows = loads(("\ufeff" + EXAMPLE.replace("\n", "\r\n")).encode("utf-8"))
    assert windows == dataclasses.replace(plain, description=plain.description)


def test_positions_skip_strings_arrays_and_dotted_keys() -> None:
    """A key is found past multi-line strings and arrays, inside dotted keys and sub-tables."""
    text = (
        HEAD
        + "description = '''\n[[step]]\nat = -1\n'''\n"  # lines 3-6
        + 'networks_note = ["[[step]]",\n  "x = 1",\n]\n'  # 7-9: an unknown key, on purpose
    )
    with pytest.raises(ScenarioError) as caught:
        loads(text)
    assert (caught.value.line, caught.value.column) == (7, 1)
    dotted = (
        HEAD
        + step('action = "wait"')
        + step('action = "tap"', "target = 'x'")
        + "[step.fields]\nnope = 1\n"
    )
    with pytest.raises(ScenarioError) as caught:
        loads(dotted)
    assert caught.value.line == 8  # its [step.fields] header: fields is not a tap's parameter
    assert 'unknown key "fields"' in caught.value.message
    with pytest.raises(ScenarioError) as caught:
        loads(HEAD + '[[step]]\naction = "wait"\n  step_note.at = 1\n')
    assert (caught.value.line, caught.value.column) == (5, 3)


def test_a_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file") as caught:
        load(tmp_path / "nope.toml")
    assert str(caught.value).startswith(f"{tmp_path / 'nope.toml'}:1:1: ")


def test_the_models_copies_of_device_values_are_the_devices() -> None:
    """model.py writes these out so that reading a scenario does not import the device core."""
    from panel.device.copying import MAX_COPIES, Sides
    from panel.device.model import JobState

    assert tuple(s.value for s in JobState) == model.JOB_STATES
    assert tuple(s.value for s in Sides) == model.COPY_SIDES
    assert model.MAX_COPIES == MAX_COPIES


def test_every_parameter_of_the_tables_has_a_rule() -> None:
    for kind, (required, optional) in {**model.ACTIONS, **model.EXPECTATIONS}.items():
        for name in required | optional:
            assert model.param(kind, name).type in (
                "string",
                "integer",
                "number",
                "boolean",
                "fields",
            )
