"""The Settings model (issue 19): every bound a value is checked against, what is kept in the
device's JSON file (and what never is), the date and time formats, and the networks' order
applied to the running connection manager."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from support import running_server

from panel import config
from panel.device.clock import ManualClock
from panel.device.events import EventBus, EventKind
from panel.device.networks import FailoverPolicy, NetworkManager, NetworkSettings
from panel.device.power import PowerSettings
from panel.device.settings import (
    DisplayFormat,
    NetworkChoice,
    PanelSettings,
    Problem,
    SettingError,
    SettingsStore,
    check_name,
    check_server,
    check_timers,
    check_url,
    device_language,
    format_datetime,
    network_order,
    parse_seconds,
    show_as,
)
from panel.protocol import PROTOCOL_VERSION
from panel.trace import Trace


def problem(call: object, *args: object) -> Problem:
    with pytest.raises(SettingError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.problem


def test_timers_within_their_bounds_are_taken() -> None:
    check_timers(10, 60, 0)  # the shortest, and auto-logout never
    check_timers(3600, 4 * 3600, 3600)
    check_timers(60, 60, 10)  # sleeping as it dims is allowed


@pytest.mark.parametrize(
    ("timers", "setting", "expected"),
    [
        ((9, 900, 60), "dim_after_s", Problem.OUT_OF_RANGE),
        ((3601, 9000, 60), "dim_after_s", Problem.OUT_OF_RANGE),
        ((60, 59, 60), "sleep_after_s", Problem.OUT_OF_RANGE),
        ((60, 4 * 3600 + 1, 60), "sleep_after_s", Problem.OUT_OF_RANGE),
        ((600, 300, 60), "sleep_after_s", Problem.SLEEP_BEFORE_DIM),
        ((60, 900, 5), "auto_logout_s", Problem.LOGOUT_RANGE),
        ((60, 900, 3601), "auto_logout_s", Problem.LOGOUT_RANGE),
    ],
)
def test_a_timer_out_of_bounds_is_refused_naming_its_field(
    timers: tuple[int, int, int], setting: str, expected: Problem
) -> None:
    with pytest.raises(SettingError) as caught:
        check_timers(*timers)
    assert (caught.value.setting, caught.value.problem) == (setting, expected)


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.5", "\uff11\uff12", "9999999", " "])
def test_a_timer_that_is_not_whole_seconds_is_refused(text: str) -> None:
    assert problem(parse_seconds, "dim_after_s", text) is Problem.NOT_A_NUMBER


def test_whole_seconds_are_read() -> None:
    assert parse_seconds("dim_after_s", " 120 ") == 120


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("server.example", Problem.URL_MALFORMED),
        ("ftp://server.example", Problem.URL_MALFORMED),
        ("http://", Problem.URL_MALFORMED),
        ("http://host:port", Problem.URL_MALFORMED),
        ("http://host:0", Problem.URL_MALFORMED),
        ("http://host/?x=1", Problem.URL_MALFORMED),
        ("http://ho st", Problem.URL_MALFORMED),
        ("http://" + "a" * 300, Problem.URL_MALFORMED),
        ("http://admin:secret@host", Problem.URL_HAS_SECRET),
        ("http://admin@host", Problem.URL_HAS_SECRET),
    ],
)
def test_a_malformed_url_or_one_with_a_secret_is_refused(url: str, expected: Problem) -> None:
    assert problem(check_url, url) is expected


def test_a_url_is_kept_without_its_trailing_slash() -> None:
    assert check_url(" https://mfp.example:8443/ ") == "https://mfp.example:8443"


def test_device_names() -> None:
    assert check_name("  Floor 3 MFP ") == "Floor 3 MFP"
    assert problem(check_name, "   ") is Problem.NAME_EMPTY
    assert problem(check_name, "x" * 65) is Problem.NAME_TOO_LONG
    assert problem(check_name, "a\nb") is Problem.NAME_UNPRINTABLE


def test_choices_must_be_known() -> None:
    for setting, value in (("language", "fr"), ("screen", "640x480"), ("date_style", "x")):
        with pytest.raises(SettingError) as caught:
            PanelSettings(**{setting: value}).check()  # type: ignore[arg-type]
        assert caught.value.setting == setting
    with pytest.raises(SettingError) as caught:
        PanelSettings(networks=(NetworkChoice("A", False), NetworkChoice("B", False))).check()
    assert caught.value.problem is Problem.NO_NETWORK


def test_a_stored_file_edited_by_hand_falls_back_value_by_value() -> None:
    stored = {
        "dim_after_s": 5,  # out of bounds
        "sleep_after_s": "600",  # a string
        "auto_logout_s": 120,
        "language": "ja",
        "screen": "640x480",
        "networks": "LAN",
        "unknown": 1,
    }
    settings = PanelSettings.from_json(stored)
    assert settings == PanelSettings(auto_logout_s=120, language="ja")
    assert PanelSettings.from_json(["not", "an", "object"]) == PanelSettings()


def test_saved_settings_survive_a_restart_and_hold_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    file = config.DeviceSettings("Floor 3", "http://127.0.0.1:1", "dev-1")
    file.save()
    store = SettingsStore(file)
    seen: list[tuple[PanelSettings, PanelSettings]] = []
    store.subscribe(lambda old, new: seen.append((old, new)))
    store.update(
        dim_after_s=30,
        language="ja",
        networks=(NetworkChoice("LTE"), NetworkChoice("Wired LAN", False)),
        server_url="http://127.0.0.1:2",
    )
    assert len(seen) == 1
    with pytest.raises(SettingError):
        store.update(sleep_after_s=20)  # before the panel dims: refused, nothing saved
    assert len(seen) == 1

    again = SettingsStore(config.DeviceSettings.load("Floor 3"))  # a restart
    assert again.current == store.current
    assert again.current.dim_after_s == 30
    assert again.current.sleep_after_s == 900
    assert again.file.server_url == "http://127.0.0.1:2"  # where `mfp-panel run` reads it
    assert again.file.device_id == "dev-1"
    text = config.DeviceSettings.path("Floor 3").read_text(encoding="utf-8")
    assert "secret" not in text.lower()
    assert json.loads(text)["panel"]["networks"][1] == {"name": "Wired LAN", "enabled": False}


def test_power_settings_take_the_timers_and_keep_the_rest() -> None:
    base = PowerSettings(heartbeat_s=12.0)
    power = PanelSettings(dim_after_s=20, sleep_after_s=40, auto_logout_s=0).power(base)
    assert (power.dim_after_s, power.sleep_after_s, power.auto_logout_s) == (20, 40, 0)
    assert power.heartbeat_s == 12.0


def test_dates_and_times_in_each_style() -> None:
    at = time.mktime((2026, 12, 6, 14, 5, 9, 0, 0, -1))
    assert DisplayFormat().datetime(at) == "2026-12-06 14:05"
    assert DisplayFormat("dmy").date(at) == "06/12/2026"
    assert DisplayFormat("mdy").date(at) == "12/06/2026"
    assert DisplayFormat("ja").date(at) == "2026年12月6日"
    assert DisplayFormat(clock_24h=False).time(at, with_seconds=True) == "2:05:09 PM"
    midnight = time.mktime((2026, 12, 6, 0, 7, 0, 0, 0, -1))
    assert DisplayFormat(clock_24h=False).time(midnight) == "12:07 AM"
    try:
        show_as(PanelSettings(language="ja", date_style="ja", clock_24h=False))
        assert device_language() == "ja"
        assert format_datetime(at) == "2026年12月6日 2:05 PM"
        assert format_datetime(at, with_date=False, with_seconds=True) == "2:05:09 PM"
    finally:
        show_as(PanelSettings())
    assert format_datetime(at, with_date=False) == "14:05"


def test_the_order_keeps_networks_the_settings_do_not_name() -> None:
    settings = PanelSettings(networks=(NetworkChoice("LTE", False), NetworkChoice("Gone")))
    assert network_order(settings, ["Wired LAN", "LTE", "Wi-Fi"]) == [
        NetworkChoice("LTE", False),
        NetworkChoice("Wired LAN"),
        NetworkChoice("Wi-Fi"),
    ]


async def test_the_order_applies_to_the_running_connection_manager() -> None:
    events = EventBus()
    changes: list[object] = []
    events.subscribe(lambda e: changes.append(e.subject), EventKind.NETWORK_CHANGED)
    manager = NetworkManager(
        [
            NetworkSettings("Wired LAN", "http://127.0.0.1:9"),
            NetworkSettings("LTE", "http://127.0.0.1:9"),
            NetworkSettings("Wi-Fi", "http://127.0.0.1:9"),
        ],
        FailoverPolicy(),
        events,
        Trace(None),
        "Bearer x",
        1.0,
        ManualClock(),
    )
    try:
        manager.active = manager.routes[0]
        manager.set_order(["LTE", "Wired LAN", "Wi-Fi"], {"LTE", "Wired LAN", "Wi-Fi"})
        assert [(r.name, r.rank) for r in manager.routes] == [
            ("LTE", 0),
            ("Wired LAN", 1),
            ("Wi-Fi", 2),
        ]
        assert manager.active is not None
        assert manager.active.name == "Wired LAN"
        assert changes == []  # still in use; the better one is probed and returned to

        manager.set_order(["LTE", "Wired LAN", "Wi-Fi"], {"LTE", "Wi-Fi"})
        assert [s.name for s in manager.statuses] == ["LTE", "Wi-Fi"]
        assert manager.names == ["LTE", "Wi-Fi", "Wired LAN"]
        assert not any(s.active for s in manager.statuses)  # the disabled one in use is left
        assert changes == [None]
        with pytest.raises(ValueError, match="one enabled"):
            manager.set_order(["LTE", "Wired LAN", "Wi-Fi"], set())
        with pytest.raises(ValueError, match="an order of"):
            manager.set_order(["LTE", "Wi-Fi"], {"LTE"})  # one is missing
    finally:
        await manager.close()


async def test_the_server_check_asks_a_real_server_for_its_health(tmp_path: Path) -> None:
    server = await running_server(tmp_path)
    try:
        health = await check_server(server.url + "/")
        assert health.status == "ok"
        assert health.protocol == PROTOCOL_VERSION
        with pytest.raises(SettingError) as caught:
            await check_server(f"{server.url}/elsewhere")  # answers, but not as a server
        assert caught.value.problem is Problem.URL_NOT_A_SERVER
    finally:
        await server.stop()
    with pytest.raises(SettingError) as caught:
        await check_server(server.url)  # nobody listens there now
    assert caught.value.problem is Problem.URL_UNREACHABLE


def test_a_change_keeps_the_server_url_that_registration_wrote_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    file = config.DeviceSettings("New MFP")  # a first start: no server known yet
    store = SettingsStore(file)
    file.device_id, file.server_url = "dev-9", "http://127.0.0.1:3"  # panel.modes.identity
    file.save()
    store.update(dim_after_s=45)
    again = config.DeviceSettings.load("New MFP")
    assert (again.device_id, again.server_url) == ("dev-9", "http://127.0.0.1:3")
    assert again.panel["dim_after_s"] == 45
