"""The camera scanner's checks (S7): images checked by their bytes (a truncated JPEG, a PNG bomb,
an HTML page sent as an image), and real decoding of degraded camera frames with zxing-cpp,
reporting which degradations still decode."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from panel.device.qr import (
    FRAME_SIZE,
    Degradation,
    QrRefused,
    Refusal,
    camera_frame,
    check_image,
    decode_frame,
    load_screen,
)
from panel.protocol.qr import QrPayload
from panel.sim.phone import qr_png

TEXT = QrPayload("192.168.1.20", 8640, "s3", "Zq3-aB_cD4eF5gH6iJ7kLm", 1767261720).encode()


def jpeg(size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A small PNG that claims width x height pixels: its IDAT inflates to width*height bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = zlib.compressobj(9)
    line = b"\x00" + b"\x00" * width
    body = b"".join(rows.compress(line) for _ in range(64)) + rows.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def test_a_whole_jpeg_passes_with_its_size() -> None:
    assert check_image(jpeg(), "image/jpeg") == (320, 240)
    assert check_image(jpeg(), "image/jpeg; charset=binary") == (320, 240)


def test_a_truncated_jpeg_is_not_an_image() -> None:
    data = jpeg((640, 480))
    with pytest.raises(QrRefused) as refused:
        check_image(data[: len(data) // 2], "image/jpeg")
    assert refused.value.refusal is Refusal.NOT_IMAGE


def test_an_html_page_sent_as_an_image_is_refused_by_its_bytes() -> None:
    page = b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>"
    for content_type in ("image/jpeg", "image/png"):
        with pytest.raises(QrRefused) as refused:
            check_image(page, content_type)
        assert refused.value.refusal is Refusal.NOT_IMAGE


def test_a_png_sent_as_a_jpeg_is_refused() -> None:
    out = io.BytesIO()
    Image.new("L", (10, 10)).save(out, "PNG")
    with pytest.raises(QrRefused) as refused:
        check_image(out.getvalue(), "image/jpeg")
    assert refused.value.refusal is Refusal.NOT_IMAGE


def test_a_png_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = png_bomb(50_000, 50_000)  # 2.5 gigapixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(QrRefused) as refused:
        check_image(bomb, "image/png")
    assert refused.value.refusal is Refusal.BOMB
    assert "too large" in refused.value.message


def test_an_image_above_the_pixel_limit_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(QrRefused) as refused:
        check_image(png_bomb(8000, 6000), "image/png")  # 48 megapixels, under Pillow's own limit
    assert refused.value.refusal is Refusal.BOMB
    assert "8000x6000" in refused.value.message


@pytest.mark.parametrize(
    "content_type", ["text/html", "application/octet-stream", "", "image/svg+xml"]
)
def test_other_content_types_are_refused(content_type: str) -> None:
    with pytest.raises(QrRefused) as refused:
        check_image(jpeg(), content_type)
    assert refused.value.refusal is Refusal.WRONG_TYPE


def test_a_phone_screen_decodes_from_a_camera_frame() -> None:
    frame = camera_frame(load_screen(qr_png(TEXT)), Degradation())
    assert frame.size == FRAME_SIZE
    assert decode_frame(frame) == [TEXT]


def test_a_frame_without_a_qr_decodes_to_nothing() -> None:
    assert decode_frame(camera_frame(load_screen(jpeg()), Degradation())) == []


HELD = {
    "rotated 30 degrees": Degradation(rotation=30),
    "upside down": Degradation(rotation=180),
    "tilted (perspective 0.3)": Degradation(perspective=0.3),
    "blurred (radius 1.5)": Degradation(blur=1.5),
    "noisy (sigma 40)": Degradation(noise=40),
    "glare 0.6": Degradation(glare=0.6),
    "small (a quarter of the frame)": Degradation(scale=0.25),
    "all six at 0.3 strength": Degradation.strength(
        0.3, {"rotation", "perspective", "blur", "noise", "glare", "small"}
    ),
}
TOO_BAD = {
    "all six at 0.5 strength": Degradation.strength(
        0.5, {"rotation", "perspective", "blur", "noise", "glare", "small"}
    ),
    "blurred (radius 6)": Degradation(blur=6),
    "tiny (6 percent of the frame)": Degradation(scale=0.06),
}


@pytest.mark.parametrize("name", list(HELD))
def test_a_reasonably_held_phone_still_decodes(name: str) -> None:
    frame = camera_frame(load_screen(qr_png(TEXT)), HELD[name])
    assert decode_frame(frame) == [TEXT], name


@pytest.mark.parametrize("name", list(TOO_BAD))
def test_a_badly_held_phone_does_not_decode(name: str) -> None:
    assert decode_frame(camera_frame(load_screen(qr_png(TEXT)), TOO_BAD[name])) == []


def test_which_degradations_decode_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    """The figure the README quotes: each kind at increasing strength, decoded or not."""
    screen = load_screen(qr_png(TEXT))
    rows = []
    for kind in ("rotation", "perspective", "blur", "noise", "glare", "small"):
        ok = [
            level
            for level in (0.25, 0.5, 0.75, 1.0)
            if decode_frame(camera_frame(screen, Degradation.strength(level, {kind}))) == [TEXT]
        ]
        rows.append(f"{kind}: decodes at strengths {ok}")
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert all("0.25" in row for row in rows)  # a light touch of anything still reads
