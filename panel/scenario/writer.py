"""Writes a `Scenario` back as the TOML of /work/notes/scenario-format.md: the recorder's output.

tomllib only reads, and the format needs little of TOML (strings, numbers, booleans, arrays and
inline tables), so the writer is a small one of our own rather than a dependency. What it writes
reads back (`format.loads`) as the same scenario, apart from the `line`s; comments (a header, a
note before a step) are for the person who edits the file next and are lost on reading.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from panel.scenario.model import DEFAULT_TIMEOUT_S, DEFAULT_WITHIN_S, Scenario, Step

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# TOML basic strings: these characters need their short escape ...
_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def dumps(
    scenario: Scenario,
    header: Sequence[str] = (),
    notes: Mapping[int, str] | None = None,
) -> str:
    """The scenario as TOML text.

    `header`: comment lines at the top (the recorder says when it recorded the file);
    `notes`: a comment written before a step, by the step's index in `scenario.steps` (the
    recorder marks its draft expectations so).
    """
    out: list[str] = [_comment(line) for line in header]
    if out:
        out.append("")
    out.append("[scenario]")
    out.append(_pair("name", scenario.name))
    if scenario.description:
        out.append(_pair("description", scenario.description))
    if scenario.timeout != DEFAULT_TIMEOUT_S:
        out.append(_pair("timeout", scenario.timeout))
    for network in scenario.networks:
        out += ["", "[[network]]", _pair("name", network.name), _pair("kind", network.kind)]
    for device in scenario.devices:
        out += ["", "[[device]]", _pair("name", device.name)]
        if device.networks:
            out.append(_pair("networks", list(device.networks)))
        if device.settings:
            out.append(_pair("settings", dict(device.settings)))
    for user in scenario.users:
        out += ["", "[[user]]", _pair("id", user.id), _pair("name", user.name)]
        out.append(_pair("pin", user.pin))
        if user.card is not None:
            out.append(_pair("card", user.card))
        if user.role != "user":
            out.append(_pair("role", user.role))
    for index, step in enumerate(scenario.steps):
        out.append("")
        note = (notes or {}).get(index)
        if note:
            out += [_comment(line) for line in note.splitlines() or [""]]
        out.append("[[step]]")
        out += _step(step)
    return "\n".join(out) + "\n"


def _step(step: Step) -> list[str]:
    lines: list[str] = []
    if step.after is not None:
        lines.append(_pair("after", step.after))
    lines.append(_pair("at", step.at))
    lines.append(_pair("expect" if step.is_expectation else "action", step.kind))
    lines += [_pair(key, value) for key, value in step.params.items()]
    if step.device:
        lines.append(_pair("device", step.device))
    if step.id is not None:
        lines.append(_pair("id", step.id))
    if step.is_expectation and step.within != DEFAULT_WITHIN_S:
        lines.append(_pair("within", step.within))
    return lines


def _comment(text: str) -> str:
    """One comment line; a line break inside would end the comment and start TOML."""
    flat = "".join(" " if ch in "\r\n" or (ord(ch) < 0x20 and ch != "\t") else ch for ch in text)
    return f"# {flat}".rstrip()


def _pair(key: str, value: Any) -> str:
    return f"{_key(key)} = {value_text(value)}"


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def value_text(value: Any) -> str:
    """A TOML value: strings, booleans, numbers, lists and mappings (inline tables)."""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        inner = ", ".join(f"{_key(str(k))} = {value_text(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    raise TypeError(f"a scenario cannot hold {type(value).__name__} ({value!r})")


def _float(value: float) -> str:
    """A whole number of seconds reads best without its `.0`; tomllib gives an int back, which
    equals the float. Any other float as Python's shortest exact form (valid TOML)."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
