"""The server's built-in apps (S8), each an aiohttp sub-application answering
`POST /session` with a screen, as an external app would (see examples/room_booking_app.py):

- "Scan to cloud folder": name a scan, scan it, it is kept in the user's cloud folder here
  and listed;
- "Print from cloud": browse the user's cloud folder, print a document from it;
- "Visitor badge": a short form, confirmed, prints a badge.

A launch's state is kept per launch id in the app (an app resumes a launch it knows, and starts
afresh one it does not). The user's cloud folder is a directory under the server's data.

Each app answers in the language of the call (the panel's, `words.py` has the catalogue); its
data values (actions, option values, document names, the printed badge) stay as they are.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from panel.pdf import text_pdf
from panel.protocol.apps import DEFAULT_LANGUAGE, SCREEN_FORMAT, AppManifest
from panel.server.apps.words import say, usable
from panel.threads import in_thread

Screen = dict[str, Any]
MAX_FOLDER_FILES = 200
_SAFE = re.compile(r"[^A-Za-z0-9 ._-]+")
_ICON = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">'
        b'<rect x="4" y="10" width="40" height="30" rx="5" fill="#1f6feb"/>'
        b'<path d="M14 30l7-8 6 6 4-4 5 6z" fill="#fff"/><circle cx="30" cy="19" r="3"'
        b' fill="#fff"/></svg>'
    ).decode()
)


def screen(title: str, *elements: dict[str, Any], device: dict[str, Any] | None = None) -> Screen:
    out: Screen = {"format": SCREEN_FORMAT, "title": title, "elements": list(elements)}
    if device is not None:
        out["device"] = device
    return out


def text(value: str, style: str = "body") -> dict[str, Any]:
    return {"type": "text", "text": value, "style": style}


def button(action: str, label: str, style: str = "default") -> dict[str, Any]:
    return {"type": "button", "action": action, "label": label, "style": style}


@dataclass
class Call:
    """One call from the host: who, which launch, what happened."""

    launch_id: str
    event: str  # start, resume, action, end
    action: str
    values: dict[str, Any]
    user_id: str
    user_name: str
    language: str = DEFAULT_LANGUAGE  # the panel's: the screen's words are in it

    def say(self, source: str, **values: Any) -> str:
        """`source` in the panel's language."""
        return say(self.language, source, **values)


Handler = Callable[[Call], Awaitable[Screen]]


def sub_app(handler: Handler, key: Callable[[], str]) -> web.Application:
    """An app as an aiohttp sub-application; it takes calls only with the host's key."""

    async def session(request: web.Request) -> web.Response:
        if request.headers.get("X-Mfp-App-Key") != key():
            raise web.HTTPForbidden(text="only the server's app host calls this")
        body = await request.json()
        user = body.get("user") or {}
        call = Call(
            str(body.get("launch_id", "")),
            str(body.get("event", "")),
            str(body.get("action", "")),
            body.get("values") if isinstance(body.get("values"), dict) else {},
            str(user.get("id", "")),
            str(user.get("name", "")),
            usable(str(body.get("language") or request.headers.get("Accept-Language", ""))),
        )
        return web.json_response(await handler(call))

    app = web.Application()
    app.router.add_post("/session", session)
    return app


class CloudFolders:
    """The users' cloud folders: PDFs kept on the server by Scan to cloud folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _folder(self, user_id: str) -> Path:
        return self.root / _SAFE.sub("_", user_id)

    def names(self, user_id: str) -> list[str]:
        folder = self._folder(user_id)
        if not folder.is_dir():
            return []
        files = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        return [p.stem for p in files[:MAX_FOLDER_FILES]]

    def store(self, user_id: str, name: str, document: bytes) -> str:
        folder = self._folder(user_id)
        folder.mkdir(parents=True, exist_ok=True)
        stem = _SAFE.sub("_", name).strip(" ._") or "Scan"
        path, n = folder / f"{stem}.pdf", 1
        while path.exists():
            n += 1
            path = folder / f"{stem} ({n}).pdf"
        path.write_bytes(document)
        return path.stem

    def read(self, user_id: str, name: str) -> bytes | None:
        if name not in self.names(user_id):
            return None
        return (self._folder(user_id) / f"{name}.pdf").read_bytes()


@dataclass
class _ScanState:
    name: str = ""
    pages: str = "1"
    note: str = ""


@dataclass
class ScanToFolder:
    folders: CloudFolders
    launches: dict[str, _ScanState] = field(default_factory=dict)
    MANIFEST = AppManifest(
        "cloud-folder",
        "Scan to cloud folder",
        "Scan a document, name it, keep it in your cloud folder",
        ["scan", "user"],
        "scan",
    )

    async def __call__(self, call: Call) -> Screen:
        state = self.launches.setdefault(call.launch_id, _ScanState())
        if call.event == "end" or call.action == "close":
            self.launches.pop(call.launch_id, None)
            return {"done": True}
        if call.action == "scan":
            state.name = str(call.values.get("name", "")).strip()[:60] or _default_name()
            state.pages = str(call.values.get("pages", "1"))
            pages = int(state.pages) if state.pages in ("1", "2", "3", "5") else 1
            return screen(
                call.say("Scan to cloud folder"),
                text(call.say("Scanning “{name}”…", name=state.name), "heading"),
                {"type": "progress", "label": call.say("Scanning"), "value": 10},
                device={"kind": "scan", "action": "scanned", "title": state.name, "pages": pages},
            )
        if call.action == "scanned":
            state.note = await self._keep(call, state.name or _default_name())
        return await self._home(call, state)

    async def _keep(self, call: Call, name: str) -> str:
        try:
            document = base64.b64decode(str(call.values.get("document", "")), validate=True)
        except (binascii.Error, ValueError):
            document = b""
        if not document.startswith(b"%PDF"):
            return call.say("The scan did not arrive: nothing was stored.")
        stored = await in_thread(self.folders.store, call.user_id, name, document)
        return call.say("Stored “{name}” in your cloud folder.", name=stored)

    async def _home(self, call: Call, state: _ScanState) -> Screen:
        names = await in_thread(self.folders.names, call.user_id)
        items = [{"value": n, "label": n} for n in names[:20]]
        return screen(
            call.say("Scan to cloud folder"),
            {"type": "image", "src": _ICON, "alt": call.say("Cloud folder")},
            text(
                state.note or call.say("Name the document, put it on the glass, tap Scan."),
                "heading",
            ),
            {
                "type": "input",
                "id": "name",
                "label": call.say("Document name"),
                "kind": "text",
                "value": _default_name(),
                "max_length": 60,
            },
            {
                "type": "select",
                "id": "pages",
                "label": call.say("Pages"),
                "options": [{"value": v, "label": v} for v in ("1", "2", "3", "5")],
                "value": state.pages,
            },
            text(_count(call, len(names)), "note"),
            *(
                [{"type": "list", "id": "stored", "items": items, "selected": None}]
                if items
                else []
            ),
            button("scan", call.say("Scan"), "primary"),
            button("close", call.say("Close")),
        )


def _count(call: Call, n: int) -> str:
    if n == 0:
        return call.say("Your cloud folder is empty.")
    if n == 1:
        return call.say("1 document in your cloud folder:")
    return call.say("{n} documents in your cloud folder:", n=n)


def _default_name() -> str:
    return time.strftime("Scan %Y-%m-%d %H.%M")


@dataclass
class PrintFromCloud:
    folders: CloudFolders
    MANIFEST = AppManifest(
        "print-cloud",
        "Print from cloud",
        "Browse your cloud folder and print a document from it",
        ["print", "user"],
        "print",
    )

    async def __call__(self, call: Call) -> Screen:
        if call.event == "end" or call.action == "close":
            return {"done": True}
        names = await in_thread(self.folders.names, call.user_id)
        if call.action == "print":
            chosen = str(call.values.get("document", ""))
            copies = _int(call.values.get("copies"), 1, 1, 99)
            data = await in_thread(self.folders.read, call.user_id, chosen)
            if data is None:
                return self._list(call, names, call.say("Choose a document first."))
            return screen(
                call.say("Print from cloud"),
                text(call.say("Printing “{name}”…", name=chosen), "heading"),
                {"type": "progress", "label": call.say("Sending to the printer"), "value": 50},
                device={
                    "kind": "print",
                    "action": "printed",
                    "title": chosen,
                    "copies": copies,
                    "document": base64.b64encode(data).decode(),
                },
            )
        if call.action == "printed":
            ok = call.values.get("ok") is True
            note = "Sent to the printer: see Jobs." if ok else "The device did not print it."
            return self._list(call, names, call.say(note))
        return self._list(call, names, "")

    @staticmethod
    def _list(call: Call, names: list[str], note: str) -> Screen:
        if not names:
            return screen(
                call.say("Print from cloud"),
                text(call.say("Your cloud folder is empty."), "heading"),
                text(call.say("Scan to cloud folder keeps scans here."), "note"),
                button("close", call.say("Close")),
            )
        return screen(
            call.say("Print from cloud"),
            text(note or call.say("Choose a document to print."), "heading"),
            {
                "type": "list",
                "id": "document",
                "items": [{"value": n, "label": n} for n in names[:50]],
                "selected": names[0],
            },
            {
                "type": "input",
                "id": "copies",
                "label": call.say("Copies"),
                "kind": "number",
                "value": "1",
                "min": 1,
                "max": 99,
                "max_length": 2,
            },
            button("print", call.say("Print"), "primary"),
            button("close", call.say("Close")),
        )


@dataclass
class _Visitor:
    name: str = ""
    company: str = ""
    host: str = "reception"
    escort: bool = False


HOSTS = (("reception", "Reception"), ("it", "IT desk"), ("finance", "Finance"), ("hr", "HR"))


@dataclass
class VisitorBadge:
    launches: dict[str, _Visitor] = field(default_factory=dict)
    MANIFEST = AppManifest(
        "visitor-badge", "Visitor badge", "Fill in a visitor's details and print a badge", ["print"]
    )

    async def __call__(self, call: Call) -> Screen:
        visitor = self.launches.setdefault(call.launch_id, _Visitor())
        if call.event == "end" or call.action in ("close", "done"):
            self.launches.pop(call.launch_id, None)
            return {"done": True}
        if call.action == "preview":
            visitor.name = str(call.values.get("name", "")).strip()[:60]
            visitor.company = str(call.values.get("company", "")).strip()[:60]
            visitor.host = str(call.values.get("host", "reception"))
            visitor.escort = call.values.get("escort") is True
            if not visitor.name:
                return self._form(call, visitor, call.say("Enter the visitor's name."))
            question = (
                "Print a badge for {visitor}, visiting {host} (escort required)?"
                if visitor.escort
                else "Print a badge for {visitor}, visiting {host}?"
            )
            who = f"{visitor.name}, {visitor.company}" if visitor.company else visitor.name
            return screen(
                call.say("Visitor badge"),
                {
                    "type": "confirm",
                    "text": call.say(question, visitor=who, host=call.say(_host(visitor))),
                    "yes": "print",
                    "no": "edit",
                    "yes_label": call.say("Print badge"),
                    "no_label": call.say("Edit"),
                },
            )
        if call.action == "print":
            return screen(
                call.say("Visitor badge"),
                text(call.say("Printing the badge for {name}…", name=visitor.name), "heading"),
                {"type": "progress", "label": call.say("Printing"), "value": 50},
                device={
                    "kind": "print",
                    "action": "printed",
                    "title": f"Badge {visitor.name}",
                    "document": base64.b64encode(_badge(visitor)).decode(),
                },
            )
        if call.action == "printed":
            return screen(
                call.say("Visitor badge"),
                text(call.say("Badge for {name} printed. Welcome!", name=visitor.name), "heading"),
                {"type": "progress", "label": call.say("Done"), "value": 100},
                button("again", call.say("Next visitor"), "primary"),
                button("done", call.say("Close")),
            )
        if call.action == "again":
            visitor = self.launches[call.launch_id] = _Visitor()
        return self._form(call, visitor, "")

    @staticmethod
    def _form(call: Call, visitor: _Visitor, note: str) -> Screen:
        return screen(
            call.say("Visitor badge"),
            text(note or call.say("Who is visiting today?"), "heading"),
            {"type": "input", "id": "name", "label": call.say("Name"), "value": visitor.name},
            {
                "type": "input",
                "id": "company",
                "label": call.say("Company"),
                "value": visitor.company,
            },
            {
                "type": "select",
                "id": "host",
                "label": call.say("Visiting"),
                "options": [{"value": v, "label": call.say(label)} for v, label in HOSTS],
                "value": visitor.host,
            },
            {
                "type": "toggle",
                "id": "escort",
                "label": call.say("Escort required"),
                "value": visitor.escort,
            },
            button("preview", call.say("Continue"), "primary"),
            button("close", call.say("Close")),
        )


def _host(visitor: _Visitor) -> str:
    """Whom the visitor sees, in English (the catalogue's source)."""
    return dict(HOSTS).get(visitor.host, "Reception")


def _badge(visitor: _Visitor) -> bytes:
    """The badge as printed: English, whatever the panel's language (the PDF's font has
    no Japanese glyphs)."""
    host = _host(visitor)
    lines = ["VISITOR", "", visitor.name, visitor.company, "", f"Visiting: {host}"]
    if visitor.escort:
        lines.append("ESCORT REQUIRED")
    lines.append(time.strftime("%Y-%m-%d"))
    return text_pdf([lines])


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, low), high)


def builtin_apps(data_dir: Path) -> list[tuple[AppManifest, Handler]]:
    """The three built-in apps, sharing the users' cloud folders under `data_dir`."""
    folders = CloudFolders(data_dir / "cloud-folders")
    scan, printer, badge = ScanToFolder(folders), PrintFromCloud(folders), VisitorBadge()
    return [(scan.MANIFEST, scan), (printer.MANIFEST, printer), (badge.MANIFEST, badge)]
