"""Is a screen all in the current language? The checks the Japanese guards
(tests/gui/test_i18n_japanese.py) and `mfp-panel bench language` share.

In Japanese, a word of three or more ASCII letters on the glass is English left untranslated,
unless it is an allowed token: a product or protocol name, a unit, an error or IPP code, a URL
or address, or a phrase from the data (user, device, job, destination, app and network names),
which is never translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from panel.server.demo_data import DEMO_DESTINATIONS, DEMO_OPERATORS, DEMO_TEMPLATES, DEMO_USERS
from panel.ui import i18n

# Words that are the same in a Japanese panel: names, protocols, units, abbreviations.
ALLOWED_WORDS = frozenset(
    {
        "MFP",
        "PIN",
        "QR",
        "LAN",
        "WAN",
        "Wi-Fi",
        "Fi",
        "ID",
        "OK",
        "PDF",
        "URL",
        "USB",
        "LTE",
        "IPP",
        "DNS",
        "SMB",
        "HTTP",
        "HTTPS",
        "IP",
        "IPv4",
        "IPv6",
        "MAC",
        "PPM",
        "ppm",
        "dpi",
        "DPI",
        "JPEG",
        "PNG",
        "TIFF",
        "CMYK",
        "RGB",
        "MB",
        "KB",
        "GB",
        "kbit",
        "mfp",
        "panel",
        "QA",
        "NFC",
        "IC",
        "API",
        "JSON",
        "CSV",
        "SSID",
        "DHCP",
        "Bluetooth",
        "AirPrint",
        "Mopria",
        "Python",
        "PySide",
        "Letter",
    }
)
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:pdf|png|jpe?g|txt)\b")
CODE = re.compile(r"\b[A-Z]{1,3}-\d{2,5}\b|\b[a-z]+(?:-[a-z0-9]+)+\b")  # J-0201, media-jam-error
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")


def demo_phrases(*extra: str) -> list[str]:
    """The demo data's values a panel shows as they are in any language (longest first, so a
    name is taken out before a shorter one inside it), with `extra` (device name, job titles)."""
    phrases = [*extra, "MFP PANEL", *i18n.LANGUAGES.values()]  # the brand; each language's name
    phrases += [name for _, name, _, _ in DEMO_USERS] + [name for _, name, _ in DEMO_OPERATORS]
    phrases += [d.name for d in DEMO_DESTINATIONS] + [d.address for d in DEMO_DESTINATIONS]
    phrases += [t.name for t in DEMO_TEMPLATES] + [t.settings for t in DEMO_TEMPLATES]
    return sorted({p for p in phrases if p}, key=len, reverse=True)


def english_words(text: str, phrases: Iterable[str]) -> list[str]:
    """The English words in `text` once the data `phrases` (longest first), URLs and codes are
    taken out."""
    for phrase in phrases:
        text = text.replace(phrase, " ")
    text = CODE.sub(" ", URL.sub(" ", text))
    return [w for w in WORD.findall(text) if len(w) >= 3 and w not in ALLOWED_WORDS]
