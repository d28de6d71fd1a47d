"""Marks a string the device core shows to a person, without importing Qt (the core never does).

`marker("Core", "Server cannot be reached")` returns its source unchanged; pyside6-lupdate sees it
(an alias of QT_TRANSLATE_NOOP, scripts/translations.py) and the view translates the string when
it shows it (`panel.ui.i18n.translate_marked`). Both arguments must be literals.
"""

from __future__ import annotations


def marker(context: str, source: str) -> str:
    return source
