"""Property tests of the scenario parser (issue 18): whatever a file holds (bytes, text, TOML of
any shape with the format's own keys and kinds in it), `panel.scenario.format.loads` answers with
a Scenario or a ScenarioError pointing inside the file, never another exception; and on any TOML
that tomllib accepts, the position scanner finds every table without giving up."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.scenario.format import ScenarioError, _Positions, loads
from panel.scenario.model import ACTIONS, COMMON_KEYS, EXPECTATIONS, PARAMS, Scenario

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_BARE = re.compile(r"[A-Za-z0-9_-]+")
KEYS = sorted(
    {*COMMON_KEYS, *PARAMS, "action", "expect", "name", "id", "pin", "card", "role", "kind"}
    | {"networks", "settings", "description", "timeout"}
)
WORDS = sorted({*ACTIONS, *EXPECTATIONS, "lan", "wifi", "mfp-1", "1001", "home", "loss"})

keys = st.sampled_from(KEYS) | st.text(max_size=6)
scalars = (
    st.sampled_from(WORDS)
    | st.text(max_size=8)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.booleans()
)


def _values(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3)


values = st.recursive(scalars, _values, max_leaves=6)
tables = st.dictionaries(keys, values, max_size=6)
documents = st.fixed_dictionaries(
    {},
    optional={
        "scenario": st.fixed_dictionaries(
            {"name": st.sampled_from(["t", ""])}, optional={}
        ).flatmap(lambda head: tables.map(lambda more: {**head, **more}))
        | values,
        "network": st.lists(tables, max_size=2),
        "device": st.lists(tables, max_size=2),
        "user": st.lists(tables, max_size=2),
        "step": st.lists(
            st.one_of(
                st.builds(
                    lambda k, t: {"action": k, **t}, st.sampled_from(sorted(ACTIONS)), tables
                ),
                st.builds(
                    lambda k, t: {"expect": k, **t}, st.sampled_from(sorted(EXPECTATIONS)), tables
                ),
                tables,
            ),
            max_size=4,
        ),
        "other": values,
    },
)


def key_text(key: str) -> str:
    return key if _BARE.fullmatch(key) else json.dumps(key)


def value_text(value: Any) -> str:
    """A TOML value (JSON's string escapes are TOML's; surrogates make invalid TOML, fine)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value and "'" not in value and value.isprintable():
            return f"'{value}'"  # a literal string, for variety
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, int) else str(value).replace("e+", "e")
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + ",\n]" if value else "[]"
    inner = ", ".join(f"{key_text(k)} = {value_text(v)}" for k, v in value.items())
    return "{ " + inner + " }" if inner else "{}"


def _array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(t, dict) for t in value)


def toml_text(document: dict[str, Any]) -> str:
    out: list[str] = []
    for key, value in document.items():
        if key == "other" or not (isinstance(value, dict) or _array_of_tables(value)):
            out.append(f"{key_text(key)} = {value_text(value)}")
    for key, value in document.items():
        if key == "other":
            continue
        if isinstance(value, dict):
            out.append(f"[{key_text(key)}]")
            out += [f"{key_text(k)} = {value_text(v)}" for k, v in value.items()]
        elif _array_of_tables(value):
            for table in value:
                out.append(f"\n[[{key_text(key)}]]  # a comment")
                out += [f"  {key_text(k)} = {value_text(v)}" for k, v in table.items()]
    return "\n".join(out) + "\n"


def check(text: str | bytes) -> None:
    try:
        result = loads(text, path="fuzz.toml")
    except ScenarioError as exc:
        error = exc
    else:
        assert isinstance(result, Scenario)
        return
    assert error.message
    assert error.line >= 1
    assert error.column >= 1
    assert str(error).startswith(f"fuzz.toml:{error.line}:{error.column}: ")


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_are_a_scenario_or_a_scenario_error(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_a_scenario_or_a_scenario_error(text: str) -> None:
    check(text)


@FUZZ
@given(documents)
def test_any_toml_shaped_file_is_a_scenario_or_a_scenario_error(document: dict[str, Any]) -> None:
    text = toml_text(document)
    check(text)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    positions = _Positions(text)
    assert not positions.broken, text
    lines = text.splitlines()
    for index in range(len(document.get("step", []))):
        line = positions.find(("step", index))[0]
        assert lines[line - 1].startswith("[[step]]"), (index, text)


@FUZZ
@given(documents, st.integers(min_value=0, max_value=400), st.text(max_size=5))
def test_any_toml_shaped_file_with_noise_is_a_scenario_or_a_scenario_error(
    document: dict[str, Any], at: int, noise: str
) -> None:
    text = toml_text(document)
    check(text[:at] + noise + text[at:])


EXAMPLES = sorted(
    p.read_text(encoding="utf-8")
    for p in (Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml")
)


@FUZZ
@given(st.sampled_from(EXAMPLES or ['[scenario]\nname = "t"\n']), st.data())
def test_an_example_with_one_value_changed_is_a_scenario_or_a_scenario_error(
    example: str, data: st.DataObject
) -> None:
    """Reaches the deep rules (references, parameters, combinations) a random file seldom does."""
    lines = example.splitlines()
    pairs = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    index = data.draw(st.sampled_from(pairs))
    key = lines[index].split(" = ", 1)[0]
    if data.draw(st.booleans()):
        key = data.draw(st.sampled_from(KEYS))
    lines[index] = f"{key} = {value_text(data.draw(values))}"
    check("\n".join(lines) + "\n")
