"""The JSON Schema the OpenAPI document is built from, where OpenAPI 3.0 differs."""

from __future__ import annotations

from dataclasses import dataclass

from panel.protocol.schema import component_schemas


@dataclass(frozen=True)
class Inner:
    n: int


@dataclass(frozen=True)
class Outer:
    inner: Inner | None
    label: str | None = None


def test_a_nullable_reference_is_wrapped_in_all_of():
    schemas = component_schemas([Outer])
    props = schemas["Outer"]["properties"]
    assert props["inner"] == {
        "allOf": [{"$ref": "#/components/schemas/Inner"}],
        "nullable": True,
    }
    assert props["label"] == {"type": "string", "nullable": True}
    assert schemas["Outer"]["required"] == ["inner"]
    assert "Inner" in schemas
