"""The translation workflow (Qt Linguist): extract, fill, build, check.

    python scripts/translations.py update [AREA...]   # pyside6-lupdate: sources -> <area>_ja.ts
    python scripts/translations.py fill AREA FILE.json # {"Context": {"source": "訳"}}
    python scripts/translations.py release            # pyside6-lrelease: every .ts -> panel_ja.qm
    python scripts/translations.py check              # exit 1 if a string is new or unfinished,
                                                      # or a call lupdate would skip (see lint)
    python scripts/translations.py lint [FILE...]     # only the literal-argument rule

Areas (resources/translations/areas.toml) keep one .ts per part of the code, so people working on
different parts never edit the same file. `translate`, `Text` (panel/ui/i18n.py) and `marker`
(panel/text.py) are the calls lupdate reads.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "translations"
LANGUAGE = "ja"
ALIASES = "translate+=Text,QT_TRANSLATE_NOOP+=marker"
SKIP = {"panel/ui/i18n.py"}  # defines the calls; its docstring examples are not strings to show


def areas() -> dict[str, list[Path]]:
    """Each area's source files; a file belongs to the first area that matches it."""
    config = tomllib.loads((FOLDER / "areas.toml").read_text(encoding="utf-8"))["areas"]
    taken: set[Path] = set()
    found: dict[str, list[Path]] = {}
    for name, area in config.items():
        files: list[Path] = []
        for pattern in area["globs"]:
            for path in sorted(ROOT.glob(pattern)):
                rel = path.relative_to(ROOT).as_posix()
                if path in taken or rel in SKIP or "__pycache__" in rel:
                    continue
                taken.add(path)
                files.append(path)
        found[name] = files
    return found


def ts_path(area: str) -> Path:
    return FOLDER / f"{area}_{LANGUAGE}.ts"


def tool(name: str) -> str:
    """pyside6-lupdate / -lrelease beside this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials")
    return found


def lupdate(files: list[Path], target: Path) -> None:
    if not files:
        return
    subprocess.run(
        [
            tool("pyside6-lupdate"),
            "-silent",
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            "ja_JP",
            "-tr-function-alias",
            ALIASES,
            *map(str, files),
            "-ts",
            str(target),
        ],
        check=True,
    )


def update(names: list[str]) -> None:
    for name, files in areas().items():
        if names and name not in names:
            continue
        lupdate(files, ts_path(name))


def fill(name: str, source: Path) -> None:
    """Writes translations into the area's .ts and marks them finished."""
    wanted: dict[str, dict[str, str]] = json.loads(source.read_text(encoding="utf-8"))
    path = ts_path(name)
    tree = ET.parse(path)
    for context in tree.getroot().iter("context"):
        table = wanted.get(context.findtext("name") or "", {})
        for message in context.iter("message"):
            text = table.get(message.findtext("source") or "")
            translation = message.find("translation")
            if text is None or translation is None or message.get("numerus") == "yes":
                continue
            translation.text = text
            translation.attrib.pop("type", None)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def release(out: Path | None = None) -> Path:
    target = out or FOLDER / f"panel_{LANGUAGE}.qm"
    files = [str(ts_path(n)) for n in areas() if ts_path(n).exists()]
    subprocess.run([tool("pyside6-lrelease"), "-silent", *files, "-qm", str(target)], check=True)
    return target


def problems() -> list[str]:
    """Strings that are new (not in a .ts yet) or have no finished translation."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, files in areas().items():
            fresh = Path(tmp) / ts_path(name).name
            if ts_path(name).exists():
                shutil.copy(ts_path(name), fresh)
            lupdate(files, fresh)
            if not fresh.exists():
                continue
            for context in ET.parse(fresh).getroot().iter("context"):
                for message in context.iter("message"):
                    translation = message.find("translation")
                    if translation is None or translation.get("type") == "unfinished":
                        found.append(
                            f"{name}: {context.findtext('name')}: {message.findtext('source')!r}"
                        )
    return found


# The calls lupdate reads, by the name they are defined under: (module, name) -> literals needed.
CALLS: dict[tuple[str, str], int] = {
    ("panel.ui.i18n", "translate"): 2,
    ("panel.ui.i18n", "Text"): 2,
    ("panel.text", "marker"): 2,
    ("panel.cli_text", "translate"): 2,  # the command line's (no Qt)
}
QT_CLASSES = {"QCoreApplication", "QApplication", "QGuiApplication"}


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


class _Lint(ast.NodeVisitor):
    """Finds translation calls that lupdate would skip or mis-read, in one module.

    A call is one of CALLS reached by the name it was imported under (or through its module,
    `i18n.translate`), `QCoreApplication.translate`, or Qt's `self.tr`/`tr`. Its context and
    source (only the source for `tr`) must be string literals; an f-string or a `+` anywhere in
    its arguments and any keyword argument are refused, and so is the call itself inside an
    f-string; importing one under another name is refused too (lupdate matches the name, so
    `translate as _` is never extracted).
    """

    def __init__(self, where: str) -> None:
        self.where = where
        self.names: dict[str, int] = {}  # local name -> literals needed
        self.modules: dict[str, str] = {}  # local name of an imported module -> its name
        self.found: list[str] = []
        self.in_fstring = 0  # lupdate reads an f-string as one string: calls inside are unseen

    def _say(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{self.where}:{getattr(node, 'lineno', 0)}: {what}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            if (node.module or "", alias.name) in CALLS:
                local = alias.asname or alias.name
                if local != alias.name:
                    self._say(node, f"{alias.name} imported as {local}: lupdate never sees it")
                self.names[local] = CALLS[(node.module or "", alias.name)]
            elif full in {m for m, _ in CALLS}:
                self.modules[alias.asname or alias.name] = full

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in {m for m, _ in CALLS} and alias.asname:
                self.modules[alias.asname] = alias.name

    def _needed(self, func: ast.expr) -> tuple[str, int] | None:
        if isinstance(func, ast.Name):
            if func.id in self.names:
                return func.id, self.names[func.id]
            if func.id == "tr":
                return "tr", 1
        elif isinstance(func, ast.Attribute):
            base = func.value
            if isinstance(base, ast.Name):
                module = self.modules.get(base.id)
                if module and (module, func.attr) in CALLS:
                    return f"{base.id}.{func.attr}", CALLS[(module, func.attr)]
                if base.id in QT_CLASSES and func.attr == "translate":
                    return f"{base.id}.translate", 2
            if func.attr == "tr":
                return "tr", 1
        return None

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self.in_fstring += 1
        self.generic_visit(node)
        self.in_fstring -= 1

    def visit_Call(self, node: ast.Call) -> None:
        found = self._needed(node.func)
        if found is not None:
            name, literals = found
            if self.in_fstring:
                self._say(node, f"{name}() inside an f-string is never extracted")
            args = node.args
            if len(args) < literals or not all(_is_literal(a) for a in args[:literals]):
                what = "context and source" if literals == 2 else "source"
                self._say(node, f"{name}(): the {what} must be string literals")
            for arg in [*args, *(k.value for k in node.keywords)]:
                for inner in ast.walk(arg):
                    if isinstance(inner, ast.JoinedStr):
                        self._say(inner, f"{name}(): an f-string is never extracted")
                    elif isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Add):
                        self._say(inner, f"{name}(): a concatenation is never extracted")
            if node.keywords:
                self._say(node, f"{name}(): keyword arguments make lupdate skip the call")
        self.generic_visit(node)


def lint_source(source: str, where: str = "<source>") -> list[str]:
    """Problems of one module's source (see _Lint), as 'where:line: what'."""
    checker = _Lint(where)
    checker.visit(ast.parse(source))
    return checker.found


def lint(paths: list[Path] | None = None) -> list[str]:
    """The literal-argument rule over `paths` (default: every panel/**/*.py but i18n.py)."""
    found: list[str] = []
    for path in paths or sorted((ROOT / "panel").rglob("*.py")):
        full = path.resolve()
        rel = full.relative_to(ROOT).as_posix() if full.is_relative_to(ROOT) else str(path)
        if rel in SKIP:
            continue
        found.extend(lint_source(path.read_text(encoding="utf-8"), rel))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update").add_argument("areas", nargs="*")
    filling = sub.add_parser("fill")
    filling.add_argument("area")
    filling.add_argument("json", type=Path)
    sub.add_parser("release")
    sub.add_parser("check")
    sub.add_parser("lint").add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    if args.command == "update":
        update(args.areas)
    elif args.command == "fill":
        fill(args.area, args.json)
    elif args.command == "release":
        print(release())
    elif args.command == "lint":
        bad = lint(args.files)
        print("\n".join(bad) if bad else "ok", file=sys.stderr if bad else sys.stdout)
        return 1 if bad else 0
    else:
        missing = lint() + problems()
        for line in missing:
            print(line)
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
