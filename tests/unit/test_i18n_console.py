"""The operator console's catalogues (issue 19): English and Japanese hold the same keys with
the same placeholders, Japanese is complete, and every key the page and its scripts use exists
(and every key is used)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "resources" / "operator"
SCRIPTS = ("i18n.js", "operator.js", "device-status.js")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SAME_IN_JAPANESE = {"fps"}  # "{n} fps" reads the same


def catalogue(code: str) -> dict[str, str]:
    table: dict[str, str] = json.loads((CONSOLE / "i18n" / f"{code}.json").read_text("utf-8"))
    return table


def used_keys() -> set[str]:
    keys: set[str] = set()
    for name in SCRIPTS:
        source = (CONSOLE / name).read_text("utf-8")
        keys |= set(re.findall(r"""\bt\(\s*"([\w.]+)\"""", source))
        for pairs in re.findall(r'i18nAttr = "([^"]+)"', source):
            keys |= {pair.split(":")[1] for pair in pairs.split(";")}
    html = (CONSOLE / "index.html").read_text("utf-8")
    keys |= set(re.findall(r'data-i18n="([\w.]+)"', html))
    for pairs in re.findall(r'data-i18n-attr="([^"]+)"', html):
        keys |= {pair.split(":")[1].strip() for pair in pairs.split(";")}
    return keys


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, ja = catalogue("en"), catalogue("ja")
    assert sorted(en) == sorted(ja)
    for key, text in en.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ja[key])), key


def test_japanese_is_complete() -> None:
    en, ja = catalogue("en"), catalogue("ja")
    untranslated = [
        key
        for key in en
        if key not in SAME_IN_JAPANESE and (ja[key] == en[key] or not JAPANESE.search(ja[key]))
    ]
    assert not untranslated


def test_every_key_the_console_uses_exists_and_every_key_is_used() -> None:
    keys = set(catalogue("en"))
    used = used_keys()
    assert used, "no key found: the patterns of this test are out of date"
    assert sorted(used - keys) == [], "used but not in the catalogues"
    assert sorted(keys - used) == [], "in the catalogues but never used"


@pytest.mark.parametrize("name", ["index.html", *SCRIPTS])
def test_the_server_serves_every_console_file(name: str) -> None:
    from panel.server.relay.console import ASSETS

    assert name in ASSETS
    assert {"i18n/en.json", "i18n/ja.json"} <= set(ASSETS)
