"""Server apps on the device (S8): the apps a user may launch, the launch handshake in the
seed's order, the session kept across a panel restart, and the device actions an app asks for.

The handshake (panel/protocol/apps.py has the messages), each step traced under "apps":
launch-requested -> identified -> device-info-asked -> device-info-sent -> request-info-stored
-> request-info-sent -> running. The request information is stored with the identifying and
device information in one commit (`app_sessions`) before it is sent: a panel restarted with a
session kept resumes it (`resume`), or ends it cleanly when the server no longer knows it.

Nothing here may hold the panel: every call to the server has `DEADLINE_S`, after which the
caller gets `AppUnavailable` with a sentence for the user, and the panel goes home. The view
may leave an app at any time (Home, Reset); the session is ended in the background.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from panel.device.clock import Clock
from panel.device.connection import ServerLink, ServerRefused, ServerUnreachable
from panel.device.engine.status import PrintOptions
from panel.device.model import ConnectionState, Job, JobKind, JobState, User
from panel.device.scanner import Renderer, ScanSpec
from panel.device.store import DeviceStore
from panel.pdf import page_count
from panel.protocol.apps import (
    APP_LANGUAGES,
    DEFAULT_LANGUAGE,
    PERMISSIONS,
    AppAction,
    AppDeviceInfo,
    AppEnd,
    AppLaunchReply,
    AppLaunchRequest,
    AppList,
    AppRequestInfo,
    AppScreenReply,
    AppStart,
    DeviceRequest,
    Screen,
    ScreenError,
    decode_screen,
    role_may_use,
)
from panel.protocol.messages import AppInfo
from panel.tasks import TaskOwner
from panel.threads import in_thread
from panel.trace import Trace

T = TypeVar("T")
DEADLINE_S = 2.0  # the server's answer; it gives an app 1.5 s of it
MAX_PRINT_BYTES = 6 * 1024 * 1024


class AppUnavailable(Exception):
    """The server or the app did not answer, or refused: `message` is for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class AppEntry:
    """An app on the Apps list; offline, `available` is False (apps run on the server)."""

    app_id: str
    name: str
    description: str
    available: bool


@dataclass(frozen=True, slots=True)
class AppView:
    """What the panel draws: the app's screen, or why it cannot (`error`: an error screen
    naming the app). `notice` is a line above it (a refused device action)."""

    launch_id: str
    name: str
    screen: Screen | None
    error: str = ""
    done: bool = False
    notice: str = ""


@dataclass
class Running:
    launch_id: str
    app_id: str
    name: str
    token: str
    permissions: tuple[str, ...]
    user_id: str


class ServerApps:
    """The apps of one device, and the one app running on it (if any)."""

    def __init__(
        self,
        link: ServerLink,
        store: DeviceStore,
        trace: Trace,
        clock: Clock,
        apps: Callable[[], list[AppInfo]],
        user: Callable[[], User | None],
        describe: Callable[[], tuple[str, str, str]],
        render: Renderer,
        jobs: Any,
    ) -> None:
        self._link = link
        self._store = store
        self._trace = trace
        self._clock = clock
        self._apps = apps
        self._user = user
        self._describe = describe  # (device_id, name, model)
        self._render = render
        self._jobs = jobs  # JobManager: enqueue_local
        self.running: Running | None = None
        self._tasks = TaskOwner("apps", clock, trace)
        # The panel's language (the view sets it; the core has no Qt): sent with the launch,
        # the start and every action, so an app answers in it, as a web app does.
        self.language = DEFAULT_LANGUAGE
        # Apps' names and descriptions in a language, as the server last gave them.
        self._labels: dict[tuple[str, str], tuple[str, str]] = {}

    def set_language(self, code: str) -> None:
        """The panel's language from now on (one an app cannot be told about: English)."""
        self.language = code if code in APP_LANGUAGES else DEFAULT_LANGUAGE

    # -- the list --------------------------------------------------------------------------------
    def apps(self) -> list[AppEntry]:
        """The apps from the cached portion of the server's information (S1) that the user
        logged in may use (offline too: the roles are cached with the apps; the server
        refuses a launch all the same)."""
        online = self._link.state is ConnectionState.ONLINE
        user = self._user()
        role = user.role if user is not None else ""
        entries = []
        for a in self._apps():
            if role_may_use(a.roles, role):
                name, description = self._labels.get(
                    (self.language, a.app_id), (a.name, a.description)
                )
                entries.append(AppEntry(a.app_id, name, description, online))
        return entries

    async def refresh_labels(self) -> bool:
        """Ask the server for the apps' names and descriptions in the panel's language (the
        cache holds them in the server's); True when the list changed. Offline, in English or
        on any failure, the list keeps what it has."""
        language = self.language
        if language == DEFAULT_LANGUAGE or self._link.state is not ConnectionState.ONLINE:
            return False
        try:
            listed = await self._call("GET", f"/apps?language={language}", AppList, None)
        except AppUnavailable:
            return False
        before = {k: v for k, v in self._labels.items() if k[0] == language}
        for m in listed.apps:
            self._labels[(language, m.app_id)] = (m.name, m.description)
        return before != {k: v for k, v in self._labels.items() if k[0] == language}

    # -- the handshake -----------------------------------------------------------------------------
    async def launch(self, app_id: str) -> AppView:
        """Launch `app_id` for the user logged in: the seed's steps in order; the first screen."""
        user = self._user()
        if user is None:
            raise AppUnavailable("not_logged_in", "Log in first.")
        if self.running is not None:
            self.leave()
        self._trace.emit("apps", "launch-requested", app=app_id, user_id=user.user_id)
        launched = await self._call(
            "POST",
            f"/apps/{app_id}/launch",
            AppLaunchReply,
            AppLaunchRequest(user.user_id, self.language),
        )
        self._trace.emit("apps", "identified", launch=launched.launch_id, app=app_id)
        if "device_info" in launched.wants:
            self._trace.emit("apps", "device-info-asked", launch=launched.launch_id)
        device_id, name, model = self._describe()
        info = AppDeviceInfo(device_id, name, model, list(PERMISSIONS))
        request = await self._call(
            "POST", f"/apps/launches/{launched.launch_id}/device", AppRequestInfo, info
        )
        self._trace.emit("apps", "device-info-sent", launch=launched.launch_id)
        self._store.save_app_session(
            (
                launched.launch_id,
                app_id,
                launched.name,
                request.request_token,
                json.dumps({"device": [device_id, name, model], "perm": launched.permissions}),
                user.user_id,
                self._clock.time(),
            )
        )
        self._trace.emit("apps", "request-info-stored", launch=launched.launch_id)
        self.running = Running(
            launched.launch_id,
            app_id,
            launched.name,
            request.request_token,
            tuple(launched.permissions),
            user.user_id,
        )
        return await self._start(self.running, resume=False)

    async def _start(self, running: Running, resume: bool) -> AppView:
        path = f"/apps/launches/{running.launch_id}/start"
        self._trace.emit("apps", "request-info-sent", launch=running.launch_id, resume=resume)
        try:
            start = AppStart(running.token, resume, self.language)
            answer = await self._call("POST", path, AppScreenReply, start)
        except AppUnavailable as exc:
            if exc.code in ("unknown_launch", "wrong_request_token"):
                self._forget(running, "the server no longer knows it")
            raise
        self._trace.emit("apps", "running", launch=running.launch_id, app=running.app_id)
        return self._view(running, answer)

    def kept(self) -> Running | None:
        """A session kept from before a restart, for the user logged in now."""
        user = self._user()
        for launch_id, app_id, name, token, info, user_id, _at in self._store.app_sessions():
            if user is not None and user_id == user.user_id:
                perms = tuple(json.loads(info).get("perm", []))
                return Running(launch_id, app_id, name, token, perms, user_id)
        return None

    async def resume(self) -> AppView | None:
        """Resume the session kept for this user (None: there is none, or it ended cleanly)."""
        kept = self.kept()
        if kept is None:
            return None
        self._trace.emit("apps", "resuming", launch=kept.launch_id, app=kept.app_id)
        self.running = kept
        try:
            return await self._start(kept, resume=True)
        except AppUnavailable as exc:
            if exc.code in ("unknown_launch", "wrong_request_token"):
                return None
            raise

    async def refresh(self) -> AppView:
        """The running app's screen again, in the panel's language now (after a switch): the
        launch resumed, as after a restart."""
        return await self._start(self._require(), resume=True)

    # -- actions -----------------------------------------------------------------------------------
    async def act(self, action: str, values: dict[str, Any]) -> AppView:
        running = self._require()
        path = f"/apps/launches/{running.launch_id}/actions"
        answer = await self._call(
            "POST", path, AppScreenReply, AppAction(running.token, action, values, self.language)
        )
        return self._view(running, answer)

    async def device_action(self, request: DeviceRequest) -> AppView:
        """Do what the app asked (if it declared the permission) and send the result back."""
        running = self._require()
        if request.kind not in running.permissions:
            self._trace.emit(
                "apps", "permission-refused", launch=running.launch_id, permission=request.kind
            )
            view = await self.act(request.action, {"ok": False, "error": "permission_denied"})
            refused = f"{running.name} may not {_VERBS[request.kind]}: refused."
            return AppView(view.launch_id, view.name, view.screen, view.error, view.done, refused)
        self._trace.emit("apps", "device-action", launch=running.launch_id, kind=request.kind)
        values = await self._perform(running, request)
        return await self.act(request.action, values)

    async def _perform(self, running: Running, request: DeviceRequest) -> dict[str, Any]:
        user = self._user()
        if user is None:
            raise AppUnavailable("not_logged_in", "Log in first.")
        if request.kind == "user":
            return {"ok": True, "user_id": user.user_id, "user_name": user.name}
        if request.kind == "scan":
            title = request.title or f"Scan for {running.name}"
            spec = ScanSpec(title, user.user_id, user.name, request.pages, self._clock.time())
            document = await in_thread(self._render, spec)
            encoded = base64.b64encode(document).decode()
            return {"ok": True, "document": encoded, "pages": request.pages}
        try:
            document = base64.b64decode(request.document, validate=True)
        except (binascii.Error, ValueError):
            document = b""
        if not document.startswith(b"%PDF") or len(document) > MAX_PRINT_BYTES:
            return {"ok": False, "error": "not_a_pdf"}
        try:
            pages = await in_thread(page_count, document)
        except ValueError:  # "%PDF" and then not a readable PDF: the app is told, as for any
            return {"ok": False, "error": "not_a_pdf"}
        job = Job(
            f"app-{uuid.uuid4().hex[:12]}",
            JobKind.LOCAL_PRINT,  # made at the device, printed here, never a cloud job
            (request.title or running.name)[:120],
            user.user_id,
            JobState.QUEUED,
            pages=pages,
            copies=request.copies,
        )
        self._jobs.enqueue_local(job, PrintOptions())
        self._trace.emit("apps", "printed", launch=running.launch_id, job_id=job.job_id)
        return {"ok": True, "job_id": job.job_id, "pages": pages}

    # -- leaving -----------------------------------------------------------------------------------
    def leave(self) -> None:
        """The user left the app (Home, Reset, Close, logout): end it on the server in the
        background; the panel never waits for that."""
        running, self.running = self.running, None
        if running is not None:
            self._forget(running, "left")
            _ = self._tasks.spawn(self._end(running), "ending an app")

    async def _end(self, running: Running) -> None:
        path = f"/apps/launches/{running.launch_id}/end"
        try:
            await self._call("POST", path, AppEnd, AppEnd(running.token))
        except AppUnavailable as exc:
            self._trace.emit("apps", "end-unsent", launch=running.launch_id, code=exc.code)

    def _forget(self, running: Running, why: str) -> None:
        self._store.drop_app_session(running.launch_id)
        if self.running is running:
            self.running = None
        self._trace.emit("apps", "ended", launch=running.launch_id, why=why)

    async def stop(self) -> None:
        await self._tasks.close()

    # -- helpers -----------------------------------------------------------------------------------
    def _require(self) -> Running:
        if self.running is None:
            raise AppUnavailable("not_running", "The app is no longer running.")
        return self.running

    def _view(self, running: Running, answer: AppScreenReply) -> AppView:
        if answer.done:
            self._forget(running, "done")
            return AppView(answer.launch_id, running.name, None, done=True)
        try:
            screen = decode_screen(answer.screen)
        except ScreenError as exc:
            self._trace.emit("apps", "bad-screen", launch=running.launch_id, error=str(exc))
            return AppView(answer.launch_id, running.name, None, error=str(exc))
        return AppView(answer.launch_id, answer.name or running.name, screen)  # in its language

    async def _call(self, method: str, path: str, reply: type[T], body: Any) -> T:
        try:
            return await self._clock.wait_for(
                self._link.call(method, path, reply, body), DEADLINE_S
            )
        except TimeoutError:
            self._trace.emit("apps", "timeout", path=path)
            raise AppUnavailable(
                "timeout", f"The app did not answer within {DEADLINE_S:g} s. Try again later."
            ) from None
        except ServerUnreachable:
            raise AppUnavailable(
                "unreachable", "The server cannot be reached: apps need the network."
            ) from None
        except ServerRefused as exc:
            raise AppUnavailable(exc.code, _refusal(exc)) from None


_VERBS = {"scan": "scan", "print": "print", "user": "read who you are"}


def _refusal(exc: ServerRefused) -> str:
    if exc.code == "app_timeout":
        return "The app did not answer in time. Try again later."
    if exc.code in ("app_unreachable", "app_failed"):
        return "The app is not working right now. Try again later."
    if exc.code == "unknown_app":
        return "This app is not available on the server."
    if exc.code == "unknown_launch":
        return "The app's session has ended."
    return exc.message or "The server refused."
