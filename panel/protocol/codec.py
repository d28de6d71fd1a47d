"""Encoding and validating wire messages; the only place JSON meets the message classes."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import types
import typing
from typing import Annotated, Any, TypeVar, Union

from panel.protocol import messages
from panel.protocol.constraints import INT64_MAX, INT64_MIN, Limit

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 64 * 1024

T = TypeVar("T")

_FRAMES: dict[str, type[messages.Frame]] = {cls.TYPE: cls for cls in messages.FRAME_TYPES}
_FIELD_TYPES: dict[type[Any], dict[str, Any]] = {}
# What no string on the wire may hold: NUL and the UTF-16 halves no scalar value is made of.
_NOT_TEXT = re.compile(r"[\x00\ud800-\udfff]")


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
        hints = _FIELD_TYPES[cls] = typing.get_type_hints(cls, include_extras=True)
    return hints


def split_limit(hint: Any) -> tuple[Any, Limit | None]:
    """`Annotated[T, Limit(...)]` as (T, the limit); any other type as (it, None)."""
    if typing.get_origin(hint) is Annotated:
        base, *extras = typing.get_args(hint)
        limits = [e for e in extras if isinstance(e, Limit)]
        return base, limits[0] if limits else None
    return hint, None


def _check(value: Any, hint: Any, where: str) -> Any:
    """Return `value` converted to `hint`, or raise a ProtocolError naming the field."""
    hint, limit = split_limit(hint)
    if limit is not None and isinstance(value, list):
        _check_limit(value, limit, where)  # counted first: too many items are not each decoded
        return _check_type(value, hint, where)
    value = _check_type(value, hint, where)
    if limit is not None:
        _check_limit(value, limit, where)
    return value


def check_value(value: Any, hint: Any, where: str) -> Any:
    """`value` checked as a message field of type `hint` would be (a URL's parameters)."""
    return _check(value, hint, where)


def _check_type(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        if len(inner) > 1:
            return _one_of(value, inner, where)
        return _check(value, inner[0], where)
    if origin is dict:  # a free-form JSON object (an app's screen, its values: S8)
        if not isinstance(value, dict):
            raise ProtocolError("malformed", f"{where} must be a JSON object")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise ProtocolError("malformed", f"{where} must be a list")
        (item,) = typing.get_args(hint)
        return [_check(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type[Any], hint), value, where)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(_int64(value, where))
    if hint is int and isinstance(value, bool):
        raise ProtocolError("malformed", f"{where} must be an integer, not a boolean")
    if not isinstance(value, hint):
        raise ProtocolError(
            "malformed", f"{where} must be {hint.__name__}, got {type(value).__name__}"
        )
    if hint is str:
        _check_text(value, where)
    elif hint is int:
        _int64(value, where)
    elif hint is float and not math.isfinite(value):
        raise ProtocolError("malformed", f"{where} must be a finite number")
    return value


def _one_of(value: Any, options: list[Any], where: str) -> Any:
    """The first of several message classes `value` builds as (a union such as
    `StatusBody | UsageBody`, declared `anyOf` in the document); refused naming why each failed."""
    errors = []
    for option in options:
        try:
            return _check(value, option, where)
        except ProtocolError as exc:
            errors.append(f"as {getattr(option, '__name__', option)}: {exc.message}")
    raise ProtocolError(
        "malformed", f"{where} is none of the shapes it may take ({'; '.join(errors)})"
    )


def _check_text(value: str, where: str) -> None:
    """Refuse NUL and lone surrogates (the ASCII case, nearly every string, costs one memchr)."""
    bad = "\x00" in value if value.isascii() else _NOT_TEXT.search(value) is not None
    if bad:
        raise ProtocolError(
            "malformed", f"{where} must be text without NUL or lone surrogates (\\ud800-\\udfff)"
        )


def _int64(value: int, where: str) -> int:
    if not INT64_MIN <= value <= INT64_MAX:
        raise ProtocolError("malformed", f"{where} must be a 64-bit integer")
    return value


def _check_limit(value: Any, limit: Limit, where: str) -> None:
    """Refuse `value` outside `limit`, with the limit's code and a sentence naming the field."""
    if isinstance(value, str | list):
        what = "items" if isinstance(value, list) else "characters"
        low, high = limit.min_length, limit.max_length
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            span = _span(low, high)
            raise ProtocolError(limit.code, f"{where} holds {span} {what}, not {len(value)}")
        if limit.choices and value not in limit.choices:
            raise ProtocolError(
                limit.code, f"{where} is one of {', '.join(limit.choices)}, not {value!r:.40}"
            )
    elif isinstance(value, int | float):
        low_n, high_n = limit.minimum, limit.maximum
        if (low_n is not None and value < low_n) or (high_n is not None and value > high_n):
            raise ProtocolError(limit.code, f"{where} is {_span(low_n, high_n)}, not {value!r}")


def _span(low: float | None, high: float | None) -> str:
    if low is None:
        return f"at most {_number(high)}"
    if high is None:
        return f"at least {_number(low)}"
    return f"{_number(low)} to {_number(high)}"


def _number(value: float | None) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # "1 to 3600", not "1.0 to 3600.0"
    return str(value)


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
        return json.loads(raw, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError("malformed", f"not valid JSON: {exc}") from None
    except RecursionError:
        raise ProtocolError("malformed", "JSON nested too deeply") from None


def _no_constant(name: str) -> Any:
    """JSON has no NaN or Infinity (Python's parser takes them unless told not to)."""
    raise ValueError(f"{name} is not a JSON value")


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


def decode_frame(
    raw: str | bytes,
    types: dict[str, type[messages.Frame]] | None = None,
    limit: int = MAX_FRAME_BYTES,
) -> messages.Frame:
    """Parse and validate a push frame of any known type (of `types`, keyed by their TYPE:
    the push frames unless said); a refusal names the field as `type.field`."""
    data = _load(raw, limit)
    if not isinstance(data, dict):
        raise ProtocolError("malformed", "a frame must be a JSON object")
    version = data.get("v")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            "unsupported_version",
            f"protocol version {version!r} is not supported; this side speaks {PROTOCOL_VERSION}",
        )
    kind = data.get("type")
    cls = (_FRAMES if types is None else types).get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ProtocolError("unknown_type", f"unknown frame type {kind!r}")
    return _build(cls, data, str(kind))
