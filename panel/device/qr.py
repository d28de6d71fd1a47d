"""The camera scanner's QR connection (S7): see a phone's screen, read its QR, fetch, project.

The camera is simulated but the decoding is real: the device "sees" an image (a phone
simulator's screen or any image file), optionally degraded as a hand-held phone would be
(rotation, perspective, blur, noise, glare, small in the frame), placed on a 640x480 grey
camera frame of the document stand, and `zxing-cpp` reads it. The QR's payload
(panel/protocol/qr.py) names the phone's address, a share id, a one-time token and an expiry.

The device refuses, each with a sentence for the panel and a trace entry (concern "qr"):
a QR that is not ours or is malformed, an address outside the local network (no connection is
attempted), an expired or already used token, a response too large (`max_bytes`, default
20 MB), of the wrong type, or not an image by its bytes (truncated, HTML, a decompression bomb),
a phone that is unreachable, too slow (`timeout`), or goes away mid-transfer.

For views (observe QR_CHANGED; subject: QrStatus): `async_see(screen, degradation)` starts a
scan (a new one replaces the one running), `clear()`; once projected, `print_projection(user,
options)` prints it through the engine as a local job and `await store_projection(user_id,
box_id)` stores its pages in a document box (S6).
"""

from __future__ import annotations

import asyncio
import enum
import functools
import io
import math
import random
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from panel.device.clock import Clock
from panel.device.engine.status import PrintOptions
from panel.device.events import Event, EventBus, EventKind
from panel.device.files import BoxFile, DocumentBox, FileError
from panel.device.jobs import JobManager
from panel.device.model import Job, JobKind, JobState
from panel.protocol.qr import QrPayload, QrPayloadError, decode
from panel.tasks import TaskOwner
from panel.text import marker
from panel.threads import in_thread
from panel.trace import Trace

if TYPE_CHECKING:  # Pillow, zxing-cpp and aiohttp load at the first scan (the panel paints first)
    import aiohttp
    from PIL import Image

FRAME_SIZE = (640, 480)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 15.0  # seconds for one page, connect to last byte
MAX_PIXELS = 40_000_000  # a larger image is refused as a decompression bomb
MAX_PAGES = 8
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}
_CHUNK = 64 * 1024
AGAIN = marker("Core", "Show a new QR code on the phone and try again.")


class Refusal(enum.Enum):
    """Why the device did not project what the camera saw; the value is the trace code."""

    NO_QR = "no_qr"
    NOT_OURS = "not_ours"
    MALFORMED = "malformed"
    VERSION = "version"
    REMOTE_ADDRESS = "remote_address"
    EXPIRED = "expired"
    USED = "used"
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"
    NOT_IMAGE = "not_image"
    BOMB = "bomb"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    CUT_OFF = "cut_off"
    REFUSED = "refused"


class QrRefused(Exception):
    def __init__(self, refusal: Refusal, message: str) -> None:
        super().__init__(message)
        self.refusal = refusal
        self.message = message


class QrState(enum.Enum):
    IDLE = "idle"
    READING = "reading"  # decoding the camera frame
    FETCHING = "fetching"
    PROJECTED = "projected"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Degradation:
    """How badly the phone is held: each 0 is a perfect, square-on, sharp, lit screen."""

    rotation: float = 0.0  # degrees
    perspective: float = 0.0  # 0..0.9: the far edge shrinks by this fraction
    blur: float = 0.0  # Gaussian radius in frame pixels
    noise: float = 0.0  # standard deviation in grey levels (0..255)
    glare: float = 0.0  # 0..1: a bright spot washing over the screen
    scale: float = 0.8  # the screen's height as a fraction of the frame's

    @classmethod
    def strength(cls, level: float, kinds: set[str]) -> Degradation:
        """A degradation of `level` (0..1) for the named kinds, for the dock's one slider."""
        level = max(0.0, min(1.0, level))
        return cls(
            rotation=45.0 * level if "rotation" in kinds else 0.0,
            perspective=0.8 * level if "perspective" in kinds else 0.0,
            blur=6.0 * level if "blur" in kinds else 0.0,
            noise=120.0 * level if "noise" in kinds else 0.0,
            glare=level if "glare" in kinds else 0.0,
            scale=0.8 - 0.74 * level if "small" in kinds else 0.8,
        )


@dataclass(frozen=True, slots=True)
class ProjectedPage:
    name: str
    content_type: str
    data: bytes
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class QrStatus:
    state: QrState
    message: str = ""
    frame: bytes = b""  # the camera frame (PNG) the QR was read from
    payload: QrPayload | None = None
    refusal: Refusal | None = None
    pages: tuple[ProjectedPage, ...] = ()
    received: int = 0  # bytes of the page coming in
    scan_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])


# -- the camera ---------------------------------------------------------------------------------
def camera_frame(screen: Image.Image, degradation: Degradation, seed: int = 7) -> Image.Image:
    """What the camera sees: `screen` held over the stand as `degradation` says, a 640x480 grey
    frame (deterministic for a seed, so a benchmark's set of frames is the same every run)."""
    from PIL import Image, ImageFilter

    d = degradation
    width, height = FRAME_SIZE
    shown = screen.convert("L")
    target_h = max(8, round(height * max(0.05, min(1.0, d.scale))))
    target_w = max(8, round(shown.width * target_h / shown.height))
    if target_w > width:
        target_h = round(target_h * width / target_w)
        target_w = width
    shown = shown.resize((target_w, target_h), Image.Resampling.BILINEAR)
    if d.perspective > 0:
        shown = _tilt(shown, d.perspective)
    mask = Image.new("L", shown.size, 255)
    if d.perspective > 0:
        mask = _tilt(mask, d.perspective)
    if d.rotation:
        shown = shown.rotate(d.rotation, Image.Resampling.BILINEAR, expand=True, fillcolor=0)
        mask = mask.rotate(d.rotation, Image.Resampling.BILINEAR, expand=True, fillcolor=0)
    if shown.width > width or shown.height > height:
        ratio = min(width / shown.width, height / shown.height)
        size = (max(8, int(shown.width * ratio)), max(8, int(shown.height * ratio)))
        shown, mask = shown.resize(size), mask.resize(size)
    frame = Image.new("L", FRAME_SIZE, 96)  # the stand's grey
    frame.paste(shown, ((width - shown.width) // 2, (height - shown.height) // 2), mask)
    if d.glare > 0:
        frame = _glare(frame, d.glare)
    if d.blur > 0:
        frame = frame.filter(ImageFilter.GaussianBlur(d.blur))
    if d.noise > 0:
        frame = _noise(frame, d.noise, seed)
    return frame


def _tilt(image: Image.Image, amount: float) -> Image.Image:
    """The screen seen at an angle: its top edge shorter by `amount` of its width."""
    from PIL import Image

    w, h = image.size
    inset = w * min(0.9, amount) / 2
    # Corners of the output quad in the source, for Image.transform's QUAD (UL, LL, LR, UR).
    source_quad = _inverse_quad(w, h, inset)
    return image.transform(
        (w, h), Image.Transform.PERSPECTIVE, source_quad, Image.Resampling.BILINEAR, fillcolor=0
    )


def _inverse_quad(w: int, h: int, inset: float) -> tuple[float, ...]:
    """Perspective coefficients mapping the output (a trapezoid) back to the source rectangle."""
    dst = [(inset, 0.0), (w - inset, 0.0), (w, float(h)), (0.0, float(h))]
    src = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    return tuple(_solve(rows, rhs))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8x8: no numpy for one small system)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def _glare(frame: Image.Image, strength: float) -> Image.Image:
    from PIL import Image

    w, h = frame.size
    spot = Image.radial_gradient("L").resize((w // 2, h // 2))  # 0 at the centre
    light = Image.new("L", frame.size, 0)
    light.paste(
        spot.point(lambda v: round(255 * strength * max(0.0, 1 - v / 200))), (w // 3, h // 6)
    )
    white = Image.new("L", frame.size, 255)
    return Image.composite(white, frame, light)


@functools.lru_cache(maxsize=16)
def _noise_tile(sigma: float, seed: int) -> Image.Image:
    """A 256x256 tile of Gaussian sensor noise around 128 (the same for a seed)."""
    from PIL import Image

    rng = random.Random(seed)
    noise = bytes(max(0, min(255, round(128 + rng.gauss(0, sigma)))) for _ in range(256 * 256))
    return Image.frombytes("L", (256, 256), noise)


def _noise(frame: Image.Image, sigma: float, seed: int) -> Image.Image:
    from PIL import Image, ImageChops

    tile = _noise_tile(round(sigma, 1), seed)
    field_ = Image.new("L", frame.size)
    for x in range(0, frame.width, 256):
        for y in range(0, frame.height, 256):
            field_.paste(tile, (x, y))
    return ImageChops.add(frame, field_, scale=1.0, offset=-128)


def decode_frame(frame: Image.Image) -> list[str]:
    """Every QR code's text in the frame (zxing-cpp, for real)."""
    import zxingcpp

    gray = frame if frame.mode == "L" else frame.convert("L")
    found = zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [b.text for b in found if b.valid]


def load_screen(data: bytes) -> Image.Image:
    """An image file's pixels (what is held up to the camera); QrRefused if it is not an image
    or is a decompression bomb (checked before its pixels are decoded)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise QrRefused(
                    Refusal.BOMB, f"The image is {width}x{height} pixels: too large to show."
                )
            image.load()
            return image.convert("L")
    except Image.DecompressionBombError as exc:  # Pillow's own, far above MAX_PIXELS
        raise QrRefused(Refusal.BOMB, marker("Core", "The image is too large to show.")) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise QrRefused(
            Refusal.NOT_IMAGE, marker("Core", "What was held to the camera is not an image.")
        ) from exc


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


# -- the image checks ---------------------------------------------------------------------------
def check_image(data: bytes, content_type: str) -> tuple[int, int]:
    """The image's size if `data` is a whole JPEG or PNG of that content type; QrRefused if not
    (by its bytes: an HTML page sent as image/jpeg, a truncated file, a decompression bomb)."""
    from PIL import Image

    kind = IMAGE_TYPES.get(content_type.split(";")[0].strip().lower())
    if kind is None:
        raise QrRefused(
            Refusal.WRONG_TYPE, f"The phone sent {content_type or 'something'}, not a photo."
        )
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise QrRefused(
                    Refusal.BOMB,
                    f"The image is {width}x{height} pixels: too large to project.",
                )
            image.load()
    except QrRefused:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own, far above MAX_PIXELS
        raise QrRefused(Refusal.BOMB, marker("Core", "The image is too large to project.")) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise QrRefused(
            Refusal.NOT_IMAGE,
            marker("Core", "What the phone sent is not a whole image (damaged or not a photo)."),
        ) from exc
    return width, height


# -- the scanner --------------------------------------------------------------------------------
class QrScanner:
    """The camera scanner: reads a phone's QR, fetches its images and projects them."""

    def __init__(
        self,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        jobs: JobManager,
        files: DocumentBox,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._events = events
        self._trace = trace
        # A QR's expiry is the phone's wall time: checked in real time, also in a faster demo
        # (the device's clock scaled 10x would expire every QR some seconds in).
        self._wall = clock.unscaled()
        self._jobs = jobs
        self._files = files
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._tasks = TaskOwner("qr", trace=trace)
        self._used: dict[str, int] = {}  # tokens this device fetched with -> their expiry
        self.status = QrStatus(QrState.IDLE)
        self._scan: asyncio.Task[QrStatus] | None = None

    async def stop(self) -> None:
        await self._tasks.close()

    def clear(self) -> None:
        """Take the phone away: back to an empty stand."""
        if self._scan is not None:
            self._scan.cancel()
        self._set(QrStatus(QrState.IDLE))

    def async_see(self, screen: Image.Image, degradation: Degradation | None = None) -> None:
        """Start reading `screen` held to the camera (on the loop); the result is published."""
        self._start(self.see(screen, degradation), "qr-see")

    def async_see_phone(self, phone_url: str, degradation: Degradation | None = None) -> None:
        """Hold the phone simulator at `phone_url` to the camera (its screen as it is now)."""
        self._start(self.see_phone(phone_url, degradation), "qr-see-phone")

    def async_see_file(self, path: Path, degradation: Degradation | None = None) -> None:
        """Hold any image file to the camera."""
        self._start(self.see_file(path, degradation), "qr-see-file")

    def _start(self, scan: Coroutine[Any, Any, QrStatus], name: str) -> None:
        """One scan at a time: what is held to the camera now replaces what was."""
        if self._scan is not None:
            self._scan.cancel()
        self._scan = self._tasks.spawn(scan, name)

    async def see_phone(self, phone_url: str, degradation: Degradation | None = None) -> QrStatus:
        try:
            data = await _phone_screen(phone_url)
            screen = await in_thread(load_screen, data)
        except QrRefused as refused:
            return self._refuse(refused, b"")
        return await self.see(screen, degradation)

    async def see_file(self, path: Path, degradation: Degradation | None = None) -> QrStatus:
        try:
            screen = await in_thread(_load_file, path)
        except QrRefused as refused:
            return self._refuse(refused, b"")
        return await self.see(screen, degradation)

    def _refuse(self, refused: QrRefused, frame_png: bytes) -> QrStatus:
        self._trace.emit("qr", "refused", reason=refused.refusal.value, message=refused.message)
        return self._set(
            QrStatus(QrState.REFUSED, refused.message, frame_png, refusal=refused.refusal)
        )

    async def see(self, screen: Image.Image, degradation: Degradation | None = None) -> QrStatus:
        """Camera frame -> decode -> checks -> fetch -> projected (or refused); returns the end."""
        d = degradation or Degradation()
        frame = await in_thread(camera_frame, screen, d)
        frame_png = await in_thread(png, frame)
        self._set(QrStatus(QrState.READING, "Reading the QR code...", frame_png))
        texts = await in_thread(decode_frame, frame)
        self._trace.emit("qr", "seen", codes=len(texts), degradation=_describe(d))
        try:
            if not texts:
                raise QrRefused(
                    Refusal.NO_QR,
                    marker(
                        "Core",
                        "No QR code found. Hold the phone flat, closer to the camera, out of glare.",  # noqa: E501
                    ),
                )
            payload = self.read(texts[0])
            self._set(QrStatus(QrState.FETCHING, "Connecting to the phone...", frame_png, payload))
            pages = await self.fetch(payload, frame_png)
        except QrRefused as refused:
            return self._refuse(refused, frame_png)
        names = ", ".join(p.name for p in pages)
        self._trace.emit("qr", "projected", pages=len(pages), bytes=sum(len(p.data) for p in pages))
        return self._set(
            QrStatus(
                QrState.PROJECTED,
                f"From the phone: {names}",
                frame_png,
                payload,
                pages=tuple(pages),
            )
        )

    def read(self, text: str) -> QrPayload:
        """The payload of a QR's text, checked before any connection: ours, well formed, a
        local address, not expired, not used here before."""
        try:
            payload = decode(text)
        except QrPayloadError as exc:
            refusal = {"version": Refusal.VERSION, "not_ours": Refusal.NOT_OURS}.get(
                exc.code, Refusal.MALFORMED
            )
            message = exc.message
            if refusal is Refusal.NOT_OURS:
                message = "This QR code is not from the phone app. Open the app and choose a photo."
            raise QrRefused(refusal, message) from None
        if not payload.is_local():
            raise QrRefused(
                Refusal.REMOTE_ADDRESS,
                f"The QR code points to {payload.host}, outside the local network: not connected.",
            )
        if self._wall.time() >= payload.expires:
            raise QrRefused(
                Refusal.EXPIRED,
                marker("Core", "This QR code has expired. Show a new one on the phone."),
            )
        now = self._wall.time()
        self._used = {t: e for t, e in self._used.items() if e > now}  # expired ones go
        if payload.token in self._used:
            raise QrRefused(
                Refusal.USED,
                marker("Core", "This QR code was used already. Show a new one on the phone."),
            )
        return payload

    async def fetch(self, payload: QrPayload, frame_png: bytes = b"") -> list[ProjectedPage]:
        """Every page of the share, each checked; the token counts as used from the first
        connection on."""
        import aiohttp

        self._used[payload.token] = payload.expires
        self._trace.emit(
            "qr", "fetch", host=payload.host, port=payload.port, share=payload.image_id
        )
        pages: list[ProjectedPage] = []
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            count = 1
            while len(pages) < count:
                page, count = await self._page(session, payload, len(pages), frame_png)
                pages.append(page)
        return pages

    async def _page(
        self, session: aiohttp.ClientSession, payload: QrPayload, index: int, frame_png: bytes
    ) -> tuple[ProjectedPage, int]:
        import aiohttp

        url = f"{payload.base_url}/s/{payload.image_id}/{index}"
        try:
            async with session.get(url, params={"t": payload.token}, allow_redirects=False) as resp:
                if resp.status != 200:
                    raise await _phone_refusal(resp)
                content_type = resp.headers.get("Content-Type", "")
                if content_type.split(";")[0].strip().lower() not in IMAGE_TYPES:
                    raise QrRefused(
                        Refusal.WRONG_TYPE,
                        f"The phone sent {content_type or 'something'}, not a photo.",
                    )
                declared = resp.content_length
                if declared is not None and declared > self.max_bytes:
                    raise _too_large(self.max_bytes)
                pages = _page_count(resp.headers.get("X-Share-Pages", "1"))
                name = resp.headers.get("X-Image-Name", "") or f"Phone image {index + 1}"
                body = bytearray()
                async for chunk in resp.content.iter_chunked(_CHUNK):
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise _too_large(self.max_bytes)
                    self._set(
                        QrStatus(
                            QrState.FETCHING,
                            f"Receiving from the phone... {len(body) // 1024} KB",
                            frame_png,
                            payload,
                            received=len(body),
                        ),
                        quiet=True,
                    )
        except TimeoutError:
            raise QrRefused(Refusal.TIMEOUT, f"The phone is too slow to answer. {AGAIN}") from None
        except aiohttp.ClientConnectorError:
            if index == 0:  # nothing was served: the same QR may be shown again
                self._used.pop(payload.token, None)
            raise QrRefused(
                Refusal.UNREACHABLE,
                f"The phone at {payload.host} cannot be reached. Is it on the same network?",
            ) from None
        except (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            raise QrRefused(
                Refusal.CUT_OFF, f"The phone went away during the transfer. {AGAIN}"
            ) from None
        except aiohttp.ClientError:
            raise QrRefused(
                Refusal.CUT_OFF, f"The phone's answer could not be read. {AGAIN}"
            ) from None
        data = bytes(body)
        width, height = await in_thread(check_image, data, content_type)
        return ProjectedPage(
            name[:100], content_type.split(";")[0].strip(), data, width, height
        ), pages

    # -- what the user does with it ------------------------------------------------------------
    def _projected(self) -> tuple[ProjectedPage, ...]:
        if self.status.state is not QrState.PROJECTED:
            raise FileError(
                marker("Core", "Nothing is projected: hold the phone to the camera first.")
            )
        return self.status.pages

    def print_projection(self, user_id: str, options: PrintOptions | None = None) -> Job:
        """Print the projected pages through the engine: a local job (made at the device)."""
        pages = self._projected()
        job = Job(
            uuid.uuid4().hex,
            JobKind.LOCAL_PRINT,  # printed at the device, never a cloud job
            f"Phone: {pages[0].name}"[:120],
            user_id,
            JobState.QUEUED,
            pages=len(pages),
        )
        self._jobs.enqueue_local(job, options or PrintOptions())
        self._trace.emit("qr", "print", job_id=job.job_id, pages=len(pages), user=user_id)
        return job

    async def store_projection(self, user_id: str, box_id: str) -> list[BoxFile]:
        """Store each projected page as a file of `box_id` (S6)."""
        stored = []
        for page in self._projected():
            stored.append(await self._files.store(user_id, box_id, page.name, page.data, 1))
        self._trace.emit("qr", "stored", box=box_id, files=len(stored), user=user_id)
        return stored

    def _set(self, status: QrStatus, quiet: bool = False) -> QrStatus:
        if quiet and self.status.state is status.state:
            status = replace(status, scan_id=self.status.scan_id)
        self.status = status
        self._events.publish(Event(EventKind.QR_CHANGED, status))
        return status


def _describe(d: Degradation) -> str:
    parts = [
        f"{name}={value:g}"
        for name, value in (
            ("rotation", d.rotation),
            ("perspective", d.perspective),
            ("blur", d.blur),
            ("noise", d.noise),
            ("glare", d.glare),
        )
        if value
    ]
    return " ".join([*parts, f"scale={d.scale:g}"])


def _load_file(path: Path) -> Image.Image:
    try:
        return load_screen(path.read_bytes())
    except QrRefused as refused:
        if refused.refusal is Refusal.BOMB:
            raise
        raise QrRefused(
            Refusal.NOT_IMAGE, f"{path.name} is not an image the camera can show."
        ) from refused
    except OSError as exc:
        raise QrRefused(
            Refusal.NOT_IMAGE, f"{path.name} is not an image the camera can show."
        ) from exc


async def _phone_screen(phone_url: str) -> bytes:
    """The phone simulator's screen (PNG): what a camera over the stand would see of it."""
    import aiohttp

    url = phone_url.rstrip("/") + "/api/screen.png"
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
            session.get(url) as resp,
        ):
            if resp.status == 404:
                raise QrRefused(
                    Refusal.NO_QR,
                    marker("Core", "The phone shows no QR code: pick a photo on the phone first."),
                )
            if resp.status != 200:
                raise QrRefused(Refusal.UNREACHABLE, f"The phone answered HTTP {resp.status}.")
            return await resp.content.read(4 * 1024 * 1024)
    except (aiohttp.ClientError, TimeoutError):
        raise QrRefused(
            Refusal.UNREACHABLE, f"No phone simulator at {phone_url} (start: mfp-panel phone)."
        ) from None


def _page_count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGES:
        raise QrRefused(
            Refusal.MALFORMED, marker("Core", "The phone's answer is damaged (page count).")
        )
    return int(text)


def _too_large(limit: int) -> QrRefused:
    return QrRefused(
        Refusal.TOO_LARGE, f"The image is larger than {math.ceil(limit / 1024 / 1024)} MB: refused."
    )


async def _phone_refusal(resp: aiohttp.ClientResponse) -> QrRefused:
    try:
        body = await resp.json(content_type=None)
        code = str(body.get("error", "")) if isinstance(body, dict) else ""
    except (ValueError, UnicodeDecodeError):
        code = ""
    if code == "expired":
        return QrRefused(
            Refusal.EXPIRED,
            marker("Core", "This QR code has expired. Show a new one on the phone."),
        )
    if code == "used":
        return QrRefused(
            Refusal.USED,
            marker("Core", "This QR code was used already. Show a new one on the phone."),
        )
    return QrRefused(Refusal.REFUSED, f"The phone refused the request (HTTP {resp.status}).")
