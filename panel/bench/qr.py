"""`mfp-panel bench qr`: the QR connection's figures (S7).

- decode: zxing-cpp on 640x480 camera frames of a phone's QR, clean and degraded, whether or
  not they decode (median and max of every call; goal <= 50 ms);
- decode success: the share of a fixed set of degraded frames (each degradation alone at four
  strengths, and all six together at four) that still decode; each kind's result is printed;
- QR shown -> image projected: a 5 MB JPEG shared on the phone simulator, its screen seen by the
  camera, decoded, fetched over loopback, checked and projected (goal <= 3 s; median and max).
"""

from __future__ import annotations

import asyncio
import io
import os
import statistics
import time
from typing import TYPE_CHECKING, Any, cast

from panel.bench import report

if TYPE_CHECKING:
    from panel.device.qr import Degradation

KINDS = ("rotation", "perspective", "blur", "noise", "glare", "small")
LEVELS = (0.25, 0.5, 0.75, 1.0)
JPEG_BYTES = 5 * 1024 * 1024


def degraded_set() -> list[tuple[str, Degradation]]:
    from panel.device.qr import Degradation

    frames = [
        (f"{kind} {level:g}", Degradation.strength(level, {kind}))
        for kind in KINDS
        for level in LEVELS
    ]
    frames += [
        (f"all six {level:g}", Degradation.strength(level, set(KINDS)))
        for level in (0.1, 0.2, 0.3, 0.4)
    ]
    return frames


def big_jpeg(size: int = JPEG_BYTES) -> bytes:
    """A photo-like JPEG of about `size` bytes (noise over a gradient compresses like a photo
    of fine detail)."""
    from PIL import Image

    side = 1200
    while True:
        noise = Image.frombytes("RGB", (side, side * 3 // 4), os.urandom(side * side * 9 // 4))
        out = io.BytesIO()
        noise.save(out, "JPEG", quality=85)
        if out.tell() >= size:
            return out.getvalue()
        side = int(side * (size / out.tell()) ** 0.5) + 64


def bench_qr(runs: int, as_json: bool) -> int:
    return asyncio.run(_bench(runs, as_json))


async def _bench(runs: int, as_json: bool) -> int:
    from panel.device.clock import Clock
    from panel.device.events import EventBus
    from panel.device.qr import (
        Degradation,
        QrScanner,
        QrState,
        camera_frame,
        decode_frame,
        load_screen,
    )
    from panel.protocol.qr import QrPayload
    from panel.sim.phone import PhoneImage, PhoneSim, qr_png
    from panel.trace import Trace

    text = QrPayload("192.168.1.20", 8640, "s3", "Zq3-aB_cD4eF5gH6iJ7kLm", 2_000_000_000).encode()
    screen = load_screen(qr_png(text))
    frames = [("clean", camera_frame(screen, Degradation()))]
    frames += [(name, camera_frame(screen, d)) for name, d in degraded_set()]
    decode_frame(frames[0][1])  # warm
    times = []
    results: dict[str, bool] = {}
    for name, frame in frames:
        for _ in range(max(3, runs)):
            start = time.perf_counter()
            found = decode_frame(frame)
            times.append((time.perf_counter() - start) * 1000)
        results[name] = found == [text]
    del results["clean"]  # the set is the degraded frames
    success = 100 * sum(results.values()) / len(results)

    phone = PhoneSim([PhoneImage("big", "Big photo.jpg", "image/jpeg", big_jpeg())], Clock())
    await phone.start("127.0.0.1", 0)
    trace = Trace(None)
    # Only the camera, the decode and the fetch are measured: no print engine, no boxes.
    scanner = QrScanner(EventBus(), trace, Clock(), cast(Any, None), cast(Any, None))
    shown_to_projected = []
    try:
        for _ in range(runs):
            phone.share(["big"])
            start = time.perf_counter()
            shown = phone.screen_png()
            assert shown is not None
            status = await scanner.see(load_screen(shown), Degradation(rotation=10))
            if status.state is not QrState.PROJECTED:
                raise RuntimeError(f"not projected: {status.message}")
            shown_to_projected.append((time.perf_counter() - start) * 1000)
    finally:
        await scanner.stop()
        await phone.stop()
        trace.close()
    figures = {
        "decode_median_ms": round(statistics.median(times), 2),
        "decode_max_ms": round(max(times), 2),
        "decode_success_pct": round(success, 1),
        "decode_frames": len(results),
        "qr_to_projected_median_ms": round(statistics.median(shown_to_projected), 1),
        "qr_to_projected_max_ms": round(max(shown_to_projected), 1),
        "jpeg_bytes": len(phone.images[0].data),
        "runs": runs,
    }
    lines = [
        f"decode, 640x480 frame:   median {figures['decode_median_ms']} ms over every frame, "
        f"max {figures['decode_max_ms']} ms (goal <= 50)",
        f"degraded frames decoded: {figures['decode_success_pct']}% of {len(results)}",
        *(f"  {name:<16} {'decoded' if ok else 'NOT decoded'}" for name, ok in results.items()),
        f"QR shown -> projected, {len(phone.images[0].data) / 1e6:.1f} MB JPEG on loopback: "
        f"median {figures['qr_to_projected_median_ms']} ms, "
        f"max {figures['qr_to_projected_max_ms']} ms (goal <= 3000)",
    ]
    report(figures, as_json, lines)
    return 0
