"""Encoding and validating wire messages; the only place JSON meets the message classes."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, TypeVar, Union

from panel.protocol import messages

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 64 * 1024

T = TypeVar("T")

_FRAMES: dict[str, type[messages.Frame]] = {cls.TYPE: cls for cls in messages.FRAME_TYPES}
_FIELD_TYPES: dict[type[Any], dict[str, Any]] = {}


class ProtocolError(ValueError):
    """A message we refuse. `code` is stable for machines, the text is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def field_types(cls: type[Any]) -> dict[str, Any]:
    """The resolved type of each field of a message class (cached: resolving is slow)."""
    hints = _FIELD_TYPES.get(cls)
    if hints is None:
        hints = _FIELD_TYPES[cls] = typing.get_type_hints(cls)
    return hints


def _check(value: Any, hint: Any, where: str) -> Any:
    """Return `value` converted to `hint`, or raise a ProtocolError naming the field."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        return _check(value, inner[0], where)
    if origin is list:
        if not isinstance(value, list):
            raise ProtocolError("malformed", f"{where} must be a list")
        (item,) = typing.get_args(hint)
        return [_check(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type[Any], hint), value, where)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool):
        raise ProtocolError("malformed", f"{where} must be an integer, not a boolean")
    if not isinstance(value, hint):
        raise ProtocolError(
            "malformed", f"{where} must be {hint.__name__}, got {type(value).__name__}"
        )
    return value


def _build(cls: type[T], data: Any, where: str) -> T:
    if not isinstance(data, dict):
        raise ProtocolError("malformed", f"{where} must be a JSON object")
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(typing.cast(Any, cls)):
        if f.name in data:
            kwargs[f.name] = _check(data[f.name], field_types(cls)[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ProtocolError("malformed", f"{where}.{f.name} is missing")
    return cls(**kwargs)


def _load(raw: str | bytes, limit: int) -> Any:
    if len(raw) > limit:
        raise ProtocolError("too_large", f"message of {len(raw)} bytes exceeds the {limit} limit")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError("malformed", f"not valid JSON: {exc}") from None
    except RecursionError:
        raise ProtocolError("malformed", "JSON nested too deeply") from None


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if getattr(value, "OMIT_NONE", False):  # optional fields said only when they say something
            return {k: v for k, v in plain.items() if v is not None}
        return plain
    return value


def to_dict(message: Any) -> dict[str, Any]:
    """A message as plain JSON-ready data (nested messages included).

    Not dataclasses.asdict: that deep-copies every value, and a batch of documents is large.
    """
    return typing.cast(dict[str, Any], _plain(message))


def encode_body(message: Any) -> bytes:
    """A REST body (request or reply)."""
    return json.dumps(to_dict(message), separators=(",", ":")).encode()


def decode_body(cls: type[T], raw: str | bytes, limit: int = MAX_FRAME_BYTES) -> T:
    """Parse and validate a REST body as `cls`."""
    return _build(cls, _load(raw, limit), cls.__name__)


def encode_frame(message: messages.Frame) -> str:
    """A push frame: the message's fields plus its type and the protocol version."""
    data = {"v": PROTOCOL_VERSION, "type": type(message).TYPE, **to_dict(message)}
    return json.dumps(data, separators=(",", ":"))


def decode_frame(raw: str | bytes) -> messages.Frame:
    """Parse and validate a push frame of any known type."""
    data = _load(raw, MAX_FRAME_BYTES)
    if not isinstance(data, dict):
        raise ProtocolError("malformed", "a frame must be a JSON object")
    version = data.get("v")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            "unsupported_version",
            f"protocol version {version!r} is not supported; this side speaks {PROTOCOL_VERSION}",
        )
    kind = data.get("type")
    cls = _FRAMES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ProtocolError("unknown_type", f"unknown frame type {kind!r}")
    return _build(cls, data, str(kind))
