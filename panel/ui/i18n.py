"""Languages for the panel and the dock: Qt's translation workflow, switched at run time.

Every user-visible string is written once, in English, as a literal inside `translate(...)` or
`Text(...)`, so `pyside6-lupdate` finds it (scripts/translations.py runs it with
`-tr-function-alias translate+=Text`). Both take exactly two positional literals, the context and
the source: lupdate skips a call with keyword arguments or a third non-string argument, so values
go in afterwards with `.format(...)`. A label that must follow a language switch is `bind`-ed: it
is set now and set again on every switch, with no per-screen bookkeeping. Screens that render
from state connect to `notifier().changed` and render again.

The device core never imports Qt: strings it produces for a person are marked with
`panel.text.marker` (an lupdate alias of QT_TRANSLATE_NOOP) and translated here, at display
time, by `translate_marked`.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal
from PySide6.QtGui import QFont

from panel.paths import resources_dir

log = logging.getLogger(__name__)

ENGLISH = "en"
JAPANESE = "ja"
PSEUDO = "pseudo"  # every string ~40% longer, with accents: catches clipped text (tests only)
LANGUAGES: dict[str, str] = {ENGLISH: "English", JAPANESE: "日本語"}  # each in its own language
ENV_OVERRIDE = "MFP_LANGUAGE"  # demos and tests: the language at start, whatever is saved
# The panel's fonts (resources/style/*.qss) have no Japanese glyphs; Qt takes a missing glyph from
# the first of these that is installed (scripts/bootstrap installs IPA Gothic; the .deb depends on
# it or on Noto CJK). Proportional faces first: they read as a Japanese panel's UI font does.
PANEL_FAMILIES = ("DejaVu Sans", "DejaVu Sans Mono", "Sans Serif")
CJK_FAMILIES = (
    "Noto Sans CJK JP",
    "IPAPGothic",
    "IPAGothic",
    "Source Han Sans JP",
    "TakaoPGothic",
    "VL PGothic",
)


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    """The source string in the current language (itself when there is no translation)."""
    text = QCoreApplication.translate(context, source, disambiguation, n)
    return _pseudo(text) if _state.language == PSEUDO else text


def translate_marked(context: str, source: str) -> str:
    """A string marked elsewhere (the core's `marker`, a table of literals): not a literal here,
    so lupdate does not see this call; the marker did. The literal-argument guard allows it."""
    return translate(context, source)


class Text:
    """A translatable string that is translated when shown, not when made.

    `Text("Jobs", "Page {page} of {total}").format(page=3, total=10)`; format values may be
    `Text` themselves (translated too). `str(text)` gives it in the current language.
    """

    __slots__ = ("context", "source", "values")

    def __init__(self, context: str, source: str) -> None:
        self.context = context
        self.source = source
        self.values: dict[str, Any] = {}

    def format(self, **values: Any) -> Text:
        made = Text(self.context, self.source)
        made.values = {**self.values, **values}
        return made

    def __str__(self) -> str:
        text = translate(self.context, self.source)
        if not self.values:
            return text
        return text.format(
            **{k: str(v) if isinstance(v, Text) else v for k, v in self.values.items()}
        )

    def __repr__(self) -> str:
        return f"Text({self.context!r}, {self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.context, self.source, self.values) == (
            other.context,
            other.source,
            other.values,
        )

    def __hash__(self) -> int:
        return hash((self.context, self.source))


def bind(widget: QObject, text: Text | str, setter: str = "setText") -> None:
    """`widget.<setter>(text)` now and after every language switch, for as long as `widget` lives.

    Binding the same widget and setter again replaces the earlier text (a label that shows
    "Online" then "Offline" is bound each time it changes).
    """
    getattr(widget, setter)(str(text))
    key = (id(widget), setter)
    if key not in _state.bindings:
        widget.destroyed.connect(lambda *_: _state.bindings.pop(key, None))
    _state.bindings[key] = (weakref.ref(widget), setter, text)


class StaleBinding(NamedTuple):
    widget: QObject
    setter: str
    wanted: str  # the binding's text in the current language
    shown: str


def stale_bindings() -> list[StaleBinding]:
    """Every bound widget that does not show its binding's text in the current language (a
    switch that missed it, or code that set the text behind the binding's back). Read with the
    setter's getter (`setText` -> `text`, `set_full_text` -> `full_text`); a setter without one
    is not checked. `mfp-panel bench language` checks this after each switch."""
    stale: list[StaleBinding] = []
    for ref, setter, text in list(_state.bindings.values()):
        widget = ref()
        getter = getattr(widget, _getter_name(setter), None) if widget is not None else None
        if widget is None or not callable(getter):
            continue
        wanted, shown = str(text), getter()
        if shown != wanted:
            stale.append(StaleBinding(widget, setter, wanted, shown))
    return stale


def _getter_name(setter: str) -> str:
    name = setter.removeprefix("set")
    return name.removeprefix("_") if name.startswith("_") else name[:1].lower() + name[1:]


class LanguageNotifier(QObject):
    """Emits `changed(code)` after a switch, once every bound widget shows the new language."""

    changed = Signal(str)


class _State:
    def __init__(self) -> None:
        self.language = ENGLISH
        self.translators: list[QTranslator] = []
        self.bindings: dict[tuple[int, str], tuple[weakref.ref[QObject], str, Text | str]] = {}
        self.notifier: LanguageNotifier | None = None


_state = _State()


def notifier() -> LanguageNotifier:
    if _state.notifier is None:
        _state.notifier = LanguageNotifier()
    return _state.notifier


def current_language() -> str:
    return _state.language


def translations_dir() -> Path:
    return resources_dir() / "translations"


def set_language(code: str) -> None:
    """Switches every bound widget, then tells the screens (`notifier().changed`).

    English needs no translator; an unknown code raises ValueError (a setting is checked before
    it is saved). Qt sends QEvent.LanguageChange to every widget as well.
    """
    if code not in LANGUAGES and code != PSEUDO:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    app = QCoreApplication.instance()
    for old in _state.translators:
        QCoreApplication.removeTranslator(old)
    _state.translators = []
    if code == JAPANESE:
        for name in ("panel",):
            translator = QTranslator(app)
            if translator.load(
                QLocale(QLocale.Language.Japanese), name, "_", str(translations_dir())
            ):
                QCoreApplication.installTranslator(translator)
                _state.translators.append(translator)
        if not _state.translators:
            raise FileNotFoundError(f"no Japanese translation in {translations_dir()}")
    _state.language = code
    _rebind()
    notifier().changed.emit(code)


def install_font_fallback() -> None:
    """Japanese glyphs from a Japanese font (not whatever CJK face fontconfig offers first, which
    may draw Chinese shapes): the CJK families are the panel fonts' substitutes, and Qt's
    per-glyph fallback tries a font's substitutes first. Cheap (no font database query);
    called before the first window is built."""
    for family in PANEL_FAMILIES:
        missing = [f for f in CJK_FAMILIES if f not in QFont.substitutes(family)]
        if missing:
            QFont.insertSubstitutions(family, missing)


def start_language(saved: str | None = None) -> str:
    """The language at start: $MFP_LANGUAGE, else the device's saved setting, else English.

    Called once before the first window is built; English loads nothing (start-up time). An
    unknown or unloadable language is logged and English is kept: a bad setting must not stop
    the panel from starting.
    """
    install_font_fallback()
    wanted = os.environ.get(ENV_OVERRIDE) or saved or ENGLISH
    if wanted != _state.language:
        try:
            set_language(wanted)
        except (ValueError, FileNotFoundError) as exc:
            log.warning("language %r not used, English instead: %s", wanted, exc)
    return _state.language


def _rebind() -> None:
    for key, (ref, setter, text) in list(_state.bindings.items()):
        widget = ref()
        if widget is None:
            _state.bindings.pop(key, None)
            continue
        method: Callable[[str], object] = getattr(widget, setter)
        method(str(text))


_ACCENTS = str.maketrans("aeiouAEIOUcnyCNY", "àéîöûÀÉÎÖÛçñýÇÑÝ")


def _pseudo(text: str) -> str:
    """`[Ƥàgé ... ~~~~]`: 40% longer, accented, bracketed, placeholders ({name}) kept intact."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        out.append(char if depth else char.translate(_ACCENTS))
    padded = "".join(out)
    return f"[{padded}{'~' * max(1, round(len(text) * 0.4) - 2)}]"
