"""JSON Schema for the message classes, so the OpenAPI document is derived, never hand-copied."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Union

from panel.protocol.codec import field_types, split_limit
from panel.protocol.constraints import INT64_MAX, INT64_MIN, Limit

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX},
    float: {"type": "number"},
    bool: {"type": "boolean"},
}


def _ref(cls: type[Any]) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{cls.__name__}"}


def _type_schema(hint: Any, found: set[type[Any]]) -> dict[str, Any]:
    hint, limit = split_limit(hint)
    schema = _base_schema(hint, found)
    if limit is not None:
        schema.update(_limit_schema(limit, schema.get("type")))
    return schema


def _limit_schema(limit: Limit, kind: str | None) -> dict[str, Any]:
    """The JSON Schema words for what `codec` enforces of `limit` on a value of type `kind`."""
    out: dict[str, Any] = {}
    lengths = ("minItems", "maxItems") if kind == "array" else ("minLength", "maxLength")
    for key, value in zip(lengths, (limit.min_length, limit.max_length), strict=True):
        if value is not None:
            out[key] = value
    for key, number in (("minimum", limit.minimum), ("maximum", limit.maximum)):
        if number is not None:
            out[key] = int(number) if kind == "integer" else number
    if limit.choices:
        out["enum"] = list(limit.choices)
    return out


def _base_schema(hint: Any, found: set[type[Any]]) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [o for o in typing.get_args(hint) if o is not type(None)]
        if len(inner) > 1:  # one of several messages (codec: the first that fits)
            choices = {"anyOf": [_type_schema(o, found) for o in inner]}
            return (
                {**choices, "nullable": True}
                if len(inner) < len(typing.get_args(hint))
                else choices
            )
        schema = _type_schema(inner[0], found)
        if "$ref" in schema:  # OpenAPI 3.0 ignores every key beside a $ref
            return {"allOf": [schema], "nullable": True}
        return {**schema, "nullable": True}
    if origin is dict:  # a free-form JSON object (S8's screens and values)
        return {"type": "object"}
    if origin is list:
        (item,) = typing.get_args(hint)
        return {"type": "array", "items": _type_schema(item, found)}
    if dataclasses.is_dataclass(hint):
        found.add(typing.cast(type[Any], hint))
        return _ref(typing.cast(type[Any], hint))
    return dict(_SCALARS[hint])


def scalar_schema(hint: Any) -> dict[str, Any]:
    """The schema of a scalar field type (with its limit): for parameters outside a body."""
    return _type_schema(hint, set())


def component_schemas(classes: list[type[Any]]) -> dict[str, dict[str, Any]]:
    """Schemas for `classes` and every message they contain, keyed by class name."""
    out: dict[str, dict[str, Any]] = {}
    todo = list(classes)
    while todo:
        cls = todo.pop()
        if cls.__name__ in out:
            continue
        found: set[type[Any]] = set()
        props: dict[str, Any] = {}
        required: list[str] = []
        for f in dataclasses.fields(cls):
            props[f.name] = _type_schema(field_types(cls)[f.name], found)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                required.append(f.name)
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            schema["required"] = required
        if cls.__doc__:
            schema["description"] = " ".join(cls.__doc__.split())
        out[cls.__name__] = schema
        todo.extend(found)
    return out


def ref(cls: type[Any]) -> dict[str, Any]:
    """A `$ref` to the component schema of `cls`."""
    return _ref(cls)
