"""`mfp-panel bench ...`: figures measured on this machine, each with a same-run baseline where
one exists. `--json` prints one JSON object whose keys carry their units."""

from __future__ import annotations

import argparse
import json
from typing import Any


def report(figures: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(figures, sort_keys=True))
    else:
        print("\n".join(lines))


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def run_bench(args: argparse.Namespace) -> int:
    if args.bench_command == "startup":
        from panel.bench.startup import bench_startup

        return bench_startup(args.runs, args.json)
    if args.bench_command == "outbox":
        from panel.bench.outbox import bench_outbox

        return bench_outbox(args.backlog, args.cycles, args.json)
    if args.bench_command == "wake":
        from panel.bench.wake import bench_wake

        return bench_wake(args.runs, args.json)
    if args.bench_command == "remote":
        from panel.bench.remote import bench_remote

        return bench_remote(args.seconds, args.json)
    if args.bench_command == "fleet":
        from panel.bench.fleet import bench_fleet

        return bench_fleet(args.devices, args.json, args.processes)
    if args.bench_command == "engine":
        from panel.bench.engine import bench_engine

        return bench_engine(args.pages, args.ppm, args.ppm_duplex, args.jams, args.json)
    if args.bench_command == "files":
        from panel.bench.files import bench_files

        return bench_files(args.size_mb, args.json)
    if args.bench_command == "qr":
        from panel.bench.qr import bench_qr

        return bench_qr(args.runs, args.json)
    if args.bench_command == "apps":
        from panel.bench.apps import bench_apps

        return bench_apps(args.runs, args.json)
    if args.bench_command == "scenario":
        from panel.bench.scenario import bench_scenario

        return bench_scenario(args.files, args.json)
    if args.bench_command == "language":
        from panel.bench.language import bench_language

        return bench_language(args.switches, args.json)
    if args.bench_command == "failover":
        from panel.bench.failover import bench_failover

        return bench_failover(args.runs, args.json)
    from panel.bench.push import bench_push

    return bench_push(args.jobs, args.json, args.latency, args.jitter)
