"""Reads a scenario file (TOML, /work/notes/scenario-format.md) into a checked `Scenario`.

Every mistake a QA engineer can make in a file is one `ScenarioError` that says where
(`path:line:column`) and what is allowed there, so the runner trusts what it gets. `tomllib`
parses but gives no positions for values, so `_Positions` scans the text once more for where
each table header, key and array item starts.
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final, NoReturn

from panel.scenario.model import (
    ACTIONS,
    COMMON_KEYS,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WITHIN_S,
    EXPECTATION_ONLY_KEYS,
    EXPECTATIONS,
    FAULTS_WITH_VALUE,
    NETWORK_KINDS,
    ROLES,
    DeviceSpec,
    NetworkSpec,
    Param,
    Scenario,
    Step,
    UserSpec,
    param,
)

MAX_BYTES: Final = 1024 * 1024  # a scenario is a page or two; anything near this is a mistake
TOP_LEVEL: Final = ("scenario", "network", "device", "user", "step")
SCENARIO_KEYS: Final = ("name", "description", "timeout")
NETWORK_KEYS: Final = ("name", "kind")
DEVICE_KEYS: Final = ("name", "networks", "settings")
USER_KEYS: Final = ("id", "name", "pin", "card", "role")

Where = tuple[str | int, ...]  # a value's place in the parsed document: ("step", 2, "at")


class ScenarioError(Exception):
    """A scenario file that cannot be run, and where: `str()` is `path:line:column: message`."""

    def __init__(
        self, message: str, line: int = 1, column: int = 1, path: str | Path | None = None
    ) -> None:
        super().__init__(message, line, column, path)
        self.message = message
        self.line = line
        self.column = column
        self.path = path

    def __str__(self) -> str:
        shown = "<scenario>" if self.path is None else str(self.path)
        return f"{shown}:{self.line}:{self.column}: {self.message}"


def load(path: str | Path) -> Scenario:
    """The scenario in file `path` (read as bytes: a file that is not UTF-8 is a clear error)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror or exc}", 1, 1, path) from exc
    return loads(data, path=Path(path))


def loads(text: str | bytes, path: str | Path | None = None) -> Scenario:
    """The scenario written in `text` (`path` only names it in errors and in the result)."""
    if isinstance(text, bytes):
        text = _decode(text, path)
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _too_large(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")  # an editor's BOM, Windows lines
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(str(exc), text, path) from None
    except RecursionError:
        raise ScenarioError("arrays or tables nested too deeply", 1, 1, path) from None
    return _Reader(doc, _Positions(text), Path(path) if path is not None else None).scenario()


def _too_large(path: str | Path | None) -> ScenarioError:
    return ScenarioError(
        f"the file is larger than {MAX_BYTES // 1024} KiB: a scenario is a few pages of text;"
        " is this the right file?",
        1,
        1,
        path,
    )


def _decode(data: bytes, path: str | Path | None) -> str:
    if len(data) > MAX_BYTES:
        raise _too_large(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")  # all good up to the bad byte
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1  # in characters, as editors count
        raise ScenarioError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start}):"
            " save it as UTF-8",
            line,
            column,
            path,
        ) from None


_TOML_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _syntax_error(message: str, text: str, path: str | Path | None) -> ScenarioError:
    """tomllib's message names its place in words: the same, as line and column."""
    found = _TOML_WHERE.search(message)
    if found is None:
        return ScenarioError(f"TOML syntax: {message}", 1, 1, path)
    if found.group(1) is not None:
        line, column = int(found.group(1)), int(found.group(2))
    else:  # at the end of the document
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
    return ScenarioError(f"TOML syntax: {message[: found.start()]}", line, column, path)


# -- positions ------------------------------------------------------------------------------------
class _ScanError(Exception):
    """The scanner met what tomllib accepted and it did not expect (a bug of ours)."""


_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _Positions:
    """Where each header, key and array item of a (valid) TOML text starts, by its place in
    the parsed document: `find(("step", 2, "at"))` is the line and column of the third step's
    `at`, or of the nearest enclosing thing found (the step's `[[step]]` header)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[Where, int] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._arrays: dict[tuple[str, ...], int] = {}  # array-of-tables header -> last index
        try:
            self._scan()
        except (_ScanError, IndexError, ValueError):
            # tomllib accepted the text, so this is a gap in the scanner; errors then point at
            # the enclosing place found so far (tests/fuzz checks this never happens).
            self.broken = True
        else:
            self.broken = False

    def find(self, where: Where) -> tuple[int, int]:
        for size in range(len(where), 0, -1):
            index = self.at.get(where[:size])
            if index is not None:
                return self.line_column(index)
        return 1, 1

    def line(self, where: Where) -> int:
        return self.find(where)[0]

    def line_column(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, index)  # 1-based: starts <= index
        return line, index - self._line_starts[line - 1] + 1

    # The scanner trusts that tomllib accepted the text: it only finds where things start.
    def _scan(self) -> None:
        text, i = self.text, 0
        table: Where = ()
        while True:
            i = self._skip(i, newlines=True)
            if i >= len(text):
                return
            if text[i] == "[":
                i, table = self._header(i)
            else:
                i = self._key_value(i, table)
            i = self._skip(i, newlines=False)
            if i < len(text) and text[i] != "\n":
                raise _ScanError(f"unexpected {text[i]!r} at {i}")

    def _skip(self, i: int, newlines: bool) -> int:
        """Past blanks and comments (and line breaks, if `newlines`)."""
        text = self.text
        while i < len(text):
            char = text[i]
            if char in " \t" or (newlines and char == "\n"):
                i += 1
            elif char == "#":
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
            else:
                break
        return i

    def _header(self, i: int) -> tuple[int, Where]:
        start, text = i, self.text
        array = text.startswith("[[", i)
        names, _, i = self._key(i + (2 if array else 1))
        i = self._skip(i, newlines=False)
        close = "]]" if array else "]"
        if not text.startswith(close, i):
            raise _ScanError(f"header not closed at {i}")
        if array:
            self._arrays[names] = self._arrays.get(names, -1) + 1
            for nested in [k for k in self._arrays if len(k) > len(names)]:
                if nested[: len(names)] == names:
                    del self._arrays[nested]
        where: list[str | int] = []
        for size in range(1, len(names) + 1):
            where.append(names[size - 1])
            if names[:size] in self._arrays and (size < len(names) or array):
                where.append(self._arrays[names[:size]])
        for size in range(1, len(where) + 1):
            self.at.setdefault(tuple(where[:size]), start)
        return i + len(close), tuple(where)

    def _key(self, i: int) -> tuple[tuple[str, ...], int, int]:
        """A (dotted) key: its parts, where it starts, and the index after it."""
        text, parts = self.text, []
        i = self._skip(i, newlines=False)
        start = i
        while True:
            i = self._skip(i, newlines=False)
            if text[i] == '"':
                end = self._string(i)
                parts.append(tomllib.loads("k = " + text[i:end])["k"])
            elif text[i] == "'":
                end = text.index("'", i + 1) + 1
                parts.append(text[i + 1 : end - 1])
            else:
                found = _BARE.match(text, i)
                if found is None:
                    raise _ScanError(f"no key at {i}")
                end = found.end()
                parts.append(found.group())
            i = self._skip(end, newlines=False)
            if i < len(text) and text[i] == ".":
                i += 1
                continue
            return tuple(parts), start, i

    def _key_value(self, i: int, table: Where) -> int:
        names, start, i = self._key(i)
        for size in range(1, len(names) + 1):
            self.at.setdefault((*table, *names[:size]), start)
        if self.text[i] != "=":
            raise _ScanError(f"no = at {i}")
        return self._value(i + 1, (*table, *names))

    def _value(self, i: int, where: Where) -> int:
        """Past one value, noting where each item of its arrays and inline tables starts
        (iterative: a deeply nested value must not exhaust the stack)."""
        text = self.text
        stack: list[tuple[str, Where, list[int]]] = []  # ("array"|"table", where, [count])
        state = "value"
        while True:
            i = self._skip(i, newlines=bool(stack))
            if state == "value":
                self.at.setdefault(where, i)
                char = text[i]
                if char == "[":
                    stack.append(("array", where, [0]))
                    state, i = "item", i + 1
                elif char == "{":
                    stack.append(("table", where, [0]))
                    state, i = "key", i + 1
                else:
                    i = self._string(i) if char in "\"'" else self._scalar(i)
                    state = "after"
            elif state == "item":
                if text[i] == "]":
                    stack.pop()
                    state, i = "after", i + 1
                else:
                    _, base, count = stack[-1]
                    where = (*base, count[0])
                    count[0] += 1
                    state = "value"
            elif state == "key":
                if text[i] == "}":
                    stack.pop()
                    state, i = "after", i + 1
                else:
                    base = stack[-1][1]
                    names, start, i = self._key(i)
                    for size in range(1, len(names) + 1):
                        self.at.setdefault((*base, *names[:size]), start)
                    if text[i] != "=":
                        raise _ScanError(f"no = at {i}")
                    where, state, i = (*base, *names), "value", i + 1
            else:  # after a value
                if not stack:
                    return i
                kind = stack[-1][0]
                if text[i] == ",":
                    state, i = ("item" if kind == "array" else "key"), i + 1
                elif text[i] == ("]" if kind == "array" else "}"):
                    stack.pop()
                    i += 1
                else:
                    raise _ScanError(f"unexpected {text[i]!r} at {i}")

    def _string(self, i: int) -> int:
        """The index after the string starting at `i`."""
        text = self.text
        quote = text[i]
        if text.startswith(quote * 3, i):
            i += 3
            while True:
                if quote == '"' and text[i] == "\\":
                    i += 2
                elif text.startswith(quote * 3, i):
                    i += 3
                    extra = 0
                    while extra < 2 and i < len(text) and text[i] == quote:
                        i, extra = i + 1, extra + 1
                    return i
                else:
                    i += 1
        i += 1
        while text[i] != quote:
            i += 2 if quote == '"' and text[i] == "\\" else 1
        return i + 1

    def _scalar(self, i: int) -> int:
        """Past a number, boolean or date (a date may hold one blank: `1979-05-27 07:32:00`)."""
        text = self.text
        start = i
        while i < len(text) and text[i] not in ",]}#\n":
            i += 1
        if i == start:
            raise _ScanError(f"no value at {i}")
        return i


# -- checks ---------------------------------------------------------------------------------------
def _kind_of(value: Any) -> str:
    """How a message names a value's type, in the words of TOML."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int):
        return f"{value} (an integer)"
    if isinstance(value, float):
        return f"{value} (a number)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}" (a string)'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a date/time"


def _choices(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _quoted(name: Any) -> str:
    """A name as a message quotes it (cut short: a message stays one readable line)."""
    if not isinstance(name, str):
        return str(name)
    return f'"{name}"' if len(name) <= 40 else f'"{name[:37]}..."'


class _Reader:
    """Checks a parsed document against the model's tables, one rule at a time."""

    def __init__(self, doc: dict[str, Any], positions: _Positions, path: Path | None) -> None:
        self.doc = doc
        self.positions = positions
        self.path = path

    def fail(self, where: Where, message: str) -> NoReturn:
        line, column = self.positions.find(where)
        raise ScenarioError(message, line, column, self.path)

    # -- the whole file ---------------------------------------------------------------------------
    def scenario(self) -> Scenario:
        if not self.doc:
            self.fail((), "the file is empty: a scenario needs at least [scenario] with a name")
        for key in self.doc:
            if key not in TOP_LEVEL:
                self.fail(
                    (key,),
                    f"unknown top-level key or table {_quoted(key)}{_did_you_mean(key, TOP_LEVEL)}:"
                    f" a scenario file has [scenario], [[network]], [[device]], [[user]] and"
                    f" [[step]]",
                )
        head = self.doc.get("scenario")
        if head is None:
            self.fail((), "no [scenario] table: a scenario file starts with [scenario] and a name")
        if not isinstance(head, dict):
            self.fail(("scenario",), "scenario must be a table: write [scenario] on its own line")
        self.check_keys(("scenario",), head, SCENARIO_KEYS, "[scenario]")
        name = self.text(("scenario",), head, "name", "[scenario]", required=True)
        description = self.text(("scenario",), head, "description", "[scenario]") or ""
        timeout = self.seconds(("scenario",), head, "timeout", "[scenario]", positive=True)
        networks = self.networks()
        devices = self.devices(networks)
        users = self.users()
        steps = self.steps(
            timeout=DEFAULT_TIMEOUT_S if timeout is None else timeout,
            networks={n.name for n in networks},
            devices=[d.name for d in devices],
            users=users,
        )
        return Scenario(
            name=name or "",
            description=description,
            path=self.path,
            timeout=DEFAULT_TIMEOUT_S if timeout is None else timeout,
            devices=devices,
            users=users,
            networks=networks,
            steps=steps,
        )

    def tables(self, key: str) -> list[dict[str, Any]]:
        """The array of tables `[[key]]` (none: empty)."""
        value = self.doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            self.fail(
                (key,),
                f"{key} must be an array of tables: write each one as [[{key}]] on its own line",
            )
        return value

    # -- networks, devices, users -----------------------------------------------------------------
    def networks(self) -> tuple[NetworkSpec, ...]:
        found: dict[str, NetworkSpec] = {}
        for index, table in enumerate(self.tables("network")):
            where, what = ("network", index), f"[[network]] #{index + 1}"
            self.check_keys(where, table, NETWORK_KEYS, what)
            name = self.text(where, table, "name", what, required=True) or ""
            self.unique(where, name, found, "network")
            kind = self.choice(where, table, "kind", what, NETWORK_KINDS) or "lan"
            found[name] = NetworkSpec(name, kind, self.positions.line(where))
        return tuple(found.values()) or (NetworkSpec("lan"),)

    def devices(self, networks: tuple[NetworkSpec, ...]) -> tuple[DeviceSpec, ...]:
        declared = [n.name for n in networks]
        found: dict[str, DeviceSpec] = {}
        for index, table in enumerate(self.tables("device")):
            where, what = ("device", index), f"[[device]] #{index + 1}"
            self.check_keys(where, table, DEVICE_KEYS, what)
            name = self.text(where, table, "name", what, required=True) or ""
            self.unique(where, name, found, "device")
            chosen = self.device_networks(where, table, what, declared)
            settings = table.get("settings", {})
            if not isinstance(settings, dict):
                self.fail(
                    (*where, "settings"),
                    f"{what}: settings must be a table, e.g. settings = {{ auto_logout_s = 120 }},"
                    f" not {_kind_of(settings)}",
                )
            for key, value in settings.items():
                if isinstance(value, (dict, list)) or not isinstance(value, (str, int, float)):
                    self.fail(
                        (*where, "settings", key),
                        f"{what}: setting {_quoted(key)} must be a string, number or boolean,"
                        f" not {_kind_of(value)}",
                    )
            found[name] = DeviceSpec(name, chosen, dict(settings), self.positions.line(where))
        return tuple(found.values()) or (DeviceSpec("mfp-1", tuple(declared)),)

    def device_networks(
        self, where: Where, table: dict[str, Any], what: str, declared: list[str]
    ) -> tuple[str, ...]:
        if "networks" not in table:
            return tuple(declared)
        chosen = table["networks"]
        if not isinstance(chosen, list) or not chosen:
            self.fail(
                (*where, "networks"),
                f'{what}: networks must be a non-empty array of network names, e.g. ["lan"],'
                f" not {_kind_of(chosen)}",
            )
        for index, name in enumerate(chosen):
            place = (*where, "networks", index)
            if not isinstance(name, str):
                self.fail(place, f"{what}: networks holds names, not {_kind_of(name)}")
            if name not in declared:
                self.fail(
                    place,
                    f"{what}: network {_quoted(name)} is not declared"
                    f"{_did_you_mean(name, declared)}; declared networks: {_choices(declared)}",
                )
            if name in chosen[:index]:
                self.fail(place, f"{what}: network {_quoted(name)} is listed twice")
        return tuple(chosen)

    def users(self) -> tuple[UserSpec, ...]:
        found: dict[str, UserSpec] = {}
        cards: dict[str, str] = {}
        for index, table in enumerate(self.tables("user")):
            where, what = ("user", index), f"[[user]] #{index + 1}"
            self.check_keys(where, table, USER_KEYS, what)
            user_id = self.text(where, table, "id", what, required=True) or ""
            if user_id in found:
                self.fail((*where, "id"), f"{what}: user id {_quoted(user_id)} is declared twice")
            name = self.text(where, table, "name", what, required=True) or ""
            pin = self.text(where, table, "pin", what, required=True, example='pin = "1234"')
            card = self.text(where, table, "card", what, example='card = "04A1B2C3"')
            if card is not None:
                if card in cards:
                    self.fail(
                        (*where, "card"),
                        f"{what}: card {_quoted(card)} is already the card of user"
                        f" {_quoted(cards[card])}",
                    )
                cards[card] = user_id
            role = self.choice(where, table, "role", what, ROLES) or "user"
            found[user_id] = UserSpec(
                user_id, name, pin or "", card, role, self.positions.line(where)
            )
        return tuple(found.values())

    # -- steps ------------------------------------------------------------------------------------
    def steps(
        self, timeout: float, networks: set[str], devices: list[str], users: tuple[UserSpec, ...]
    ) -> tuple[Step, ...]:
        steps: list[Step] = []
        ids: dict[str, Step] = {}
        for index, table in enumerate(self.tables("step")):
            step = self.step(index, table, ids, devices, timeout)
            self.references(index, step, networks, users)
            if step.id is not None:
                ids[step.id] = step
            steps.append(step)
        return tuple(steps)

    def step(
        self,
        index: int,
        table: dict[str, Any],
        ids: dict[str, Step],
        devices: list[str],
        timeout: float,
    ) -> Step:
        where = ("step", index)
        has_action, has_expect = "action" in table, "expect" in table
        if has_action == has_expect:
            self.fail(
                (*where, "expect") if has_action else where,
                f"[[step]] #{index + 1} has both action and expect: write two steps"
                if has_action
                else f"[[step]] #{index + 1} needs either action = ... (something to do) or"
                " expect = ... (something to see)",
            )
        is_expectation = has_expect
        word = "expect" if is_expectation else "action"
        table_of = EXPECTATIONS if is_expectation else ACTIONS
        kind = table[word]
        if not isinstance(kind, str) or kind not in table_of:
            shown = _quoted(kind) if isinstance(kind, str) else _kind_of(kind)
            close = _did_you_mean(kind, table_of) if isinstance(kind, str) else ""
            self.fail(
                (*where, word),
                f"[[step]] #{index + 1}: unknown {word} {shown}{close};"
                f" known: {_choices(table_of)}",
            )
        what = f"[[step]] #{index + 1} ({word} {kind})"
        required, optional = table_of[kind]
        allowed = required | optional | COMMON_KEYS | {word}
        for key in table:
            if key in EXPECTATION_ONLY_KEYS and not is_expectation:
                self.fail(
                    (*where, key),
                    f"{what}: {key} is only for expectations; an action happens at its time",
                )
            if key not in allowed:
                near = _did_you_mean(key, allowed)
                takes = _choices(required | optional) or "no parameters"
                self.fail(
                    (*where, key),
                    f"{what}: unknown key {_quoted(key)}{near}; {kind} takes: {takes}"
                    f" (and any step: {_choices(COMMON_KEYS - EXPECTATION_ONLY_KEYS)}"
                    f"{', within' if is_expectation else ''})",
                )
        for key in sorted(required):
            if key not in table:
                self.fail(where, f"{what}: missing {key} (required for {kind})")
        at = self.seconds(where, table, "at", what) or 0.0
        after = self.text(where, table, "after", what)
        if after is not None:
            earlier = ids.get(after)
            if earlier is None:
                self.fail(
                    (*where, "after"),
                    f"{what}: after = {_quoted(after)} names no expectation above this step"
                    f"{_did_you_mean(after, ids)}; ids above: {_choices(ids) or 'none'}",
                )
            if not earlier.is_expectation:
                self.fail(
                    (*where, "after"),
                    f"{what}: after = {_quoted(after)} names an action; after counts from when an"
                    " expectation was met",
                )
        elif at > timeout:
            self.fail(
                (*where, "at"),
                f"{what}: at = {at:g} s is past the scenario's timeout ({timeout:g} s)",
            )
        step_id = self.text(where, table, "id", what)
        if step_id is not None and step_id in ids:
            self.fail((*where, "id"), f"{what}: id {_quoted(step_id)} is used by an earlier step")
        device = self.text(where, table, "device", what)
        if device is not None and device not in devices:
            self.fail(
                (*where, "device"),
                f"{what}: device {_quoted(device)} is not declared{_did_you_mean(device, devices)};"
                f" declared devices: {_choices(devices)}",
            )
        within = self.seconds(where, table, "within", what, positive=True)
        params = {
            key: self.parameter((*where, key), kind, key, table[key], what)
            for key in table
            if key not in COMMON_KEYS and key != word
        }
        self.combinations(where, kind, params, what)
        return Step(
            kind=kind,
            is_expectation=is_expectation,
            at=at,
            after=after,
            device=device or devices[0],
            params=params,
            id=step_id,
            within=DEFAULT_WITHIN_S if within is None else within,
            line=self.positions.line(where),
        )

    def parameter(self, where: Where, kind: str, key: str, value: Any, what: str) -> Any:
        """`value` checked against the model's rule for `key`."""
        rule = param(kind, key)
        if rule.type == "fields":
            return self.fields(where, value, what)
        if rule.type == "string":
            if not isinstance(value, str) or not value:
                self.fail(where, f"{what}: {key} must be a non-empty string, not {_kind_of(value)}")
            if rule.choices and value not in rule.choices:
                self.fail(
                    where,
                    f"{what}: {key} = {_quoted(value)} is not one of: {', '.join(rule.choices)}"
                    f"{_did_you_mean(value, rule.choices)}",
                )
            return value
        if rule.type == "boolean":
            if not isinstance(value, bool):
                self.fail(where, f"{what}: {key} must be true or false, not {_kind_of(value)}")
            return value
        number_ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if rule.type == "integer":
            number_ok = number_ok and isinstance(value, int)
        if not number_ok or not math.isfinite(value) or not _in_range(value, rule):
            noun = "whole number" if rule.type == "integer" else "finite number"
            self.fail(
                where, f"{what}: {key} must be a {noun} {_range(rule)}, not {_kind_of(value)}"
            )
        return value

    def fields(self, where: Where, value: Any, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(
                where,
                f'{what}: fields must be a table, e.g. fields = {{ network = "wifi" }},'
                f" not {_kind_of(value)}",
            )
        for key, item in value.items():
            items = item if isinstance(item, list) else [item]
            if not all(isinstance(i, (str, int, float)) for i in items):
                self.fail(
                    (*where, key),
                    f"{what}: field {_quoted(key)} must be a string, number, boolean or an array"
                    f" of them (as in the trace line), not {_kind_of(item)}",
                )
        return dict(value)

    def combinations(self, where: Where, kind: str, params: dict[str, Any], what: str) -> None:
        """Rules between one step's parameters."""
        if kind == "network_fault":
            fault, value = params["fault"], params.get("value")
            if fault in FAULTS_WITH_VALUE and value is None:
                unit = {"latency": "ms", "loss": "percent", "bandwidth": "KB/s"}[fault]
                self.fail(where, f"{what}: a {fault} fault needs value = ... ({unit})")
            if fault not in FAULTS_WITH_VALUE and value is not None:
                self.fail((*where, "value"), f"{what}: a {fault} fault takes no value")
            if fault == "loss" and value is not None and value > 100:
                self.fail((*where, "value"), f"{what}: loss is a percentage: 0 < value <= 100")
        if kind == "count":
            traced = params["what"] == "trace"
            if traced and "concern" not in params:
                self.fail(where, f"{what}: counting trace lines needs concern = ... (and event)")
            for key in ("concern", "event"):
                if key in params and not traced:
                    self.fail((*where, key), f'{what}: {key} is only for what = "trace"')
            if "state" in params and traced:
                self.fail((*where, "state"), f'{what}: state is for what = "jobs" or "outbox"')

    def references(
        self, index: int, step: Step, networks: set[str], users: tuple[UserSpec, ...]
    ) -> None:
        """Names a step's parameters use must be declared in the file."""
        by_id = {u.id: u for u in users}
        word = "expect" if step.is_expectation else "action"
        what = f"[[step]] #{index + 1} ({word} {step.kind})"
        where = ("step", index)
        for key, value in step.params.items():
            refers = param(step.kind, key).refers_to
            place = (*where, key)
            if refers == "network" and value not in networks:
                self.fail(
                    place,
                    f"{what}: network {_quoted(value)} is not declared"
                    f"{_did_you_mean(value, networks)}; declared networks: {_choices(networks)}",
                )
            if refers == "user" and value not in by_id:
                self.fail(
                    place,
                    f"{what}: user {_quoted(value)} is not declared{_did_you_mean(value, by_id)};"
                    f" declared user ids: {_choices(by_id) or 'none (add a [[user]])'}",
                )
            if refers == "card":
                cards = {u.card for u in users if u.card is not None}
                if value not in cards and value not in by_id:
                    self.fail(
                        place,
                        f"{what}: card {_quoted(value)} is no declared user's card or id;"
                        f" declared cards: {_choices(cards) or 'none (give a [[user]] a card)'}",
                    )
                if value in by_id and by_id[value].card is None:
                    self.fail(
                        place, f'{what}: user {_quoted(value)} has no card (add card = "...")'
                    )
        if step.kind == "login" and step.params.get("method") == "card":
            user = by_id[step.params["user"]]
            if user.card is None:
                self.fail(
                    (*where, "method"),
                    f"{what}: user {_quoted(user.id)} logs in by card but has no card"
                    ' (add card = "...")',
                )

    # -- values -----------------------------------------------------------------------------------
    def check_keys(
        self, where: Where, table: Mapping[str, Any], allowed: tuple[str, ...], what: str
    ) -> None:
        for key in table:
            if key not in allowed:
                self.fail(
                    (*where, key),
                    f"{what}: unknown key {_quoted(key)}{_did_you_mean(key, allowed)};"
                    f" allowed: {', '.join(allowed)}",
                )

    def text(
        self,
        where: Where,
        table: Mapping[str, Any],
        key: str,
        what: str,
        required: bool = False,
        example: str = "",
    ) -> str | None:
        if key not in table:
            if required:
                self.fail(where, f"{what}: missing {key} (required)")
            return None
        value = table[key]
        if not isinstance(value, str) or (not value.strip() and key != "description"):
            hint = f", e.g. {example}" if example else ""
            self.fail(
                (*where, key),
                f"{what}: {key} must be a non-empty string in quotes{hint}, not {_kind_of(value)}",
            )
        return value

    def choice(
        self, where: Where, table: Mapping[str, Any], key: str, what: str, allowed: tuple[str, ...]
    ) -> str | None:
        value = self.text(where, table, key, what)
        if value is not None and value not in allowed:
            self.fail(
                (*where, key),
                f"{what}: {key} = {_quoted(value)} is not one of: {', '.join(allowed)}"
                f"{_did_you_mean(value, allowed)}",
            )
        return value

    def seconds(
        self,
        where: Where,
        table: Mapping[str, Any],
        key: str,
        what: str,
        positive: bool = False,
    ) -> float | None:
        if key not in table:
            return None
        value = table[key]
        bound = "> 0" if positive else ">= 0"
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or not (value > 0 if positive else value >= 0)
        ):
            self.fail(
                (*where, key),
                f"{what}: {key} must be a finite number of seconds {bound}, not {_kind_of(value)}",
            )
        return float(value)

    def unique(self, where: Where, name: str, found: Mapping[str, Any], what: str) -> None:
        if name in found:
            self.fail((*where, "name"), f"{what} {_quoted(name)} is declared twice")


def _in_range(value: float, rule: Param) -> bool:
    if rule.minimum is not None and (
        value <= rule.minimum if rule.exclusive_minimum else value < rule.minimum
    ):
        return False
    return rule.maximum is None or value <= rule.maximum


def _range(rule: Param) -> str:
    """The allowed values in words: `>= 0`, `> 0`, `from 1 to 50`."""
    if rule.minimum is not None and rule.maximum is not None:
        return f"from {rule.minimum:g} to {rule.maximum:g}"
    if rule.minimum is not None:
        return f"{'>' if rule.exclusive_minimum else '>='} {rule.minimum:g}"
    return "" if rule.maximum is None else f"<= {rule.maximum:g}"
