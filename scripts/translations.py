"""The translation workflow (Qt Linguist): extract, fill, build, check.

    python scripts/translations.py update [AREA...]   # pyside6-lupdate: sources -> <area>_ja.ts
    python scripts/translations.py fill AREA FILE.json # {"Context": {"source": "訳"}}
    python scripts/translations.py release            # pyside6-lrelease: every .ts -> panel_ja.qm
    python scripts/translations.py check              # exit 1 if a string is new or unfinished

Areas (resources/translations/areas.toml) keep one .ts per part of the code, so people working on
different parts never edit the same file. `translate`, `Text` (panel/ui/i18n.py) and `marker`
(panel/text.py) are the calls lupdate reads.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    if args.command == "update":
        update(args.areas)
    elif args.command == "fill":
        fill(args.area, args.json)
    elif args.command == "release":
        print(release())
    else:
        missing = problems()
        for line in missing:
            print(line)
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
