"""The Qt side of `mfp-panel bench language` (panel/bench/language.py): a real panel, its
switches timed from the tap to the window drawn again. Only panel/ui imports Qt."""

from __future__ import annotations

import asyncio
import functools
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from panel.bench.push import server_process
from panel.device import ConnectionState, Device, DeviceConfig, JobState
from panel.server.demo_data import DEMO_USERS, sample_pdf
from panel.ui import i18n
from panel.ui.apps_bench import _tap  # a press and a release, as a finger (no QtTest)
from panel.ui.i18n_check import demo_phrases, english_words
from panel.ui.screens.login import LanguageKey
from panel.ui.window import PanelWindow

SCREEN = (1024, 600)
JOBS = 40  # the job list's rows
STEP_TIMEOUT_S = 30.0


async def _poll(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"bench language: no {what} within {STEP_TIMEOUT_S:g} s")
        await asyncio.sleep(0.01)


def _visible_texts(root: QWidget) -> list[str]:
    return [
        w.text()
        for w in root.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton) and w.isVisible() and w.text()
    ]


async def _event_loop_turn() -> None:
    """Every Qt event posted so far (LanguageChange, layout requests) handled: a zero timer
    fires after them."""
    done = asyncio.get_running_loop().create_future()

    def fired() -> None:
        if not done.done():
            done.set_result(None)

    QTimer.singleShot(0, fired)
    await done


def _check_retranslated(window: PanelWindow, phrases: list[str]) -> None:
    """Every visible bound widget shows its text in the new language and, in Japanese, no
    visible label or button shows an English word outside the data; raises if not."""
    stale = [
        f"{type(s.widget).__name__} {s.shown!r} (wanted {s.wanted!r})"
        for s in i18n.stale_bindings()
        if isinstance(s.widget, QWidget) and s.widget.isVisible()
    ]
    if stale:
        raise RuntimeError(
            f"bench language: {len(stale)} visible text(s) not switched to "
            f"{i18n.current_language()}: " + "; ".join(stale[:5])
        )
    if i18n.current_language() != i18n.JAPANESE:
        return
    english = [
        f"{text!r}: {', '.join(words)}"
        for text in _visible_texts(window.touchscreen)
        if (words := english_words(text, phrases))
    ]
    if english:
        raise RuntimeError("bench language: English left in Japanese: " + "; ".join(english[:5]))


async def _switch(window: PanelWindow, switch: Callable[[], object], phrases: list[str]) -> float:
    """ms from `switch()` (a tap or a call) to the window drawn in the new language."""
    before = _visible_texts(window.touchscreen)
    started = time.perf_counter()
    switch()
    await _event_loop_turn()
    window.grab()  # the whole window rendered, as the next frame on the glass
    elapsed = (time.perf_counter() - started) * 1000
    if _visible_texts(window.touchscreen) == before:
        raise RuntimeError("bench language: the switch changed no text on the glass")
    _check_retranslated(window, phrases)  # after the timing: the check is not the switch's
    return elapsed


async def run(tmp: Path, switches: int) -> dict[str, float]:
    async with server_process(tmp) as server:
        admin = server.admin
        reg = await admin.register_device("Language MFP")
        doc = tmp / "bench.pdf"
        doc.write_bytes(sample_pdf(1, "bench"))
        user, _, pin, _ = DEMO_USERS[0]
        for n in range(JOBS):
            await admin.submit(user, doc, f"Bench job {n + 1}", 1, None)
        config = DeviceConfig(
            "Language MFP",
            server.url,
            tmp / "device",
            reg.device_id,
            reg.secret,
            ppm=1.0,
            warmup_s=86_400.0,  # nothing prints: the rows stay as they are
        )
        core = Device(config)  # the real core: the bench drives it, the panel observes it
        window = PanelWindow(core, screen=SCREEN)
        window.show()
        i18n.start_language(i18n.ENGLISH)
        try:
            await core.start()
            await _poll(lambda: core.connection_state is ConnectionState.ONLINE, "link")
            if not (await core.login(user, pin)).ok:
                raise RuntimeError("bench language: the demo user could not log in")
            window.show_jobs()
            model = window.jobs_screen.model
            await _poll(lambda: model.rowCount() >= JOBS, "job list")
            # The device quiet (every job's document fetched): its work is not the switch's.
            settled = {JobState.QUEUED, JobState.PRINTING}
            await _poll(lambda: all(j.state in settled for j in core.jobs.all()), "fetches")
            _ = window.home_screen

            titles = [f"Bench job {n + 1}" for n in range(JOBS)]
            phrases = demo_phrases(config.name, *titles)
            codes = [i18n.JAPANESE, i18n.ENGLISH]
            working: list[float] = []
            for n in range(switches):
                code = codes[n % 2]
                switch = functools.partial(i18n.set_language, code)
                working.append(await _switch(window, switch, phrases))
            core.logout()
            await _poll(lambda: window.current_screen() is window.login_screen, "login screen")
            key = window.login_screen.findChild(LanguageKey)
            if key is None:
                raise RuntimeError("bench language: the login screen has no language key")
            tapped: list[float] = []
            for _ in range(switches):
                tapped.append(await _switch(window, lambda: _tap(key), phrases))
        finally:
            i18n.set_language(i18n.ENGLISH)
            window.close()
            await core.stop()
    every = working + tapped
    return {
        "language_switch_ms": round(statistics.median(every), 1),
        "language_switch_max_ms": round(max(every), 1),
        "language_switch_login_key_median_ms": round(statistics.median(tapped), 1),
        "language_switch_login_key_max_ms": round(max(tapped), 1),
        "language_switch_job_list_median_ms": round(statistics.median(working), 1),
        "language_switch_job_list_max_ms": round(max(working), 1),
        "switches": len(every),
        "jobs": JOBS,
    }
