"""QR connection (S7) over real sockets: the phone simulator shows a QR, a real device core's
camera reads it (zxing-cpp), fetches the share from the phone and projects it; stores it in a
box and prints it. The token works once, expiry follows the (manual) clock, a remote address
is refused without a connection, and hostile or failing phones get a clear refusal each."""

from __future__ import annotations

import asyncio
import io
import socket
import struct
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, cast

import aiohttp
import pytest
from aiohttp import web
from PIL import Image
from support import ALICE, device_config, wait_event

from panel.device import Device, EventKind
from panel.device.clock import Clock, ManualClock
from panel.device.events import EventBus
from panel.device.files import personal_box
from panel.device.qr import Degradation, QrScanner, QrState, Refusal, load_screen
from panel.protocol.qr import QrPayload
from panel.server.app import RunningServer
from panel.sim.phone import PhoneImage, PhoneSim, qr_png
from panel.trace import Trace


def photo(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def device(server: RunningServer, tmp_path, clock: ManualClock) -> AsyncIterator[Device]:
    dev = Device(device_config(server, tmp_path / "device", "Camera MFP"), clock=clock)
    await dev.start()
    yield dev
    await dev.stop()


@pytest.fixture
async def phone(clock: ManualClock) -> AsyncIterator[PhoneSim]:
    images = [
        PhoneImage("p1", "Harbour.jpg", "image/jpeg", photo((800, 600), (20, 60, 110))),
        PhoneImage("p2", "Receipt.jpg", "image/jpeg", photo((600, 900), (240, 240, 240))),
    ]
    sim = PhoneSim(images, clock=clock, ttl=120)
    await sim.start("127.0.0.1", 0)
    yield sim
    await sim.stop()


def screen_of(phone: PhoneSim) -> Image.Image:
    shown = phone.screen_png()
    assert shown is not None
    return load_screen(shown)


async def test_a_qr_on_the_phone_is_read_fetched_projected_and_stored(
    device: Device, phone: PhoneSim
) -> None:
    share = phone.share(["p1", "p2"])
    seen: list[QrState] = []
    device.events.subscribe(lambda e: seen.append(e.subject.state), EventKind.QR_CHANGED)

    status = await device.qr.see(screen_of(phone), Degradation(rotation=20, blur=1))

    assert status.state is QrState.PROJECTED, status.message
    assert [p.name for p in status.pages] == ["Harbour.jpg", "Receipt.jpg"]
    assert [(p.width, p.height) for p in status.pages] == [(800, 600), (600, 900)]
    assert status.pages[0].data == phone.images[0].data
    assert status.payload == share.payload
    assert status.frame.startswith(b"\x89PNG")
    assert seen[0] is QrState.READING
    assert QrState.FETCHING in seen
    assert seen[-1] is QrState.PROJECTED

    stored = await device.qr.store_projection(ALICE, personal_box(ALICE))
    assert [s.meta.name for s in stored] == ["Harbour.jpg", "Receipt.jpg"]
    assert device.files.content_path(stored[1].meta.file_id).read_bytes() == phone.images[1].data

    job = device.qr.print_projection(ALICE)
    assert job.pages == 2
    assert device.jobs.get(job.job_id) is not None


async def test_a_reused_token_is_refused_by_the_device_and_by_the_phone(
    device: Device, phone: PhoneSim, server: RunningServer, tmp_path, clock: ManualClock
) -> None:
    phone.share(["p1"])
    screen = screen_of(phone)
    assert (await device.qr.see(screen)).state is QrState.PROJECTED

    again = await device.qr.see(screen)
    assert again.refusal is Refusal.USED
    assert "used already" in again.message

    # Another device holding up the same QR: the phone itself refuses the token's second use.
    other = Device(device_config(server, tmp_path / "other", "Other MFP"), clock=clock)
    await other.start()
    try:
        refused = await other.qr.see(screen)
    finally:
        await other.stop()
    assert refused.refusal is Refusal.USED
    assert phone.fetches == 1


async def test_an_expired_qr_is_refused_on_the_clock(
    device: Device, phone: PhoneSim, clock: ManualClock
) -> None:
    phone.share(["p1"])
    clock.advance(121)
    status = await device.qr.see(screen_of(phone))
    assert status.refusal is Refusal.EXPIRED
    assert "expired" in status.message
    assert phone.fetches == 0


async def test_a_faster_demo_clock_does_not_expire_a_fresh_qr() -> None:
    # `demo --clock-scale 10`: the device's clock runs ahead of the phone's real one; a QR's
    # expiry is the phone's wall time and is checked against real time (it used to be the
    # device's, and every QR was "expired" some seconds into a faster demo).
    phone = PhoneSim([PhoneImage("p1", "One.jpg", "image/jpeg", photo((64, 48), (9, 9, 9)))])
    await phone.start("127.0.0.1", 0)
    fast = Clock(scale=1e9)  # a microsecond of real time is a quarter of an hour here
    scanner = QrScanner(EventBus(), Trace(None), fast, cast(Any, None), cast(Any, None))
    try:
        expires = phone.share(["p1"]).payload.expires
        status = await scanner.see(screen_of(phone))
    finally:
        await scanner.stop()
        await phone.stop()
    assert fast.time() > expires  # by the device's own clock, long expired
    assert status.state is QrState.PROJECTED, status.message


async def test_a_remote_address_is_refused_without_a_connection(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("the device opened an HTTP session to a remote address")

    monkeypatch.setattr(aiohttp, "ClientSession", no_connection)
    payload = QrPayload("8.8.8.8", 8640, "s1", "A" * 22, 2_000_000_000)
    status = await device.qr.see(load_screen(qr_png(payload.encode())))
    assert status.refusal is Refusal.REMOTE_ADDRESS
    assert "8.8.8.8" in status.message
    assert "outside the local network" in status.message
    device.trace.flush()
    trace = device.trace.path.read_text().replace(" ", "")
    assert '"reason":"remote_address"' in trace
    assert '"event":"fetch"' not in trace


async def test_a_foreign_qr_and_an_empty_frame_are_refused(device: Device) -> None:
    status = await device.qr.see(load_screen(qr_png("https://example.com/win-a-prize")))
    assert status.refusal is Refusal.NOT_OURS
    blank = Image.new("L", (300, 500), 255)
    assert (await device.qr.see(blank)).refusal is Refusal.NO_QR


async def test_a_qr_with_a_zone_in_its_address_is_refused_as_damaged(device: Device) -> None:
    # An IPv6 zone is the phone's own interface name, meaningless here; one holding URL
    # characters used to pass the address rule and reach the fetch, refused there as "the
    # phone's answer could not be read" with the token spent.
    text = "mfpqr:1/[fe80::1%@8.8.8.8]:80/s1/" + "A" * 22 + "/2000000000"
    status = await device.qr.see(load_screen(qr_png(text)))
    assert status.refusal is Refusal.MALFORMED
    assert device.qr.status.state is QrState.REFUSED


def claimed_png(width: int, height: int) -> bytes:
    """A PNG of a few bytes that claims width x height pixels (one empty row of data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = zlib.compress(b"\x00" * (width + 1))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (claimed_png(20_000, 20_000), Refusal.BOMB),  # Pillow's own bomb error
        (claimed_png(8_000, 6_000), Refusal.BOMB),  # above the camera's pixel limit
        (b"<html>not a photo</html>", Refusal.NOT_IMAGE),
    ],
    ids=["pillow-bomb", "over-the-pixel-limit", "html"],
)
async def test_a_hostile_file_held_to_the_camera_is_refused(
    device: Device, tmp_path, data: bytes, refusal: Refusal
) -> None:
    path = tmp_path / "held.png"
    path.write_bytes(data)
    status = await device.qr.see_file(path)
    assert status.refusal is refusal
    assert device.qr.status.state is QrState.REFUSED


async def test_a_phone_screen_that_is_not_an_image_is_refused(device: Device, hostile) -> None:
    async def screen(_: web.Request) -> web.Response:
        return web.Response(body=b"<html>hello</html>", content_type="image/png")

    port = await hostile(screen, "/api/screen.png")
    status = await device.qr.see_phone(f"http://127.0.0.1:{port}")
    assert status.refusal is Refusal.NOT_IMAGE
    assert device.qr.status.state is QrState.REFUSED


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def hostile() -> AsyncIterator[Callable[[Handler], Awaitable[int]]]:
    """A phone that answers the fetch with whatever a test's handler does; returns its port."""
    runners: list[web.AppRunner] = []

    async def serve(handler: Handler, route: str = "/s/{share}/{page}") -> int:
        app = web.Application()
        app.router.add_get(route, handler)
        runner = web.AppRunner(app, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        return int(runner.addresses[0][1])

    yield serve
    for runner in runners:
        await runner.cleanup()


def payload_for(port: int) -> Image.Image:
    text = QrPayload("127.0.0.1", port, "s1", "A" * 22, 1_767_261_600 + 600).encode()
    return load_screen(qr_png(text))


async def test_an_html_page_sent_as_an_image_is_refused(device: Device, hostile) -> None:
    async def html(request: web.Request) -> web.Response:
        return web.Response(body=b"<html><body>Login</body></html>", content_type="image/jpeg")

    status = await device.qr.see(payload_for(await hostile(html)))
    assert status.refusal is Refusal.NOT_IMAGE


async def test_a_redirect_is_not_followed(device: Device, hostile) -> None:
    # A phone may not send the device on to another address (the local-address rule).
    followed: list[str] = []

    async def elsewhere(request: web.Request) -> web.Response:
        followed.append(request.path)
        return web.Response(body=photo((10, 10), (0, 0, 0)), content_type="image/jpeg")

    target = await hostile(elsewhere)

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://127.0.0.1:{target}/s/s1/0")

    status = await device.qr.see(payload_for(await hostile(redirect)))
    assert status.refusal is Refusal.REFUSED
    assert "HTTP 302" in status.message
    assert followed == []


@pytest.mark.parametrize("pages", ["0", "9", "-1", "two", ""])
async def test_a_damaged_page_count_is_refused(device: Device, hostile, pages: str) -> None:
    async def counted(request: web.Request) -> web.Response:
        body = photo((10, 10), (0, 0, 0))
        headers = {"X-Share-Pages": pages}
        return web.Response(body=body, content_type="image/jpeg", headers=headers)

    status = await device.qr.see(payload_for(await hostile(counted)))
    assert status.refusal is Refusal.MALFORMED
    assert "page count" in status.message


async def test_an_error_page_from_the_phone_is_a_refusal(device: Device, hostile) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500, body=b"<html>oops</html>", content_type="text/html")

    status = await device.qr.see(payload_for(await hostile(broken)))
    assert status.refusal is Refusal.REFUSED
    assert "HTTP 500" in status.message


async def test_a_wrong_content_type_is_refused(device: Device, hostile) -> None:
    async def text(request: web.Request) -> web.Response:
        return web.Response(text="hello", content_type="text/plain")

    status = await device.qr.see(payload_for(await hostile(text)))
    assert status.refusal is Refusal.WRONG_TYPE


async def test_an_oversized_image_is_refused_while_it_streams(device: Device, hostile) -> None:
    device.qr.max_bytes = 1024 * 1024
    sent: list[int] = []

    async def huge(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "image/jpeg"})  # no length declared
        await resp.prepare(request)
        try:
            for _ in range(64):
                await resp.write(b"\xff\xd8\xff" + b"\0" * (64 * 1024))
                sent.append(1)
        except (ConnectionError, OSError):
            pass
        return resp

    status = await device.qr.see(payload_for(await hostile(huge)))
    assert status.refusal is Refusal.TOO_LARGE
    assert "1 MB" in status.message


async def test_a_declared_oversized_image_is_refused_before_its_body(
    device: Device, hostile
) -> None:
    device.qr.max_bytes = 1024 * 1024

    async def declared(request: web.Request) -> web.Response:
        return web.Response(
            body=b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024), content_type="image/jpeg"
        )

    status = await device.qr.see(payload_for(await hostile(declared)))
    assert status.refusal is Refusal.TOO_LARGE


async def test_a_phone_going_away_mid_transfer_is_refused(device: Device, hostile) -> None:
    async def cut(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(
            headers={"Content-Type": "image/jpeg", "Content-Length": "500000"}
        )
        await resp.prepare(request)
        await resp.write(b"\xff\xd8\xff" + b"\0" * 1000)
        assert request.transport is not None
        request.transport.abort()
        return resp

    status = await device.qr.see(payload_for(await hostile(cut)))
    assert status.refusal is Refusal.CUT_OFF
    assert "went away" in status.message


@pytest.mark.realtime
async def test_a_slow_phone_times_out(device: Device, hostile) -> None:
    device.qr.timeout = 0.5
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response(body=b"", content_type="image/jpeg")

    try:
        status = await device.qr.see(payload_for(await hostile(slow)))
    finally:
        release.set()
    assert status.refusal is Refusal.TIMEOUT


async def test_an_unreachable_phone_is_refused(device: Device) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = await device.qr.see(payload_for(port))
    assert status.refusal is Refusal.UNREACHABLE
    # Nothing was served: the same QR may be held up again (not "used already").
    assert (await device.qr.see(payload_for(port))).refusal is Refusal.UNREACHABLE


async def test_what_is_held_to_the_camera_now_replaces_what_was(
    device: Device, phone: PhoneSim
) -> None:
    phone.share(["p1"])
    states: list[QrState] = []
    device.events.subscribe(lambda e: states.append(e.subject.state), EventKind.QR_CHANGED)
    projected = wait_event(
        device, EventKind.QR_CHANGED, lambda e: e.subject.state is QrState.PROJECTED
    )
    device.qr.async_see(Image.new("L", (300, 500), 255))  # a blank screen, taken away at once
    device.qr.async_see(screen_of(phone))
    await projected
    assert QrState.REFUSED not in states  # the blank screen's "no QR" never came
    assert device.qr.status.state is QrState.PROJECTED
