"""A closed connection is freed by reference counting, not left to the cyclic collector (which
the GC policy keeps from seeing anything older than a couple of seconds)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from panel.gc_policy import GcPolicy
from panel.transport_cycles import break_transport_cycles


@pytest.fixture
def no_cyclic_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    yield
    gc.enable()


async def _closed_transport() -> weakref.ref[asyncio.BaseTransport]:
    """Connect to a local server, close the connection from the client; a weak reference to
    the client's transport."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    ref = weakref.ref(transport)
    transport.close()
    del transport
    server.close()
    await server.wait_closed()
    for _ in range(5):  # connection_lost runs a loop iteration or two after close()
        await asyncio.sleep(0)
    return ref


@pytest.mark.realtime  # real sockets on the loop
@pytest.mark.usefixtures("no_cyclic_gc")
async def test_a_closed_connection_is_freed_without_the_cyclic_collector() -> None:
    assert break_transport_cycles()
    assert break_transport_cycles()  # idempotent
    assert (await _closed_transport())() is None


@pytest.mark.realtime
async def test_the_gc_policy_breaks_the_cycles_when_it_starts() -> None:
    policy = GcPolicy(floor=10**9)
    policy.start()
    try:
        gc.disable()
        try:
            assert (await _closed_transport())() is None
        finally:
            gc.enable()
    finally:
        await policy.stop()
