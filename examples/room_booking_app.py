"""An external server app for mfp-panel (S8): book a meeting room from the printer's panel.

It is a plain aiohttp service, a separate process from the mfp-panel server; it only needs
aiohttp. Run it, then register it with the server:

    python examples/room_booking_app.py --port 8700
    mfp-panel server add-app http://127.0.0.1:8700

The server reads GET /manifest.json once (name, icon, permissions, description) and then calls
POST /session for every step of a launch on a panel; each answer is a screen. See
examples/README.md for the screen format and the rules an app lives by.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MANIFEST = {
    "app_id": "room-booking",
    "name": "Book a room",
    "description": "Book a meeting room for today, from the printer",
    "permissions": ["user"],  # the panel tells us who is there; nothing else
    "icon": "apps",
}
ROOMS = {"oak": "Oak (6)", "elm": "Elm (10)", "ash": "Ash (2)"}
SLOTS = ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]
# The panel sends its language with each call ("language", and Accept-Language): the app's
# words in it; the values the actions carry (rooms, slots) stay as they are.
WORDS = {
    "ja": {
        "Book a room": "会議室の予約",
        "Which room, and when?": "どの会議室を、いつ使いますか?",
        "From": "開始",
        "Hours": "時間",
        "Projector": "プロジェクター",
        "Book": "予約",
        "Close": "閉じる",
        "Booked": "予約しました",
        "Done": "完了",
    }
}


def say(language: str, words: str) -> str:
    return WORDS.get(language, {}).get(words, words)


@dataclass
class Launch:
    room: str = "oak"
    slot: str = SLOTS[0]
    hours: str = "1"
    projector: bool = False


@dataclass
class Bookings:
    launches: dict[str, Launch] = field(default_factory=dict)
    taken: dict[tuple[str, str], str] = field(default_factory=dict)  # (room, slot) -> who


def screen(title: str, *elements: dict[str, Any]) -> dict[str, Any]:
    return {"format": 1, "title": title, "elements": list(elements)}


def form(launch: Launch, note: str, language: str = "en") -> dict[str, Any]:
    return screen(
        say(language, "Book a room"),
        {
            "type": "text",
            "text": note or say(language, "Which room, and when?"),
            "style": "heading",
        },
        {
            "type": "list",
            "id": "room",
            "items": [{"value": k, "label": v} for k, v in ROOMS.items()],
            "selected": launch.room,
        },
        {
            "type": "select",
            "id": "slot",
            "label": say(language, "From"),
            "options": [{"value": s} for s in SLOTS],
            "value": launch.slot,
        },
        {
            "type": "input",
            "id": "hours",
            "label": say(language, "Hours"),
            "kind": "number",
            "value": launch.hours,
            "min": 1,
            "max": 4,
            "max_length": 1,
        },
        {
            "type": "toggle",
            "id": "projector",
            "label": say(language, "Projector"),
            "value": launch.projector,
        },
        {"type": "button", "action": "book", "label": say(language, "Book"), "style": "primary"},
        {"type": "button", "action": "close", "label": say(language, "Close")},
    )


async def session(request: web.Request) -> web.Response:
    call = await request.json()
    bookings: Bookings = request.app[BOOKINGS]
    launch_id, action = str(call.get("launch_id")), str(call.get("action", ""))
    values = call.get("values") or {}
    user = (call.get("user") or {}).get("name", "someone")
    language = str(call.get("language") or request.headers.get("Accept-Language", "en"))[:2]
    launch = bookings.launches.setdefault(launch_id, Launch())
    if call.get("event") == "end" or action == "close":
        bookings.launches.pop(launch_id, None)
        return web.json_response({"done": True})
    if action == "book":
        launch.room = str(values.get("room") or launch.room)
        launch.slot = str(values.get("slot") or launch.slot)
        launch.hours = str(values.get("hours") or "1")
        launch.projector = values.get("projector") is True
        holder = bookings.taken.get((launch.room, launch.slot))
        if holder is not None:
            taken = f"Taken by {holder}: choose another time."
            return web.json_response(form(launch, taken, language))
        bookings.taken[(launch.room, launch.slot)] = user
        extra = " with a projector" if launch.projector else ""
        return web.json_response(
            screen(
                say(language, "Booked"),
                {
                    "type": "text",
                    "text": f"{ROOMS[launch.room]} is yours, {user}.",
                    "style": "heading",
                },
                {"type": "text", "text": f"From {launch.slot} for {launch.hours} h{extra}."},
                {"type": "progress", "label": say(language, "Booked"), "value": 100},
                {
                    "type": "button",
                    "action": "close",
                    "label": say(language, "Done"),
                    "style": "primary",
                },
            )
        )
    return web.json_response(form(launch, "", language))


async def manifest(_: web.Request) -> web.Response:
    return web.json_response(MANIFEST)


BOOKINGS = web.AppKey("bookings", Bookings)


def make_app() -> web.Application:
    app = web.Application()
    app[BOOKINGS] = Bookings()
    app.router.add_get("/manifest.json", manifest)
    app.router.add_post("/session", session)
    return app


async def serve(host: str, port: int) -> None:
    runner = web.AppRunner(make_app())
    await runner.setup()
    sock = socket.create_server((host, port))
    await web.SockSite(runner, sock).start()
    bound = sock.getsockname()[1]
    print(f"room booking app listening on http://{host}:{bound}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="An external mfp-panel server app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700, help="0: any free port")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
