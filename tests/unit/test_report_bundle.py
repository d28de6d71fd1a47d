"""The bug-report zip (panel/report): its members, and never a secret or a PIN inside."""

from __future__ import annotations

import json
import tomllib
import zipfile
from pathlib import Path

import pytest

from panel.report import ReportParts, build_report, redact_settings, stand_in_pins
from panel.report.bundle import find_traces, report_from_data_dir
from panel.report.redact import REDACTED, secret_key, secret_looking
from panel.scenario.format import loads
from panel.scenario.model import DeviceSpec, NetworkSpec, Scenario, Step, UserSpec
from panel.scenario.writer import dumps

# What the set-up knows to be secret: none of it may be found in any member's bytes.
PINS = ("73915", "860241")
DEVICE_SECRET = "s3cr3t-Dev1ce-Key-9fQ2xLw7Zp"
TOKEN = "tok-8f2a91c4e7b3d605aa"
PASSWORD = "Pa55word-for-operator"
SECRETS = (*PINS, DEVICE_SECRET, TOKEN, PASSWORD)


def recorded() -> str:
    return dumps(
        Scenario(
            name="Recorded on Demo MFP",
            networks=(NetworkSpec("Wired LAN"),),
            devices=(DeviceSpec("Demo MFP", ("Wired LAN",)),),
            users=(
                UserSpec("1001", "Alice Martin", PINS[0]),
                UserSpec("1002", "Bob Okafor", PINS[1], card="04A1B2C3"),
            ),
            steps=(
                Step("login", False, 0, device="Demo MFP", params={"user": "1001"}),
                Step("card", False, 3, device="Demo MFP", params={"card": "04A1B2C3"}),
            ),
        ),
        header=["Recorded by a test"],
    )


def write_data_dir(root: Path, leaked: str = "") -> None:
    """A demo's directory as it is left behind: a server and a device trace (with a reach
    token in a field, as the device traces one), and a recorded scenario. `leaked`: a secret
    a (buggy) trace line holds in its text: only a caller who knows it can remove it."""
    (root / "server").mkdir(parents=True)
    (root / "device" / "scenarios").mkdir(parents=True)
    (root / "server" / "trace.jsonl").write_text(
        json.dumps({"ts": 1.5, "concern": "auth", "event": "login", "user_id": "1001"})
        + "\n"
        + json.dumps({"ts": 2.5, "concern": "operator", "event": "x", "password": PASSWORD})
        + "\n",
        encoding="utf-8",
    )
    (root / "device" / "trace.jsonl").write_text(
        json.dumps({"ts": 1.0, "concern": "networks", "event": "reach", "token": TOKEN})
        + "\n"
        + json.dumps({"ts": 1.1, "concern": "device", "event": "note", "text": f"x {leaked}"})
        + "\n"
        + '{"ts": 1.2, "torn line with '
        + leaked,
        encoding="utf-8",
    )
    (root / "device" / "scenarios" / "recorded-20261206-120000.toml").write_text(
        recorded(), encoding="utf-8"
    )


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


def assert_no_secret(contents: dict[str, bytes]) -> None:
    for name, data in contents.items():
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret!r} found in {name}"


def test_a_report_holds_traces_settings_versions_scenario_screenshot_and_a_readme(
    tmp_path: Path,
) -> None:
    write_data_dir(tmp_path / "data", leaked=DEVICE_SECRET)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    settings = {
        "device": {
            "name": "Demo MFP",
            "server_url": "http://127.0.0.1:8631",
            "secret": DEVICE_SECRET,
            "device_id": "dev-1",
            "admin_pin": PINS[0],
            "operators": [{"id": "op1", "password": PASSWORD}],
            "note": f"the token was {TOKEN}",
            "ppm": 30.0,
        }
    }
    out = build_report(
        tmp_path / "out" / "report.zip",
        ReportParts(
            traces=find_traces(tmp_path / "data"),
            settings=settings,
            screenshot=png,
            scenario=recorded(),
            secrets=(DEVICE_SECRET, *PINS),
        ),
    )
    contents = members(out)
    assert set(contents) == {
        "README.txt",
        "versions.json",
        "settings.json",
        "traces/server/trace.jsonl",
        "traces/device/trace.jsonl",
        "screenshot.png",
        "scenario.toml",
    }
    assert contents["screenshot.png"] == png
    found = json.loads(contents["versions.json"])
    assert {"mfp-panel", "python", "os", "aiohttp"} <= set(found)
    shown = json.loads(contents["settings.json"])["device"]
    assert shown["name"] == "Demo MFP"
    assert shown["server_url"] == "http://127.0.0.1:8631"
    assert shown["ppm"] == 30.0
    assert shown["secret"] == shown["admin_pin"] == shown["operators"][0]["password"] == REDACTED
    for where in ("server", "device"):
        lines = contents[f"traces/{where}/trace.jsonl"].decode().splitlines()
        assert lines
        for line in lines[:2]:
            assert "concern" in json.loads(line)
    readme = contents["README.txt"].decode()
    assert "mfp-panel scenario run scenario.toml" in readme
    for name in contents:
        assert name in readme
    # The scenario still reads, and replays: its users have stand-in PINs.
    scenario = loads(contents["scenario.toml"].decode())
    assert [u.pin for u in scenario.users] == ["0000", "0001"]
    assert_no_secret(contents)


def test_mfp_panel_report_builds_one_from_a_data_directory(tmp_path: Path) -> None:
    write_data_dir(tmp_path / "data")
    out = report_from_data_dir(tmp_path / "data", tmp_path / "r.zip")
    contents = members(out)
    assert "screenshot.png" not in contents  # no panel was showing
    assert "scenario.toml" in contents
    assert "traces/device/trace.jsonl" in contents
    assert_no_secret(contents)


def test_the_command_line_writes_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from panel.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # not this user's settings
    write_data_dir(tmp_path / "data")
    out = tmp_path / "bundle.zip"
    assert main(["report", "--data-dir", str(tmp_path / "data"), "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert_no_secret(members(out))


def test_the_command_line_removes_the_recorded_pins_from_the_traces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mfp-panel report` knows no secret but the scenario's PINs: a trace field that holds one
    (in its text, under a key that does not say so) loses it too."""
    from panel.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write_data_dir(tmp_path / "data", leaked=f"typed {PINS[1]} then {PINS[0]}")
    out = tmp_path / "bundle.zip"
    assert main(["report", "--data-dir", str(tmp_path / "data"), "--out", str(out)]) == 0
    contents = members(out)
    assert_no_secret(contents)
    lines = contents["traces/device/trace.jsonl"].decode().splitlines()
    assert json.loads(lines[1])["text"] == f"x typed {REDACTED} then {REDACTED}"


def test_the_command_line_shows_a_demo_devices_settings_with_their_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A demo's device is configured in no file: its trace's start line names it, and the panel
    Settings saved for that name are shown, ids as they are, secrets by key name withheld."""
    from panel import config
    from panel.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    panel = {"language": "ja", "admin_pin": PINS[0], "job_ids": ["a8F3kq9ZLmPw2x7Rt"]}
    config.DeviceSettings("Demo MFP", "http://127.0.0.1:8631", "", panel).save()
    write_data_dir(tmp_path / "data")
    device_id = "dev-9dbb3978bef4"  # as the server makes them: looks like a token
    start = {"ts": 0.5, "device": device_id, "concern": "device", "event": "start"}
    start |= {"name": "Demo MFP", "server": "http://127.0.0.1:8631"}
    trace = tmp_path / "data" / "device" / "trace.jsonl"
    trace.write_text(json.dumps(start) + "\n" + trace.read_text(encoding="utf-8"))
    out = tmp_path / "bundle.zip"
    assert main(["report", "--data-dir", str(tmp_path / "data"), "--out", str(out)]) == 0
    contents = members(out)
    shown = json.loads(contents["settings.json"])["devices"]["device"]
    assert shown["name"] == "Demo MFP"
    assert shown["device_id"] == device_id
    assert shown["server_url"] == "http://127.0.0.1:8631"
    assert shown["panel"] == {
        "language": "ja",
        "admin_pin": REDACTED,
        "job_ids": ["a8F3kq9ZLmPw2x7Rt"],
    }
    assert_no_secret(contents)


def test_settings_lose_secret_keys_and_secret_looking_values() -> None:
    shown = redact_settings(
        {
            "deviceSecret": "x",
            "pin_hash": "y",
            "api_key": "z",
            "Authorization": "Bearer q",
            "name": "Front desk",
            "digits": "4821",
            "opaque": "a8F3kq9ZLmPw2x7Rt",
            "url": "http://127.0.0.1:8631/api/v1/abcdef0123456789",
            "nested": [{"token": "t"}],
            "port": 8631,
            "device_id": "dev-9dbb3978bef4",
            "userId": "1001",
            "job_ids": ["a8F3kq9ZLmPw2x7Rt"],
            "pin_id": "4821",
        }
    )
    assert shown == {
        "deviceSecret": REDACTED,
        "pin_hash": REDACTED,
        "api_key": REDACTED,
        "Authorization": REDACTED,
        "name": "Front desk",
        "digits": REDACTED,
        "opaque": REDACTED,
        "url": "http://127.0.0.1:8631/api/v1/abcdef0123456789",
        "nested": [{"token": REDACTED}],
        "port": 8631,
        "device_id": "dev-9dbb3978bef4",  # an id is shown however it looks
        "userId": "1001",
        "job_ids": ["a8F3kq9ZLmPw2x7Rt"],
        "pin_id": REDACTED,  # ... unless its name says secret
    }
    assert not secret_key("ping_ms")
    assert not secret_key("shipping")
    assert not secret_looking("Wired LAN")
    assert secret_looking("123456")


def test_stand_in_pins_replay_and_never_hold_a_real_pin() -> None:
    text, swapped = stand_in_pins(recorded(), avoid=["0000"])
    assert swapped == {PINS[0]: "0001", PINS[1]: "0002"}
    parsed = tomllib.loads(text)
    assert [u["pin"] for u in parsed["user"]] == ["0001", "0002"]
    assert PINS[0] not in text
    assert PINS[1] not in text
