"""argparse's own words ("usage:", "error:", "options"...) in the command line's language.

argparse words its usage, help headings and errors through `gettext` (`argparse._` and
`argparse.ngettext`), which finds no catalogue for them. `install()` replaces those two names,
only when panel.cli_text's language is Japanese, with look-ups in cli_ja.ts under the context
"Argparse" (the same file and parser as the CLI's other messages: no Qt, no .mo to ship). In
English nothing is replaced, so the output stays argparse's to the byte.

MSGIDS lists argparse's msgids (Python 3.11) with `marker` so that pyside6-lupdate extracts them;
one argparse does not know is shown in English.
"""

from __future__ import annotations

import argparse

from panel.cli_text import JAPANESE, cli_language, translate_marked
from panel.text import marker

MSGIDS = (
    marker("Argparse", "usage: "),
    marker("Argparse", "positional arguments"),
    marker("Argparse", "options"),
    marker("Argparse", "show this help message and exit"),
    marker("Argparse", "show program's version number and exit"),
    marker("Argparse", "%(prog)s: error: %(message)s\n"),
    marker("Argparse", "argument %(argument_name)s: %(message)s"),
    marker("Argparse", "the following arguments are required: %s"),
    marker("Argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    marker("Argparse", "invalid %(type)s value: %(value)r"),
    marker("Argparse", "unrecognized arguments: %s"),
    marker("Argparse", "expected one argument"),
    marker("Argparse", "expected at most one argument"),
    marker("Argparse", "expected at least one argument"),
    marker("Argparse", "expected %s argument"),
    marker("Argparse", "expected %s arguments"),
    marker("Argparse", "not allowed with argument %s"),
    marker("Argparse", "one of the arguments %s is required"),
    marker("Argparse", "ambiguous option: %(option)s could match %(matches)s"),
    marker("Argparse", "ignored explicit argument %r"),
    marker("Argparse", "unexpected option string: %s"),
    marker("Argparse", "can't open '%(filename)s': %(error)s"),
)


def _gettext(message: str) -> str:
    return translate_marked("Argparse", message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translate_marked("Argparse", singular if n == 1 else plural)


_ARGPARSE_OWN = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]


def install() -> None:
    """argparse words its parsers built from now on in the CLI's language: the look-ups when it
    is Japanese, argparse's own gettext otherwise (a later call in English undoes an earlier)."""
    if cli_language() == JAPANESE:
        argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    else:
        argparse._, argparse.ngettext = _ARGPARSE_OWN  # type: ignore[attr-defined]
