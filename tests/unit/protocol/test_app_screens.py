"""The server apps' screen format (S8): every element decoded, an unknown one kept as a
placeholder, a malformed screen refused with a sentence saying where; the JSON Schema in the
OpenAPI document agrees with the decoder on the built-in apps' screens and on refusals; any JSON
at all is either a screen or a ScreenError (hypothesis), never another exception."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panel.protocol.apps import (
    SCREEN_SCHEMA,
    Button,
    Confirm,
    Image,
    Input,
    ListBox,
    Placeholder,
    Progress,
    ScreenError,
    Select,
    Text,
    Toggle,
    decode_screen,
)
from panel.server.apps.builtin import Call, builtin_apps
from panel.server.openapi import build_openapi

PNG = "data:image/png;base64,iVBORw0KGgo="


def screen(*elements: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"format": 1, "title": "T", "elements": list(elements), **extra}


def test_each_element_decodes_to_its_kind() -> None:
    decoded = decode_screen(
        screen(
            {"type": "text", "text": "hi"},
            {"type": "image", "src": PNG, "alt": "a"},
            {"type": "list", "id": "l", "items": [{"value": "v"}], "selected": "v"},
            {"type": "button", "action": "go", "label": "Go"},
            {"type": "input", "id": "n", "kind": "number", "min": 1, "max": 9},
            {"type": "select", "id": "s", "options": [{"value": "a", "label": "A"}]},
            {"type": "toggle", "id": "t", "label": "T", "value": True},
            {"type": "progress", "value": 40},
            {"type": "confirm", "text": "Sure?", "yes": "y", "no": "n"},
        )
    )
    kinds = [type(e) for e in decoded.elements]
    assert kinds == [Text, Image, ListBox, Button, Input, Select, Toggle, Progress, Confirm]
    number = decoded.elements[4]
    assert isinstance(number, Input)
    assert (number.kind, number.minimum, number.maximum) == ("number", 1.0, 9.0)
    listed = decoded.elements[2]
    assert isinstance(listed, ListBox)
    assert listed.items[0].label == "v"  # a choice without a label shows its value


def test_an_unknown_element_is_a_placeholder_never_dropped() -> None:
    decoded = decode_screen(screen({"type": "text", "text": "a"}, {"type": "map", "lat": 1}))
    assert decoded.elements[1] == Placeholder("map")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ([], "screen must be a JSON object"),
        ({"format": 2, "title": "", "elements": []}, "screen format 2 is not 1"),
        (screen(title=7), "screen.title must be a string"),
        ({"format": 1, "title": "x"}, "screen.elements must be a list"),
        (screen({"text": "no type"}), "elements[0].type must be a non-empty string"),
        (screen({"type": "text"}), "elements[0].text must be a string"),
        (screen({"type": "image", "src": "http://x/y.png"}), "must be a data:image/ URI"),
        (screen({"type": "progress", "value": 101}), "integer 0 to 100"),
        (screen({"type": "toggle", "id": "t", "label": "x", "value": "yes"}), "true or false"),
        (screen({"type": "input", "id": "i", "kind": "date"}), "text or number"),
        (screen({"type": "button", "action": "", "label": "x"}), "1 to 40 characters"),
        (screen(*[{"type": "text", "text": ""}] * 41), "at most 40 elements"),
        (screen(device={"kind": "fax", "action": "a"}), "screen.device.kind is one of"),
        (screen(device={"kind": "print", "action": "a"}), "is needed to print"),
        (screen(device={"kind": "scan", "action": "a", "pages": 0}), "pages must be"),
    ],
)
def test_a_malformed_screen_is_refused_saying_where(data: Any, said: str) -> None:
    with pytest.raises(ScreenError) as refused:
        decode_screen(data)
    assert said in str(refused.value)


async def _builtin_screens(tmp_path: Path) -> list[dict[str, Any]]:
    """Screens the built-in apps answer along their main paths."""
    out: list[dict[str, Any]] = []
    apps = {m.app_id: h for m, h in builtin_apps(tmp_path)}
    steps = {
        "cloud-folder": [("start", "", {}), ("action", "scan", {"name": "A", "pages": "2"})],
        "print-cloud": [("start", "", {}), ("action", "print", {"document": "nope"})],
        "visitor-badge": [
            ("start", "", {}),
            ("action", "preview", {"name": "Ada", "company": "E", "escort": True}),
            ("action", "print", {}),
            ("action", "printed", {"ok": True}),
        ],
    }
    for app_id, calls in steps.items():
        for event, action, values in calls:
            out.append(await apps[app_id](Call("L1", event, action, values, "1001", "Alice")))
    return out


async def test_the_schema_and_the_decoder_agree(tmp_path: Path) -> None:
    validator = jsonschema_rs.validator_for(SCREEN_SCHEMA)
    screens = await _builtin_screens(tmp_path)
    assert len(screens) == 8
    for data in screens:
        assert validator.is_valid(data), json.dumps(data)[:300]
        decode_screen(data)
    unknown = screen({"type": "map"})
    assert validator.is_valid(unknown)
    assert decode_screen(unknown).elements == (Placeholder("map"),)
    for bad in (screen(title=7), screen({"type": "progress", "value": 101}), {"format": 2}):
        assert not validator.is_valid(bad)
        with pytest.raises(ScreenError):
            decode_screen(bad)


def _nest(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # A named function, not a lambda: hypothesis reads the extend function's source to check
    # that it recurses, and a multi-line lambda's source is not always found (a deprecation
    # warning, an error in the whole suite's run).
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    _nest,
    max_leaves=20,
)
element_types = st.sampled_from(
    ["text", "image", "list", "button", "input", "select", "toggle", "progress", "confirm", "x"]
)
elements = st.fixed_dictionaries(
    {"type": element_types},
    optional={
        k: json_values | st.text(max_size=12)
        for k in ("text", "id", "label", "value", "items", "options", "action", "yes", "no", "kind")
    },
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "format": st.just(1),
                "title": st.text(max_size=5),
                "elements": st.lists(elements, max_size=6),
            },
            optional={"device": json_values},
        ),
    )
)
def test_any_json_is_a_screen_or_a_screen_error(data: Any) -> None:
    with contextlib.suppress(ScreenError):
        decode_screen(data)


def test_the_screen_format_is_published_in_the_openapi_document() -> None:
    schemas = build_openapi()["components"]["schemas"]
    assert schemas["AppScreen"] == SCREEN_SCHEMA
    screen_ref = schemas["AppScreenReply"]["properties"]["screen"]
    assert screen_ref == {"$ref": "#/components/schemas/AppScreen"}
