"""Server apps (S8): the launch handshake's messages and the screen format apps draw with.

The handshake, in the seed's order (each step a message here, each traced on both sides):

1. launch request        device -> server  POST /apps/{app_id}/launch      `AppLaunchRequest`
2. identifying info      server -> device  its reply                        `AppLaunchReply`
   (the reply's `wants` is the server's request for the device information)
3. device information    device -> server  POST /apps/launches/{id}/device  `AppDeviceInfo`
   the server answers with the request information that gives access       `AppRequestInfo`
4. the device stores the request information with the identifying information and the device
   information (its `app_sessions` table), so a session survives a panel restart
5. request information   device -> server  POST /apps/launches/{id}/start   `AppStart`
6. the app runs: its first screen                                           `AppScreenReply`

then actions (`AppAction` -> `AppScreenReply`) until the app is done or the device ends it.

The screen format (version `SCREEN_FORMAT`) is a small JSON object decoded by `decode_screen`:
an element of a type this panel does not know becomes a `Placeholder` (shown, never dropped);
anything else out of shape is a `ScreenError` the panel shows as an error screen naming the
app. `SCREEN_SCHEMA` is the same format as JSON Schema, published in the OpenAPI document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from panel.protocol.constraints import Limit

SCREEN_FORMAT = 1
APP_ID = Annotated[str, Limit(min_length=1, max_length=40)]
_APP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
LaunchId = Annotated[str, Limit(min_length=1, max_length=64)]
Token = Annotated[str, Limit(min_length=16, max_length=64)]
Name = Annotated[str, Limit(max_length=80)]
PERMISSIONS = ("scan", "print", "user")
Permission = Annotated[str, Limit(choices=PERMISSIONS, code="bad_permission")]
WANTS = ("device_info",)
ROLES = ("user", "admin")
# The roles that may use an app (its manifest's `roles`); none listed = every role.
Roles = Annotated[list[Annotated[str, Limit(choices=ROLES, code="bad_role")]], Limit(max_length=2)]
ActionName = Annotated[str, Limit(min_length=1, max_length=40)]
MAX_ACTION_BYTES = 8 * 1024 * 1024  # an action may carry a scanned document (base64)
MAX_ELEMENTS = 40
MAX_TEXT = 2000
MAX_ITEMS = 100
MAX_IMAGE_CHARS = 512 * 1024  # a data: URI
# The panel's language, sent with a launch, a start and each action (as a browser's
# Accept-Language): an app answers in it if it can. Optional: a device that sends none (older
# than this field) gets English. The host also passes it to an app as `Accept-Language`.
APP_LANGUAGES = ("en", "ja")
DEFAULT_LANGUAGE = "en"
Language = Annotated[str, Limit(choices=APP_LANGUAGES, code="bad_language")]


def valid_app_id(app_id: str) -> bool:
    return bool(_APP_ID.match(app_id))


# ---- the handshake ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AppLaunchRequest:
    """Step 1: the device asks the server to launch an app for the user logged in there."""

    user_id: Annotated[str, Limit(min_length=1, max_length=64)]
    language: Language = DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class AppLaunchReply:
    """Step 2: the identifying information of the launched app; `wants` is the server asking
    for the device information (step 3)."""

    launch_id: LaunchId
    app_id: APP_ID
    name: Name
    permissions: Annotated[list[Permission], Limit(max_length=3)]
    wants: Annotated[list[Annotated[str, Limit(choices=WANTS)]], Limit(max_length=4)]


@dataclass(frozen=True, slots=True)
class AppDeviceInfo:
    """Step 3: who is asking: the device and what it can do for an app."""

    device_id: Annotated[str, Limit(min_length=1, max_length=64)]
    name: Name
    model: Name
    capabilities: Annotated[list[Permission], Limit(max_length=3)]


@dataclass(frozen=True, slots=True)
class AppRequestInfo:
    """The request information that gives access to the launched app (kept by the device)."""

    launch_id: LaunchId
    request_token: Token


@dataclass(frozen=True, slots=True)
class AppStart:
    """Step 5: the device sends the request information; `resume` after a panel restart."""

    request_token: Token
    resume: bool = False
    language: Language = DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class AppAction:
    """An action on the app's screen (a button, a confirmation, a device action's result),
    with the values of the screen's inputs."""

    request_token: Token
    action: ActionName
    values: dict[str, Any] = field(default_factory=dict)
    language: Language = DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class AppEnd:
    request_token: Token


@dataclass(frozen=True, slots=True)
class AppScreenReply:
    """A screen of the app (the format is `AppScreen` in the document), or `done` when the app
    has finished (the panel goes back to its list)."""

    launch_id: LaunchId
    name: Name
    screen: dict[str, Any]
    done: bool = False


@dataclass(frozen=True, slots=True)
class AppManifest:
    """An app the server offers: built in (`url` empty) or an external service."""

    app_id: APP_ID
    name: Name
    description: Annotated[str, Limit(max_length=200)]
    permissions: Annotated[list[Permission], Limit(max_length=3)]
    icon: Annotated[str, Limit(max_length=40)] = "apps"
    url: Annotated[str, Limit(max_length=300)] = ""
    roles: Roles = field(default_factory=list)


def role_may_use(roles: list[str], role: str) -> bool:
    """An app's access rule: its `roles` (none = everyone) against the user's role."""
    return not roles or role in roles


@dataclass(frozen=True, slots=True)
class AppList:
    apps: list[AppManifest]


@dataclass(frozen=True, slots=True)
class AppRegistration:
    """An administrator registers an external app by its URL; the server reads its manifest
    from URL/manifest.json."""

    url: Annotated[str, Limit(min_length=8, max_length=300)]
    roles: Roles | None = None  # given: replaces the manifest's roles


# ---- the screen format --------------------------------------------------------------------------


class ScreenError(ValueError):
    """A screen the panel cannot draw: the sentence says where it is wrong."""


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    style: str = "body"  # body, heading, note


@dataclass(frozen=True, slots=True)
class Image:
    src: str  # a data: URI (PNG, JPEG or SVG)
    alt: str


@dataclass(frozen=True, slots=True)
class ListBox:
    id: str
    items: tuple[Choice, ...]
    selected: str | None


@dataclass(frozen=True, slots=True)
class Button:
    action: str
    label: str
    style: str = "default"  # default, primary, danger


@dataclass(frozen=True, slots=True)
class Input:
    id: str
    label: str
    kind: str  # text, number
    value: str
    max_length: int = 80
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class Select:
    id: str
    label: str
    options: tuple[Choice, ...]
    value: str | None


@dataclass(frozen=True, slots=True)
class Toggle:
    id: str
    label: str
    value: bool


@dataclass(frozen=True, slots=True)
class Progress:
    label: str
    value: int  # 0..100


@dataclass(frozen=True, slots=True)
class Confirm:
    text: str
    yes: str  # the action sent for Yes
    no: str
    yes_label: str = "Yes"
    no_label: str = "No"


@dataclass(frozen=True, slots=True)
class Placeholder:
    """An element of a type this panel does not know: drawn as a visible box naming it."""

    type: str


Element = (
    Text | Image | ListBox | Button | Input | Select | Toggle | Progress | Confirm | Placeholder
)


@dataclass(frozen=True, slots=True)
class DeviceRequest:
    """A device action the app asks for: the panel does it (if the app declared the permission)
    and sends `action` back with its result."""

    kind: str  # scan, print, user
    action: str
    title: str = ""
    pages: int = 1
    document: str = ""  # print: the PDF, base64
    copies: int = 1


@dataclass(frozen=True, slots=True)
class Screen:
    title: str
    elements: tuple[Element, ...]
    device: DeviceRequest | None = None


ELEMENT_TYPES = (
    "text",
    "image",
    "list",
    "button",
    "input",
    "select",
    "toggle",
    "progress",
    "confirm",
)


def decode_screen(data: Any) -> Screen:
    """The screen in `data` (a decoded JSON value), or ScreenError saying what is wrong."""
    obj = _obj(data, "screen")
    if obj.get("format") != SCREEN_FORMAT:
        raise ScreenError(f"screen format {obj.get('format')!r} is not {SCREEN_FORMAT}")
    title = _str(obj, "title", "screen", 0, 80)
    raw = obj.get("elements")
    if not isinstance(raw, list):
        raise ScreenError("screen.elements must be a list")
    if len(raw) > MAX_ELEMENTS:
        raise ScreenError(f"screen.elements holds at most {MAX_ELEMENTS} elements")
    elements = tuple(_element(e, f"elements[{i}]") for i, e in enumerate(raw))
    device = None
    if obj.get("device") is not None:
        device = _device(_obj(obj["device"], "screen.device"))
    return Screen(title, elements, device)


def _element(data: Any, where: str) -> Element:
    e = _obj(data, where)
    kind = e.get("type")
    if not isinstance(kind, str) or not kind:
        raise ScreenError(f"{where}.type must be a non-empty string")
    if kind == "text":
        style = _opt(e, "style", where, "body")
        if style not in ("body", "heading", "note"):
            raise ScreenError(f"{where}.style is body, heading or note")
        return Text(_str(e, "text", where, 0, MAX_TEXT), style)
    if kind == "image":
        src = _str(e, "src", where, 1, MAX_IMAGE_CHARS)
        if not src.startswith("data:image/"):
            raise ScreenError(f"{where}.src must be a data:image/ URI")
        return Image(src, _opt(e, "alt", where, ""))
    if kind == "list":
        items = _choices(e, "items", where)
        selected = _maybe(e, "selected", where)
        return ListBox(_ident(e, where), items, selected)
    if kind == "button":
        style = _opt(e, "style", where, "default")
        if style not in ("default", "primary", "danger"):
            raise ScreenError(f"{where}.style is default, primary or danger")
        return Button(_str(e, "action", where, 1, 40), _str(e, "label", where, 1, 40), style)
    if kind == "input":
        input_kind = _opt(e, "kind", where, "text")
        if input_kind not in ("text", "number"):
            raise ScreenError(f"{where}.kind is text or number")
        max_length = e.get("max_length", 80)
        if not isinstance(max_length, int) or isinstance(max_length, bool):
            raise ScreenError(f"{where}.max_length must be an integer")
        if not 1 <= max_length <= 200:
            raise ScreenError(f"{where}.max_length is 1 to 200")
        return Input(
            _ident(e, where),
            _opt(e, "label", where, ""),
            input_kind,
            _opt(e, "value", where, ""),
            max_length,
            _number(e, "min", where),
            _number(e, "max", where),
        )
    if kind == "select":
        options = _choices(e, "options", where)
        return Select(
            _ident(e, where), _opt(e, "label", where, ""), options, _maybe(e, "value", where)
        )
    if kind == "toggle":
        value = e.get("value", False)
        if not isinstance(value, bool):
            raise ScreenError(f"{where}.value must be true or false")
        return Toggle(_ident(e, where), _str(e, "label", where, 1, 80), value)
    if kind == "progress":
        value = e.get("value")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ScreenError(f"{where}.value must be an integer 0 to 100")
        return Progress(_opt(e, "label", where, ""), value)
    if kind == "confirm":
        return Confirm(
            _str(e, "text", where, 1, MAX_TEXT),
            _str(e, "yes", where, 1, 40),
            _str(e, "no", where, 1, 40),
            _opt(e, "yes_label", where, "Yes") or "Yes",
            _opt(e, "no_label", where, "No") or "No",
        )
    return Placeholder(kind[:40])


def _device(d: dict[str, Any]) -> DeviceRequest:
    where = "screen.device"
    kind = d.get("kind")
    if kind not in PERMISSIONS:
        raise ScreenError(f"{where}.kind is one of {', '.join(PERMISSIONS)}")
    pages, copies = d.get("pages", 1), d.get("copies", 1)
    for name, value, high in (("pages", pages, 20), ("copies", copies, 99)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
            raise ScreenError(f"{where}.{name} must be an integer 1 to {high}")
    document = _opt(d, "document", where, "", limit=MAX_ACTION_BYTES)
    if kind == "print" and not document:
        raise ScreenError(f"{where}.document (a PDF, base64) is needed to print")
    return DeviceRequest(
        kind, _str(d, "action", where, 1, 40), _opt(d, "title", where, ""), pages, document, copies
    )


def _obj(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ScreenError(f"{where} must be a JSON object")
    return data


def _str(obj: dict[str, Any], key: str, where: str, low: int, high: int) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise ScreenError(f"{where}.{key} must be a string")
    if not low <= len(value) <= high or "\x00" in value:
        raise ScreenError(f"{where}.{key} holds {low} to {high} characters (no NUL)")
    return value


def _opt(obj: dict[str, Any], key: str, where: str, default: str, limit: int = 200) -> str:
    return default if key not in obj else _str(obj, key, where, 0, limit)


def _maybe(obj: dict[str, Any], key: str, where: str) -> str | None:
    return None if obj.get(key) is None else _str(obj, key, where, 0, 200)


def _ident(obj: dict[str, Any], where: str) -> str:
    return _str(obj, "id", where, 1, 40)


def _number(obj: dict[str, Any], key: str, where: str) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ScreenError(f"{where}.{key} must be a number")
    return float(value)


def _choices(obj: dict[str, Any], key: str, where: str) -> tuple[Choice, ...]:
    raw = obj.get(key)
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise ScreenError(f"{where}.{key} must be a list of at most {MAX_ITEMS} choices")
    out = []
    for i, item in enumerate(raw):
        c = _obj(item, f"{where}.{key}[{i}]")
        value = _str(c, "value", f"{where}.{key}[{i}]", 0, 200)
        out.append(Choice(value, _opt(c, "label", f"{where}.{key}[{i}]", value) or value))
    return tuple(out)


# ---- the format as JSON Schema (the OpenAPI document's `AppScreen`) ------------------------------


def _s(max_length: int, min_length: int = 0) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


_CHOICES = {
    "type": "array",
    "maxItems": MAX_ITEMS,
    "items": {
        "type": "object",
        "required": ["value"],
        "properties": {"value": _s(200), "label": _s(200)},
    },
}


def _element_schema(kind: str, required: list[str], props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", *required],
        "properties": {"type": {"type": "string", "enum": [kind]}, **props},
    }


SCREEN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": f"An app's screen, format {SCREEN_FORMAT}, drawn natively by the panel. An"
    " element of another type is shown as a placeholder naming it; a screen out of this shape"
    " is shown as an error screen naming the app.",
    "required": ["format", "title", "elements"],
    "properties": {
        "format": {
            "type": "integer",
            "minimum": SCREEN_FORMAT,
            "maximum": SCREEN_FORMAT,
            "enum": [SCREEN_FORMAT],
        },
        "title": _s(80),
        "elements": {
            "type": "array",
            "maxItems": MAX_ELEMENTS,
            "items": {
                "anyOf": [
                    _element_schema(
                        "text",
                        ["text"],
                        {
                            "text": _s(MAX_TEXT),
                            "style": {"type": "string", "enum": ["body", "heading", "note"]},
                        },
                    ),
                    _element_schema(
                        "image",
                        ["src"],
                        {"src": {**_s(MAX_IMAGE_CHARS, 1), "pattern": "^data:image/"}},
                    ),
                    _element_schema(
                        "list",
                        ["id", "items"],
                        {"id": _s(40, 1), "items": _CHOICES, "selected": _s(200)},
                    ),
                    _element_schema(
                        "button",
                        ["action", "label"],
                        {
                            "action": _s(40, 1),
                            "label": _s(40, 1),
                            "style": {"type": "string", "enum": ["default", "primary", "danger"]},
                        },
                    ),
                    _element_schema(
                        "input",
                        ["id"],
                        {
                            "id": _s(40, 1),
                            "label": _s(200),
                            "kind": {"type": "string", "enum": ["text", "number"]},
                            "value": _s(200),
                            "max_length": {"type": "integer", "minimum": 1, "maximum": 200},
                            "min": {"type": "number"},
                            "max": {"type": "number"},
                        },
                    ),
                    _element_schema(
                        "select",
                        ["id", "options"],
                        {"id": _s(40, 1), "label": _s(200), "options": _CHOICES, "value": _s(200)},
                    ),
                    _element_schema(
                        "toggle",
                        ["id", "label"],
                        {"id": _s(40, 1), "label": _s(80, 1), "value": {"type": "boolean"}},
                    ),
                    _element_schema(
                        "progress",
                        ["value"],
                        {
                            "label": _s(200),
                            "value": {"type": "integer", "minimum": 0, "maximum": 100},
                        },
                    ),
                    _element_schema(
                        "confirm",
                        ["text", "yes", "no"],
                        {
                            "text": _s(MAX_TEXT, 1),
                            "yes": _s(40, 1),
                            "no": _s(40, 1),
                            "yes_label": _s(200),
                            "no_label": _s(200),
                        },
                    ),
                    {
                        "type": "object",
                        "description": "Another element type: shown as a placeholder naming it",
                        "required": ["type"],
                        "properties": {
                            "type": {
                                **_s(40, 1),
                                "not": {"enum": list(ELEMENT_TYPES)},
                            }
                        },
                    },
                ]
            },
        },
        "device": {
            "type": "object",
            "description": "A device action the app asks for; needs the permission of that"
            " name in the app's manifest (scan: scan and send the document back as"
            " values.document, base64 PDF; print: print `document`; user: send the user's id"
            " and name)",
            "required": ["kind", "action"],
            "properties": {
                "kind": {"type": "string", "enum": list(PERMISSIONS)},
                "action": _s(40, 1),
                "title": _s(200),
                "pages": {"type": "integer", "minimum": 1, "maximum": 20},
                "copies": {"type": "integer", "minimum": 1, "maximum": 99},
                "document": _s(MAX_ACTION_BYTES),
            },
        },
    },
}


def publish(schemas: dict[str, Any]) -> None:
    """Put the screen format in the OpenAPI document's schemas, and point the replies' and
    actions' free-form fields at it."""
    schemas["AppScreen"] = SCREEN_SCHEMA
    reply = schemas.get("AppScreenReply")
    if reply is not None:
        reply["properties"]["screen"] = {"$ref": "#/components/schemas/AppScreen"}
