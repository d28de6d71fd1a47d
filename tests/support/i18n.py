"""Languages in tests: the language is process-wide, so a test that switches it switches back.

`language` (a fixture) is `set_language`; whatever the test picked, English is back after it.
`translations` is scripts/translations.py as a module (the workflow and its literal-argument
lint), for the guards in tests/unit/test_i18n*.py.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """The panel in `code` inside the block, English after it (even when the block fails)."""
    from panel.ui import i18n

    try:
        i18n.set_language(code)
        yield
    finally:
        i18n.set_language(i18n.ENGLISH)


@contextmanager
def as_device_language(code: str) -> Iterator[None]:
    """`in_language(code)`, with `code` as the device's own language too, as $MFP_LANGUAGE sets
    it: a logout (which puts the device's language back after a walk-up user's language key)
    and Settings' saved language (English in a fresh device) keep it. The pseudo language is
    no setting a device can hold, hence the patch of the window's lookup."""
    import os
    from unittest import mock

    with (
        mock.patch.dict(os.environ, {"MFP_LANGUAGE": code}),
        mock.patch("panel.ui.window.configured_language", return_value=code),
        in_language(code),
    ):
        yield


@pytest.fixture
def language() -> Iterator[Callable[[str], None]]:
    """`language("ja")` switches the panel (panel.ui.i18n.set_language); English after the test."""
    from panel.ui import i18n

    try:
        yield i18n.set_language
    finally:
        i18n.set_language(i18n.ENGLISH)


def translations() -> ModuleType:
    """scripts/translations.py, imported once by its path (scripts/ is not a package)."""
    name = "mfp_translations_script"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "translations.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
