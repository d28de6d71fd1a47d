"""Demo users, jobs and cached information, seeded only by `mfp-panel demo` (and tests that ask
for them)."""

from __future__ import annotations

import base64

from panel.protocol.messages import AppInfo, Destination, JobCreate, JobTemplate
from panel.server.apps.builtin import PrintFromCloud, ScanToFolder, VisitorBadge
from panel.server.dispatch import Dispatcher
from panel.server.store import ServerStore
from panel.server.user_data import seed_demo_cards

# (user id, name, PIN, role). PINs are public on purpose: this is demo data.
DEMO_USERS = [
    ("1001", "Alice Martin", "1234", "user"),
    ("1002", "Bob Okafor", "2345", "user"),
    ("1003", "Chen Wei", "3456", "user"),
    ("9000", "Service Admin", "9999", "admin"),
]

# Remote-maintenance operators (S3) for the console at /operator: (id, name, password).
DEMO_OPERATORS = [
    ("op1", "Olivia Park", "service-1"),
    ("op2", "Ravi Shah", "service-2"),
]


def describe(url: str) -> str:
    """The demo's accounts, as `demo` and `server --seed-demo` print them."""
    from panel.cli_text import translate

    admin = translate("Cli", "(admin)")
    users = "\n".join(
        f"    {uid}  PIN {pin}  {name}{' ' + admin if role == 'admin' else ''}"
        for uid, name, pin, role in DEMO_USERS
    )
    password = translate("Cli", "password")
    operators = "\n".join(f"    {oid}  {password} {pw}  {name}" for oid, name, pw in DEMO_OPERATORS)
    console = translate("Cli", "operator console: {url}/operator").format(url=url)
    users_title = translate("Cli", "users (log in on the panel):")
    operators_title = translate("Cli", "operators:")
    return f"  {users_title}\n{users}\n  {console}\n  {operators_title}\n{operators}\n"


DEMO_DESTINATIONS = [
    Destination("accounts-payable", "Accounts Payable", "email", "ap@example.com"),
    Destination("front-desk", "Front desk", "email", "frontdesk@example.com"),
    Destination("team-share", "Team share", "folder", "smb://files.example.com/team/scans"),
    Destination("legal-archive", "Legal archive", "folder", "smb://files.example.com/legal/in"),
    Destination("my-cloud", "My cloud drive", "cloud", "cloud://drive/me/Scans"),
]
DEMO_TEMPLATES = [
    JobTemplate("scan-pdf", "Scan to PDF", "scan", "PDF, 300 dpi, colour, duplex"),
    JobTemplate("fax-fine", "Fax (fine)", "fax", "Fine resolution, cover page, B/W"),
    JobTemplate("copy-2up", "Copy 2-up", "copy", "2 pages per sheet, duplex, B/W"),
]
# The server's built-in apps (S8, panel/server/apps/builtin.py): every listed app launches.
DEMO_APPS = [
    AppInfo(m.app_id, m.name, m.description)
    for m in (ScanToFolder.MANIFEST, PrintFromCloud.MANIFEST, VisitorBadge.MANIFEST)
]


def seed_cache(store: ServerStore) -> None:
    """The address book, job templates and apps a demo device caches for offline work (S1)."""
    for dest in DEMO_DESTINATIONS:
        store.add_destination(dest)
    for template in DEMO_TEMPLATES:
        store.add_template(template)
    for app in DEMO_APPS:
        store.add_app(app)


def sample_pdf(pages: int, title: str) -> bytes:
    """A small valid PDF with `pages` pages, so a demo job has a believable page count."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i * 2} 0 R" for i in range(pages))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>")
    for i in range(pages):
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + i * 2} 0 R >>"
        )
        text = f"BT /F1 24 Tf 72 760 Td ({title} - page {i + 1}) Tj ET"
        objs.append(f"<< /Length {len(text)} >>\nstream\n{text}\nendstream")
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


async def seed(dispatcher: Dispatcher) -> None:
    """The demo users, operators, cached information and jobs, once: a user already there
    keeps their PIN, and jobs go only into a store that has none, so `--seed-demo` on every
    start of a server with a kept data directory changes nothing."""
    store = dispatcher.store
    for user_id, name, pin, role in DEMO_USERS:
        if store.user(user_id) is None:
            store.add_user(user_id, name, pin, role)
    seed_demo_cards(store)
    for operator_id, name, password in DEMO_OPERATORS:
        if store.operator(operator_id) is None:
            store.add_operator(operator_id, name, password)
    seed_cache(store)
    if store.has_jobs():
        return
    for user_id, title, pages in [
        ("1001", "Quarterly report", 4),
        ("1001", "Boarding pass", 1),
        ("1002", "Floor plan", 2),
    ]:
        doc = base64.b64encode(sample_pdf(pages, title)).decode()
        await dispatcher.submit(JobCreate(user_id, title, doc, f"{title}.pdf"))
