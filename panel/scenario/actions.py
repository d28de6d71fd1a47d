"""One handler per action kind of `panel.scenario.model.ACTIONS`: what a scenario's person,
network, printer or operator does, done through the product's own calls (the device core, the
simulated networks, the server's dispatcher) or, for taps and keys, through the panel.

A handler raises ActionError with a sentence when the action cannot be done (the report names
the step and its line); a refused login is not an error (it is an outcome expectations check).
"""

from __future__ import annotations

import base64
import contextlib
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from panel.device.copying import CopyError, CopySettings, Placement, Sides
from panel.device.device import Device
from panel.device.engine import faults as engine_faults
from panel.device.model import ComposeError
from panel.device.power import PowerState, WakeSource
from panel.protocol.messages import JobCreate
from panel.scenario.model import ACTIONS, Step
from panel.scenario.world import DeviceSlot, World
from panel.server.demo_data import sample_pdf
from panel.sim import Fault, Toxic, restore, set_fault
from panel.threads import in_thread

LOSS_TOXIC: Final = "scenario_loss"


class ActionError(Exception):
    """The action could not be done; the message says why, for the report."""


class PanelDriver(Protocol):
    """The panel windows of a run (panel/scenario/qt_panel.py), seen without Qt."""

    def screen(self, device: str) -> str: ...

    def tap(self, device: str, target: str) -> None: ...

    def key(self, device: str, key: str) -> None: ...

    async def settle(self) -> None: ...

    async def close(self) -> None: ...


@dataclass
class ActionContext:
    world: World
    panel: PanelDriver | None

    def slot(self, step: Step) -> DeviceSlot:
        name = step.device or next(iter(self.world.slots))
        try:
            return self.world.slots[name]
        except KeyError:
            raise ActionError(f"no device named {name!r}") from None

    def device(self, step: Step) -> Device:
        slot = self.slot(step)
        if slot.device is None:
            raise ActionError(f"device {slot.spec.name!r} is killed (restart_device first)")
        return slot.device

    def needs_panel(self) -> PanelDriver:
        if self.panel is None:
            raise ActionError("this action needs the panel, which this run does not have")
        return self.panel


Handler = Callable[[ActionContext, Step], Awaitable[None]]


def _pin_of(ctx: ActionContext, user_id: str) -> tuple[str, str | None]:
    for user in ctx.world.scenario.users:
        if user.id == user_id:
            return user.pin, user.card
    raise ActionError(f"no user {user_id!r} in the scenario")


async def _login(ctx: ActionContext, step: Step) -> None:
    device = ctx.device(step)
    user_id = str(step.params["user"])
    pin, card = _pin_of(ctx, user_id)
    if step.params.get("method", "pin") == "card":
        if card is None:
            raise ActionError(f"user {user_id!r} has no card")
        await device.cards.tap(card)
    else:
        await device.login(user_id, pin)


async def _logout(ctx: ActionContext, step: Step) -> None:
    ctx.device(step).logout()


async def _tap(ctx: ActionContext, step: Step) -> None:
    ctx.needs_panel().tap(ctx.slot(step).spec.name, str(step.params["target"]))


async def _key(ctx: ActionContext, step: Step) -> None:
    ctx.needs_panel().key(ctx.slot(step).spec.name, str(step.params["key"]))


async def _scan(ctx: ActionContext, step: Step) -> None:
    device = ctx.device(step)
    wanted = step.params.get("destination")
    book = device.cache.destinations()
    dest_id = None
    for dest in book:
        if wanted is None or wanted in (dest.dest_id, dest.name, dest.address):
            dest_id = dest.dest_id
            break
    if dest_id is None:
        known = ", ".join(d.name for d in book) or "none cached"
        raise ActionError(f"no destination {wanted!r} in the address book ({known})")
    try:
        await device.scan_to(
            dest_id, int(step.params.get("pages", 1)), str(step.params.get("title", ""))
        )
    except ComposeError as exc:
        raise ActionError(f"the scan was refused: {exc}") from None


async def _copy(ctx: ActionContext, step: Step) -> None:
    device = ctx.device(step)
    pages = int(step.params.get("pages", 1))
    try:
        sides = Sides(str(step.params.get("sides", "1-1")))
    except ValueError:
        raise ActionError(f"sides is one of {', '.join(s.value for s in Sides)}") from None
    with tempfile.TemporaryDirectory(prefix="mfp-scenario-copy-") as tmp:
        original = Path(tmp) / "original.pdf"
        await in_thread(original.write_bytes, sample_pdf(pages, "Original"))
        try:
            await device.copier.place_file(original, Placement.FEEDER)
            device.copier.start(CopySettings(copies=int(step.params.get("copies", 1)), sides=sides))
        except CopyError as exc:
            raise ActionError(f"the copy was refused: {exc.message}") from None


async def _submit_job(ctx: ActionContext, step: Step) -> None:
    server = ctx.world.server
    if server is None:
        raise ActionError("the server is killed (restart_server first)")
    user_id = str(step.params["user"])
    title = str(step.params.get("title", "Scenario job"))
    pages = int(step.params.get("pages", 1))
    document = base64.b64encode(sample_pdf(pages, title)).decode()
    copies = int(step.params.get("copies", 1))
    # No device: the server routes the job as for any submission (to where the user is
    # logged in, else held until they log in).
    await server.dispatcher.submit(JobCreate(user_id, title, document, f"{title}.pdf", copies))


def _network(ctx: ActionContext, step: Step) -> str:
    return str(step.params["network"])


async def _network_down(ctx: ActionContext, step: Step) -> None:
    await set_fault(ctx.slot(step).nets.get(_network(ctx, step)), Fault.DOWN, 1)


async def _network_up(ctx: ActionContext, step: Step) -> None:
    await set_fault(ctx.slot(step).nets.get(_network(ctx, step)), Fault.DOWN, 0)


async def _network_fault(ctx: ActionContext, step: Step) -> None:
    network = ctx.slot(step).nets.get(_network(ctx, step))
    name = str(step.params["fault"])
    value = step.params.get("value", 1)
    if name == "loss":  # that percentage of connections get nowhere (their bytes go nowhere)
        with contextlib.suppress(LookupError):
            network.remove_toxic(LOSS_TOXIC)
        toxicity = min(1.0, float(value) / 100.0)
        network.add_toxic(Toxic("timeout", {"timeout": 0}, "upstream", toxicity, LOSS_TOXIC))
        return
    try:
        fault = Fault(name)
    except ValueError:
        known = ", ".join([*(f.value for f in Fault), "loss"])
        raise ActionError(f"unknown fault {name!r} (known: {known})") from None
    await set_fault(network, fault, max(1, round(float(value))))


async def _network_restore(ctx: ActionContext, step: Step) -> None:
    await restore(ctx.slot(step).nets.get(_network(ctx, step)))


async def _presence(ctx: ActionContext, step: Step) -> None:
    device = ctx.device(step)
    if step.params["present"]:
        device.presence.person_approached()
    else:
        device.presence.person_left()


async def _card(ctx: ActionContext, step: Step) -> None:
    device = ctx.device(step)
    card = str(step.params["card"])
    for user in ctx.world.scenario.users:  # a user's id names their card
        if user.id == card and user.card:
            card = user.card
    await device.cards.tap(card)


def _catalogue_row(code: str) -> engine_faults.Fault:
    for row in engine_faults.CATALOGUE:
        if row.code == code:
            return row
    known = ", ".join(row.code for row in engine_faults.CATALOGUE)
    raise ActionError(f"no engine fault {code!r} in the catalogue (known: {known})")


async def _engine_fault(ctx: ActionContext, step: Step) -> None:
    engine = ctx.device(step).engine
    row = _catalogue_row(str(step.params["code"]))
    if row.keyword == "media-jam":
        engine.jam(row.location)
    elif row.keyword in ("cover-open", "door-open"):
        engine.open_cover(row.location)
    elif row.keyword in ("toner-low", "toner-empty"):
        engine.set_toner(
            row.location.removeprefix("toner-"), 5 if row.keyword == "toner-low" else 0
        )
    elif row.keyword in ("media-empty", "media-needed"):
        engine.set_tray(row.location, 0)
    else:  # pragma: no cover - the catalogue has no other kind
        raise ActionError(f"engine fault {row.code} cannot be raised from a scenario")


async def _engine_clear(ctx: ActionContext, step: Step) -> None:
    engine = ctx.device(step).engine
    code = step.params.get("code")
    rows = (
        [_catalogue_row(str(code))]
        if code is not None
        else [r for r in engine_faults.CATALOGUE if r.code in engine.status().error_codes]
    )
    if code is None:
        engine.clear()
    for row in rows:
        if row.keyword == "media-jam":
            engine.clear(row.code)
        elif row.keyword in ("cover-open", "door-open"):
            engine.close_cover(row.location)
        elif row.keyword in ("toner-low", "toner-empty"):
            engine.set_toner(row.location.removeprefix("toner-"), 100)
        elif row.keyword in ("media-empty", "media-needed"):
            tray = next((t for t in engine.status().trays if t.tray_id == row.location), None)
            engine.set_tray(row.location, tray.capacity if tray is not None else 250)


async def _sleep(ctx: ActionContext, step: Step) -> None:
    power = ctx.device(step).power
    if power.state is not PowerState.SLEEP:
        power.energy_saver_key()


async def _wake(ctx: ActionContext, step: Step) -> None:
    ctx.device(step).power.wake(WakeSource.ENERGY_SAVER_KEY)


async def _kill_device(ctx: ActionContext, step: Step) -> None:
    await ctx.world.kill_device(ctx.slot(step).spec.name)


async def _restart_device(ctx: ActionContext, step: Step) -> None:
    await ctx.world.restart_device(ctx.slot(step).spec.name)


async def _kill_server(ctx: ActionContext, step: Step) -> None:
    await ctx.world.kill_server()


async def _restart_server(ctx: ActionContext, step: Step) -> None:
    await ctx.world.restart_server()


async def _wait(ctx: ActionContext, step: Step) -> None:
    """A point on the timeline: nothing to do."""


HANDLERS: Final[dict[str, Handler]] = {
    "login": _login,
    "logout": _logout,
    "tap": _tap,
    "key": _key,
    "scan": _scan,
    "copy": _copy,
    "submit_job": _submit_job,
    "network_down": _network_down,
    "network_up": _network_up,
    "network_fault": _network_fault,
    "network_restore": _network_restore,
    "presence": _presence,
    "card": _card,
    "engine_fault": _engine_fault,
    "engine_clear": _engine_clear,
    "sleep": _sleep,
    "wake": _wake,
    "kill_device": _kill_device,
    "restart_device": _restart_device,
    "kill_server": _kill_server,
    "restart_server": _restart_server,
    "wait": _wait,
}
# What a person at one device does one after the other (a login finishes before the scan
# that follows it starts); the rest (networks, the server, the printer, power cuts) happens
# at its time whatever the person is doing.
PERSON_ACTIONS: Final = frozenset({"login", "logout", "tap", "key", "scan", "copy", "card"})
PANEL_ACTIONS: Final = frozenset({"tap", "key"})

assert set(HANDLERS) == set(ACTIONS), "one handler per action kind"
