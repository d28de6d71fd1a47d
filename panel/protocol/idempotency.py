"""The `Idempotency-Key` request header (IETF draft "The Idempotency-Key HTTP Header Field", as
Stripe's API uses it): a client sends a fresh key with a request that creates something, and the
same key when it sends that request again after losing the reply. The server creates once; a
repeat with the same body gets the first result back, marked `Idempotent-Replayed: true`; the
same key with another body is refused (422).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from panel.protocol.constraints import Limit

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 255
KeyText = Annotated[str, Limit(min_length=1, max_length=MAX_LENGTH, code="bad_idempotency_key")]
RETENTION_S = 24 * 3600.0  # a key is remembered at least this long after its request


def new_key() -> str:
    """A key for one request (and its retries): random, so no two requests share one."""
    return str(uuid.uuid4())


def parse_key(value: str) -> str:
    """The key a header value carries: a bare token (as Stripe sends it) or a structured
    field string in quotes (as the draft writes it). ValueError unless it is 1 to
    `MAX_LENGTH` visible ASCII characters."""
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 0 < len(key) <= MAX_LENGTH or not all("!" <= c <= "~" for c in key):
        raise ValueError(
            f"An {HEADER} is 1 to {MAX_LENGTH} visible ASCII characters (no spaces), e.g. a UUID."
        )
    return key
