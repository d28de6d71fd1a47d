"""Whatever faults come and go during a job, and whenever: every page comes out once, in order,
the counters count exactly the pages out, and once everything is put right the job ends and the
engine is idle (property test, manual clock)."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.engine_rig import Rig, a_job, counting, rig

from panel.device.engine import JobAborted, PrintOptions
from panel.device.engine.faults import COVERS, JAM_LOCATIONS
from panel.device.model import PrinterState

TRAYS = ("tray-1", "tray-2", "bypass")

actions = st.one_of(
    st.tuples(st.just("jam"), st.sampled_from(JAM_LOCATIONS)),
    st.tuples(st.just("clear"), st.just("")),
    st.tuples(st.just("open"), st.sampled_from(COVERS)),
    st.tuples(st.just("close"), st.sampled_from(COVERS)),
    st.tuples(st.just("toner-out"), st.sampled_from(("black", "cyan", "magenta", "yellow"))),
    st.tuples(st.just("toner-in"), st.sampled_from(("black", "cyan", "magenta", "yellow"))),
    st.tuples(st.just("tray-out"), st.sampled_from(TRAYS)),
    st.tuples(st.just("tray-in"), st.sampled_from(TRAYS)),
    st.tuples(st.just("answer"), st.sampled_from(("first", "cancel"))),
)


def act(r: Rig, action: str, arg: str) -> None:
    engine = r.engine
    if action == "jam":
        engine.jam(arg)
    elif action == "clear":
        engine.clear()
    elif action == "open":
        engine.open_cover(arg)
    elif action == "close":
        engine.close_cover(arg)
    elif action.startswith("toner"):
        engine.set_toner(arg, 0 if action == "toner-out" else 100)
    elif action.startswith("tray"):
        engine.set_tray(arg, 0 if action == "tray-out" else 50)
    elif (prompt := engine.status().prompt) is not None:
        choice = prompt.choices[0][0] if arg == "first" else "cancel"
        engine.answer(choice)


def put_right(r: Rig) -> None:
    """What a technician does at the end: every jam out, every cover shut, supplies full."""
    r.engine.clear()
    for cover in COVERS:
        r.engine.close_cover(cover)
    for toner in r.engine.status().toner:
        r.engine.set_toner(toner.colour, 100)
    for tray in r.engine.status().trays:
        r.engine.set_tray(tray.tray_id, tray.capacity)


async def scenario(
    pages: int, copies: int, options: PrintOptions, steps: list[tuple[float, tuple[str, str]]]
) -> None:
    r = rig(warmup_s=2.0)
    job = a_job(pages, copies=copies)
    task = asyncio.create_task(r.engine.print_job(job, counting(job), options))
    for delay, (action, arg) in steps:
        await r.clock.run_for(delay)
        act(r, action, arg)
    put_right(r)
    await r.clock.run_for(job.total_pages * 2 + 10)
    assert task.done(), r.engine.status()
    aborted = False
    try:
        await task
    except JobAborted:
        aborted = True
    out = r.pages()
    assert out == list(range(1, len(out) + 1))  # in order, none twice, none skipped
    assert job.pages_done == len(out)
    if not aborted:
        assert len(out) == job.total_pages
    counters = r.engine.status().counters
    assert counters.total == len(out)
    assert counters.colour + counters.mono == len(out)
    assert r.engine.state is PrinterState.IDLE
    assert r.engine.status().reasons == ()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pages=st.integers(1, 7),
    copies=st.integers(1, 2),
    duplex=st.booleans(),
    colour=st.booleans(),
    tray=st.sampled_from(("auto", "tray-1", "bypass")),
    steps=st.lists(st.tuples(st.floats(0.0, 2.5), actions), max_size=12),
)
def test_any_faults_at_any_time_print_each_page_once_and_count_it_once(
    pages: int, copies: int, duplex: bool, colour: bool, tray: str, steps: Any
) -> None:
    options = PrintOptions(duplex=duplex, colour=colour, tray=tray)
    asyncio.run(scenario(pages, copies, options, steps))
