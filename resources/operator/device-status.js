// The device status card of the operator console (issue 14): what the calling device reported
// about itself — its state, current errors and warnings with their codes and messages, paper
// trays, toner, page counters and recent faults — read from GET /api/v1/devices/{id}/status.
//
// operator.js shows it for the call on offer (in front of the live panel's placeholder) or in
// session (behind the live panel, a button away), and hides it at logout or when the offer goes;
// while shown it is read again every REFRESH_MS, so a jam cleared at the device leaves it here
// too. Plain JavaScript, no build step, nothing loaded from elsewhere.
"use strict";

window.DeviceStatusCard = (() => {
  const API = "/api/v1";
  const REFRESH_MS = 3000;
  const t = (key, values) => window.ConsoleI18n.t(key, values);
  const MEDIA = {
    iso_a4_210x297mm: () => "A4",
    iso_a3_297x420mm: () => "A3",
    iso_a5_148x210mm: () => "A5",
    "na_letter_8.5x11in": () => t("status.media.letter"),
    "na_legal_8.5x14in": () => t("status.media.legal"),
  };
  const STATE_TEXT = {
    idle: () => t("status.state.idle"),
    processing: () => t("status.state.processing"),
    stopped: () => t("status.state.stopped"),
  };
  const COLOUR = {
    black: () => t("status.colour.black"),
    cyan: () => t("status.colour.cyan"),
    magenta: () => t("status.colour.magenta"),
    yellow: () => t("status.colour.yellow"),
  };
  const worded = (table, code) => (table[code] ? table[code]() : code);
  const SWATCH = { black: "#1c2430", cyan: "#00a3d9", magenta: "#d6007e", yellow: "#f2c500" };

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const two = (n) => String(n).padStart(2, "0");
  const clock = (epoch) => {
    const at = new Date(epoch * 1000);
    return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
  };

  let shown = null; // { deviceId, timer, seq }
  let lastInfo = null; // what the card shows, rendered again in another language

  async function fetchStatus(deviceId) {
    const resp = await fetch(`${API}/devices/${encodeURIComponent(deviceId)}/status`, {
      credentials: "same-origin",
    });
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) throw new Error(data.message || `HTTP ${resp.status}`);
    return data;
  }

  function section(title, testid) {
    const box = el("section", "ds-section");
    box.dataset.testid = testid;
    box.append(el("h3", "ds-title", title));
    return box;
  }

  function bar(pct, colour) {
    const outer = el("div", "ds-bar");
    const inner = el("div", "ds-fill");
    inner.style.width = `${Math.max(0, Math.min(100, pct))}%`;
    if (colour) inner.style.background = colour;
    outer.append(inner);
    return outer;
  }

  function reasonsSection(reasons) {
    const box = section(t("status.reasons"), "ds-reasons");
    if (!reasons.length) {
      box.append(el("p", "ds-none", t("status.reasons_none")));
      return box;
    }
    const list = el("ul", "ds-reasons");
    for (const r of reasons) {
      const item = el("li", `ds-reason ds-${r.severity}`);
      item.dataset.code = r.code;
      const code = el("span", `code ds-code-${r.severity}`, r.code || r.keyword);
      const text = el("div", "ds-reason-text");
      text.append(el("div", "ds-message", r.message || r.keyword));
      const where = r.location ? ` · ${r.location}` : "";
      text.append(el("div", "ds-keyword muted", `${r.keyword}-${r.severity}${where}`));
      item.append(code, text);
      list.append(item);
    }
    box.append(list);
    return box;
  }

  function traysSection(trays) {
    const box = section(t("status.trays"), "ds-trays");
    const table = el("div", "ds-grid");
    for (const tray of trays) {
      const pct = tray.capacity ? Math.floor((tray.level * 100) / tray.capacity) : 0;
      const row = el("div", "ds-row");
      row.dataset.tray = tray.tray_id;
      row.append(el("span", "ds-name", `${tray.name} · ${worded(MEDIA, tray.media)}`));
      row.append(bar(pct, tray.level === 0 ? "var(--danger)" : pct < 15 ? "var(--warn)" : "var(--ok)"));
      row.append(el("span", "ds-value", tray.level === 0 ? t("status.tray_empty") : `${tray.level} / ${tray.capacity}`));
      table.append(row);
    }
    box.append(table);
    return box;
  }

  function tonerSection(toner) {
    const box = section(t("status.toner"), "ds-toner");
    const table = el("div", "ds-grid");
    for (const cart of toner) {
      const row = el("div", "ds-row");
      row.dataset.toner = cart.colour;
      row.append(el("span", "ds-name ds-cap", worded(COLOUR, cart.colour)));
      row.append(bar(cart.pct, SWATCH[cart.colour]));
      row.append(el("span", "ds-value", `${cart.pct}%`));
      table.append(row);
    }
    box.append(table);
    return box;
  }

  function countersSection(counters, usage) {
    const box = section(t("status.counters"), "ds-counters");
    const list = el("dl", "ds-counters");
    const add = (id, term, value) => {
      list.append(el("dt", "", term));
      const dd = el("dd", "", String(value));
      dd.dataset.counter = id;
      list.append(dd);
    };
    add("total", t("status.counter.total"), counters.total);
    add("colour", t("status.counter.colour"), counters.colour);
    add("mono", t("status.counter.mono"), counters.mono);
    add("duplex", t("status.counter.duplex"), counters.duplex);
    add("sheets", t("status.counter.sheets"), counters.sheets);
    if (usage && usage.jobs) {
      const value = t("status.copy_jobs_value", { jobs: usage.jobs, pages: usage.impressions });
      add("copy jobs", t("status.counter.copy_jobs"), value);
    }
    box.append(list);
    return box;
  }

  function faultsSection(faults) {
    const box = section(t("status.faults"), "ds-faults");
    if (!faults.length) {
      box.append(el("p", "ds-none", t("status.faults_none")));
      return box;
    }
    const list = el("ul", "ds-history");
    for (const f of faults.slice(0, 5)) {
      const item = el("li");
      item.append(el("span", `code ds-code-${f.severity}`, f.code || f.keyword));
      const when = f.cleared_at === null
        ? t("status.since", { time: clock(f.raised_at) })
        : `${clock(f.raised_at)}–${clock(f.cleared_at)}`;
      item.append(el("span", "muted", when));
      list.append(item);
    }
    box.append(list);
    return box;
  }

  function render(info) {
    lastInfo = info;
    const card = $("device-status");
    const body = $("device-status-body");
    const pill = $("device-status-state");
    $("device-status-title").textContent = t("status.title_device", { device: info.device_name });
    body.replaceChildren();
    const status = info.status;
    if (!status) {
      pill.textContent = t("status.no_report");
      pill.dataset.state = "";
      card.dataset.state = "";
      body.append(el("p", "ds-none", t("status.not_yet")));
      return;
    }
    pill.textContent = worded(STATE_TEXT, status.state);
    pill.dataset.state = status.state;
    card.dataset.state = status.state;
    const seen = el("p", "ds-seen muted", t("status.reported", { time: clock(info.at) }));
    seen.dataset.testid = "ds-seen";
    const columns = el("div", "ds-columns");
    const left = el("div", "ds-column");
    left.append(reasonsSection(status.reasons), countersSection(status.counters, info.usage));
    const right = el("div", "ds-column");
    right.append(traysSection(status.trays), tonerSection(status.toner), faultsSection(info.faults));
    columns.append(left, right);
    body.append(seen, columns);
  }

  async function refresh(view) {
    try {
      const info = await fetchStatus(view.deviceId);
      if (shown === view) render(info);
    } catch (err) {
      if (shown === view) $("device-status-error").textContent = t("status.unavailable", { error: err.message });
      return;
    }
    if (shown === view) $("device-status-error").textContent = "";
  }

  // The card and the live panel share the main column (the console fits 1280x800 unscrolled):
  // `inFront` puts the card in front; each has a button to the other.
  function front(inFront) {
    $("device-status").classList.toggle("hidden", !inFront);
    $("session-card").classList.toggle("hidden", inFront);
    $("show-device-status").classList.toggle("hidden", inFront || !shown);
  }

  function show(deviceId, inFront) {
    if (!shown || shown.deviceId !== deviceId) {
      hide();
      const view = { deviceId, timer: 0 };
      shown = view;
      $("device-status").dataset.deviceId = deviceId;
      refresh(view);
      view.timer = setInterval(() => refresh(view), REFRESH_MS);
    }
    front(inFront);
  }

  function hide() {
    if (shown) clearInterval(shown.timer);
    shown = null;
    lastInfo = null;
    const card = $("device-status");
    if (card) delete card.dataset.deviceId;
    front(false);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("show-device-status").addEventListener("click", () => front(true));
    $("show-live-panel").addEventListener("click", () => front(false));
  });

  // Another language: the card as it is, worded again (the next refresh reads it anew).
  function rerender() {
    if (shown && lastInfo) render(lastInfo);
  }

  return { show, hide, rerender, refreshNow: () => shown && refresh(shown) };
})();
