"""The scenario file's JSON Schema (resources/scenario.schema.json): generated from the model,
committed as generated, a valid draft 2020-12 schema, and every example in scenarios/ passes both
it and the parser (so editors that check TOML against the schema agree with the runner)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from panel.scenario.format import load
from panel.scenario.model import ACTIONS, EXPECTATIONS
from panel.scenario.schema import scenario_schema, schema_path, schema_text

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "scenarios").glob("*.toml"))


def validator() -> Any:
    """jsonschema's validator (test extras); without it the schema tests skip, not the parser's."""
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(scenario_schema())


def test_the_committed_schema_is_the_generated_one() -> None:
    committed = schema_path().read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m panel.scenario.schema"
    assert json.loads(committed)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    type(validator()).check_schema(scenario_schema())


def test_there_are_at_least_five_example_scenarios() -> None:
    assert len(EXAMPLES) >= 5, EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_passes_the_parser(path: Path) -> None:
    assert load(path).steps
    first_lines = path.read_text(encoding="utf-8").splitlines()[:3]
    assert all(line.startswith("#") for line in first_lines), "a header says the field issue"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_passes_the_schema(path: Path) -> None:
    with path.open("rb") as file:
        document = tomllib.load(file)
    assert [e.message for e in validator().iter_errors(document)] == []


def test_the_schema_knows_every_kind_and_refuses_what_the_parser_refuses() -> None:
    defs = scenario_schema()["$defs"]
    assert {f"action-{k}" for k in ACTIONS} | {f"expect-{k}" for k in EXPECTATIONS} <= set(defs)
    head = {"scenario": {"name": "t"}}
    good = {**head, "step": [{"action": "scan", "pages": 3, "at": 1}]}
    assert list(validator().iter_errors(good)) == []
    for bad in (
        {"scenario": {"description": "no name"}},
        {**head, "steps": []},
        {**head, "step": [{"at": 1}]},
        {**head, "step": [{"action": "wait", "expect": "screen", "screen": "home"}]},
        {**head, "step": [{"action": "loggin", "user": "1"}]},
        {**head, "step": [{"action": "tap"}]},
        {**head, "step": [{"action": "logout", "user": "1"}]},
        {**head, "step": [{"action": "wait", "within": 5}]},
        {**head, "step": [{"action": "wait", "at": -1}]},
        {**head, "step": [{"action": "scan", "pages": 51}]},
        {**head, "step": [{"expect": "trace", "concern": "a", "event": "b", "source": "x"}]},
        {**head, "network": [{"name": "x", "kind": "wlan"}]},
        {**head, "user": [{"id": "1", "name": "A", "pin": 1234}]},
    ):
        assert list(validator().iter_errors(bad)), bad


def test_the_readme_section_names_every_kind_and_shows_a_real_example() -> None:
    """README "For QA staff: scenarios": each action and expectation kind in its tables, and its
    example is a file of scenarios/ as it is."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## For QA staff: scenarios")
    section = readme[start : readme.index("\n## ", start + 1)]
    for kind in [*ACTIONS, *EXPECTATIONS]:
        assert f"`{kind}`" in section, kind
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    assert example in [p.read_text(encoding="utf-8") for p in EXAMPLES]
