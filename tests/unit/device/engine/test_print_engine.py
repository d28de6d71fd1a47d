"""The print engine on its own, on a manual clock: faults stop it and clear, trays and toner run
out the way a real device's do, pages come out at the configured rate, counters add up."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from support.engine_rig import Rig, a_job, closing, counting, jam_as_page_leaves, rig

from panel.device.attention import Attention, attention, error_codes
from panel.device.engine import JobAborted, PrintOptions, Severity
from panel.device.engine.status import A3, A4
from panel.device.events import Event, EventKind
from panel.device.model import ConnectionState, Job, PrinterState
from panel.device.power import PowerState


def start(r: Rig, job: Job, options: PrintOptions | None = None) -> asyncio.Task[None]:
    return asyncio.create_task(r.engine.print_job(job, counting(job), options or PrintOptions()))


def faults_traced(r: Rig) -> list[tuple[str, str, str]]:
    return [(f["keyword"], f["severity"], f["code"]) for f in r.trace.of("engine", "fault")]


async def test_a_jam_while_idle_stops_the_engine_at_once_until_cleared() -> None:
    r = rig()
    reason = r.engine.jam("fuser")
    status = r.engine.status()
    assert (reason.code, reason.ipp, reason.icon) == ("J-0501", "media-jam-error", "jam-fuser")
    assert status.state is PrinterState.STOPPED
    assert status.state_reasons == ["media-jam-error"]
    assert status.error_codes == ["J-0501"]
    assert reason.steps
    assert reason.stops
    assert r.states == ["stopped"]
    assert r.statuses[-1][0] == "fault"
    assert faults_traced(r) == [("media-jam", "error", "J-0501")]

    assert not r.engine.clear("J-0101")  # not that jam
    assert r.engine.clear()
    assert r.engine.status().state_reasons == ["none"]
    assert r.engine.state is PrinterState.IDLE
    assert r.statuses[-1][0] == "cleared"
    cleared = r.trace.of("engine", "cleared")
    assert [(c["keyword"], c["code"]) for c in cleared] == [("media-jam", "J-0501")]
    assert not r.engine.clear()  # nothing left


async def test_a_jam_mid_job_spoils_the_sheet_in_hand_which_prints_again_after_the_clear() -> None:
    r = rig()
    job = a_job(5)
    jam_as_page_leaves(r, 2, "duplex-unit")
    task = start(r, job)
    await r.clock.run_for(30)
    assert r.pages() == [1, 2]
    assert job.pages_done == 2
    assert r.engine.state is PrinterState.STOPPED
    assert r.engine.status().error_codes == ["J-0601"]
    assert not task.done()  # waits, does not fail
    r.engine.clear("J-0601")
    await r.clock.run_for(2)
    assert r.engine.state is PrinterState.PROCESSING
    await r.clock.run_for(10)
    await task
    assert r.pages() == [1, 2, 3, 4, 5]
    assert r.engine.status().counters.total == 5
    assert r.engine.state is PrinterState.IDLE
    assert r.states == ["processing", "stopped", "processing", "idle"]


async def test_an_open_cover_stops_the_job_and_closing_it_resumes_with_no_page_twice() -> None:
    r = rig()
    job = a_job(4)
    task = start(r, job)
    await r.clock.run_for(1.5)  # page 1 out, page 2 in the engine
    r.engine.open_cover("front-cover")
    await r.clock.run_for(60)
    assert r.pages() == [1]
    assert r.engine.status().reasons[0].ipp == "cover-open-error"
    assert r.engine.status().error_codes == ["C-0101"]
    r.engine.open_cover("side-door")
    assert r.engine.status().state_reasons == ["cover-open-error", "door-open-error"]
    r.engine.close_cover("front-cover")
    await r.clock.run_for(5)
    assert r.pages() == [1]  # the side door is still open
    r.engine.close_cover("side-door")
    await r.clock.run_for(5)
    await task
    assert r.pages() == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="unknown cover"):
        r.engine.open_cover("roof")


async def test_toner_low_is_a_warning_that_stops_nothing() -> None:
    r = rig()
    r.engine.set_toner("black", 10)
    status = r.engine.status()
    assert status.state_reasons == ["toner-low-warning"]
    assert status.error_codes == ["T-0101"]
    assert status.has_warning
    assert not status.has_error
    assert status.state is PrinterState.IDLE
    job = a_job(6)
    task = start(r, job)
    await r.clock.run_for(6)
    await task
    assert r.pages() == [1, 2, 3, 4, 5, 6]
    assert "stopped" not in r.states
    assert ("toner-low", "warning", "T-0101") in faults_traced(r)


async def test_black_toner_empty_stops_every_page_until_a_new_cartridge() -> None:
    r = rig()
    per = r.engine.status().toner[0].pages_per_cartridge
    r.engine.set_toner("black", 0)
    r.engine.set_tray("tray-1", 500)
    assert r.engine.state is PrinterState.STOPPED
    assert r.engine.status().reasons[0].ipp == "toner-empty-error"
    assert r.engine.status().error_codes == ["T-0201"]
    job = a_job(3)
    task = start(r, job)
    await r.clock.run_for(30)
    assert r.pages() == []
    r.engine.set_toner("black", 100)
    await r.clock.run_for(3)
    await task
    assert r.pages() == [1, 2, 3]
    assert r.engine.status().toner[0].pages_left == per - 3


async def test_black_toner_running_out_mid_job_stops_at_the_next_page() -> None:
    r = rig(colour=False)
    assert [t.colour for t in r.engine.status().toner] == ["black"]
    per = r.engine.status().toner[0].pages_per_cartridge
    r.engine.set_toner("black", 1)  # 1% of the cartridge
    left = per // 100
    job = a_job(left + 3)
    task = start(r, job)
    await r.clock.run_for(left + 20)
    assert r.pages() == list(range(1, left + 1))
    assert r.engine.status().error_codes == ["T-0201"]
    r.engine.set_toner("black", 100)
    await r.clock.run_for(3)
    await task
    assert r.pages() == list(range(1, left + 4))


async def test_colour_toner_empty_asks_and_black_only_finishes_the_job_in_mono() -> None:
    r = rig()
    r.engine.set_toner("cyan", 0)
    assert r.engine.status().state_reasons == ["toner-empty-warning"]  # nothing needs it yet
    assert r.engine.state is PrinterState.IDLE
    job = a_job(4)
    task = start(r, job, PrintOptions(colour=True))
    await r.clock.run_for(10)
    assert r.pages() == []
    status = r.engine.status()
    assert status.state is PrinterState.STOPPED
    assert status.state_reasons == ["toner-empty-error"]
    assert status.error_codes == ["T-0202"]
    assert status.prompt is not None
    assert status.prompt.kind == "toner-empty"
    assert status.prompt.choices == (("mono", "Print in black only"), ("cancel", "Cancel the job"))
    with pytest.raises(ValueError, match="not a choice"):
        r.engine.answer("tray:tray-2")
    r.engine.answer("mono")
    await r.clock.run_for(4)
    await task
    assert r.pages() == [1, 2, 3, 4]
    counters = r.engine.status().counters
    assert (counters.mono, counters.colour) == (4, 0)
    assert r.engine.status().prompt is None
    assert r.engine.status().state_reasons == ["toner-empty-warning"]


async def test_colour_toner_empty_cancel_ends_the_job() -> None:
    r = rig()
    job = a_job(4)
    task = start(r, job, PrintOptions(colour=True))
    await r.clock.run_for(2.5)  # two colour pages out, the third in the engine
    r.engine.set_toner("magenta", 0)
    await r.clock.run_for(5)
    assert r.pages() == [1, 2, 3]  # the page in hand had its toner
    r.engine.answer("cancel")
    with pytest.raises(JobAborted, match="toner empty"):
        await task
    assert r.engine.state is PrinterState.IDLE
    assert r.engine.status().counters.colour == 3


async def test_colour_pages_use_every_cartridge_and_mono_pages_black_only() -> None:
    r = rig()
    per = r.engine.status().toner[0].pages_per_cartridge
    colour_job, mono_job = a_job(3, "c"), a_job(2, "m", user_id="bob")
    task = start(r, colour_job, PrintOptions(colour=True))
    await r.clock.run_for(3)
    await task
    task = start(r, mono_job)
    await r.clock.run_for(2)
    await task
    left = {t.colour: t.pages_left for t in r.engine.status().toner}
    assert left == {"black": per - 5, "cyan": per - 3, "magenta": per - 3, "yellow": per - 3}
    c = r.engine.status().counters
    assert (c.total, c.colour, c.mono, c.sheets, c.duplex) == (5, 3, 2, 5, 0)
    assert c.per_user == (("alice", 3), ("bob", 2))


async def test_paper_out_mid_job_asks_and_using_another_tray_continues() -> None:
    r = rig()
    r.engine.set_tray("tray-1", 3)
    job = a_job(6)
    task = start(r, job, PrintOptions(tray="tray-1"))
    await r.clock.run_for(20)
    assert r.pages() == [1, 2, 3]
    status = r.engine.status()
    assert status.state is PrinterState.STOPPED
    assert status.error_codes == ["P-0111"]
    assert status.reasons[0].ipp == "media-needed-error"
    assert status.reasons[0].message == "Tray 1 is out of A4 paper."
    assert status.prompt is not None
    assert status.prompt.kind == "paper-out"
    assert status.prompt.message == (
        "Tray 1 is out of A4 paper. Load A4 paper or choose another tray."
    )
    assert status.prompt.choices == (
        ("tray:tray-2", "Use Tray 2 (A4)"),
        ("tray:bypass", "Use Bypass (A4)"),
        ("cancel", "Cancel the job"),
    )
    r.engine.answer("tray:tray-2")
    await r.clock.run_for(3)
    await task
    assert r.pages() == [1, 2, 3, 4, 5, 6]
    levels = {t.tray_id: t.level for t in r.engine.status().trays}
    assert levels == {"tray-1": 0, "tray-2": 497, "bypass": 100}
    assert r.engine.status().state_reasons == ["media-empty-warning"]  # tray 1, nothing waits


async def test_paper_out_then_loading_paper_continues_by_itself() -> None:
    r = rig()
    r.engine.set_tray("tray-2", 0)
    r.engine.set_tray("bypass", 0)
    r.engine.set_tray("tray-1", 2)
    job = a_job(4)
    task = start(r, job)  # auto: any tray holding A4
    await r.clock.run_for(20)
    assert r.pages() == [1, 2]
    prompt = r.engine.status().prompt
    assert prompt is not None
    assert prompt.choices == (("cancel", "Cancel the job"),)  # no other tray has A4
    r.engine.set_tray("tray-1", 500)
    await r.clock.run_for(2)
    await task
    assert r.pages() == [1, 2, 3, 4]


async def test_auto_tray_switches_to_another_tray_with_the_same_media() -> None:
    r = rig()
    r.engine.set_tray("tray-1", 2)
    job = a_job(5)
    task = start(r, job)
    await r.clock.run_for(5)
    await task
    assert r.pages() == [1, 2, 3, 4, 5]
    assert "stopped" not in r.states
    levels = {t.tray_id: t.level for t in r.engine.status().trays}
    assert levels == {"tray-1": 0, "tray-2": 497, "bypass": 100}


async def test_media_no_tray_holds_waits_at_the_bypass_until_loaded() -> None:
    r = rig()
    job = a_job(2)
    task = start(r, job, PrintOptions(media=A3))
    await r.clock.run_for(10)
    status = r.engine.status()
    assert status.error_codes == ["P-0113"]
    assert status.reasons[0].message == "The bypass tray is out of A3 paper."
    r.engine.set_tray("tray-2", 250, media=A3)
    await r.clock.run_for(2)
    await task
    assert r.pages() == [1, 2]
    trays = {t.tray_id: (t.media_label, t.level) for t in r.engine.status().trays}
    assert trays == {"tray-1": ("A4", 500), "tray-2": ("A3", 248), "bypass": ("A4", 100)}


async def test_duplex_takes_one_sheet_per_two_pages_and_each_copy_starts_a_new_sheet() -> None:
    r = rig(ppm_duplex=30.0)
    job = a_job(3, copies=2)  # 3 pages a set: front, back, front | front, back, front
    task = start(r, job, PrintOptions(duplex=True))
    await r.clock.run_for(11.9)
    assert r.pages() == [1, 2, 3, 4, 5]  # 2 s a page at 30 pages a minute
    await r.clock.run_for(0.1)
    await task
    c = r.engine.status().counters
    assert (c.total, c.sheets, c.duplex) == (6, 4, 2)
    assert {t.tray_id: t.level for t in r.engine.status().trays}["tray-1"] == 496


async def test_pages_come_out_on_absolute_deadlines_at_the_configured_rate() -> None:
    r = rig(ppm=120.0)
    times: list[float] = []
    r.events.subscribe(lambda e: times.append(r.clock.monotonic()), EventKind.SHEET_OUT)
    job = a_job(10)
    task = start(r, job)
    await r.clock.run_for(5)
    await task
    assert times == pytest.approx([0.5 * k for k in range(1, 11)])
    r.engine.set_ppm(60.0, 40.0)
    assert (r.engine.status().ppm_simplex, r.engine.status().ppm_duplex) == (60.0, 40.0)
    with pytest.raises(ValueError, match="positive"):
        r.engine.set_ppm(0)


async def test_the_fuser_warms_up_before_the_first_page_after_power_on_and_after_sleep() -> None:
    r = rig(warmup_s=8.0)
    times: list[float] = []
    r.events.subscribe(lambda e: times.append(r.clock.monotonic()), EventKind.SHEET_OUT)
    task = start(r, a_job(1, "a"))
    await r.clock.run_for(1)
    assert r.engine.status().warming_up
    await r.clock.run_for(8)
    await task
    assert times == [9.0]  # 8 s of warm-up, then the page
    assert not r.engine.status().warming_up
    task = start(r, a_job(1, "b"))
    await r.clock.run_for(1)
    await task
    assert times[-1] == 10.0  # still warm
    r.events.publish(Event(EventKind.POWER_CHANGED, PowerState.SLEEP, {"cause": "timer"}))
    task = start(r, a_job(1, "c"))
    await r.clock.run_for(9)
    await task
    assert times[-1] == 19.0  # cooled down while asleep: warms up again
    assert len(r.trace.of("engine", "warm-up")) == 2


async def test_operator_actions_refuse_what_the_device_has_not(tmp_path: Path) -> None:
    r = rig()
    with pytest.raises(KeyError, match="no media-jam at 'roof'"):
        r.engine.jam("roof")
    with pytest.raises(KeyError, match="no tray"):
        r.engine.set_tray("tray-9", 1)
    with pytest.raises(ValueError, match="holds 0 to 100"):
        r.engine.set_tray("bypass", 101)
    with pytest.raises(KeyError, match="no cyan toner"):
        rig(colour=False).engine.set_toner("cyan", 50)
    with pytest.raises(ValueError, match="0 to 100"):
        r.engine.set_toner("black", 101)
    with pytest.raises(ValueError, match="not a choice"):
        r.engine.answer("mono")  # no prompt


async def test_counters_and_levels_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "device.sqlite3"
    with closing(rig(db)) as r:
        r.engine.set_tray("tray-2", 120, media=A3)
        r.engine.set_toner("yellow", 40)
        task = start(r, a_job(3), PrintOptions(colour=True))
        await r.clock.run_for(3)
        await task
        before = r.engine.status()
    with closing(rig(db)) as again:
        after = again.engine.status()
        assert after.counters == before.counters
        assert after.counters.total == 3
        assert after.trays == before.trays
        assert after.toner == before.toner
        assert {t.tray_id: t.media for t in after.trays}["tray-2"] == A3


async def test_error_codes_and_the_attention_rule() -> None:
    r = rig()
    idle = r.engine.status()
    online, offline = ConnectionState.ONLINE, ConnectionState.OFFLINE
    assert attention(idle, online, False, 0) is Attention.OFF
    assert attention(idle, online, False, 2) is Attention.BLINK  # held jobs
    assert attention(idle, online, True, 0) is Attention.ON  # a failed job
    assert attention(idle, offline, False, 0) is Attention.ON
    assert attention(idle, offline, False, 0, off_network_ok=True) is Attention.OFF
    assert attention(idle, ConnectionState.CONNECTING, False, 0) is Attention.OFF
    r.engine.set_toner("black", 5)
    assert attention(r.engine.status(), online, False, 0) is Attention.BLINK
    r.engine.jam("output")
    status = r.engine.status()
    assert attention(status, online, False, 3) is Attention.ON
    assert [x.severity for x in status.reasons] == [Severity.ERROR, Severity.WARNING]
    assert error_codes(status, online, False) == ["J-0701", "T-0101"]
    assert error_codes(status, offline, True) == ["J-0701", "T-0101", "JOB-FAILED", "NET-OFFLINE"]
    assert error_codes(idle, online, False) == []
    for tray in ("tray-1", "tray-2", "bypass"):
        r.engine.set_tray(tray, 0)
    for colour in ("cyan", "magenta", "yellow"):
        r.engine.set_toner(colour, 0)
    for cover in ("front-cover", "side-door", "top-cover"):
        r.engine.open_cover(cover)
    for where in ("tray-1", "tray-2", "bypass", "fuser", "duplex-unit"):
        r.engine.jam(where)
    every = r.engine.status()
    assert len(every.reasons) == 16
    crowded = error_codes(replace(every, reasons=every.reasons * 2), offline, True)
    assert len(crowded) == 20  # what a maintenance call carries at most
    assert crowded[-2:] == ["JOB-FAILED", "NET-OFFLINE"]
    assert crowded[0].startswith("J-")


def test_paper_sizes_have_short_labels() -> None:
    r = rig()
    assert [t.media_label for t in r.engine.status().trays] == ["A4", "A4", "A4"]
    assert A4.startswith("iso_a4")
