"""Server apps (S8) over real sockets: the launch handshake in the seed's order (from both
traces), a session kept across a panel restart, the device actions and a refused undeclared
permission, a hung app and a stopped server leaving the panel free, an external app process."""

from __future__ import annotations

import asyncio
import base64
import json
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from support import ALICE, ALICE_PIN, device_config, until, wait_event

from panel.cli import build_parser
from panel.device import ConnectionState, Device, EventKind, JobState
from panel.device.apps import AppUnavailable, AppView
from panel.listener import OwnedSite
from panel.protocol.apps import AppManifest, Button, Confirm, DeviceRequest, Input, ListBox
from panel.protocol.apps import Image as ImageElement
from panel.server.api import API, trace_key
from panel.server.apps.admin import add_app
from panel.server.apps.routes import host_key

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "room_booking_app.py"


async def online(device: Device) -> None:
    if device.connection_state is not ConnectionState.ONLINE:
        await wait_event(
            device, EventKind.CONNECTION_CHANGED, lambda e: e.subject is ConnectionState.ONLINE
        )


async def logged_in(device: Device) -> None:
    await online(device)
    assert (await device.login(ALICE, ALICE_PIN)).ok


def records(path: Path | None, concern: str = "apps") -> list[dict[str, Any]]:
    assert path is not None
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in lines if r.get("concern") == concern]


def first(view: AppView, kind: type) -> Any:
    assert view.screen is not None, view.error
    return next(e for e in view.screen.elements if isinstance(e, kind))


async def test_the_handshake_runs_in_the_seeds_order_traced_on_both_sides(server, make_device):
    device = await make_device()
    await logged_in(device)
    assert {a.app_id for a in device.apps.apps()} >= {
        "cloud-folder",
        "print-cloud",
        "visitor-badge",
    }

    view = await device.apps.launch("visitor-badge")
    assert view.name == "Visitor badge"
    assert view.screen is not None
    assert view.screen.title == "Visitor badge"

    device.trace.flush()
    steps = [r["event"] for r in records(device.trace.path)]
    assert steps == [
        "launch-requested",
        "identified",
        "device-info-asked",
        "device-info-sent",
        "request-info-stored",
        "request-info-sent",
        "running",
    ]
    trace = server.app[trace_key]
    trace.flush()
    server_steps = [r["event"] for r in records(trace.path) if r.get("launch") == view.launch_id]
    assert server_steps[:4] == [
        "launched",
        "device-info-asked",
        "device-info-received",
        "request-info-received",
    ]
    assert "running" in server_steps
    # The request information is kept with the identifying and the device information.
    (row,) = device.store.app_sessions()
    assert row[0] == view.launch_id
    assert row[1] == "visitor-badge"
    assert json.loads(row[4])["device"][0] == device.device_id


async def test_a_session_survives_a_panel_restart_and_resumes(server, tmp_path):
    config = device_config(server, tmp_path / "dev")
    device = Device(config)
    await device.start()
    try:
        await logged_in(device)
        view = await device.apps.launch("visitor-badge")
        view = await device.apps.act("preview", {"name": "Ada Lovelace", "company": "Engines"})
        assert first(view, Confirm).text.startswith("Print a badge for Ada Lovelace")
    finally:
        device.session.logout = lambda: None  # type: ignore[method-assign]  # a kill: no logout
        await device.stop()

    again = Device(config)
    await again.start()
    try:
        await online(again)
        assert (await again.login(ALICE, ALICE_PIN)).ok
        kept = again.apps.kept()
        assert kept is not None
        assert kept.launch_id == view.launch_id
        resumed = await again.apps.resume()
        assert resumed is not None
        assert resumed.launch_id == view.launch_id
        # The app knows the launch: the visitor typed before the restart is still there.
        assert first(resumed, Input).value == "Ada Lovelace"
    finally:
        await again.stop()


async def test_a_session_the_server_forgot_is_ended_cleanly(server, make_device):
    device = await make_device()
    await logged_in(device)
    view = await device.apps.launch("visitor-badge")
    server.app[host_key]._launches.clear()  # as after a server restart
    device.apps.running = None
    assert await device.apps.resume() is None
    assert device.store.app_sessions() == []
    device.trace.flush()
    ended = [r for r in records(device.trace.path) if r["event"] == "ended"]
    assert ended[-1]["launch"] == view.launch_id


async def test_scan_to_cloud_folder_then_print_it_from_cloud(server, make_device):
    device = await make_device()
    await logged_in(device)
    view = await device.apps.launch("cloud-folder")
    view = await device.apps.act("scan", {"name": "Receipts March", "pages": "2"})
    assert view.screen is not None
    assert view.screen.device is not None
    assert view.screen.device.kind == "scan"
    view = await device.apps.device_action(view.screen.device)
    assert view.screen is not None
    assert "Stored “Receipts March”" in view.screen.elements[1].text  # type: ignore[union-attr]
    done = await device.apps.act("close", {})
    assert done.done
    assert device.apps.running is None

    view = await device.apps.launch("print-cloud")
    listed = first(view, ListBox)
    assert [c.label for c in listed.items] == ["Receipts March"]
    completed = wait_event(
        device, EventKind.JOB_STATE_CHANGED, lambda e: e.subject.state is JobState.COMPLETED
    )
    view = await device.apps.act("print", {"document": "Receipts March", "copies": "2"})
    assert view.screen is not None
    assert view.screen.device is not None
    view = await device.apps.device_action(view.screen.device)
    job = (await completed).subject
    assert job.title == "Receipts March"
    assert job.pages == 2
    assert job.copies == 2
    assert view.screen is not None
    assert view.screen.elements[0].text == "Sent to the printer: see Jobs."  # type: ignore[union-attr]


async def test_an_undeclared_permission_is_refused(server, make_device):
    device = await make_device()
    await logged_in(device)
    await device.apps.launch("visitor-badge")  # declares print only
    jobs_before = len(device.jobs.all())
    view = await device.apps.device_action(DeviceRequest("scan", "printed"))
    assert view.notice == "Visitor badge may not scan: refused."
    view = await device.apps.device_action(DeviceRequest("user", "printed"))
    assert "may not read who you are" in view.notice
    assert len(device.jobs.all()) == jobs_before
    device.trace.flush()
    refused = [
        r["permission"] for r in records(device.trace.path) if r["event"] == "permission-refused"
    ]
    assert refused == ["scan", "user"]


@pytest.mark.parametrize(
    "document",
    [b"%PDF-1.7 not really", b"%PDF", b"<html>a page</html>", b""],
    ids=["broken-pdf", "bare-header", "html", "empty"],
)
async def test_a_print_request_without_a_readable_pdf_is_answered_not_a_pdf(
    server, make_device, document
):
    device = await make_device()
    await logged_in(device)
    await device.apps.launch("visitor-badge")  # declares print
    jobs_before = len(device.jobs.all())
    sent = []
    original = device.apps.act

    async def act(action, values):
        sent.append(values)
        return await original(action, values)

    device.apps.act = act  # type: ignore[method-assign]
    encoded = base64.b64encode(document).decode()
    view = await device.apps.device_action(DeviceRequest("print", "printed", document=encoded))
    assert sent == [{"ok": False, "error": "not_a_pdf"}]
    assert view.launch_id
    assert len(device.jobs.all()) == jobs_before


async def test_a_malformed_screen_is_an_error_view_naming_the_app(server, make_device, tmp_path):
    app, url = await _external(tmp_path, screen={"format": 1, "title": 5, "elements": []})
    try:
        await _register(server, url)
        device = await make_device()
        await logged_in(device)
        await until(
            lambda: any(a.app_id == "visitor-log" for a in device.apps.apps()), what="cache"
        )
        view = await device.apps.launch("visitor-log")
        assert view.screen is None
        assert view.name == "Visitor log"
        assert "screen.title must be a string" in view.error
    finally:
        await app.stop()


async def test_a_large_screen_arrives_whole(server, make_device, tmp_path):
    # An image of 400 KB (the format allows 512 KB) comes in many reads: the host used to keep
    # the first read's bytes only and call the screen "not JSON".
    src = "data:image/png;base64," + "A" * 400_000
    big = {"format": 1, "title": "Visitor log", "elements": [{"type": "image", "src": src}]}
    app, url = await _external(tmp_path, screen=big)
    try:
        await _register(server, url)
        device = await make_device()
        await logged_in(device)
        await until(
            lambda: any(a.app_id == "visitor-log" for a in device.apps.apps()), what="cache"
        )
        view = await device.apps.launch("visitor-log")
        assert first(view, ImageElement).src == src
    finally:
        await app.stop()


@pytest.mark.realtime
async def test_a_hung_app_times_out_and_the_device_stays_usable(server, make_device, tmp_path):
    app, url = await _external(tmp_path, hang=True)
    try:
        await _register(server, url)
        device = await make_device()
        await logged_in(device)
        await until(
            lambda: any(a.app_id == "visitor-log" for a in device.apps.apps()), what="cache"
        )
        started = time.monotonic()
        with pytest.raises(AppUnavailable) as refused:
            await device.apps.launch("visitor-log")
        assert time.monotonic() - started < 2.5
        assert refused.value.message == "The app did not answer in time. Try again later."
        # The device goes on: another app launches at once.
        view = await device.apps.launch("visitor-badge")
        assert view.screen is not None
    finally:
        await app.stop()


@pytest.mark.realtime
async def test_the_server_stopped_mid_app_ends_within_the_deadline(server, make_device):
    device = await make_device()
    await logged_in(device)
    await device.apps.launch("visitor-badge")
    await server.stop()
    started = time.monotonic()
    with pytest.raises(AppUnavailable):
        await device.apps.act("preview", {"name": "Grace"})
    assert time.monotonic() - started <= 2.1


async def test_an_external_app_is_registered_listed_and_launched(server, make_device, tmp_path):
    app, url = await _external(tmp_path)
    try:
        manifest = await _register(server, url)
        assert manifest.url == url.rstrip("/")
        device = await make_device()
        await logged_in(device)
        await until(
            lambda: any(a.app_id == "visitor-log" for a in device.apps.apps()), what="cache"
        )
        view = await device.apps.launch("visitor-log")
        assert first(view, Button).label == "Sign in"
        # Declared "user": the app was told who is at the panel.
        assert app.calls[-1]["user"] == {"id": ALICE, "name": "Alice Martin"}
    finally:
        await app.stop()


async def test_a_declared_user_action_tells_the_app_who_is_at_the_panel(
    server, make_device, tmp_path
):
    app, url = await _external(tmp_path)  # declares "user"
    try:
        await _register(server, url)
        device = await make_device()
        await logged_in(device)
        await until(
            lambda: any(a.app_id == "visitor-log" for a in device.apps.apps()), what="cache"
        )
        await device.apps.launch("visitor-log")
        view = await device.apps.device_action(DeviceRequest("user", "who"))
        assert view.notice == ""
        call = app.calls[-1]
        assert (call["event"], call["action"]) == ("action", "who")
        assert call["values"] == {"ok": True, "user_id": ALICE, "user_name": "Alice Martin"}
    finally:
        await app.stop()


async def test_the_server_lists_its_apps_in_its_api_and_only_an_admin_registers(server, tmp_path):
    app, url = await _external(tmp_path)

    def basic(user: str, pin: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{pin}".encode()).decode()}

    admin = basic("9000", "9999")
    try:
        async with aiohttp.ClientSession() as http:
            register = f"{server.url}{API}/apps"
            async with http.post(register, json={"url": url}, headers=basic(ALICE, ALICE_PIN)) as r:
                assert r.status == 403
            async with http.post(register, json={"url": url}, headers=admin) as r:
                assert r.status == 201, await r.text()
            async with http.get(register, headers=basic(ALICE, ALICE_PIN)) as r:
                assert r.status == 200
                listed = {a["app_id"]: a for a in (await r.json())["apps"]}
    finally:
        await app.stop()
    assert set(listed) == {"cloud-folder", "print-cloud", "visitor-badge", "visitor-log"}
    assert listed["visitor-log"]["url"] == url.rstrip("/")
    assert listed["visitor-log"]["permissions"] == ["user"]


async def test_an_admin_only_app_is_hidden_and_refused_for_a_user_online_and_offline(
    server, make_device, tmp_path
):
    """Roles: a user neither sees an admin-only app nor launches it (403, traced), an admin
    does both; the list kept for offline work is filtered the same way."""
    app, url = await _external(tmp_path, roles=["admin"])
    try:
        manifest = await _register(server, url)
        assert manifest.roles == ["admin"]
        device = await make_device()
        await logged_in(device)
        await until(
            lambda: any(a.app_id == "visitor-log" for a in device.cache.apps()), what="cache"
        )
        assert "visitor-log" not in {a.app_id for a in device.apps.apps()}
        assert "visitor-badge" in {a.app_id for a in device.apps.apps()}
        with pytest.raises(AppUnavailable) as refused:
            await device.apps.launch("visitor-log")  # a device that skips its filter
        assert refused.value.code == "role_not_allowed"
        assert refused.value.message == "Visitor log is for admin users only; 1001 is user."
        assert app.calls == []
        trace = server.app[trace_key]
        trace.flush()
        assert [r["user_id"] for r in records(trace.path) if r["event"] == "launch-refused"] == [
            ALICE
        ]

        device.logout()
        assert (await device.login("9000", "9999")).ok
        assert "visitor-log" in {a.app_id for a in device.apps.apps()}
        view = await device.apps.launch("visitor-log")
        assert first(view, Button).label == "Sign in"
        device.apps.leave()
        device.logout()

        await server.stop()
        if device.connection_state is ConnectionState.ONLINE:
            await wait_event(
                device,
                EventKind.CONNECTION_CHANGED,
                lambda e: e.subject is not ConnectionState.ONLINE,
            )
        assert (await device.login(ALICE, ALICE_PIN)).ok  # offline, from the cache
        offline = {a.app_id: a for a in device.apps.apps()}
        assert "visitor-log" not in offline
        assert not offline["visitor-badge"].available
        device.logout()
        assert (await device.login("9000", "9999")).ok
        assert "visitor-log" in {a.app_id for a in device.apps.apps()}
    finally:
        await app.stop()


async def test_add_app_roles_replace_the_manifests(
    server, make_device, tmp_path, monkeypatch, capsys
):
    """`mfp-panel server add-app URL --roles admin`: the administrator's roles win over the
    manifest's (none here), and the device's cached list carries them."""
    app, url = await _external(tmp_path)
    try:
        monkeypatch.setenv("MFP_ADMIN_PIN", "9999")
        args = build_parser().parse_args(["server", "add-app", url, "--roles", "admin"])
        assert await add_app(server.url, "9000", args.url, args.roles) == 0
        assert "; for admin" in capsys.readouterr().out
        device = await make_device()
        await logged_in(device)
        await until(lambda: any(a.app_id == "visitor-log" for a in device.cache.apps()), what="c")
        (cached,) = [a for a in device.cache.apps() if a.app_id == "visitor-log"]
        assert cached.roles == ["admin"]
        assert "visitor-log" not in {a.app_id for a in device.apps.apps()}
    finally:
        await app.stop()


# ---- a small external app in this process (examples/ has the real one, run as a process) ----


class _App:
    def __init__(self, runner: web.AppRunner, site: OwnedSite) -> None:
        self.runner, self.site, self.calls = runner, site, []  # type: list[dict[str, Any]]

    async def stop(self) -> None:
        await self.runner.cleanup()


async def _external(
    tmp_path: Path,
    screen: dict[str, Any] | None = None,
    hang: bool = False,
    roles: list[str] | None = None,
) -> tuple[_App, str]:
    import socket

    holder: list[_App] = []
    release = asyncio.Event()

    async def manifest(_: web.Request) -> web.Response:
        return web.json_response(
            {
                "app_id": "visitor-log",
                "name": "Visitor log",
                "description": "Sign visitors in",
                "permissions": ["user"],
                **({} if roles is None else {"roles": roles}),
            }
        )

    async def session(request: web.Request) -> web.Response:
        holder[0].calls.append(await request.json())
        if hang:
            await release.wait()
        return web.json_response(
            screen
            or {
                "format": 1,
                "title": "Visitor log",
                "elements": [{"type": "button", "action": "in", "label": "Sign in"}],
            }
        )

    webapp = web.Application()
    webapp.router.add_get("/manifest.json", manifest)
    webapp.router.add_post("/session", session)

    async def unblock(_: web.Application) -> None:
        release.set()

    webapp.on_shutdown.append(unblock)
    runner = web.AppRunner(webapp, shutdown_timeout=0.5)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))
    site = OwnedSite(runner, sock)
    await site.start()
    app = _App(runner, site)
    holder.append(app)
    return app, f"http://127.0.0.1:{sock.getsockname()[1]}/"


async def _register(server, url: str) -> AppManifest:
    return await server.app[host_key].register(url)


async def test_the_example_app_runs_as_its_own_process_registered_by_the_cli(
    server, make_device, monkeypatch, capsys
):
    """examples/room_booking_app.py in a separate process, registered with
    `mfp-panel server add-app URL` (its function here), launched from a device and used."""
    example = EXAMPLE
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(example), "--port", "0", stdout=asyncio.subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        url = line.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:")
        monkeypatch.setenv("MFP_ADMIN_PIN", "9999")
        assert await add_app(server.url, "9000", url) == 0
        assert "app room-booking (Book a room) registered" in capsys.readouterr().out
        device = await make_device()
        await logged_in(device)
        await until(
            lambda: any(a.app_id == "room-booking" for a in device.apps.apps()), what="cache"
        )
        view = await device.apps.launch("room-booking")
        assert view.screen is not None
        view = await device.apps.act("book", {"room": "elm", "slot": "10:00", "hours": "2"})
        assert view.screen is not None
        assert view.screen.elements[0].text == "Elm (10) is yours, Alice Martin."  # type: ignore[union-attr]
        done = await device.apps.act("close", {})
        assert done.done
        device.apps.set_language("ja")  # the example answers in the panel's language too
        view = await device.apps.launch("room-booking")
        assert view.screen is not None
        assert view.screen.title == "会議室の予約"
        assert (await device.apps.act("close", {})).done
    finally:
        proc.terminate()
        await proc.wait()


async def test_a_built_in_app_answers_in_the_panels_language(server, make_device):
    """Issue 19: a Japanese panel gets the built-in apps in Japanese (list, screens, buttons),
    a switch mid-app gives the next screen in the new language; the data stays as it is."""
    device = await make_device()
    await logged_in(device)
    apps = device.apps
    apps.set_language("ja")
    assert await apps.refresh_labels()
    names = {a.app_id: (a.name, a.description) for a in apps.apps()}
    assert names["visitor-badge"] == ("来客用バッジ", "来客の情報を入力してバッジを印刷します")
    assert names["cloud-folder"][0] == "クラウドフォルダーへスキャン"
    view = await apps.launch("visitor-badge")
    assert view.screen is not None, view.error
    assert (view.name, view.screen.title) == ("来客用バッジ", "来客用バッジ")
    assert view.screen.elements[0].text == "本日のご来客はどなたですか?"
    buttons = [e for e in view.screen.elements if isinstance(e, Button)]
    assert [(b.action, b.label) for b in buttons] == [("preview", "次へ"), ("close", "閉じる")]
    view = await apps.act("preview", {"name": "Bob", "host": "it"})
    confirm = first(view, Confirm)
    assert confirm.text == "Bob 様（訪問先: IT デスク）のバッジを印刷しますか?"  # noqa: RUF001
    assert (confirm.yes, confirm.yes_label) == ("print", "バッジを印刷")
    apps.set_language("en")  # switched at the panel while the app is open
    view = await apps.act("edit", {})
    assert view.name == "Visitor badge"
    assert first(view, Button).label == "Continue"
    apps.set_language("pseudo")  # no language an app is told about: English
    assert apps.language == "en"
    apps.leave()


async def test_a_device_that_sends_no_language_gets_english(server, make_device):
    device = await make_device()
    await logged_in(device)
    assert not await device.apps.refresh_labels()  # English: nothing to ask
    view = await device.apps.launch("cloud-folder")
    assert view.screen is not None, view.error
    assert view.screen.title == "Scan to cloud folder"
    assert [b.label for b in view.screen.elements if isinstance(b, Button)] == ["Scan", "Close"]
    device.apps.leave()


async def test_an_external_app_is_told_the_panels_language(server, make_device, tmp_path):
    app, url = await _external(tmp_path)
    try:
        await _register(server, url)
        device = await make_device()
        await logged_in(device)
        device.apps.set_language("ja")
        view = await device.apps.launch("visitor-log")
        assert view.screen is not None, view.error
        await device.apps.act("in", {})
        device.apps.leave()
    finally:
        await app.stop()
    assert [c["language"] for c in app.calls[:2]] == ["ja", "ja"]


async def test_the_list_in_a_language_over_the_api(server):
    auth = {"Authorization": "Basic " + base64.b64encode(f"{ALICE}:{ALICE_PIN}".encode()).decode()}
    async with aiohttp.ClientSession() as http:
        listed = {}
        for language in ("ja", "en"):
            async with http.get(f"{server.url}{API}/apps?language={language}", headers=auth) as r:
                assert r.status == 200
                listed[language] = {a["app_id"]: a["name"] for a in (await r.json())["apps"]}
        async with http.get(f"{server.url}{API}/apps?language=xx", headers=auth) as r:
            assert r.status == 400
    assert listed["ja"]["print-cloud"] == "クラウドから印刷"
    assert listed["en"]["print-cloud"] == "Print from cloud"
