"""The server database's tables, created when missing."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user',
    pin_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(user_id),
    title TEXT NOT NULL,
    pages INTEGER NOT NULL,
    copies INTEGER NOT NULL,
    state TEXT NOT NULL,
    device_id TEXT REFERENCES devices(device_id),
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    document_name TEXT NOT NULL,
    document_size INTEGER NOT NULL,
    pages_done INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_user ON jobs(user_id, state);
CREATE TABLE IF NOT EXISTS job_keys (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs(job_id),
    created_at REAL NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX IF NOT EXISTS job_keys_age ON job_keys(created_at);
CREATE TABLE IF NOT EXISTS notifications (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    job_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    acked INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE IF NOT EXISTS logins (
    device_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    at REAL NOT NULL
);
-- Where a job's user is logged in, asked for every job created (issue 12: without it, a scan
-- of every device's login, a quarter of the server's time in a burst at 5,000 devices).
CREATE INDEX IF NOT EXISTS logins_user ON logins(user_id, at);
CREATE TABLE IF NOT EXISTS login_away (
    device_id TEXT PRIMARY KEY,
    since REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_endings (
    device_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS destinations (
    dest_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS templates (
    template_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS apps (
    app_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS app_roles (
    app_id TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (app_id, role)
);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO settings(name, value) VALUES ('cache_version', '1');
INSERT OR IGNORE INTO settings(name, value) VALUES ('offline_login_allowed', '1');
CREATE TABLE IF NOT EXISTS outbox_ledger (
    device_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
    claim TEXT NOT NULL,
    job_id TEXT NOT NULL,
    status INTEGER,
    message TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    done_at REAL,
    settled INTEGER,
    executions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, key)
);
CREATE INDEX IF NOT EXISTS outbox_ledger_age ON outbox_ledger(created_at);
CREATE INDEX IF NOT EXISTS outbox_ledger_settled ON outbox_ledger(settled);
CREATE TABLE IF NOT EXISTS outgoing (
    job_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    pages INTEGER NOT NULL,
    destination TEXT NOT NULL,
    document_size INTEGER NOT NULL,
    composed_at REAL NOT NULL,
    accepted_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outgoing_device ON outgoing(device_id);
CREATE TABLE IF NOT EXISTS device_sessions (
    device_id TEXT PRIMARY KEY REFERENCES devices(device_id),
    mode TEXT NOT NULL,
    interval_s REAL NOT NULL,
    lease_until REAL NOT NULL,
    last_heartbeat REAL NOT NULL,
    proxy_id TEXT,
    delegation_id TEXT,
    lapses INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS delegations (
    delegation_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(device_id),
    proxy_id TEXT NOT NULL REFERENCES devices(device_id),
    issued_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    revoked_at REAL,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS delegations_device ON delegations(device_id, revoked_at);
CREATE INDEX IF NOT EXISTS delegations_proxy ON delegations(proxy_id, revoked_at);
INSERT OR IGNORE INTO settings(name, value) VALUES ('delegation_key', lower(hex(randomblob(32))));
CREATE TABLE IF NOT EXISTS user_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(user_id),
    print_all_on_login INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS user_cards (
    card_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(user_id)
);
CREATE TABLE IF NOT EXISTS operators (
    operator_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS maintenance_log (
    call_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    device_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    error_codes TEXT NOT NULL DEFAULT '[]',
    requested_at REAL NOT NULL,
    operator_id TEXT,
    operator_name TEXT NOT NULL DEFAULT '',
    started_at REAL,
    ended_at REAL,
    consent_trail TEXT NOT NULL DEFAULT '[]',
    end_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS maintenance_log_operator ON maintenance_log(operator_id, requested_at);
CREATE TABLE IF NOT EXISTS device_reports (
    device_id TEXT NOT NULL,
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at REAL NOT NULL,
    received_at REAL NOT NULL,
    PRIMARY KEY (device_id, stream, seq)
);
CREATE INDEX IF NOT EXISTS device_reports_age ON device_reports(received_at);
CREATE TABLE IF NOT EXISTS device_status (
    device_id TEXT PRIMARY KEY,
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    received_at REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS device_faults (
    fault_id INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id TEXT NOT NULL,
    fault_key TEXT NOT NULL,
    code TEXT NOT NULL,
    keyword TEXT NOT NULL,
    severity TEXT NOT NULL,
    location TEXT NOT NULL,
    message TEXT NOT NULL,
    raised_at REAL NOT NULL,
    cleared_at REAL
);
CREATE INDEX IF NOT EXISTS device_faults_open ON device_faults(device_id, cleared_at);
CREATE TABLE IF NOT EXISTS device_usage (
    device_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    impressions INTEGER NOT NULL,
    sheets INTEGER NOT NULL,
    colour INTEGER NOT NULL,
    duplex INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (device_id, job_id)
);
CREATE TABLE IF NOT EXISTS box_index (
    device_id TEXT NOT NULL,
    box_id TEXT NOT NULL,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    PRIMARY KEY (device_id, box_id)
);
CREATE TABLE IF NOT EXISTS file_index (
    device_id TEXT NOT NULL,
    file_id TEXT NOT NULL,
    box_id TEXT NOT NULL,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    pages INTEGER NOT NULL,
    size INTEGER NOT NULL,
    created_at REAL NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (device_id, file_id)
);
"""
