"""The command line's messages in the user's language, without Qt.

`translate("Cli", "a PIN is 4 to 12 digits")` is English, or Japanese when the user's locale is
Japanese: $MFP_LANGUAGE, else the first of $LC_ALL, $LC_MESSAGES, $LANG that is set (POSIX's
order) starting with "ja". pyside6-lupdate extracts these calls as it does the panel's (the
same name, `translate`, two literals), into resources/translations/cli_ja.ts.

Why not Qt's QTranslator here: `mfp-panel server` (and the other headless modes) never import
Qt, so that they run on a box without Qt's libraries and start fast; loading PySide6 only to
word an error would undo that. The Japanese is read instead from cli_ja.ts itself (a small XML
file, parsed with the standard library, only when the language is Japanese and a message is
shown); its finished translations are the same ones `release` compiles into panel_ja.qm.
"""

from __future__ import annotations

import functools
import os
import xml.etree.ElementTree as ET

from panel.paths import resources_dir

JAPANESE = "ja"
ENGLISH = "en"


def cli_language() -> str:
    """ "ja" or "en": MFP_LANGUAGE, else the locale's message language."""
    override = os.environ.get("MFP_LANGUAGE", "")
    if override in (JAPANESE, ENGLISH):
        return override
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return JAPANESE if value.lower().startswith("ja") else ENGLISH
    return ENGLISH


@functools.cache
def _catalogue() -> dict[tuple[str, str], str]:
    """(context, source) -> Japanese, for every finished entry of cli_ja.ts."""
    path = resources_dir() / "translations" / "cli_ja.ts"
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return {}
    found: dict[tuple[str, str], str] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete"):
                continue
            if translation.text:
                found[(name, message.findtext("source") or "")] = translation.text
    return found


def translate(context: str, source: str) -> str:
    """`source` in the command line's language (itself when there is no translation)."""
    if cli_language() != JAPANESE:
        return source
    return _catalogue().get((context, source), source)


def translate_marked(context: str, source: str) -> str:
    """A string marked elsewhere (`panel.text.marker`, e.g. argparse's msgids): not a literal
    here, so lupdate does not see this call; the marker did. The literal-argument lint allows it."""
    return translate(context, source)
