"""The persistent push connection (S9): notices of new jobs arrive here.

Each notice is stored as a reception record before it is acknowledged; on every (re)connect
the device says the last sequence up to which it stored every notice, so the server replays
what was missed (a notice lost in a dead link included). Each (re)connect is a process for
the connection manager (S2): it goes over a network checked with a fresh token, and moves
when the manager moves. Its heartbeat notices a link that died without a word.

The hello also names the user the server logged in at this panel, so the server keeps that
login across the reconnect (a network switch is no logout); when the server ended it meanwhile
(the device was away too long, or the user logged in elsewhere) the welcome or a `login.ended`
notice says so and the panel session ends with the server's reason.

Retries and the heartbeat run on the device clock; the session loop and the background work it
starts (cache refreshes, closing a socket the manager moved away from) belong to the channel's
TaskOwner, closed by `stop`.
"""

from __future__ import annotations

import asyncio
import logging
import random

from panel.device.auth import Session
from panel.device.cache import DeviceCache
from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.events import Event, EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import ConnectionState
from panel.device.networks import DeadLink, Route, Socket
from panel.device.store import DeviceStore
from panel.protocol import ProtocolError, decode_frame, encode_frame
from panel.protocol.messages import (
    Ack,
    CacheChanged,
    ErrorFrame,
    Hello,
    JobNotify,
    LoginEndedNotice,
    Welcome,
)
from panel.tasks import TaskOwner
from panel.trace import Trace

_log = logging.getLogger(__name__)

RETRY_FIRST_S = 0.1
# A restored link is found within about a second (the outbox drain waits on it); the jitter
# keeps a fleet that lost the same server from reconnecting in lock-step.
RETRY_CAP_S = 1.0
REFUSED_RETRY_S = 30.0


class PushChannel:
    def __init__(
        self,
        link: ServerLink,
        store: DeviceStore,
        jobs: JobManager,
        cache: DeviceCache,
        events: EventBus,
        trace: Trace,
        clock: Clock,
        session: Session | None = None,
    ) -> None:
        self._link = link
        self._panel_session = session  # its login is named in each hello (kept across reconnects)
        self._events = events
        self._cache = cache
        self._clock = clock
        self._owner = TaskOwner("push", clock, trace)
        self._running: asyncio.Task[None] | None = None
        self._store = store
        self._jobs = jobs
        self._trace = trace
        self.refused: ServerRefused | None = None
        self._welcomed = False  # in the current session

    def start(self) -> asyncio.Task[None]:
        """Start the session loop (`run`) as the channel's own task."""
        if self._running is None or self._running.done():
            self._running = self._owner.spawn(self.run(), "run")
        return self._running

    async def run(self) -> None:
        """Stay connected for as long as the device runs, over the network the connection
        manager checks for it. A session that ends because its network failed or changed is
        followed at once by the next (the manager staggers its attempts itself); otherwise
        retries back off with jitter. OFFLINE means that no network reaches the server."""
        delay = RETRY_FIRST_S
        while True:
            self._link.set_state(ConnectionState.CONNECTING)
            try:
                route = await self._link.networks.establish("push")
                if await self._session(route):
                    delay = RETRY_FIRST_S
                    continue
                delay = RETRY_FIRST_S
                await self._clock.sleep(random.uniform(0, delay))  # the server closed: busy?
                continue
            except ServerRefused as exc:
                if exc.status not in (401, 403):  # the server is there, but failing
                    self._trace.emit("push", "server-failed", error=str(exc))
                    delay = RETRY_CAP_S
                else:
                    # Our credentials were refused: retrying fast would only hammer the server.
                    self._trace.emit("push", "refused", error=str(exc))
                    if self.refused is None:
                        self._notify(
                            "The server does not recognise this device (its identity was "
                            "refused). Register it again with `mfp-panel run --server URL`.",
                        )
                    self.refused = exc
                    delay = REFUSED_RETRY_S
            except ServerUnreachable as exc:
                self._trace.emit("push", "unreachable", error=str(exc))
            except Exception as exc:
                # A bug or a local failure (a full disk under the store): say so and go on
                # retrying, instead of a dead push task behind a panel that still says online.
                _log.exception("push session failed")
                self._trace.emit("push", "failed", error=f"{type(exc).__name__}: {exc}")
                self._notify(f"The connection to the server failed: {exc}. Retrying.")
                delay = RETRY_CAP_S
            self._link.set_state(ConnectionState.OFFLINE)
            await self._clock.sleep(random.uniform(0, delay))
            delay = min(RETRY_CAP_S, delay * 2)

    async def _session(self, route: Route) -> bool:
        """One push session over `route`; True when it ended because of the network (it died
        silently or was cut once up, or the manager moved to another), False when the server
        closed it. ServerUnreachable when it failed before the server welcomed it."""
        import aiohttp  # loaded on first connect (see connection.py)

        ended = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)

        ws = await self._link.open_push(route)
        self._welcomed = False
        moving: list[str] = []

        def on_network(event: Event) -> None:
            active = event.subject
            if not moving and (active is None or active.name != route.name):
                moving.append(active.name if active is not None else "")
                # Online means pushes arrive over the network in use: not until we moved.
                self._link.set_state(ConnectionState.CONNECTING)
                _ = self._owner.spawn(ws.close(), "close the socket of a network left")

        unsubscribe = self._events.subscribe(on_network, EventKind.NETWORK_CHANGED)
        try:
            login = self._panel_session.server_login if self._panel_session is not None else None
            hello = Hello(last_seq=self._store.contiguous_seq(), user_id=login)
            await ws.send_str(encode_frame(hello))
            while (msg := await ws.receive()).type not in ended:
                if msg.type is aiohttp.WSMsgType.TEXT:
                    await self._handle(ws, msg.data)
        except DeadLink as exc:  # the heartbeat got no answer
            self._trace.emit("push", "dead-link", network=route.name, error=str(exc))
            self._link.networks.note_failure(route, f"dead link: {exc}")
            return True
        except (aiohttp.ClientError, ConnectionResetError) as exc:
            if not self._welcomed:
                raise ServerUnreachable(str(exc), route.name) from exc
            self._trace.emit("push", "lost", network=route.name, error=str(exc))
            return True  # it was up: look for a network again at once
        finally:
            unsubscribe()
            await ws.close()
        if moving:
            self._trace.emit("push", "moved", network=route.name, to=moving[0] or None)
            return True
        self._trace.emit("push", "closed", network=route.name, code=ws.close_code)
        return False

    async def _handle(self, ws: Socket, raw: str) -> None:
        try:
            frame = decode_frame(raw)
        except ProtocolError as exc:
            self._trace.emit("push", "malformed", code=exc.code, error=exc.message)
            await ws.send_str(encode_frame(ErrorFrame(exc.code, exc.message)))
            return
        if isinstance(frame, Welcome):
            self.refused = None
            self._welcomed = True
            self._trace.emit("push", "welcome", last_seq=frame.last_seq)
            if frame.login_ended is not None and self._panel_session is not None:
                ended = frame.login_ended
                self._panel_session.ended_by_server(ended.user_id, ended.message)
            self._link.set_state(ConnectionState.ONLINE)
            self._jobs.online()
            self._refresh_cache(None)
        elif isinstance(frame, JobNotify):
            self._trace.emit("push", "notify", seq=frame.seq, job_id=frame.job_id)
            self._jobs.notified(frame.seq, frame.job_id)
            await ws.send_str(encode_frame(Ack(seq=frame.seq)))
        elif isinstance(frame, CacheChanged):
            self._trace.emit("push", "cache-changed", version=frame.version)
            self._refresh_cache(frame.version)
        elif isinstance(frame, LoginEndedNotice):
            self._trace.emit("push", "login-ended", reason=frame.login.reason)
            if self._panel_session is not None:
                self._panel_session.ended_by_server(frame.login.user_id, frame.login.message)
        elif isinstance(frame, ErrorFrame):
            self._trace.emit("push", "server-error", code=frame.code, error=frame.message)
        else:
            self._trace.emit("push", "unexpected", type=type(frame).__name__)

    def _notify(self, text: str) -> None:
        self._events.publish(Event(EventKind.NOTICE, None, {"text": text, "level": "error"}))

    def _refresh_cache(self, hint: int | None) -> None:
        """In the background: the push loop must keep reading frames meanwhile."""
        _ = self._owner.spawn(self._cache.refresh(hint), "refresh the cache")

    async def suspend(self) -> None:
        """End the session loop (the device goes off the network); `start` resumes it."""
        running, self._running = self._running, None
        if running is not None:
            running.cancel()
            await asyncio.wait([running])

    async def stop(self) -> None:
        """Cancel and await the session loop and everything it started. Final."""
        self._running = None
        await self._owner.close()
