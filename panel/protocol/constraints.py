"""Bounds a message field carries beyond its type, in one place for the decoder and the document.

A field typed `Annotated[str, Limit(min_length=1, max_length=64)]` is refused by
`codec.decode_body` when it is out of bounds, and `schema.component_schemas` declares the same
bounds (minLength, maxLength, minimum, maximum, enum, maxItems) in the OpenAPI document, so what
the server enforces and what it says it enforces cannot drift apart.

Every field has bounds even without a `Limit` (`codec` applies them to all):
- a string is Unicode scalar values without NUL: a lone surrogate (`"\\ud800"` in JSON) or a
  NUL is refused, since neither SQLite nor most of what a string meets downstream takes them;
- an integer fits a signed 64-bit integer (SQLite's), a sequence number is 0..2^63-1;
- a number is finite (`NaN`, `Infinity` and `1e999` are refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Limit:
    """Bounds on one field: lengths (of a string, or items of a list), a numeric range, or the
    values a string may take. `code` is the refusal's machine code (kept from the check the
    server made before the decoder did it)."""

    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    code: str = "malformed"


# Sequence numbers and versions: never negative, and SQLite's INTEGER holds them.
Seq = Annotated[int, Limit(minimum=0, maximum=INT64_MAX)]
# Counts of something that exists (pages done, positions): never negative.
Count = Annotated[int, Limit(minimum=0, maximum=INT64_MAX)]
