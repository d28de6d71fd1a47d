"""The server's side of server apps (S8): which apps it offers, the launches under way, and
the calls to the apps themselves.

An app is an HTTP service answering `POST {url}/session` with a screen (panel/protocol/apps.py):
built in, it is an aiohttp sub-application of this server (`builtin.py`, mounted under
/apps/{app_id}); external, it is any service registered with its manifest (`register`). Either
way the host calls it the same way, within `APP_DEADLINE_S`: an app that does not answer in
time is the device's "the app did not answer", never a panel left waiting.

Each launch is the seed's handshake (see panel/protocol/apps.py), traced step by step under
"apps". Launches live in memory: a server restart ends them, and a device that comes back
with one is told so (404 unknown_launch) and ends it cleanly on its side.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp

from panel.protocol import codec
from panel.protocol.apps import (
    DEFAULT_LANGUAGE,
    SCREEN_FORMAT,
    WANTS,
    AppDeviceInfo,
    AppLaunchReply,
    AppManifest,
    AppRequestInfo,
    AppScreenReply,
    role_may_use,
    valid_app_id,
)
from panel.protocol.messages import AppInfo
from panel.server.apps.words import say
from panel.server.http import ApiError
from panel.server.store import ServerStore
from panel.trace import Trace

APP_DEADLINE_S = 1.5  # an app's answer; the device waits 2 s for the server's
MAX_LAUNCHES = 5000  # the oldest is forgotten beyond this (a device that left without ending)
MAX_APP_REPLY = 10 * 1024 * 1024
INTERNAL_HEADER = "X-Mfp-App-Key"


@dataclass
class Launch:
    launch_id: str
    app: AppManifest
    device_id: str
    user_id: str
    device: AppDeviceInfo | None = None
    token: str = ""
    started: bool = False
    language: str = DEFAULT_LANGUAGE  # the panel's, as of its last call: the app answers in it


class AppHost:
    def __init__(self, store: ServerStore, trace: Trace, data_dir: Path) -> None:
        self._store = store
        self._trace = trace
        self._registry_path = data_dir / "apps.json"
        self.builtin: dict[str, AppManifest] = {}
        self.external: dict[str, AppManifest] = {}
        self._launches: OrderedDict[str, Launch] = OrderedDict()
        self._session: aiohttp.ClientSession | None = None
        self.self_url = ""  # where this server's built-in apps are reached (set on first use)
        # Built-in apps take calls only from this host: the user they are told about is real.
        self.internal_key = secrets.token_urlsafe(24)
        self._load_registry()

    # -- the apps offered ---------------------------------------------------------------------
    def add_builtin(self, manifest: AppManifest) -> None:
        self.builtin[manifest.app_id] = manifest
        self._offer(manifest)

    def _offer(self, manifest: AppManifest) -> None:
        """Devices list apps from their cache (S1): the app goes into it."""
        info = AppInfo(manifest.app_id, manifest.name, manifest.description, manifest.roles)
        if info not in self._store.apps():
            self._store.add_app(info)

    def manifests(self, language: str = DEFAULT_LANGUAGE) -> list[AppManifest]:
        """The apps offered, a built-in app's name and description in `language` (an
        external app's manifest has one language: its own)."""
        found = [*(self.localized(m, language) for m in self.builtin.values())]
        return sorted([*found, *self.external.values()], key=lambda m: m.name)

    def localized(self, manifest: AppManifest, language: str) -> AppManifest:
        if manifest.app_id not in self.builtin:
            return manifest
        return replace(
            manifest,
            name=say(language, manifest.name),
            description=say(language, manifest.description),
        )

    def manifest(self, app_id: str) -> AppManifest:
        found = self.builtin.get(app_id) or self.external.get(app_id)
        if found is None:
            raise ApiError(404, "unknown_app", f"There is no app {app_id!r} on this server.")
        return found

    def _load_registry(self) -> None:
        try:
            raw = json.loads(self._registry_path.read_text())
        except FileNotFoundError:
            return
        for item in raw:
            manifest: AppManifest = codec.check_value(item, AppManifest, "apps.json")
            self.external[manifest.app_id] = manifest

    async def register(self, url: str, roles: list[str] | None = None) -> AppManifest:
        """An external app, by its URL: its manifest is read from URL/manifest.json; `roles`,
        when given, replace the manifest's (the administrator's say over the app's)."""
        url = url.rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ApiError(400, "bad_url", "An app's URL starts with http:// or https://.")
        data = await self._fetch_manifest(url)
        try:
            manifest: AppManifest = codec.check_value(data, AppManifest, "manifest")
        except codec.ProtocolError as exc:
            raise ApiError(422, "bad_manifest", f"The app's manifest: {exc.message}") from None
        if not valid_app_id(manifest.app_id) or manifest.app_id in self.builtin:
            raise ApiError(422, "bad_manifest", f"The app id {manifest.app_id!r} is not usable.")
        manifest = replace(manifest, url=url, roles=manifest.roles if roles is None else roles)
        self.external[manifest.app_id] = manifest
        tmp = self._registry_path.with_suffix(".tmp")
        tmp.write_text(json.dumps([codec.to_dict(m) for m in self.external.values()]))
        tmp.replace(self._registry_path)
        self._offer(manifest)
        self._trace.emit(
            "apps", "registered", app=manifest.app_id, url=url, roles=",".join(manifest.roles)
        )
        return manifest

    async def _fetch_manifest(self, url: str) -> Any:
        try:
            async with asyncio.timeout(5.0):
                async with self._client().get(f"{url}/manifest.json") as response:
                    if response.status != 200:
                        raise ApiError(
                            502, "app_unreachable", f"{url}/manifest.json: HTTP {response.status}"
                        )
                    return json.loads(await _read_capped(response, 64 * 1024))
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
            raise ApiError(
                502, "app_unreachable", f"No manifest at {url}/manifest.json ({exc})."
            ) from None

    # -- the handshake ------------------------------------------------------------------------
    def launch(
        self, app_id: str, device_id: str, user_id: str, language: str = DEFAULT_LANGUAGE
    ) -> AppLaunchReply:
        """Steps 1-2: the launch request, answered with the identifying information and the
        request for the device information."""
        manifest = self.manifest(app_id)
        if self._store.device_of_user(user_id) != device_id:
            raise ApiError(403, "not_logged_in_here", "That user is not logged in at this device.")
        user = self._store.user(user_id)
        role = user.role if user is not None else ""
        if not role_may_use(manifest.roles, role):
            self._trace.emit(
                "apps", "launch-refused", app=app_id, device=device_id, user_id=user_id, role=role
            )
            raise ApiError(
                403,
                "role_not_allowed",
                f"{manifest.name} is for {' and '.join(manifest.roles)} users only;"
                f" {user_id} is {role or 'unknown'}.",
            )
        launch = Launch(f"L{secrets.token_hex(8)}", manifest, device_id, user_id, language=language)
        self._launches[launch.launch_id] = launch
        while len(self._launches) > MAX_LAUNCHES:
            self._launches.popitem(last=False)
        self._trace.emit("apps", "launched", launch=launch.launch_id, app=app_id, device=device_id)
        self._trace.emit("apps", "device-info-asked", launch=launch.launch_id)
        name = self.localized(manifest, language).name
        return AppLaunchReply(launch.launch_id, app_id, name, manifest.permissions, list(WANTS))

    def device_info(self, launch_id: str, device_id: str, info: AppDeviceInfo) -> AppRequestInfo:
        """Step 3: the device information, answered with the request information."""
        launch = self._launch(launch_id, device_id)
        if info.device_id != device_id:
            raise ApiError(403, "forbidden", "A device describes only itself.")
        if launch.device is not None:
            raise ApiError(409, "already_described", "This launch has its device information.")
        launch.device = info
        launch.token = secrets.token_urlsafe(24)
        self._trace.emit("apps", "device-info-received", launch=launch_id)
        return AppRequestInfo(launch_id, launch.token)

    async def start(
        self,
        launch_id: str,
        device_id: str,
        token: str,
        resume: bool,
        language: str = DEFAULT_LANGUAGE,
    ) -> AppScreenReply:
        """Step 5-6: the request information arrives; the app runs (or resumes)."""
        launch = self._authorised(launch_id, device_id, token)
        launch.language = language
        self._trace.emit("apps", "request-info-received", launch=launch_id, resume=resume)
        event = "resume" if resume and launch.started else "start"
        launch.started = True
        reply = await self._call(launch, event, "", {})
        self._trace.emit("apps", "running", launch=launch_id, app=launch.app.app_id, via=event)
        return reply

    async def act(
        self,
        launch_id: str,
        device_id: str,
        token: str,
        action: str,
        values: dict[str, Any],
        language: str = DEFAULT_LANGUAGE,
    ) -> AppScreenReply:
        launch = self._authorised(launch_id, device_id, token)
        launch.language = language  # a switch at the panel: the next screen comes in it
        if not launch.started:
            raise ApiError(409, "not_started", "Start the app first (its request information).")
        self._trace.emit("apps", "action", launch=launch_id, action=action)
        return await self._call(launch, "action", action, values)

    async def end(self, launch_id: str, device_id: str, token: str) -> None:
        launch = self._authorised(launch_id, device_id, token)
        del self._launches[launch_id]
        self._trace.emit("apps", "ended", launch=launch_id)
        if launch.started:
            with contextlib.suppress(ApiError):  # the app is gone: the launch is over anyway
                await self._call(launch, "end", "", {})

    def _launch(self, launch_id: str, device_id: str) -> Launch:
        launch = self._launches.get(launch_id)
        if launch is None or launch.device_id != device_id:
            raise ApiError(
                404, "unknown_launch", "No such launch (ended, or the server restarted)."
            )
        return launch

    def _authorised(self, launch_id: str, device_id: str, token: str) -> Launch:
        launch = self._launch(launch_id, device_id)
        if not launch.token or not secrets.compare_digest(launch.token, token):
            raise ApiError(
                403, "wrong_request_token", "The request information is not this launch's."
            )
        return launch

    # -- calling an app -----------------------------------------------------------------------
    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=APP_DEADLINE_S)
            )
        return self._session

    def _url(self, app: AppManifest) -> str:
        return app.url or f"{self.self_url}/apps/{app.app_id}"

    async def _call(
        self, launch: Launch, event: str, action: str, values: dict[str, Any]
    ) -> AppScreenReply:
        app = launch.app
        body: dict[str, Any] = {
            "launch_id": launch.launch_id,
            "event": event,
            "action": action,
            "values": values,
            "permissions": list(app.permissions),
            "language": launch.language,
        }
        if launch.device is not None:
            body["device"] = codec.to_dict(launch.device)
        if "user" in app.permissions:  # the user's identity only to an app allowed to read it
            user = self._store.user(launch.user_id)
            body["user"] = {"id": launch.user_id, "name": user.name if user else launch.user_id}
        started = time.perf_counter()
        try:
            async with asyncio.timeout(APP_DEADLINE_S):
                headers = {"Accept-Language": launch.language}
                if not app.url:
                    headers[INTERNAL_HEADER] = self.internal_key
                post = self._client().post(f"{self._url(app)}/session", json=body, headers=headers)
                async with post as response:
                    raw = await _read_capped(response, MAX_APP_REPLY)
                    status = response.status
        except TimeoutError:
            self._trace.emit("apps", "app-timeout", launch=launch.launch_id, app=app.app_id)
            raise ApiError(
                504, "app_timeout", f"{app.name} did not answer within {APP_DEADLINE_S:g} s."
            ) from None
        except (aiohttp.ClientError, OSError) as exc:
            self._trace.emit("apps", "app-unreachable", launch=launch.launch_id, error=str(exc))
            raise ApiError(502, "app_unreachable", f"{app.name} cannot be reached.") from None
        ms = round((time.perf_counter() - started) * 1000, 2)
        self._trace.emit("apps", "app-answered", launch=launch.launch_id, status=status, ms=ms)
        if status != 200 or len(raw) > MAX_APP_REPLY:
            raise ApiError(502, "app_failed", f"{app.name} failed (HTTP {status}).")
        try:
            data = json.loads(raw)
        except ValueError:
            raise ApiError(502, "app_failed", f"{app.name} answered something not JSON.") from None
        if not isinstance(data, dict):
            raise ApiError(502, "app_failed", f"{app.name} answered something not a screen.")
        done = data.get("done") is True
        if done:  # the app finished: the launch is over, the panel goes back to its list
            self._launches.pop(launch.launch_id, None)
            self._trace.emit("apps", "done", launch=launch.launch_id)
            data = {"format": SCREEN_FORMAT, "title": app.name, "elements": []}
        name = self.localized(app, launch.language).name
        return AppScreenReply(launch.launch_id, name, data, done)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body whole, or its first `limit` + 1 bytes if longer (content.read(n) returns only
    what has arrived so far: a screen beyond one read would be cut)."""
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > limit:
            break
    return bytes(body)
