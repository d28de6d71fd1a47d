"""How much a simulated network without toxics adds: round trips direct vs through it.

A script, not a test (speed is not asserted on shared machines):

    .venv/bin/python tests/bench/bench_sim_proxy.py [--rounds 5000] [--json]

One process, one event loop, as in the demo: an echo server, a Network in front of it, and a
client that sends 64-byte messages and waits for each echo. Direct and proxied round trips
alternate in blocks so both see the same machine load; throughput is a 64 MB echo each way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from panel.sim import Network


class Echo(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)


async def round_trips(port: int, count: int, size: int = 64) -> list[float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    message = b"x" * size
    times = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            writer.write(message)
            await reader.readexactly(size)
            times.append(time.perf_counter() - started)
    finally:
        writer.close()
        await writer.wait_closed()
    return times


async def throughput(port: int, total: int = 64 * 1024 * 1024) -> float:
    """MB/s of `total` bytes sent and echoed back at once."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    block = b"y" * (1024 * 1024)
    started = time.perf_counter()

    async def send() -> None:
        for _ in range(total // len(block)):
            writer.write(block)
            await writer.drain()

    sender = asyncio.create_task(send())
    received = 0
    while received < total:
        received += len(await reader.read(1024 * 1024))
    await sender
    elapsed = time.perf_counter() - started
    writer.close()
    await writer.wait_closed()
    return total / elapsed / 1e6


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def bench(rounds: int) -> dict[str, float]:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    network = Network("bench", ("127.0.0.1", port))
    await network.start()
    try:
        await round_trips(port, 200)  # warm up both paths
        await round_trips(network.port, 200)
        direct: list[float] = []
        proxied: list[float] = []
        block = 250
        for _ in range(max(1, rounds // block)):
            direct += await round_trips(port, block)
            proxied += await round_trips(network.port, block)
        direct_mbs = statistics.median([await throughput(port) for _ in range(3)])
        proxied_mbs = statistics.median([await throughput(network.port) for _ in range(3)])
    finally:
        await network.stop()
        server.close()
        await server.wait_closed()
    ms = 1000.0
    figures = {
        "round_trips": len(direct),
        "direct_p50_ms": percentile(direct, 50) * ms,
        "direct_p99_ms": percentile(direct, 99) * ms,
        "proxied_p50_ms": percentile(proxied, 50) * ms,
        "proxied_p99_ms": percentile(proxied, 99) * ms,
        "direct_mb_s": direct_mbs,
        "proxied_mb_s": proxied_mbs,
    }
    figures["p50_ratio"] = figures["proxied_p50_ms"] / figures["direct_p50_ms"]
    figures["p99_ratio"] = figures["proxied_p99_ms"] / figures["direct_p99_ms"]
    figures["added_p50_ms"] = figures["proxied_p50_ms"] - figures["direct_p50_ms"]
    figures["added_p99_ms"] = figures["proxied_p99_ms"] - figures["direct_p99_ms"]
    return {key: round(value, 4) for key, value in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5000, help="round trips on each path")
    parser.add_argument("--json", action="store_true", help="one JSON object of the figures")
    args = parser.parse_args()
    figures = asyncio.run(bench(args.rounds))
    if args.json:
        print(json.dumps(figures))
        return
    print(f"round trips of 64 bytes, {figures['round_trips']:.0f} on each path (same run):")
    for path in ("direct", "proxied"):
        print(
            f"  {path:<8} p50 {figures[f'{path}_p50_ms']:.3f} ms"
            f"   p99 {figures[f'{path}_p99_ms']:.3f} ms"
        )
    print(
        f"  proxy adds p50 {figures['added_p50_ms']:.3f} ms, p99 {figures['added_p99_ms']:.3f} ms"
        f"   (ratio p50 {figures['p50_ratio']:.2f}, p99 {figures['p99_ratio']:.2f})"
    )
    print(
        f"throughput, 64 MB echoed: direct {figures['direct_mb_s']:.0f} MB/s,"
        f" proxied {figures['proxied_mb_s']:.0f} MB/s"
    )


if __name__ == "__main__":
    main()
