"""`mfp-panel`: demo, run, server (serve/submit/add-user/add-app/add-operator), networks, bench.

Each mode imports only what it needs: `server` never imports Qt, so it runs on a headless box.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from pathlib import Path

from panel import __version__, cli_argparse, config
from panel.cli_text import translate
from panel.relaunch import STARTUP_BASELINE


def program() -> str:
    """This program as a shell command that works when typed: the console script's full path
    (a venv's bin is rarely on PATH), else the interpreter with `-m panel`. Frozen (the
    installed package), the executable itself: `mfp-panel` when that is what PATH finds."""
    if getattr(sys, "frozen", False):
        import shutil

        on_path = shutil.which("mfp-panel")
        if on_path and Path(on_path).resolve() == Path(sys.executable).resolve():
            return "mfp-panel"
        return shlex.quote(sys.executable)
    argv0 = Path(sys.argv[0])
    if argv0.name == "mfp-panel" and argv0.is_file():
        return shlex.quote(str(argv0.absolute()))
    script = Path(sys.executable).parent / "mfp-panel"
    if script.is_file():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m panel"


def _screen(text: str) -> tuple[int, int]:
    try:
        return config.parse_screen(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(translate("Cli", "must be positive"))
    return value


def _upstream(text: str) -> tuple[str, int]:
    from panel.sim.serve import upstream_arg  # the simulator is imported only when used

    return upstream_arg(text)


def _network(text: str) -> tuple[str, int]:
    from panel.sim.serve import network_arg

    return network_arg(text)


def _gui_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--screen",
        type=_screen,
        default=(1024, 600),
        metavar="WxH",
        help=translate("Cli", "panel resolution: 1024x600 (default), 800x480 or 1280x800"),
    )
    p.add_argument(
        "--clock-scale",
        type=_positive,
        default=1.0,
        metavar="X",
        help=translate("Cli", "run the device clock X times faster (demos)"),
    )
    p.add_argument(
        "--ppm",
        type=_positive,
        default=30.0,
        help=translate("Cli", "print speed, pages per minute"),
    )
    p.add_argument("--exit-after-paint", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--no-dock",
        dest="dock",
        action="store_false",
        help=translate("Cli", "start with the QA simulator dock hidden (F12 shows it)"),
    )


def _demo_devices(text: str) -> int:
    from panel.modes.gui_mode import MAX_DEMO_DEVICES

    if not text.isdigit() or not 1 <= int(text) <= MAX_DEMO_DEVICES:
        message = translate("Cli", "must be a number from 1 to {n}")
        raise argparse.ArgumentTypeError(message.format(n=MAX_DEMO_DEVICES))
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    cli_argparse.install()  # before any parser: argparse words its headings when built
    parser = argparse.ArgumentParser(
        prog="mfp-panel",
        description=translate(
            "Cli", "Emulator of a multifunction printer's front panel and its cloud service."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mfp-panel {__version__}",
        help=translate("Argparse", "show program's version number and exit"),  # argparse's own
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser(
        "demo", help=translate("Cli", "server + demo data + a panel, nothing to set up")
    )
    _gui_args(demo)
    demo.add_argument(
        "--port", type=int, default=0, help=translate("Cli", "server port (default: a free one)")
    )
    demo.add_argument(
        "--keep", action="store_true", help=translate("Cli", "keep the demo's data directory")
    )
    demo.add_argument(
        "--devices",
        type=_demo_devices,
        default=1,
        metavar="N",
        help=translate(
            "Cli", "panels (devices) that find each other on the loopback LAN (default 1)"
        ),
    )

    run = sub.add_parser("run", help=translate("Cli", "a panel for a device of a running server"))
    _gui_args(run)
    run.add_argument("--server", help=translate("Cli", "server URL, e.g. http://127.0.0.1:8631"))
    run.add_argument(
        "--name", default="MFP", help=translate("Cli", "device name (one settings file per name)")
    )
    run.add_argument(
        "--admin", help=translate("Cli", "admin user ID for registering (PIN from MFP_ADMIN_PIN)")
    )
    run.add_argument(
        "--ephemeral",
        action="store_true",
        help=translate("Cli", "keep the device identity in memory only (no keyring needed)"),
    )

    server = sub.add_parser("server", help=translate("Cli", "the cloud service (headless)"))
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8631)
    server.add_argument("--data", type=Path, default=None, help=translate("Cli", "data directory"))
    server.add_argument(
        "--seed-demo", action="store_true", help=translate("Cli", "add the demo users and jobs")
    )
    server.add_argument(
        "--offer-timeout",
        type=_positive,
        default=None,
        help=translate(
            "Cli",
            "seconds an operator has to accept a maintenance call before the next is tried "
            "(default 20)",
        ),
    )
    server_sub = server.add_subparsers(dest="server_command")
    submit = server_sub.add_parser("submit", help=translate("Cli", "create a print job for a user"))
    submit.add_argument(
        "--server", help=translate("Cli", "server URL (default: the one local server running)")
    )
    submit.add_argument("--user", required=True, help=translate("Cli", "user ID the job is for"))
    submit.add_argument("--title")
    submit.add_argument("--copies", type=int, default=1)
    submit.add_argument(
        "--device",
        help=translate(
            "Cli", "device ID (default: where the user is logged in, else held until they log in)"
        ),
    )
    submit.add_argument(
        "--admin",
        help=translate("Cli", "admin user ID for a remote server (PIN from MFP_ADMIN_PIN)"),
    )
    submit.add_argument("file", type=Path)
    add_user = server_sub.add_parser(
        "add-user", help=translate("Cli", "create a user (PIN from MFP_PIN or a prompt)")
    )
    add_user.add_argument("user_id")
    add_user.add_argument("name")
    add_user.add_argument("--role", choices=["user", "admin"], default="user")
    add_user.add_argument(
        "--replace",
        action="store_true",
        help=translate("Cli", "replace the user if the ID exists already"),
    )
    where = add_user.add_mutually_exclusive_group()
    where.add_argument(
        "--server",
        help=translate(
            "Cli",
            "the running local server whose data directory to write to (e.g. "
            "http://127.0.0.1:8631; default: the one local server running, if there is one)",
        ),
    )
    where.add_argument(
        "--data",
        dest="user_data",
        type=Path,
        help=translate("Cli", "the server data directory to write to"),
    )
    add_app = server_sub.add_parser(
        "add-app",
        help=translate(
            "Cli", "register an external app (S8) by its URL (manifest at URL/manifest.json)"
        ),
    )
    add_app.add_argument("url")
    add_app.add_argument(
        "--server", help=translate("Cli", "server URL (default: the one local server running)")
    )
    add_app.add_argument(
        "--admin", help=translate("Cli", "admin user ID for a remote server (MFP_ADMIN_PIN)")
    )
    add_app.add_argument(
        "--roles",
        type=lambda v: [r for r in v.split(",") if r],
        help=translate(
            "Cli",
            "comma-separated roles allowed to use the app (user,admin); default: the manifest's",
        ),
    )
    add_operator = server_sub.add_parser(
        "add-operator",
        help=translate(
            "Cli", "create a remote-maintenance operator (password from MFP_PASSWORD or a prompt)"
        ),
    )
    add_operator.add_argument("operator_id")
    add_operator.add_argument("name")

    networks = sub.add_parser(
        "networks",
        help=translate(
            "Cli", "simulated networks (Toxiproxy's toxics) in front of a server; headless"
        ),
    )
    networks.add_argument(
        "--upstream",
        required=True,
        type=_upstream,
        metavar="HOST:PORT",
        help=translate("Cli", "the server they lead to, e.g. 127.0.0.1:8631"),
    )
    networks.add_argument(
        "--control-port",
        type=int,
        default=None,
        metavar="N",
        help=translate(
            "Cli", "HTTP control API on 127.0.0.1:N (default 8474, Toxiproxy's; 0: a free port)"
        ),
    )
    networks.add_argument(
        "--network",
        action="append",
        default=[],
        type=_network,
        metavar="NAME=PORT",
        help=translate(
            "Cli",
            "a network on 127.0.0.1:PORT, repeatable (default: 'Wired LAN' and 'LTE', free ports)",
        ),
    )

    phone = sub.add_parser(
        "phone",
        help=translate(
            "Cli", "the phone simulator (S7): a gallery page that shows a QR code for a photo"
        ),
    )
    phone.add_argument(
        "--images",
        type=Path,
        default=None,
        metavar="DIR",
        help=translate("Cli", "its photos (default: samples)"),
    )
    phone.add_argument(
        "--host",
        default="127.0.0.1",
        help=translate("Cli", "address to listen on and to put in its QR codes"),
    )
    phone.add_argument(
        "--port",
        type=int,
        default=8640,
        help=translate("Cli", "port (default 8640; 0: a free one)"),
    )

    fleet = sub.add_parser(
        "fleet",
        help=translate(
            "Cli", "N headless devices against a running server, for load tests; headless"
        ),
    )
    fleet.add_argument("--devices", type=int, required=True, metavar="N")
    fleet.add_argument(
        "--server", required=True, help=translate("Cli", "server URL, e.g. http://127.0.0.1:8631")
    )
    fleet.add_argument(
        "--admin",
        help=translate(
            "Cli", "admin user ID, to submit jobs to a server with no local admin socket"
        ),
    )
    fleet.add_argument(
        "--processes",
        type=int,
        default=None,
        metavar="K",
        help=translate("Cli", "worker processes (one a core)"),
    )
    fleet.add_argument(
        "--duration",
        type=float,
        default=30.0,
        metavar="S",
        help=translate("Cli", "seconds of jobs (default 30)"),
    )
    fleet.add_argument(
        "--rate", type=float, default=20.0, help=translate("Cli", "jobs a second (default 20)")
    )
    fleet.add_argument(
        "--data",
        type=Path,
        help=translate("Cli", "the server's data directory (default: the local server's)"),
    )

    report = sub.add_parser(
        "report",
        help=translate(
            "Cli", "a bug-report zip (traces, versions, settings without secrets); headless"
        ),
    )
    report.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="PATH",
        help=translate("Cli", "the zip (default: one here)"),
    )
    report.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=translate(
            "Cli", "a demo's or device's data directory (default: the program's data directory)"
        ),
    )

    scenario = sub.add_parser(
        "scenario", help=translate("Cli", "scenario files: field issues replayed (issue 18)")
    )
    scenario_sub = scenario.add_subparsers(dest="scenario_command", required=True)
    scenario_run = scenario_sub.add_parser(
        "run",
        help=translate(
            "Cli", "run scenario files: headless on a virtual clock unless --panel or --speed"
        ),
    )
    scenario_run.add_argument(
        "files", type=Path, nargs="+", metavar="FILE", help=translate("Cli", "TOML files")
    )
    scenario_run.add_argument(
        "--panel",
        action="store_true",
        help=translate("Cli", "show the panel and the QA dock, in real time"),
    )
    scenario_run.add_argument(
        "--speed",
        type=_positive,
        default=None,
        metavar="N",
        help=translate(
            "Cli", "with the panel, on a real clock N times faster (the network keeps real time)"
        ),
    )
    scenario_run.add_argument(
        "--junit",
        type=Path,
        default=None,
        metavar="PATH",
        help=translate("Cli", "write JUnit XML there"),
    )
    scenario_run.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help=translate("Cli", "keep each run's data under DIR"),
    )

    bench = sub.add_parser("bench", help=translate("Cli", "measure and print figures"))
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    startup = bench_sub.add_parser(
        "startup", help=translate("Cli", "process start -> login screen painted")
    )
    startup.add_argument("--runs", type=int, default=7)
    startup.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    push = bench_sub.add_parser(
        "push", help=translate("Cli", "server job creation -> job visible in the device")
    )
    push.add_argument("--jobs", type=int, default=1000)
    push.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    push.add_argument(
        "--latency",
        type=int,
        default=0,
        metavar="MS",
        help=translate("Cli", "through a simulated network with this latency toxic"),
    )
    push.add_argument(
        "--jitter", type=int, default=0, metavar="MS", help=translate("Cli", "+/- on the latency")
    )
    failover = bench_sub.add_parser(
        "failover",
        help=translate(
            "Cli", "network 1 fails -> a process gets through network 2; dead-link detection"
        ),
    )
    failover.add_argument("--runs", type=int, default=5)
    failover.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    outbox = bench_sub.add_parser(
        "outbox", help=translate("Cli", "enqueue, restore and drain of held jobs")
    )
    outbox.add_argument("--backlog", type=int, default=10_000)
    outbox.add_argument(
        "--cycles", type=int, default=5, help=translate("Cli", "outages for the restore figure")
    )
    outbox.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    wake = bench_sub.add_parser(
        "wake",
        help=translate("Cli", "job for a sleeping device -> it confirmed awake through its proxy"),
    )
    wake.add_argument("--runs", type=int, default=20)
    wake.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    remote = bench_sub.add_parser(
        "remote",
        help=translate(
            "Cli", "remote-maintenance live view: frames/s, tap -> frame, at 256 kbit/s"
        ),
    )
    remote.add_argument(
        "--seconds", type=float, default=10.0, help=translate("Cli", "measured per figure (1-600)")
    )
    remote.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    engine_bench = bench_sub.add_parser(
        "engine",
        help=translate(
            "Cli", "pages per minute against the configured rate; jam cleared -> next page"
        ),
    )
    engine_bench.add_argument(
        "--pages", type=int, default=60, help=translate("Cli", "pages a job (>= 2)")
    )
    engine_bench.add_argument(
        "--ppm", type=float, default=120.0, help=translate("Cli", "simplex pages/min")
    )
    engine_bench.add_argument(
        "--ppm-duplex", type=float, default=100.0, help=translate("Cli", "duplex pages/min")
    )
    engine_bench.add_argument(
        "--jams", type=int, default=10, help=translate("Cli", "jam-clear runs")
    )
    engine_bench.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    files_bench = bench_sub.add_parser(
        "files",
        help=translate(
            "Cli", "a shared file relayed device -> server -> device: MB/s, first byte, RSS"
        ),
    )
    files_bench.add_argument(
        "--size-mb", type=int, default=100, help=translate("Cli", "the file's size (MB)")
    )
    files_bench.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    qr_bench = bench_sub.add_parser(
        "qr",
        help=translate(
            "Cli", "QR connection: decode time, degraded frames decoded, QR shown -> projected"
        ),
    )
    qr_bench.add_argument(
        "--runs", type=int, default=7, help=translate("Cli", "5 MB transfers measured")
    )
    qr_bench.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    apps_bench = bench_sub.add_parser(
        "apps",
        help=translate(
            "Cli", "server apps: Apps tile tapped -> first screen painted, action -> next"
        ),
    )
    apps_bench.add_argument(
        "--runs", type=int, default=15, help=translate("Cli", "app launches measured")
    )
    apps_bench.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    language_bench = bench_sub.add_parser(
        "language",
        help=translate("Cli", "language key tapped -> every visible screen redrawn in the other"),
    )
    language_bench.add_argument(
        "--switches", type=int, default=10, help=translate("Cli", "each way (2-200)")
    )
    language_bench.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object")
    )
    fleet_bench = bench_sub.add_parser(
        "fleet",
        help=translate(
            "Cli", "one server holding N devices: push latency, burst, a 5 s stall, memory"
        ),
    )
    fleet_bench.add_argument("--devices", type=int, default=5000)
    fleet_bench.add_argument(
        "--processes",
        type=int,
        default=None,
        help=translate("Cli", "fleet worker processes (default: one a core)"),
    )
    fleet_bench.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of the figures")
    )
    scenario_bench = bench_sub.add_parser(
        "scenario",
        help=translate("Cli", "scenarios headless on the virtual clock: timeline vs wall time"),
    )
    scenario_bench.add_argument(
        "files",
        type=Path,
        nargs="*",
        metavar="FILE",
        help=translate("Cli", "default: the examples in scenarios/"),
    )
    scenario_bench.add_argument(
        "--json", action="store_true", help=translate("Cli", "one JSON object of figures")
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    # Hidden: `bench startup`'s bare-window baseline (`python -m panel` dispatches it earlier).
    if (sys.argv[1:] if argv is None else argv)[:1] == [STARTUP_BASELINE]:
        from panel.bench.startup_baseline import main as baseline

        return baseline()
    if (sys.argv[1:] if argv is None else argv)[:1] == ["_fleet-worker"]:  # hidden: fleet workers
        from panel.fleet.worker import main as fleet_worker

        return fleet_worker((sys.argv[1:] if argv is None else argv)[1:])
    args = build_parser().parse_args(argv)
    if args.command == "server":
        from panel.modes import server_mode

        data = args.data or config.data_dir() / "server"
        if args.server_command == "submit":
            return asyncio.run(
                server_mode.submit(
                    args.server,
                    args.admin,
                    args.user,
                    args.file,
                    args.title,
                    args.copies,
                    args.device,
                )
            )
        if args.server_command == "add-user":
            return server_mode.add_user(
                args.user_data or args.data,
                args.server,
                args.user_id,
                args.name,
                args.role,
                args.replace,
            )
        if args.server_command == "add-app":
            from panel.server.apps.admin import add_app

            return asyncio.run(add_app(args.server, args.admin, args.url, args.roles))
        if args.server_command == "add-operator":
            return server_mode.add_operator(data, args.operator_id, args.name)
        return asyncio.run(
            server_mode.serve(args.host, args.port, data, args.seed_demo, args.offer_timeout)
        )
    if args.command == "networks":
        from panel.sim.serve import serve

        return asyncio.run(serve(args.upstream, args.control_port, args.network))
    if args.command == "phone":
        from panel.sim.phone import serve as serve_phone

        return asyncio.run(serve_phone(args.images, args.host, args.port))
    if args.command == "fleet":
        from panel.modes.fleet_mode import fleet

        return fleet(
            args.server,
            args.devices,
            args.admin,
            args.processes,
            args.duration,
            args.rate,
            args.data,
        )
    if args.command == "scenario":
        from panel.modes.scenario_mode import run_command

        return run_command(args.files, args.panel, args.speed, args.junit, args.keep)
    if args.command == "report":
        from panel.report.command import report_command

        return report_command(args.out, args.data_dir)
    if args.command == "bench":
        from panel.bench import run_bench

        return run_bench(args)
    from panel.modes import gui_mode

    opts = gui_mode.GuiOptions(
        args.screen,
        args.clock_scale,
        args.ppm,
        args.exit_after_paint,
        devices=getattr(args, "devices", 1),
        dock=args.dock,
    )
    if args.command == "demo":
        return gui_mode.demo(opts, args.port, args.keep)
    return gui_mode.run(args.name, args.server, args.admin, args.ephemeral, opts)


if __name__ == "__main__":
    sys.exit(main())
