"""Starting a worker script (tests/integration/*_worker.py, support.device_worker) as a process of
its own, the device secret handed over on standard input, never on the command line."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path


async def start_worker(
    script: Path, *args: str, secret: str, env: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    """`script args...` under this interpreter, all three standard streams piped, `env` its
    environment (None: this process's); `secret` and a newline are written to its standard
    input, which is then closed."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write(secret.encode() + b"\n")
    await proc.stdin.drain()
    proc.stdin.close()
    return proc
