"""The JSON Schema (draft 2020-12) of a scenario file, generated from the model's tables.

Editors that read JSON Schema for TOML (Taplo, the VS Code "Even Better TOML" extension) then
complete and check keys as a QA engineer types. The schema says the shape: tables, keys, kinds
and their parameters, types and bounds. What it cannot say (that a name is declared, `after`
names an earlier expectation, a fault's value, ...) the parser checks (`panel.scenario.format`).

`resources/scenario.schema.json` is this module's output, committed; a test keeps them equal.
Regenerate with `python -m panel.scenario.schema`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from panel.paths import resources_dir
from panel.scenario.format import DEVICE_KEYS, NETWORK_KEYS, SCENARIO_KEYS, USER_KEYS
from panel.scenario.model import (
    ACTIONS,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WITHIN_S,
    EXPECTATIONS,
    NETWORK_KINDS,
    ROLES,
    Param,
    param,
)

SCHEMA_NAME: Final = "scenario.schema.json"
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_NAME: Final = {"type": "string", "minLength": 1, "pattern": r"\S"}
_SCALAR: Final = {"type": ["string", "number", "boolean"]}
# The keys any step may have (within: expectations only).
_COMMON: Final[dict[str, dict[str, Any]]] = {
    "at": {
        "type": "number",
        "minimum": 0,
        "description": "seconds after the start, or after the expectation named by `after`",
    },
    "after": {**_NAME, "description": "the id of an expectation above this step"},
    "device": {**_NAME, "description": "a declared device's name (default: the first)"},
    "id": {**_NAME, "description": "a name for this step, unique in the file"},
}
_WITHIN: Final = {
    "type": "number",
    "exclusiveMinimum": 0,
    "description": f"the deadline in seconds from the step's time (default {DEFAULT_WITHIN_S:g})",
}


def _param(rule: Param) -> dict[str, Any]:
    """One parameter's rule as a schema."""
    out: dict[str, Any]
    if rule.type == "fields":
        item = {"anyOf": [_SCALAR, {"type": "array", "items": _SCALAR}]}
        out = {"type": "object", "additionalProperties": item}
    elif rule.type == "string":
        out = {"enum": list(rule.choices)} if rule.choices else dict(_NAME)
    elif rule.type == "boolean":
        out = {"type": "boolean"}
    else:
        out = {"type": rule.type}
        if rule.minimum is not None:
            out["exclusiveMinimum" if rule.exclusive_minimum else "minimum"] = rule.minimum
        if rule.maximum is not None:
            out["maximum"] = rule.maximum
    if rule.refers_to:
        out["description"] = rule.description or f"a declared {rule.refers_to}"
    elif rule.description:
        out["description"] = rule.description
    return out


def _kind(word: str, kind: str, required: frozenset[str], optional: frozenset[str]) -> Any:
    """The step schema of one action or expectation kind."""
    properties: dict[str, Any] = {word: {"const": kind}, **_COMMON}
    if word == "expect":
        properties["within"] = _WITHIN
    for name in sorted(required | optional):
        properties[name] = _param(param(kind, name))
    return {
        "type": "object",
        "required": [word, *sorted(required)],
        "properties": properties,
        "additionalProperties": False,
    }


def _table(
    keys: tuple[str, ...], required: tuple[str, ...], fields: dict[str, Any]
) -> dict[str, Any]:
    assert set(fields) == set(keys), "the schema names the parser's keys"
    return {
        "type": "object",
        "required": list(required),
        "properties": fields,
        "additionalProperties": False,
    }


def scenario_schema() -> dict[str, Any]:
    """The whole schema, as a JSON-ready dict."""
    defs: dict[str, Any] = {}
    branches: list[dict[str, Any]] = []
    for word, table in (("action", ACTIONS), ("expect", EXPECTATIONS)):
        for kind, (required, optional) in sorted(table.items()):
            name = f"{word}-{kind}"
            defs[name] = _kind(word, kind, required, optional)
            branches.append(
                {
                    "if": {"required": [word], "properties": {word: {"const": kind}}},
                    "then": {"$ref": f"#/$defs/{name}"},
                }
            )
    defs["step"] = {
        "type": "object",
        "description": "one point on the timeline: an action or an expectation",
        "properties": {
            "action": {"enum": sorted(ACTIONS)},
            "expect": {"enum": sorted(EXPECTATIONS)},
        },
        "oneOf": [{"required": ["action"]}, {"required": ["expect"]}],
        "allOf": branches,
    }
    defs["network"] = _table(
        NETWORK_KEYS,
        ("name",),
        {"name": _NAME, "kind": {"enum": list(NETWORK_KINDS), "default": "lan"}},
    )
    defs["device"] = _table(
        DEVICE_KEYS,
        ("name",),
        {
            "name": _NAME,
            "networks": {
                "type": "array",
                "items": _NAME,
                "minItems": 1,
                "uniqueItems": True,
                "description": "declared networks in order of preference (default: all)",
            },
            "settings": {
                "type": "object",
                "additionalProperties": _SCALAR,
                "description": "power timers and engine settings, e.g. auto_logout_s, ppm",
            },
        },
    )
    defs["user"] = _table(
        USER_KEYS,
        ("id", "name", "pin"),
        {
            "id": _NAME,
            "name": _NAME,
            "pin": {**_NAME, "description": "a test fixture, never a real PIN"},
            "card": _NAME,
            "role": {"enum": list(ROLES), "default": "user"},
        },
    )
    head = _table(
        SCENARIO_KEYS,
        ("name",),
        {
            "name": _NAME,
            "description": {"type": "string"},
            "timeout": {"type": "number", "exclusiveMinimum": 0, "default": DEFAULT_TIMEOUT_S},
        },
    )
    return {
        "$schema": DIALECT,
        "title": "mfp-panel scenario file",
        "description": (
            "A field issue written down once and replayed by `mfp-panel scenario run`. "
            "Generated from panel/scenario/model.py; the parser (panel/scenario/format.py) "
            "also checks what a schema cannot: declared names, `after`, fault values."
        ),
        "type": "object",
        "required": ["scenario"],
        "additionalProperties": False,
        "properties": {
            "scenario": head,
            "network": {"type": "array", "items": {"$ref": "#/$defs/network"}},
            "device": {"type": "array", "items": {"$ref": "#/$defs/device"}},
            "user": {"type": "array", "items": {"$ref": "#/$defs/user"}},
            "step": {"type": "array", "items": {"$ref": "#/$defs/step"}},
        },
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_path() -> Path:
    return resources_dir() / SCHEMA_NAME


if __name__ == "__main__":
    schema_path().write_text(schema_text(), encoding="utf-8")
    print(f"wrote {schema_path()}")
