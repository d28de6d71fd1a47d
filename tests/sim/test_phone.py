"""The phone simulator's HTTP service (S7) over a real socket: each page of a share served once
per token with its type and length, a wrong token, an unknown share, an expired QR (on the
manual clock) refused with a code; the share API checks what it is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from panel.device.clock import ManualClock
from panel.sim.phone import PhoneImage, PhoneSim


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def phone(clock: ManualClock) -> AsyncIterator[PhoneSim]:
    images = [
        PhoneImage("p1", "One.jpg", "image/jpeg", b"\xff\xd8\xff" + b"1" * 1000),
        PhoneImage("p2", "Two.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"2" * 500),
    ]
    sim = PhoneSim(images, clock=clock, ttl=60)
    await sim.start("127.0.0.1", 0)
    yield sim
    await sim.stop()


async def get(url: str) -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as resp:
        return resp.status, dict(resp.headers), await resp.read()


async def test_each_page_is_served_once_per_token(phone: PhoneSim) -> None:
    share = phone.share(["p1", "p2"])
    base = f"{phone.url}/s/{share.share_id}"
    status, headers, body = await get(f"{base}/0?t={share.payload.token}")
    assert (status, headers["Content-Type"], headers["X-Share-Pages"]) == (200, "image/jpeg", "2")
    assert int(headers["Content-Length"]) == len(body) == 1003
    assert headers["X-Image-Name"] == "One.jpg"
    status, _, body = await get(f"{base}/0?t={share.payload.token}")
    assert (status, b'"used"' in body) == (410, True)
    status, headers, _ = await get(f"{base}/1?t={share.payload.token}")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert phone.fetches == 2


async def test_wrong_token_unknown_share_and_page_are_refused(phone: PhoneSim) -> None:
    share = phone.share(["p1"])
    assert (await get(f"{phone.url}/s/{share.share_id}/0?t={'x' * 22}"))[0] == 403
    assert (await get(f"{phone.url}/s/{share.share_id}/0"))[0] == 403
    assert (await get(f"{phone.url}/s/nope/0?t={share.payload.token}"))[0] == 404
    assert (await get(f"{phone.url}/s/{share.share_id}/1?t={share.payload.token}"))[0] == 404
    assert (await get(f"{phone.url}/s/{share.share_id}/-1?t={share.payload.token}"))[0] == 404
    assert phone.fetches == 0


async def test_an_expired_qr_is_refused_by_the_phone(phone: PhoneSim, clock: ManualClock) -> None:
    share = phone.share(["p1"])
    assert share.payload.expires == int(clock.time() + 60)
    clock.advance(61)
    status, _, body = await get(f"{phone.url}/s/{share.share_id}/0?t={share.payload.token}")
    assert (status, b'"expired"' in body) == (410, True)


async def test_the_share_api_checks_its_body(phone: PhoneSim) -> None:
    async with aiohttp.ClientSession() as session:
        for body in (b"", b"[]", b'{"ids": "p1"}', b'{"ids": []}', b'{"ids": ["zz"]}', b"\xff"):
            async with session.post(f"{phone.url}/api/share", data=body) as resp:
                assert resp.status == 400, body
        async with session.post(f"{phone.url}/api/share", json={"ids": ["p2", "p1"]}) as resp:
            shared = await resp.json()
    assert resp.status == 200
    assert shared["payload"].startswith(f"mfpqr:1/127.0.0.1:{phone.port}/")
    assert shared["names"] == ["Two.png", "One.jpg"]
    assert shared["svg"].startswith("<svg")
    status, headers, _ = await get(f"{phone.url}/api/screen.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")


async def test_no_screen_before_a_share(phone: PhoneSim) -> None:
    assert (await get(f"{phone.url}/api/screen.png"))[0] == 404
