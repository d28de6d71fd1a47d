"""What a user brings to any panel (S4): the cards that log them in, their preferences, and the
print jobs held for them. After a login the device fetches this and does what the user set:
with "print all on login" it releases the held jobs to itself at once.

A card id logs its owner in without a PIN, so it is treated like a credential: it never goes
into a trace, and guessing ids from one device is throttled as PINs are.
"""

from __future__ import annotations

from panel.protocol.messages import JobInfo, UserInfo
from panel.protocol.power import Preferences, ReleaseReply, ReleaseRequest, UserData
from panel.server.auth import LoginThrottle, Principal
from panel.server.http import ApiError
from panel.server.push import PushHub
from panel.server.store import ServerStore
from panel.trace import Trace

MAX_CARD_ID = 64
_CARDS = "<card>"  # the throttle's "user" for card taps: failures count per device

# (user id, card id): demo data, public on purpose (the QA dock's card reader offers them).
DEMO_CARDS = [
    ("1001", "04A1B2C3D4E5F6"),
    ("1002", "04B2C3D4E5F6A7"),
    ("1003", "04C3D4E5F6A7B8"),
    ("9000", "04D4E5F6A7B8C9"),
]


def seed_demo_cards(store: ServerStore) -> None:
    """Give each demo user who exists their demo card."""
    for user_id, card_id in DEMO_CARDS:
        if store.user(user_id) is not None:
            store.add_card(card_id, user_id)


class PanelLogins:
    def __init__(
        self,
        store: ServerStore,
        hub: PushHub,
        trace: Trace,
        throttle: LoginThrottle | None = None,
    ) -> None:
        self.store = store
        self._hub = hub
        self._trace = trace
        # Per device: 10 unknown cards in 5 minutes lock that device's card reader for a while.
        self.throttle = throttle or LoginThrottle(limit=10, user_limit=1_000_000)

    def card_login(self, card_id: str, device_id: str) -> UserInfo:
        """The user whose card was tapped at `device_id`, now logged in there."""
        card_id = card_id.strip()
        if not 0 < len(card_id) <= MAX_CARD_ID:
            raise ApiError(400, "bad_card", f"A card id is 1 to {MAX_CARD_ID} characters.")
        source = f"device:{device_id}"
        self.throttle.check(_CARDS, source)
        user = self.store.user_of_card(card_id)
        if user is None:
            self.throttle.failed(_CARDS, source)
            self._trace.emit("auth", "card-refused", device=device_id)
            raise ApiError(401, "unknown_card", "This card is not registered to anyone.")
        self.store.set_login(device_id, user.user_id)
        self._trace.emit("auth", "login", device=device_id, user_id=user.user_id, by="card")
        return user

    def assign_card(self, user_id: str, card_id: str) -> None:
        card_id = card_id.strip()
        if not 0 < len(card_id) <= MAX_CARD_ID:
            raise ApiError(400, "bad_card", f"A card id is 1 to {MAX_CARD_ID} characters.")
        self._user(user_id)
        self.store.add_card(card_id, user_id)
        self._trace.emit("auth", "card-assigned", user_id=user_id)

    def user_data(self, user_id: str, who: Principal) -> UserData:
        user = self._may_act_for(user_id, who)
        held = self.store.jobs(user_id=user_id, state="held")
        return UserData(user, self.store.preferences(user_id), held)

    def set_preferences(
        self, user_id: str, preferences: Preferences, who: Principal
    ) -> Preferences:
        self._may_act_for(user_id, who)
        self.store.set_preferences(user_id, preferences)
        self._trace.emit(
            "users",
            "preferences",
            user_id=user_id,
            print_all_on_login=preferences.print_all_on_login,
        )
        return self.store.preferences(user_id)

    async def release(self, req: ReleaseRequest, device_id: str) -> ReleaseReply:
        """Give held jobs of the user logged in at `device_id` to it (pull printing)."""
        self._may_act_for(req.user_id, Principal("device", device_id))
        held = {job.job_id: job for job in self.store.jobs(user_id=req.user_id, state="held")}
        wanted = req.job_ids or list(held)
        missing = [job_id for job_id in wanted if job_id not in held]
        if missing:
            raise ApiError(
                409, "not_held", f"Not held for this user (any more): {', '.join(missing)}."
            )
        released: list[JobInfo] = []
        for job_id in dict.fromkeys(wanted):
            note = self.store.assign_and_notify(job_id, device_id)
            self._trace.emit(
                "jobs", "released", job_id=job_id, device=device_id, user_id=req.user_id
            )
            await self._hub.send(note)
            released.append(self.store.job(job_id) or held[job_id])
        return ReleaseReply(released)

    def _user(self, user_id: str) -> UserInfo:
        user = self.store.user(user_id)
        if user is None:
            raise ApiError(404, "unknown_user", f"There is no user {user_id!r}.")
        return user

    def _may_act_for(self, user_id: str, who: Principal) -> UserInfo:
        """Admins for anyone, users for themselves, a device for the user logged in at it."""
        if who.kind == "device":
            if self.store.device_of_user(user_id) != who.ident:
                raise ApiError(
                    403, "not_logged_in_here", "That user is not logged in at this device."
                )
        elif not who.is_admin and who.ident != user_id:
            raise ApiError(403, "forbidden", "Users may see and change only their own data.")
        return self._user(user_id)
