"""The phone simulator's page (S7) in headless Chromium: a gallery of the phone's photos; two
picked, the page shows a QR code that, screenshotted from the browser and read by zxing-cpp,
decodes to a valid payload naming the phone, a share of those two photos and a live token."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Page
from pytestqt.qtbot import QtBot
from support.console_support import Browser
from support.qt_loop import run

from panel.device.qr import decode_frame
from panel.protocol.qr import decode
from panel.sim.phone import PhoneSim

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(qtbot: QtBot) -> Iterator[PhoneSim]:
    sim = PhoneSim()  # the demo's sample photos
    run(qtbot, sim.start("127.0.0.1", 0))
    try:
        yield sim
    finally:
        run(qtbot, sim.stop())


def test_the_phone_page_shows_a_gallery_and_a_qr_that_decodes(
    qtbot: QtBot, browser: Browser, phone: PhoneSim
) -> None:
    def gallery(page: Page) -> list[str]:
        page.goto(phone.url + "/")
        page.wait_for_selector("#gallery li img")
        page.wait_for_function(
            "[...document.querySelectorAll('#gallery img')]"
            ".every(i => i.complete && i.naturalWidth)"
        )
        return [
            str(t) for t in page.locator("#gallery li").evaluate_all("l => l.map(e => e.title)")
        ]

    names = browser.do(gallery)
    assert names == [image.name for image in phone.images]
    assert browser.do(lambda page: page.locator("#share").is_disabled())

    def share(page: Page) -> tuple[bytes, str, str]:
        page.locator("#gallery li").nth(0).click()
        page.locator("#gallery li").nth(2).click()
        assert page.locator("#share").inner_text() == "Show QR code (2 photos)"
        page.locator("#share").click()
        page.wait_for_selector("#qr svg")
        shot = page.locator("#qr").screenshot()
        return shot, page.locator("#qr-names").inner_text(), page.locator("#expiry").inner_text()

    shot, shown_names, expiry = browser.do(share)
    assert shown_names == f"{phone.images[0].name}, {phone.images[2].name}"
    assert expiry.startswith(("Valid for 1:5", "Valid for 2:00"))

    with Image.open(io.BytesIO(shot)) as image:
        texts = decode_frame(image.convert("L"))
    assert len(texts) == 1
    payload = decode(texts[0])  # a valid payload, by the device's own parser
    assert phone.current is not None
    assert payload == phone.current.payload
    assert (payload.host, payload.port) == ("127.0.0.1", phone.port)
    assert [i.name for i in phone.current.images] == [phone.images[0].name, phone.images[2].name]
    assert payload.expires > phone.now()
