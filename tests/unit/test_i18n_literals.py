"""Guard (issue 19): every translation call in panel/ can be extracted by lupdate.

lupdate reads the source text: a call whose context or source is not a literal, that builds the
string with an f-string or `+`, or that has keyword arguments is skipped without a word, and its
string stays English in every language. The checker lives in scripts/translations.py (`lint`,
also run by `check`); these tests run it on the tree and show it catches each bad shape.
"""

from __future__ import annotations

import textwrap

import pytest
from support.i18n import translations


def lint(source: str) -> list[str]:
    found: list[str] = translations().lint_source(textwrap.dedent(source), "snippet.py")
    return found


def test_every_translation_call_in_the_panel_has_literal_arguments() -> None:
    found = translations().lint()
    assert not found, "lupdate would skip these calls (see /work/notes/i18n.md):\n" + "\n".join(
        found
    )


GOOD = """
    from PySide6.QtCore import QCoreApplication
    from panel.text import marker
    from panel.ui import i18n
    from panel.ui.i18n import Text, bind, translate, translate_marked

    translate("Jobs", "Cancel")
    translate("Jobs", "%n job(s)", None, count)
    Text("Jobs", "Page {page} of {total}").format(page=3, total=10)
    i18n.translate("Home", "Copy")
    marker("Core", "Paper jam in tray 1")
    QCoreApplication.translate("Login", "Log in")
    translate_marked("Core", message)  # marked elsewhere
    bind(label, Text("Home", "Scan"), "setToolTip")
    painter.translate(0, height)  # QPainter's, not a translation
    "abc".translate(table)
"""


def test_literal_calls_and_unrelated_translate_methods_pass() -> None:
    assert lint(GOOD) == []


def test_a_text_class_of_another_module_is_not_a_translation() -> None:
    assert lint("from panel.protocol.apps import Text\nText(value, style)\n") == []


BAD = {
    "variable source": (
        "from panel.ui.i18n import translate\ntranslate('Jobs', name)\n",
        "literal",
    ),
    "variable context": ("from panel.ui.i18n import Text\nText(ctx, 'Cancel')\n", "literal"),
    "one argument": ("from panel.ui.i18n import Text\nText('Cancel')\n", "literal"),
    "f-string": (
        "from panel.ui.i18n import translate\ntranslate('Jobs', f'{n} jobs')\n",
        "f-string",
    ),
    "f-string in a later argument": (
        "from panel.ui.i18n import translate\ntranslate('Jobs', 'Jobs', f'{d}')\n",
        "f-string",
    ),
    "concatenation": (
        "from panel.ui.i18n import translate\ntranslate('Jobs', 'Can' + 'cel')\n",
        "concatenation",
    ),
    "keyword argument": (
        "from panel.ui.i18n import translate\ntranslate('Jobs', 'Cancel', n=2)\n",
        "keyword",
    ),
    "keyword context": (
        "from panel.ui.i18n import Text\nText(context='Jobs', source='Cancel')\n",
        "keyword",
    ),
    "through the module": ("from panel.ui import i18n\ni18n.translate('Home', label)\n", "literal"),
    "marker": (
        "from panel.text import marker\nmarker('Core', 'Jam in ' + tray)\n",
        "concatenation",
    ),
    "QCoreApplication.translate": (
        "QCoreApplication.translate('Login', text)\n",
        "literal",
    ),
    "self.tr": ("class A:\n    def f(self):\n        return self.tr(self.name)\n", "literal"),
    "tr f-string": ("tr(f'{x} pages')\n", "f-string"),
    "call inside an f-string": (
        "from panel.ui.i18n import translate\nx = f\"  {translate('Cli', 'Users:')}\"\n",
        "inside an f-string",
    ),
    "renamed import": ("from panel.ui.i18n import translate as _\n_('Jobs', 'Cancel')\n", "as _"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_checker_catches_each_call_lupdate_would_skip(case: str) -> None:
    source, expected = BAD[case]
    found = lint(source)
    assert found, f"{case}: not caught"
    assert any(expected in line for line in found), found
    assert all(line.startswith("snippet.py:") for line in found)


def test_the_checker_names_the_line() -> None:
    found = lint("from panel.ui.i18n import translate\n\n\ntranslate('Jobs', name)\n")
    assert found == ["snippet.py:4: translate(): the context and source must be string literals"]
