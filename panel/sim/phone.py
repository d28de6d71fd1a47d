"""The phone simulator (S7): a small aiohttp service with a phone-shaped web page.

The page (resources/phone/, open it in any browser) shows a gallery; the user picks one image
or several and the phone shows a QR code (panel/protocol/qr.py) holding its address, the share's
id, a one-time token and its expiry. The device's camera reads it and fetches each page of the
share once with that token:

    GET  /                       the phone's page (its own screen: loopback callers only)
    GET  /api/gallery            the images and the QR on screen now        (loopback only)
    GET  /gallery/{image_id}     an image for the gallery's thumbnails      (loopback only)
    POST /api/share {"ids": []}  show a QR for these images                 (loopback only)
    GET  /api/screen.png         the phone's screen (the QR) as a camera would see it
    GET  /s/{share_id}/{page}?t=TOKEN   the device's fetch: the page's bytes with their
                                 Content-Type and Content-Length, `X-Share-Pages`; each page
                                 once per token (410 "used"), never after expiry (410 "expired")

Expiry comes from the phone's clock (the device clock type), so tests step it.
"""

from __future__ import annotations

import asyncio
import io
import ipaddress
import json
import secrets
import signal
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import segno
from aiohttp import web

from panel.device.clock import Clock
from panel.listener import OwnedSite, stop_serving
from panel.paths import resources_dir
from panel.protocol.qr import QrPayload

DEFAULT_TTL = 120.0  # seconds a QR stays valid
MAX_SHARE = 8  # images in one share
IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
PHONE_LISTENING = "mfp-panel phone: page on "


@dataclass(frozen=True, slots=True)
class PhoneImage:
    image_id: str
    name: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class Share:
    share_id: str
    images: list[PhoneImage]
    payload: QrPayload
    served: set[int] = field(default_factory=set)  # pages fetched with the token

    @property
    def text(self) -> str:
        return self.payload.encode()


def sniff(data: bytes) -> str | None:
    """An image's content type by its first bytes (JPEG, PNG), None for anything else."""
    for magic, kind in IMAGE_TYPES.items():
        if data.startswith(magic):
            return kind
    return None


def load_images(folder: Path) -> list[PhoneImage]:
    """The JPEG and PNG files of `folder` (by their bytes, not their names), sorted by name."""
    images: list[PhoneImage] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.stat().st_size > 50 * 1024 * 1024:
            continue
        data = path.read_bytes()
        kind = sniff(data)
        if kind is not None:
            images.append(PhoneImage(f"p{len(images) + 1}", path.name, kind, data))
    return images


def sample_images() -> list[PhoneImage]:
    """A camera roll for demos: a few generated landscapes, drawn at start (no files shipped;
    no text: the bundle leaves Pillow's FreeType out)."""
    from PIL import Image, ImageDraw

    samples = [
        ("Harbour at dusk.jpg", (22, 60, 110), (250, 160, 90)),
        ("Morning fog.jpg", (235, 235, 228), (160, 170, 180)),
        ("Lake.jpg", (240, 244, 250), (60, 110, 170)),
        ("Sunset.png", (250, 220, 140), (200, 70, 60)),
        ("Meadow.jpg", (120, 180, 230), (70, 140, 60)),
    ]
    images = []
    for index, (name, top, bottom) in enumerate(samples, 1):
        width, height = 1200, 900
        fade = Image.linear_gradient("L").resize((width, height))
        image = Image.composite(
            Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), fade
        )
        draw = ImageDraw.Draw(image)
        draw.ellipse((760, 120, 980, 340), fill=(255, 230, 140))
        draw.polygon([(0, 900), (420, 520), (800, 900)], fill=(40, 70, 60))
        out = io.BytesIO()
        if name.endswith(".png"):
            image.save(out, "PNG")
            kind = "image/png"
        else:
            image.save(out, "JPEG", quality=88)
            kind = "image/jpeg"
        images.append(PhoneImage(f"p{index}", name, kind, out.getvalue()))
    return images


def qr_svg(text: str) -> str:
    return str(
        segno.make(text, error="m").svg_inline(scale=8, border=4, dark="#111", omitsize=True)
    )


def qr_png(text: str, scale: int = 10) -> bytes:
    """The QR as the phone's screen shows it (black on white, a quiet zone of 4 modules)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


class PhoneSim:
    """The simulated phone: its gallery, the share on screen, and its HTTP service."""

    def __init__(
        self,
        images: Sequence[PhoneImage] | None = None,
        clock: Clock | None = None,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        self.images = list(images) if images is not None else sample_images()
        self.clock = clock or Clock()
        self.ttl = ttl
        self.current: Share | None = None
        self._shares: dict[str, Share] = {}
        self._runner: web.AppRunner | None = None
        self._site: OwnedSite | None = None
        self.host = "127.0.0.1"
        self.port = 0
        self.fetches = 0  # pages served to devices

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def image(self, image_id: str) -> PhoneImage | None:
        return next((i for i in self.images if i.image_id == image_id), None)

    def share(self, image_ids: Sequence[str]) -> Share:
        """Show a QR for these images (one share, pages in this order); the old one ends."""
        if not 1 <= len(image_ids) <= MAX_SHARE:
            raise ValueError(f"share 1 to {MAX_SHARE} images")
        chosen = [self.image(i) for i in image_ids]
        if any(c is None for c in chosen):
            raise ValueError("no such image")
        share_id = secrets.token_urlsafe(6)
        expires = int(self.clock.time() + self.ttl)
        token = secrets.token_urlsafe(16)
        payload = QrPayload(self.host, self.port, share_id, token, expires)
        share = Share(share_id, [c for c in chosen if c is not None], payload)
        self._shares = {k: s for k, s in self._shares.items() if s.payload.expires > self.now()}
        self._shares[share_id] = share
        self.current = share
        return share

    def now(self) -> float:
        return self.clock.time()

    def screen_png(self) -> bytes | None:
        """What the phone's screen shows to a camera: the current QR, None when none."""
        return qr_png(self.current.text) if self.current is not None else None

    # -- HTTP --------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024)
        app.router.add_get("/", self._page)
        app.router.add_get("/phone.css", self._asset)
        app.router.add_get("/phone.js", self._asset)
        app.router.add_get("/api/gallery", self._gallery)
        app.router.add_get("/gallery/{image_id}", self._thumb)
        app.router.add_post("/api/share", self._share)
        app.router.add_get("/api/screen.png", self._screen)
        app.router.add_get("/s/{share_id}/{page}", self._fetch)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on host:port (0: a free port); returns the page's URL."""
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        try:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            sock = socket.create_server((host, port), family=family)
            self._site = OwnedSite(self._runner, sock)
            await self._site.start()
        except BaseException:
            await stop_serving(self._runner, [self._site] if self._site else [])
            self._runner = None
            raise
        self.host = host if host not in ("0.0.0.0", "::") else _lan_address()
        self.port = sock.getsockname()[1]
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await stop_serving(self._runner, [self._site] if self._site else [])
            self._runner = self._site = None

    @staticmethod
    def _own_screen(request: web.Request) -> None:
        """The gallery and the share API are the phone's own screen: callers on this machine only
        (loopback, or the address the phone listens on calling itself)."""
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        here = str(sockname[0]) if sockname else ""
        try:
            local = ipaddress.ip_address(request.remote or "").is_loopback or request.remote == here
        except ValueError:
            local = False
        if not local:
            raise web.HTTPForbidden(text="the phone's own screen only")

    async def _page(self, request: web.Request) -> web.StreamResponse:
        self._own_screen(request)
        return web.FileResponse(resources_dir() / "phone" / "index.html")

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        self._own_screen(request)
        return web.FileResponse(resources_dir() / "phone" / request.path.lstrip("/"))

    async def _gallery(self, request: web.Request) -> web.Response:
        self._own_screen(request)
        return web.json_response(
            {
                "images": [
                    {"id": i.image_id, "name": i.name, "type": i.content_type, "size": len(i.data)}
                    for i in self.images
                ],
                "current": self._share_json(self.current) if self.current else None,
            }
        )

    async def _thumb(self, request: web.Request) -> web.Response:
        self._own_screen(request)
        image = self.image(request.match_info["image_id"])
        if image is None:
            raise web.HTTPNotFound()
        return web.Response(body=image.data, content_type=image.content_type)

    async def _share(self, request: web.Request) -> web.Response:
        self._own_screen(request)
        try:
            body: Any = json.loads(await request.read())
            ids = body["ids"]
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise ValueError("ids: a list of image ids")
            share = self.share(ids)
        except (ValueError, KeyError, TypeError) as exc:
            return web.json_response({"error": str(exc) or "bad request"}, status=400)
        return web.json_response(self._share_json(share))

    def _share_json(self, share: Share) -> dict[str, Any]:
        return {
            "payload": share.text,
            "svg": qr_svg(share.text),
            "expires": share.payload.expires,
            "now": self.now(),
            "names": [i.name for i in share.images],
        }

    async def _screen(self, request: web.Request) -> web.Response:
        png = self.screen_png()
        if png is None:
            raise web.HTTPNotFound(text="no QR on the phone's screen")
        return web.Response(body=png, content_type="image/png")

    async def _fetch(self, request: web.Request) -> web.Response:
        share = self._shares.get(request.match_info["share_id"])
        page = request.match_info["page"]
        token = request.query.get("t", "")
        if share is None or not page.isdigit() or int(page) >= len(share.images):
            return _refuse(404, "unknown", "no such share or page")
        if not secrets.compare_digest(token.encode(), share.payload.token.encode()):
            return _refuse(403, "token", "wrong token")
        if self.now() >= share.payload.expires:
            return _refuse(410, "expired", "this QR code has expired")
        if int(page) in share.served:
            return _refuse(410, "used", "this QR code was used already")
        share.served.add(int(page))
        self.fetches += 1
        image = share.images[int(page)]
        return web.Response(
            body=image.data,
            content_type=image.content_type,
            headers={"X-Share-Pages": str(len(share.images)), "X-Image-Name": _ascii(image.name)},
        )


def _refuse(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


def _ascii(name: str) -> str:
    return name.encode("ascii", "replace").decode()[:100]


def _lan_address() -> str:
    """This machine's address on its LAN (the route a UDP socket would take; nothing is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.168.0.1", 9))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


async def serve(images: Path | None, host: str, port: int) -> int:
    """`mfp-panel phone`: serve until SIGINT/SIGTERM."""
    phone = PhoneSim(load_images(images) if images else None)
    if not phone.images:
        print(f"mfp-panel phone: no JPEG or PNG images in {images}")
        return 2
    url = await phone.start(host, port)
    print(
        f"{PHONE_LISTENING}{url}/  ({len(phone.images)} images; open it in a browser)", flush=True
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await phone.stop()
    return 0
