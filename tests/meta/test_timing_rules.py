"""Two rules of issue 10 (acceptance 2), checked on every run so they stay true:
- no warning filter anywhere hides a ResourceWarning or an unraisable exception (a leaked
  socket must fail its test, not be filtered away);
- no test waits a fixed, positive time (`asyncio.sleep(0.1)`, `time.sleep`, `qtbot.wait(20)`,
  `QTest.qWait`) outside the tests marked `@pytest.mark.realtime`: tests advance a ManualClock
  or wait on an event. A sleep inside a `while` loop is a poll of a condition and is allowed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

WAITS = {("asyncio", "sleep"), ("time", "sleep"), ("QTest", "qWait"), ("qtbot", "wait")}
ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
HIDING = re.compile(
    r"(filterwarnings|simplefilter|-W)\b[^\n]*(ResourceWarning|Unraisable)"
    r"|ignore:[^\n\"']*(ResourceWarning|Unraisable)"
)


def _sources() -> Iterator[Path]:
    for pattern in ("panel/**/*.py", "tests/**/*.py", "scripts/*", ".ci/*", "*.toml", "*.cfg"):
        for path in ROOT.glob(pattern):
            if path.is_file() and path != Path(__file__).resolve():
                yield path


def test_no_warning_filter_hides_resource_warnings_or_unraisable_exceptions() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _sources()
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if HIDING.search(line)
    ]
    assert not found, "a leak must fail its test, not be filtered:\n" + "\n".join(found)


def _is_fixed_wait(call: ast.Call) -> bool:
    """`asyncio.sleep(0.1)`, `time.sleep(1)`, `sleep(1)`, `QTest.qWait(20)`, `qtbot.wait(20)`
    with a positive literal (a device clock's `sleep` is virtual time on a ManualClock)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = getattr(func.value, "id", "")
        if (owner, func.attr) not in WAITS:
            return False
    elif getattr(func, "id", "") != "sleep":
        return False
    if not call.args or not isinstance(call.args[0], ast.Constant):
        return False
    value = call.args[0].value
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _is_realtime(node: ast.AST) -> bool:
    """Decorated (or, for a module's `pytestmark`, assigned) with `pytest.mark.realtime`."""
    return any(
        isinstance(n, ast.Attribute) and n.attr == "realtime"
        for d in getattr(node, "decorator_list", [])
        for n in ast.walk(d)
    )


def _fixed_waits(body: list[ast.stmt]) -> Iterator[int]:
    """Line numbers of fixed waits in `body`, not counting those inside a `while` (polls)."""
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.While):
            continue
        if isinstance(node, ast.Call) and _is_fixed_wait(node):
            yield node.lineno
        todo.extend(ast.iter_child_nodes(node))


def _offenders(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(), str(path))
    module_realtime = any(
        isinstance(stmt, ast.Assign)
        and any(getattr(t, "id", "") == "pytestmark" for t in stmt.targets)
        and "realtime" in ast.unparse(stmt.value)
        for stmt in tree.body
    )
    if module_realtime:
        return
    functions = [s for s in tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    tests = [f for f in functions if f.name.startswith("test_")]
    for function in functions:
        lines = list(_fixed_waits(function.body))
        if not lines:
            continue
        if function.name.startswith("test_"):
            users = [function]
        else:  # a helper: fine when every test that uses it is a real-time test
            users = [
                t for t in tests if any(getattr(n, "id", "") == function.name for n in ast.walk(t))
            ]
        if not users or not all(_is_realtime(t) for t in users):
            for line in lines:
                yield f"{path.relative_to(ROOT)}:{line} in {function.name}"


def test_no_fixed_sleep_outside_the_tests_marked_realtime() -> None:
    found = [o for path in sorted(TESTS.rglob("*.py")) for o in _offenders(path)]
    assert not found, (
        "a fixed wait outside a @pytest.mark.realtime test (advance a ManualClock or wait on an"
        " event instead):\n" + "\n".join(found)
    )
