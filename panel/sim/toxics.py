"""What a toxic is: Toxiproxy's names, fields, attributes and units, validated.

QA staff know Toxiproxy, so a toxic here is spelled as there: `{"name", "type", "stream",
"toxicity", "attributes"}`. `stream` is the direction it acts on: "upstream" is device -> server,
"downstream" (the default) is server -> device. `toxicity` is the probability (0..1, default 1)
that the toxic applies to a given connection; it is drawn per connection.

The types and their attributes (all non-negative integers):

- `latency`: `latency` ms added to every chunk, +/- `jitter` ms (uniformly drawn per chunk).
- `bandwidth`: at most `rate` KB/s (1 KB = 1000 bytes) get through.
- `slow_close`: the close (FIN) is passed on `delay` ms late.
- `timeout`: no data gets through (it is dropped) and the connection is closed after `timeout`
  ms; with `timeout` 0 it is held open for ever. This is the **blackhole** QA staff ask for:
  the device's bytes vanish and nothing comes back, without a refusal or a reset. Removing the
  toxic closes the connections it dropped data on (their byte stream has a hole in it).
- `reset_peer`: `timeout` ms after the next data in its stream, the connection is reset
  (TCP RST to both ends, as with SO_LINGER 0); the device sees "connection reset by peer".
- `slicer`: data is cut into pieces of `average_size` +/- `size_variation` bytes, `delay`
  **microseconds** apart (Toxiproxy's unit for this one attribute).
- `limit_data`: the connection is closed once `bytes` bytes have gone through.

"Down" is not a toxic, as in Toxiproxy: it is the network's `enabled` flag.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, cast

Stream = Literal["upstream", "downstream"]
STREAMS: Final[tuple[Stream, ...]] = ("upstream", "downstream")

# Every toxic type, with its attributes and their defaults.
TOXIC_TYPES: Final[Mapping[str, Mapping[str, int]]] = {
    "latency": {"latency": 0, "jitter": 0},
    "bandwidth": {"rate": 0},
    "slow_close": {"delay": 0},
    "timeout": {"timeout": 0},
    "reset_peer": {"timeout": 0},
    "slicer": {"average_size": 0, "size_variation": 0, "delay": 0},
    "limit_data": {"bytes": 0},
}

MAX_NAME_LENGTH: Final = 100
_JSON_FIELDS: Final = frozenset({"name", "type", "stream", "toxicity", "attributes"})


class ToxicError(ValueError):
    """A toxic that cannot be: unknown type, bad stream, toxicity or attribute."""


def check_name(name: object, what: str) -> str:
    """A network or toxic name: non-empty text that fits in one URL path segment (ValueError)."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{what} name must be non-empty text")
    if "/" in name or len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"{what} name must have no '/' and at most {MAX_NAME_LENGTH} characters")
    return name


@dataclass(frozen=True)
class Toxic:
    """One toxic, validated on construction (a bad one raises ToxicError).

    `attributes` may leave some out: they take their defaults (see TOXIC_TYPES). `name`
    defaults to "<type>_<stream>", as in Toxiproxy.
    """

    type: str
    attributes: Mapping[str, int] = field(default_factory=dict)
    stream: Stream = "downstream"
    toxicity: float = 1.0
    name: str = ""

    def __post_init__(self) -> None:
        kind: object = self.type
        defaults = TOXIC_TYPES.get(kind) if isinstance(kind, str) else None
        if defaults is None:
            known = ", ".join(TOXIC_TYPES)
            raise ToxicError(f"unknown toxic type {self.type!r} (known: {known})")
        if self.stream not in STREAMS:
            raise ToxicError(f"stream must be 'upstream' or 'downstream', not {self.stream!r}")
        toxicity: object = self.toxicity
        if (
            isinstance(toxicity, bool)
            or not isinstance(toxicity, int | float)
            or not math.isfinite(toxicity)
            or not 0 <= toxicity <= 1
        ):
            raise ToxicError(f"toxicity must be a number from 0 to 1, not {toxicity!r}")
        object.__setattr__(self, "toxicity", float(toxicity))
        try:
            name = check_name(self.name or f"{self.type}_{self.stream}", "toxic")
        except ValueError as exc:
            raise ToxicError(str(exc)) from None
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "attributes", _attributes(self.type, defaults, self.attributes))

    def attr(self, key: str) -> int:
        return self.attributes[key]

    def with_changes(
        self, attributes: Mapping[str, int] | None = None, toxicity: float | None = None
    ) -> Toxic:
        """This toxic with some attributes (the others kept) or its toxicity changed."""
        merged = {**self.attributes, **(attributes or {})}
        return Toxic(
            self.type,
            merged,
            self.stream,
            self.toxicity if toxicity is None else toxicity,
            self.name,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "stream": self.stream,
            "toxicity": self.toxicity,
            "attributes": dict(self.attributes),
        }

    @classmethod
    def from_json(cls, body: object) -> Toxic:
        """A toxic from its Toxiproxy JSON object; `type` is required, the rest defaults."""
        if not isinstance(body, dict):
            raise ToxicError("a toxic is a JSON object")
        unknown = set(body) - _JSON_FIELDS
        if unknown:
            raise ToxicError(f"unknown toxic field(s): {', '.join(sorted(unknown))}")
        if not isinstance(body.get("type"), str):
            raise ToxicError('missing required field: type (text, e.g. "latency")')
        attributes = body.get("attributes", {})
        if not isinstance(attributes, dict):
            raise ToxicError("attributes must be a JSON object")
        return cls(
            body["type"],
            attributes,
            cast(Stream, body.get("stream", "downstream")),
            body.get("toxicity", 1.0),
            body.get("name") or "",
        )


def _attributes(kind: str, defaults: Mapping[str, int], given: object) -> dict[str, int]:
    if not isinstance(given, Mapping):
        raise ToxicError("attributes must be a mapping of names to integers")
    unknown = set(given) - set(defaults)
    if unknown:
        allowed = ", ".join(defaults)
        raise ToxicError(
            f"unknown attribute(s) for {kind}: {', '.join(map(str, sorted(unknown)))} "
            f"(allowed: {allowed})"
        )
    values = {**defaults, **given}
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ToxicError(f"{kind} attribute {key!r} must be a non-negative integer")
    if kind == "bandwidth" and values["rate"] <= 0:
        raise ToxicError("bandwidth rate must be > 0 KB/s (a timeout toxic stops all data)")
    if kind == "slicer":
        if values["average_size"] <= 0:
            raise ToxicError("slicer average_size must be > 0 bytes")
        if values["size_variation"] >= values["average_size"]:
            raise ToxicError("slicer size_variation must be smaller than average_size")
    return values
