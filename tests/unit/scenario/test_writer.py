"""The scenario writer (the recorder's output): what it writes reads back as the same scenario."""

from __future__ import annotations

import dataclasses
import tomllib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.scenario.format import loads
from panel.scenario.model import (
    ACTIONS,
    COPY_SIDES,
    DEFAULT_WITHIN_S,
    EXPECTATIONS,
    FAULTS,
    FAULTS_WITH_VALUE,
    JOB_STATES,
    NETWORK_KINDS,
    DeviceSpec,
    NetworkSpec,
    Scenario,
    Step,
    UserSpec,
)
from panel.scenario.writer import dumps


def without_lines(scenario: Scenario) -> Scenario:
    """The scenario with every `line` (and the path) cleared: what a round trip keeps."""
    return dataclasses.replace(
        scenario,
        path=None,
        devices=tuple(dataclasses.replace(d, line=0) for d in scenario.devices),
        users=tuple(dataclasses.replace(u, line=0) for u in scenario.users),
        networks=tuple(dataclasses.replace(n, line=0) for n in scenario.networks),
        steps=tuple(dataclasses.replace(s, line=0) for s in scenario.steps),
    )


# Text a person may type into a name or a title: quotes, backslashes, control characters,
# non-ASCII; not lone surrogates (a file is UTF-8).
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() != "")
SECONDS = st.one_of(
    st.integers(0, 600).map(float),
    st.floats(0, 600, allow_nan=False, allow_infinity=False),
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    network_names = draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))
    networks = tuple(NetworkSpec(n, draw(st.sampled_from(NETWORK_KINDS))) for n in network_names)
    device_names = draw(st.lists(TEXT, min_size=1, max_size=2, unique=True))
    devices = tuple(
        DeviceSpec(
            name,
            tuple(draw(st.permutations(network_names))),
            draw(
                st.dictionaries(
                    TEXT, st.one_of(st.integers(-(2**40), 2**40), st.booleans(), TEXT), max_size=2
                )
            ),
        )
        for name in device_names
    )
    user_ids = draw(st.lists(TEXT, max_size=3, unique=True))
    cards = draw(st.lists(TEXT, min_size=len(user_ids), max_size=len(user_ids), unique=True))
    users = tuple(
        UserSpec(
            uid,
            draw(TEXT),
            draw(st.text("0123456789", min_size=4, max_size=8)),
            draw(st.sampled_from([None, card])),
            draw(st.sampled_from(["user", "admin"])),
        )
        for uid, card in zip(user_ids, cards, strict=True)
    )
    steps: list[Step] = []
    ids: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        is_expectation = draw(st.booleans())
        table = EXPECTATIONS if is_expectation else ACTIONS
        kind = draw(st.sampled_from(sorted(table)))
        params = draw(_params(kind, network_names, users))
        if params is None:
            continue
        step_id = None
        if is_expectation and draw(st.booleans()):
            step_id = draw(TEXT.filter(lambda s: s not in ids))
        after = draw(st.sampled_from([None, *ids])) if ids else None
        steps.append(
            Step(
                kind,
                is_expectation,
                draw(SECONDS),
                after=after,
                device=draw(st.sampled_from(device_names)),
                params=params,
                id=step_id,
                within=draw(st.floats(0.001, 900)) if is_expectation else DEFAULT_WITHIN_S,
            )
        )
        if step_id is not None:
            ids.append(step_id)
    return Scenario(
        name=draw(TEXT),
        description=draw(st.one_of(st.just(""), TEXT)),
        timeout=draw(st.floats(600, 10_000)),
        devices=devices,
        users=users,
        networks=networks,
        steps=tuple(steps),
    )


@st.composite
def _params(
    draw: st.DrawFn, kind: str, networks: list[str], users: tuple[UserSpec, ...]
) -> dict[str, Any] | None:
    """Valid parameters of one step of `kind`, or None when this scenario cannot have one."""
    carded = [u for u in users if u.card is not None]
    values: dict[str, st.SearchStrategy[Any]] = {
        "target": TEXT,
        "key": st.sampled_from(["home", "stop", "reset", "energy_saver"]),
        "pages": st.integers(1, 50),
        "destination": TEXT,
        "title": TEXT,
        "copies": st.integers(1, 999),
        "sides": st.sampled_from(COPY_SIDES),
        "network": st.sampled_from(networks),
        "present": st.booleans(),
        "code": st.sampled_from(["J-0101", "C-0201"]),
        "concern": TEXT,
        "event": TEXT,
        "fields": st.dictionaries(
            TEXT, st.one_of(TEXT, st.integers(-100, 100), st.lists(TEXT, max_size=2)), max_size=3
        ),
        "source": st.sampled_from(["device", "server"]),
        "screen": st.sampled_from(["home", "login", "jobs", "device_status"]),
        "state": st.sampled_from(JOB_STATES),
        "side": st.sampled_from(["device", "server"]),
        "method": st.just("pin"),
    }
    required, optional = (EXPECTATIONS | ACTIONS)[kind]
    if kind == "count":
        what = draw(st.sampled_from(["jobs", "outbox", "trace"]))
        params: dict[str, Any] = {"what": what, "value": draw(st.integers(0, 10))}
        params["op"] = draw(st.sampled_from(["==", ">=", "<"]))
        if what == "trace":
            params |= {"concern": draw(TEXT), "event": draw(TEXT)}
        return params
    if "user" in required and not users:
        return None
    if kind == "card":
        if not carded:
            return None
        user = draw(st.sampled_from(carded))
        return {"card": draw(st.sampled_from([user.id, user.card]))}
    params = {}
    chosen = set(required) | {k for k in sorted(optional) if draw(st.booleans())}
    for key in sorted(chosen):
        if key == "user":
            if not users:
                continue
            params[key] = draw(st.sampled_from(users)).id
        elif key == "fault":
            params[key] = draw(st.sampled_from(FAULTS))
        elif key == "value":
            continue  # below: it depends on the fault
        else:
            params[key] = draw(values[key])
    if kind == "network_fault" and params["fault"] in FAULTS_WITH_VALUE:
        params["value"] = draw(st.one_of(st.integers(1, 100), st.floats(0.5, 100)))
    return params


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_what_the_writer_writes_reads_back_as_the_same_scenario(scenario: Scenario) -> None:
    text = dumps(scenario, header=["Recorded\nby a test"], notes={0: 'a "draft"\n# x'})
    assert without_lines(loads(text)) == without_lines(scenario)


def test_a_written_scenario_reads_as_a_person_would_write_it() -> None:
    scenario = Scenario(
        name='The LAN drops "again"',
        networks=(NetworkSpec("Wired LAN"), NetworkSpec("LTE", "cellular")),
        devices=(DeviceSpec("Demo MFP", ("Wired LAN", "LTE")),),
        users=(UserSpec("1001", "Alice Martin", "1234"),),
        steps=(
            Step("login", False, 0, device="Demo MFP", params={"user": "1001", "method": "pin"}),
            Step("screen", True, 0, device="Demo MFP", params={"screen": "home"}, within=12.5),
            Step("network_down", False, 2.25, device="Demo MFP", params={"network": "Wired LAN"}),
        ),
    )
    text = dumps(scenario, header=["Recorded by the QA dock"], notes={1: "draft"})
    assert text.startswith("# Recorded by the QA dock\n")
    assert 'name = "The LAN drops \\"again\\""' in text
    assert '# draft\n[[step]]\nat = 0\nexpect = "screen"' in text
    assert 'at = 2.25\naction = "network_down"' in text
    assert "within = 12.5" in text
    assert tomllib.loads(text)["step"][0] == {
        "at": 0,
        "action": "login",
        "user": "1001",
        "method": "pin",
        "device": "Demo MFP",
    }
    assert without_lines(loads(text)) == without_lines(scenario)


def test_strings_are_escaped_for_toml() -> None:
    nasty = 'a"b\\c\nd\te\x00f\x7fg\u2028h é 日本'
    scenario = Scenario(name=nasty, description="\r\n\x1b[0m")
    text = dumps(scenario)
    assert tomllib.loads(text)["scenario"] == {"name": nasty, "description": "\r\n\x1b[0m"}
    # A comment cannot end early and start TOML: a line break in a note stays in the comment.
    sneaky = dumps(scenario, header=['x\n[scenario]\nname = "evil"'])
    assert tomllib.loads(sneaky)["scenario"]["name"] == nasty
