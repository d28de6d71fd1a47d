"""`mfp-panel server`: the cloud service alone, headless (no Qt is imported on this path)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from panel import config
from panel.modes.admin_client import AdminClient, AdminError
from panel.server.app import start_server
from panel.server.demo_data import describe, seed
from panel.server.relay import OFFER_TIMEOUT_S, RelaySettings
from panel.server.relay.accounts import check_new_password
from panel.server.store import ServerStore

LISTENING = "mfp-panel server listening on "


def server_argv(data: Path, port: int = 0, seed_demo: bool = False) -> list[str]:
    """The command that starts a server in its own process (benchmarks, end-to-end tests)."""
    argv = [sys.executable, "-m", "panel", "server", "--port", str(port), "--data", str(data)]
    return [*argv, "--seed-demo"] if seed_demo else argv


def listening_url(line: str) -> str | None:
    """The URL in the server's first line of output, once it is listening."""
    if not line.startswith(LISTENING):
        return None
    return line.removeprefix(LISTENING).split()[0]


async def serve(
    host: str, port: int, data: Path, seed_demo: bool, offer_timeout_s: float | None = None
) -> int:
    try:
        server = await start_server(
            data,
            host,
            port,
            admin_socket_dir=config.runtime_dir(),
            relay_settings=RelaySettings(offer_timeout_s=offer_timeout_s or OFFER_TIMEOUT_S),
        )
    except OSError as exc:
        print(f"mfp-panel: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if seed_demo:
        await seed(server.dispatcher)
    print(f"{LISTENING}{server.url}  (data: {data})", flush=True)
    print(f"  OpenAPI document: {server.url}/api/openapi.json", flush=True)
    print(
        f"  submit a job:     mfp-panel server submit --server {server.url} --user ID FILE",
        flush=True,
    )
    if seed_demo:
        print(describe(server.url), end="", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()
    return 0


async def submit(
    server_url: str | None,
    admin: str | None,
    user_id: str,
    path: Path,
    title: str | None,
    copies: int,
    device_id: str | None,
) -> int:
    try:
        client = AdminClient.locate(server_url, admin)
        job = await client.submit(user_id, path, title, copies, device_id)
    except AdminError as exc:
        print(f"mfp-panel: {exc}", file=sys.stderr)
        return 1
    where = (
        f"device {job.device_id}" if job.device_id else "held until the user logs in at a device"
    )
    print(
        f"{job.job_id}: {job.title!r} for {job.user_id}, "
        f"{job.pages} page(s) x {job.copies} -> {where}"
    )
    return 0


def add_user(data: Path, user_id: str, name: str, role: str) -> int:
    """Create or replace a user in the server's store (works while the server runs: WAL)."""
    pin = os.environ.get("MFP_PIN")
    if pin is None:
        import getpass

        pin = getpass.getpass(f"PIN for {user_id}: ")
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        print("mfp-panel: a PIN is 4 to 12 digits", file=sys.stderr)
        return 2
    store = ServerStore(data / "server.sqlite3")
    try:
        store.add_user(user_id, name, pin, role)
    finally:
        store.close()
    print(f"user {user_id} ({name}, {role}) saved")
    return 0


def add_operator(data: Path, operator_id: str, name: str) -> int:
    """Create or replace a remote-maintenance operator (password from MFP_PASSWORD or a prompt)."""
    password = os.environ.get("MFP_PASSWORD")
    if password is None:
        import getpass

        password = getpass.getpass(f"Password for {operator_id}: ")
    try:
        check_new_password(password)
    except ValueError as exc:
        print(f"mfp-panel: {exc}", file=sys.stderr)
        return 2
    store = ServerStore(data / "server.sqlite3")
    try:
        store.add_operator(operator_id, name, password)
    finally:
        store.close()
    print(f"operator {operator_id} ({name}) saved; they log in at /operator")
    return 0
