"""The server's SQLite (WAL) store: one repository per concern over one connection.

| repository | module | what it keeps |
| --- | --- | --- |
| `Users` | users | users, their login cards and preferences (S4) |
| `Devices` | devices | registered devices and their secrets' hashes |
| `PanelLogins` | logins | who is logged in at which panel |
| `Jobs` | jobs | print jobs and their creation keys; a job's notice is in its commit |
| `Notices` | notices | each device's numbered push notices and acknowledgements |
| `CachedInfo` | cache | what devices cache for offline work (S1) and its version |
| `OutboxLedger` | ledger | the outbox's idempotency keys, results and accepted jobs (S1) |
| `Maintenance` | maintenance | operator accounts and the maintenance call log (S3) |
| `SessionRecords` | sessions | device session leases and delegations (S5) |
| `DeviceStatusStore` | device_status | devices' reports: latest status, faults, usage (issue 14) |

Calls are synchronous on purpose: each is a short local transaction that costs less than a
hop to a worker thread, and one writer on the event loop needs no locking. A change that spans
statements (a state change and the notice or report it implies) is one transaction inside its
repository. `ServerStore` opens the connection, composes the repositories, and offers their
operations under one name each, so callers need not know which repository keeps what.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from panel.protocol import idempotency
from panel.server.files.index import FileIndex
from panel.server.store.cache import DESTINATION_KINDS, TEMPLATE_KINDS, CachedInfo
from panel.server.store.db import Database, disk_full
from panel.server.store.device_status import BatchOutcome, DeviceStatusStore
from panel.server.store.devices import Devices
from panel.server.store.jobs import (
    DEVICE_STATES,
    FINAL_STATES,
    JOB_STATES,
    JobKey,
    Jobs,
    StateChange,
)
from panel.server.store.ledger import Claim, LedgerEntry, OutboxLedger, OutgoingJob
from panel.server.store.logins import LOGIN_GRACE_S, LOGIN_MAX_AGE_S, EndedLogin, PanelLogins
from panel.server.store.maintenance import Maintenance, OperatorAccount
from panel.server.store.notices import Notices, Notification
from panel.server.store.sessions import DelegationRecord, DeviceSession, SessionRecords
from panel.server.store.users import Users

__all__ = [
    "DESTINATION_KINDS",
    "DEVICE_STATES",
    "FINAL_STATES",
    "JOB_STATES",
    "LOGIN_GRACE_S",
    "LOGIN_MAX_AGE_S",
    "TEMPLATE_KINDS",
    "BatchOutcome",
    "Claim",
    "DelegationRecord",
    "DeviceSession",
    "EndedLogin",
    "JobKey",
    "LedgerEntry",
    "Notification",
    "OperatorAccount",
    "OutgoingJob",
    "ServerStore",
    "StateChange",
    "disk_full",
]


class ServerStore:
    """The store in `path` (created if missing); `clock` dates ledger entries, logins and
    leases (tests replace it to age them)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._db = Database(path, clock)
        self._cache = CachedInfo(self._db)
        self._users = Users(self._db, self._cache)
        self._devices = Devices(self._db)
        self._logins = PanelLogins(self._db)
        self._jobs = Jobs(self._db)
        self._notices = Notices(self._db)
        self._ledger = OutboxLedger(self._db)
        self._maintenance = Maintenance(self._db)
        self._sessions = SessionRecords(self._db)
        self._device_status = DeviceStatusStore(self._db)
        self.file_index = FileIndex(self._db)  # S6: shared files (panel/server/files)
        # Each operation under one name (thin: the repositories hold the code and the docs).
        users = self._users
        self.add_user = users.add_user
        self.user = users.user
        self.user_and_pin_hash = users.user_and_pin_hash
        self.check_user = users.check_user
        self.add_card = users.add_card
        self.user_of_card = users.user_of_card
        self.preferences = users.preferences
        self.set_preferences = users.set_preferences
        devices = self._devices
        self.register_device = devices.register_device
        self.check_device = devices.check_device
        self.device_exists = devices.device_exists
        self.device_name = devices.device_name
        logins = self._logins
        self.set_login = logins.set_login
        self.end_login = logins.end_login
        self.device_of_user = logins.device_of_user
        self.mark_login_away = logins.mark_login_away
        self.mark_all_logins_away = logins.mark_all_logins_away
        self.resume_login = logins.resume_login
        self.expire_logins = logins.expire_logins
        self.add_login_listener = logins.add_login_listener
        jobs = self._jobs
        self.recording_job = jobs.recording_job
        self.savepoint = jobs.savepoint
        self.create_job = jobs.create_job
        self.delete_job = jobs.delete_job
        self.keyed_job = jobs.keyed_job
        self.purge_job_keys = jobs.purge_job_keys
        self.has_jobs = jobs.has_jobs
        self.job_ids = jobs.job_ids
        self.job = jobs.job
        self.jobs = jobs.jobs
        self.assign_and_notify = jobs.assign_and_notify
        self.set_job_state = jobs.set_job_state
        self.set_job_states = jobs.set_job_states
        notices = self._notices
        self.notifications_after = notices.notifications_after
        self.last_seq = notices.last_seq
        self.ack = notices.ack
        self.ack_many = notices.ack_many
        self.first_unacked = notices.first_unacked
        cache = self._cache
        self.add_cache_listener = cache.add_cache_listener
        self.cache_version = cache.cache_version
        self.add_destination = cache.add_destination
        self.remove_destination = cache.remove_destination
        self.destination = cache.destination
        self.destinations = cache.destinations
        self.add_template = cache.add_template
        self.remove_template = cache.remove_template
        self.templates = cache.templates
        self.add_app = cache.add_app
        self.remove_app = cache.remove_app
        self.apps = cache.apps
        self.offline_login_allowed = cache.offline_login_allowed
        self.set_offline_login_allowed = cache.set_offline_login_allowed
        self.directory = cache.directory
        self.cache_snapshot = cache.cache_snapshot
        self.encoded_snapshot = cache.encoded_snapshot
        ledger = self._ledger
        self.claim_outbox_key = ledger.claim_outbox_key
        self.finish_outbox_item = ledger.finish_outbox_item
        self.release_outbox_claim = ledger.release_outbox_claim
        self.expire_outbox_claims = ledger.expire_outbox_claims
        self.ledger_entry = ledger.ledger_entry
        self.ledger = ledger.ledger
        self.outgoing_jobs = ledger.outgoing_jobs
        maintenance = self._maintenance
        self.add_operator = maintenance.add_operator
        self.operator = maintenance.operator
        self.operator_and_password_hash = maintenance.operator_and_password_hash
        self.log_call = maintenance.log_call
        self.log_call_started = maintenance.log_call_started
        self.log_call_consent = maintenance.log_call_consent
        self.log_call_ended = maintenance.log_call_ended
        self.maintenance_log = maintenance.maintenance_log
        sessions = self._sessions
        self.delegation_key = sessions.delegation_key
        self.device_session = sessions.device_session
        self.record_heartbeat = sessions.record_heartbeat
        self.add_delegation = sessions.add_delegation
        self.delegation = sessions.delegation
        self.extend_delegation = sessions.extend_delegation
        self.revoke_delegation = sessions.revoke_delegation
        self.delegation_in_force = sessions.delegation_in_force
        self.delegations_kept_by = sessions.delegations_kept_by
        device_status = self._device_status
        self.record_device_reports = device_status.record_reports
        self.device_status = device_status.device_status
        self.device_reports_count = device_status.reports_count
        self.device_status_seqs = device_status.status_seqs

    @property
    def login_grace_s(self) -> float:
        """How long a panel login outlives its device's absence (tests shorten it)."""
        return self._logins.grace_s

    @login_grace_s.setter
    def login_grace_s(self, seconds: float) -> None:
        self._logins.grace_s = seconds

    @property
    def clock(self) -> Callable[[], float]:
        return self._db.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self._db.clock = clock

    def purge_ledger(self, retention_s: float, stale_after_s: float) -> int:
        """The outbox's keys (`OutboxLedger.purge_ledger`), the record of which device reports
        arrived (as long) and, on the same schedule, the keys jobs were created with once
        older than `idempotency.RETENTION_S`: how many went."""
        purged = self._ledger.purge_ledger(retention_s, stale_after_s)
        purged += self._device_status.purge_reports(retention_s)  # which reports arrived
        return purged + self._jobs.purge_job_keys(idempotency.RETENTION_S)

    def batch(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """Many store changes in one commit (the outbox's claims, then its results)."""
        return self._db.transaction()

    def close(self) -> None:
        self._db.close()
