"""Named points right after a durable write, where a test may kill the process on purpose.

Random kills almost never land in the microseconds that matter (between a commit and the reply
that tells the other side about it), so durability is proven the way SQLite and FoundationDB
prove it: every durable write point has a name, and the crash-point sweep (tests/reliability)
runs a workload once per point with `MFP_CRASH_AT=<name>` (or `<name>@<n>`: the n-th time it is
reached) in the process's environment. The process SIGKILLs itself there; the sweep restarts it
and checks that nothing was lost, duplicated or left stuck.

Unarmed (every normal run) `CrashPoint.reach` is a function that does nothing: no lookup and no
environment read on the hot path. Points are declared at import, one per module-level constant:

    JOB_FINAL = crashpoints.point("device.job.final", "a job's final state and report committed")
    ...
    JOB_FINAL.reach()
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import signal
import sys
from collections.abc import Callable

ENV = "MFP_CRASH_AT"

_registry: dict[str, CrashPoint] = {}


def _nothing() -> None:
    return None


def _parse(spec: str) -> tuple[str, int]:
    name, _, nth = spec.partition("@")
    return name.strip(), int(nth) if nth.strip().isdigit() and int(nth) > 0 else 1


def _kill_self(name: str) -> None:
    # One unbuffered write so the sweep can tell "died at the point" from "died of a bug".
    os.write(sys.stderr.fileno(), f"crash point reached: {name}\n".encode())
    os.kill(os.getpid(), signal.SIGKILL)


class CrashPoint:
    """One named moment just after a durable write."""

    __slots__ = ("_left", "_then", "name", "reach", "where")

    def __init__(self, name: str, where: str) -> None:
        self.name = name
        self.where = where
        self.reach: Callable[[], None] = _nothing
        self._left = 0
        self._then: Callable[[], None] = _nothing

    def arm(self, action: Callable[[], None] | None = None, nth: int = 1) -> None:
        """Run `action` (default: SIGKILL this process) the `nth` time the point is reached."""
        self._left = nth
        self._then = action if action is not None else (lambda: _kill_self(self.name))
        self.reach = self._count

    def disarm(self) -> None:
        self.reach = _nothing

    def _count(self) -> None:
        self._left -= 1
        if self._left == 0:
            self.reach = _nothing
            self._then()


def point(name: str, where: str) -> CrashPoint:
    """Declare a crash point: `name` is `<side>.<concern>.<moment>` and unique; `where` says in
    words what has just been made durable."""
    if name in _registry:
        raise ValueError(f"crash point {name!r} is declared twice")
    cp = CrashPoint(name, where)
    _registry[name] = cp
    spec = os.environ.get(ENV)
    if spec:
        wanted, nth = _parse(spec)
        if wanted == name:
            cp.arm(nth=nth)
    return cp


def all_points() -> dict[str, CrashPoint]:
    """Every declared point of the device core and the server (imports their modules)."""
    for package in ("panel.device", "panel.server"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            importlib.import_module(info.name)
    return dict(sorted(_registry.items()))


def disarm_all() -> None:
    for cp in _registry.values():
        cp.disarm()
