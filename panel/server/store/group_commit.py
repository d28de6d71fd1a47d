"""Group commit: requests that arrive while a commit is under way wait for the next one, which
makes all of them durable at once (one fsync, one transaction for N), as databases do with
their log. Each caller still gets its own answer only once its batch is durable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from panel.tasks import TaskOwner

T = TypeVar("T")
R = TypeVar("R")

BatchRunner = Callable[[list[T]], Awaitable[list[R | Exception]]]


class GroupCommit(Generic[T, R]):
    """`await submit(item)` queues `item`; one drain task at a time hands everything queued to
    `run_batch` (one result or exception per item, in order) until the queue is empty. The
    drain runs only while there is work, so nothing is left running when requests stop; a
    caller cancelled while waiting does not cancel its batch (others share it).

    `max_batch` bounds a batch, so one commit's time (and the wait of the first in it) stays
    bounded under any load.
    """

    def __init__(self, name: str, run_batch: BatchRunner[T, R], max_batch: int = 256) -> None:
        self._run_batch = run_batch
        self._max_batch = max_batch
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._owner = TaskOwner(name)
        self._drain: asyncio.Task[None] | None = None
        self.batches = 0  # batches run (tests and benchmarks read it)

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieved)  # a caller cancelled meanwhile logs no error
        self._queue.append((item, future))
        if self._drain is None:
            self._drain = self._owner.spawn(self._drain_queue(), "group commit")
        return await asyncio.shield(future)

    async def _drain_queue(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: len(batch)]
                await self._run(batch)
        finally:
            self._drain = None

    async def _run(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        self.batches += 1
        try:
            results = await self._run_batch([item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"{len(results)} results for a batch of {len(batch)}")
        except Exception as exc:  # the whole batch failed: each caller learns why
            results = [exc] * len(batch)
        except BaseException as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(RuntimeError(f"the group commit stopped: {exc!r}"))
            raise
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def close(self) -> None:
        """Stop the batch under way, if any (its callers get an error)."""
        await self._owner.close()


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        _ = future.exception()
