"""What keeps secrets out of a bug report: settings scrubbed by key name and by what a value looks
like, trace lines scrubbed by key name, known secret values (the device's secret, the PINs the
caller knows) removed wherever they stand, and a recorded scenario's PINs swapped for stand-ins
that still replay (the runner creates its users with the file's PINs).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

REDACTED: Final = "<redacted>"

# A key is secret when one of its words is one of these ("device_secret", "pinHash", "token").
_SECRET_WORDS: Final = frozenset(
    {
        "secret",
        "secrets",
        "pin",
        "pins",
        "pincode",
        "token",
        "tokens",
        "password",
        "passwords",
        "passphrase",
        "passwd",
        "pwd",
        "credential",
        "credentials",
        "cookie",
        "cookies",
        "auth",
        "authorization",
        "bearer",
        "signature",
        "hmac",
        "private",
        "hash",
    }
)
# Keys whose values are names, addresses or ids, never secrets, however they look (a device id
# is 16 characters of letters and digits, a user id may be four digits): shown unless their
# name says secret ("pin_id" is still withheld).
_PLAIN_KEYS: Final = frozenset(
    {"name", "device", "server", "server_url", "url", "title", "user", "owner", "model"}
)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_PIN_LIKE = re.compile(r"\d{4,12}")
_WORD = re.compile(r"[^\s\"'(),;]+")
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-+/=.~]{16,}")
# `pin = "1234"` as panel.scenario.writer writes a user's PIN.
_PIN_LINE = re.compile(
    r'^(?P<lead>\s*pin\s*=\s*)"(?P<pin>(?:[^"\\]|\\.)*)"(?P<tail>\s*(#.*)?)$', re.M
)


def secret_key(key: str) -> bool:
    """`device_secret`, `pin`, `pinHash`, `api_key`, `X-Token`: a key whose value is withheld."""
    words = [w.lower() for w in _WORDS.findall(key)]
    return any(w in _SECRET_WORDS or (len(w) > 3 and w.endswith("key")) for w in words) or (
        "api" in words and "key" in words
    )


def plain_key(key: str) -> bool:
    """`device_id`, `userId`, `job_ids`, `name`: a key whose value is shown as it is."""
    words = [w.lower() for w in _WORDS.findall(key)]
    return key.lower() in _PLAIN_KEYS or (bool(words) and words[-1] in ("id", "ids"))


def secret_looking(value: str) -> bool:
    """A value that may be a PIN (only digits, 4 to 12 of them) or a token (16 or more
    characters of a token's alphabet with letters and digits, no path or URL)."""
    if _PIN_LIKE.fullmatch(value):
        return True
    if "/" in value and ("://" in value or value.startswith(("/", "."))):
        return False
    return bool(
        _TOKEN_LIKE.fullmatch(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
    )


def redact_settings(data: Any, known: Iterable[str] = ()) -> Any:
    """Settings as they may be shown: secret keys and secret-looking values replaced (not
    the values of names and ids: `plain_key`); known secrets removed everywhere."""
    return _redact(data, tuple(s for s in known if s), by_value=True)


def redact_trace_line(line: str, known: Iterable[str] = ()) -> str:
    """One trace line with secret keys withheld and known secrets removed; a line that is not
    JSON (torn at a crash) is scrubbed as text."""
    secrets = tuple(s for s in known if s)
    try:
        data = json.loads(line)
    except ValueError:
        return scrub_text(line, secrets)
    return json.dumps(_redact(data, secrets, by_value=False), ensure_ascii=False)


def scrub_text(text: str, known: Iterable[str]) -> str:
    for secret in sorted((s for s in known if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _redact(data: Any, known: tuple[str, ...], by_value: bool) -> Any:
    if isinstance(data, Mapping):
        return {
            str(k): REDACTED
            if secret_key(str(k))
            else _redact(v, known, by_value and not (plain_key(str(k)) and _words_only(v)))
            for k, v in data.items()
        }
    if isinstance(data, (list, tuple)):
        return [_redact(v, known, by_value) for v in data]
    if isinstance(data, str):
        if by_value:  # a PIN or a token alone, or as a word of a sentence
            if secret_looking(data):
                return REDACTED
            data = _WORD.sub(lambda m: REDACTED if secret_looking(m[0]) else m[0], data)
        return scrub_text(data, known)
    return data


def _words_only(value: Any) -> bool:
    """A string or a list of them: what an id or a name holds (a section named "device" is
    not one: its own keys decide)."""
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, str)


def stand_in_pins(toml_text: str, avoid: Iterable[str] = ()) -> tuple[str, dict[str, str]]:
    """A scenario's user PINs swapped for stand-ins ("0000", "0001", ...) that are none of the
    originals nor of `avoid`; the same PIN gets the same stand-in, so the file still replays.
    Returns the text and {original: stand-in}."""
    originals = [m["pin"] for m in _PIN_LINE.finditer(toml_text)]
    taken = set(originals) | set(avoid)
    free = (f"{n:04d}" for n in itertools.count())
    swapped: dict[str, str] = {}
    for pin in originals:
        if pin not in swapped:
            swapped[pin] = next(p for p in free if p not in taken and not _within(p, taken))

    def swap(match: re.Match[str]) -> str:
        return f'{match["lead"]}"{swapped[match["pin"]]}"{match["tail"]}'

    return _PIN_LINE.sub(swap, toml_text), swapped


def _within(candidate: str, taken: set[str]) -> bool:
    """A stand-in that holds a real PIN (or is held by one) would let a grep find it."""
    return any(candidate in t or t in candidate for t in taken if t)
