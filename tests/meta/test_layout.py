"""Test helpers live in tests/support only: no test module imports another test module, a
conftest, or a helper module that sits beside the tests (they would run its tests twice, or
couple one folder's tests to another's)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SUPPORT = TESTS / "support"


def _local_modules() -> set[str]:
    """Modules importable from the tests tree (pytest puts each test folder on sys.path), other
    than the `support` package."""
    names = {"conftest"}
    for path in TESTS.rglob("*.py"):
        if SUPPORT not in path.parents:
            names.add(path.stem)
    return names


def _imported(tree: ast.Module) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif isinstance(node, ast.ImportFrom):  # relative: tests are not packages
            found.append((node.lineno, "." * node.level + (node.module or "")))
    return found


def test_no_test_module_imports_another_or_a_helper_outside_support() -> None:
    local = _local_modules()
    wrong = [
        f"{path.relative_to(TESTS)}:{line}: imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, name in _imported(ast.parse(path.read_text(), str(path)))
        if name.startswith(("test_", ".")) or name in local
    ]
    assert not wrong, "helpers belong in tests/support:\n" + "\n".join(wrong)
