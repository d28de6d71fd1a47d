"""`mfp-panel server`: the cloud service alone, headless (no Qt is imported on this path)."""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

from panel import config
from panel.cli import program
from panel.cli_text import translate
from panel.gc_policy import GcPolicy
from panel.modes.admin_client import AdminClient
from panel.modes.server_url import AdminError, check_url
from panel.relaunch import program_argv
from panel.server.api import trace_key
from panel.server.app import start_server
from panel.server.demo_data import describe, seed
from panel.server.relay import OFFER_TIMEOUT_S, RelaySettings
from panel.server.relay.accounts import check_new_password
from panel.server.store import ServerStore
from panel.threads import in_thread

LISTENING = "mfp-panel server listening on "


def server_argv(data: Path, port: int = 0, seed_demo: bool = False) -> list[str]:
    """The command that starts a server in its own process (benchmarks, end-to-end tests)."""
    argv = program_argv("server", "--port", str(port), "--data", str(data))
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
        print(f"mfp-panel: {cannot_listen(host, port, exc)}", file=sys.stderr)
        return 2
    if seed_demo:
        await seed(server.dispatcher)
    where = data_file(server.port)
    # For `server add-user` on this machine: which data directory this server uses.
    await in_thread(_record_data_dir, where, data)
    print(f"{LISTENING}{server.url}  (data: {data})", flush=True)
    # The line above is read by programs (LISTENING): it stays as it is in every language.
    url = server.url
    print("  " + translate("Cli", "in a browser:     {url}/").format(url=url), flush=True)
    openapi = translate("Cli", "OpenAPI document: {url}/api/openapi.json").format(url=url)
    print(f"  {openapi}", flush=True)
    submit_job = translate(
        "Cli", "submit a job:     {command} server submit --server {url} --user ID FILE"
    )
    print("  " + submit_job.format(command=program(), url=url), flush=True)
    if seed_demo:
        print(describe(server.url), end="", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # No second-long pauses with thousands of devices connected; its full collections traced.
    collector = GcPolicy(trace=server.app[trace_key])
    collector.start()
    try:
        await stop.wait()
    finally:
        await collector.stop()
        await in_thread(where.unlink, True)
        await server.stop()
    return 0


def _record_data_dir(where: Path, data: Path) -> None:
    where.write_text(str(data.absolute()))


def cannot_listen(host: str, port: int, exc: OSError) -> str:
    """Why a server could not listen, and what to do: a busy port is named as such."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is in use (another server, or another program); "
            f"pass another --port, or --port 0 for a free one"
        )
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def data_file(port: int) -> Path:
    """Beside the admin socket of the server on `port`: the data directory it uses."""
    return config.server_socket(port).with_suffix(".data")


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
        translate("Cli", "device {device}").format(device=job.device_id)
        if job.device_id
        else translate("Cli", "held until the user logs in at a device")
    )
    made = translate("Cli", "{job}: {title} for {user}, {pages} page(s) x {copies} -> {where}")
    print(
        made.format(
            job=job.job_id,
            title=repr(job.title),
            user=job.user_id,
            pages=job.pages,
            copies=job.copies,
            where=where,
        )
    )
    return 0


def _running_data_dir(server_url: str | None) -> Path | None:
    """The data directory of a server running on this machine: the one `server_url` names, or
    the only one running when it is None. None when no such server runs (or several do)."""
    if server_url is None:
        found = [p for p in config.runtime_dir().glob("server-*.data") if p.exists()]
        ports = [int(p.stem.removeprefix("server-")) for p in found]
    else:
        ports = [urlsplit(check_url(server_url)).port or 0]
    live = [p for p in ports if config.server_socket(p).is_socket() and data_file(p).exists()]
    if server_url is None and len(live) != 1:
        return None
    if not live:
        raise AdminError(
            f"no server runs at {server_url} on this machine (add-user writes to a local "
            "server's data directory): start it, or pass --data DIR"
        )
    return Path(data_file(live[0]).read_text())


def add_user(
    data: Path | None,
    server_url: str | None,
    user_id: str,
    name: str,
    role: str,
    replace: bool = False,
) -> int:
    """Create a user in a server's store (works while the server runs: WAL). The store is
    `--data`, else the running local server's, else the default data directory."""
    try:
        data = data or _running_data_dir(server_url) or config.data_dir() / "server"
    except AdminError as exc:
        print(f"mfp-panel: {exc}", file=sys.stderr)
        return 2
    store = ServerStore(data / "server.sqlite3")
    try:
        existing = store.user(user_id)
        if existing is not None and not replace:
            exists = translate(
                "Cli",
                "user {user} exists already ({name}, {role}) in {data}; "
                "pass --replace to replace them",
            )
            print(
                "mfp-panel: "
                + exists.format(user=user_id, name=existing.name, role=existing.role, data=data),
                file=sys.stderr,
            )
            return 1
        pin = os.environ.get("MFP_PIN")
        if pin is None:
            import getpass

            pin = getpass.getpass(translate("Cli", "PIN for {user}: ").format(user=user_id))
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            print("mfp-panel: " + translate("Cli", "a PIN is 4 to 12 digits"), file=sys.stderr)
            return 2
        store.add_user(user_id, name, pin, role)
    finally:
        store.close()
    done = (
        translate("Cli", "user {user} ({name}, {role}) replaced in {path}")
        if existing is not None
        else translate("Cli", "user {user} ({name}, {role}) saved in {path}")
    )
    print(done.format(user=user_id, name=name, role=role, path=data / "server.sqlite3"))
    return 0


def add_operator(data: Path, operator_id: str, name: str) -> int:
    """Create or replace a remote-maintenance operator (password from MFP_PASSWORD or a prompt)."""
    password = os.environ.get("MFP_PASSWORD")
    if password is None:
        import getpass

        password = getpass.getpass(
            translate("Cli", "Password for {operator}: ").format(operator=operator_id)
        )
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
    saved = translate("Cli", "operator {operator} ({name}) saved; they log in at /operator")
    print(saved.format(operator=operator_id, name=name))
    return 0
