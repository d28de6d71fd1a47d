// The operator console: plain JavaScript, no build step, nothing loaded from elsewhere.
//
// REST (same origin, the HttpOnly session cookie): /api/v1/operator/login, logout, me,
// presence; /api/v1/maintenance/calls/{id}/accept; /api/v1/maintenance/sessions.
// WebSockets: /api/v1/operator/events (relay.state frames: presence, queue, offer) and
// /api/v1/maintenance/calls/{id}/view (the live session). Screen updates arrive as binary
// messages (see panel/protocol/maintenance.py): a 12-byte header (version u8, kind u8, seq u32,
// width u16, height u16, count u16, big-endian), then per rectangle format u8 (1 png, 2 jpeg),
// x, y, w, h u16, length u32 and the image. Each is acknowledged (maint.view-ack) once drawn:
// the relay sends no more than two ahead of what the operator has seen.
//
// Every visible string is ConsoleI18n.t(key) (i18n.js, catalogues in i18n/); a change of
// language renders what is on screen again.
"use strict";

(() => {
  const API = "/api/v1";
  const V = 1;
  const FORMATS = { 1: "image/png", 2: "image/jpeg" };
  const t = window.ConsoleI18n.t;
  // Codes from the server, worded in the console's language (each key written out whole, so a
  // test finds every key the console uses).
  const END_REASONS = {
    ended_by_operator: () => t("end.ended_by_operator"),
    ended_by_panel: () => t("end.ended_by_panel"),
    cancelled_by_panel: () => t("end.cancelled_by_panel"),
    panel_disconnected: () => t("end.panel_disconnected"),
    operator_disconnected: () => t("end.operator_disconnected"),
    operator_absent: () => t("end.operator_absent"),
    operator_logged_out: () => t("end.operator_logged_out"),
    server_shutdown: () => t("end.server_shutdown"),
    replaced: () => t("end.replaced"),
  };
  const CONSENT_TEXT = {
    pending: () => t("consent.pending"),
    deny: () => t("consent.deny"),
    view: () => t("consent.view"),
    operate: () => t("consent.operate"),
  };
  // Lower case in English, as in "you are busy" (the name under the operator's shows it
  // capitalised with CSS).
  const PRESENCE_TEXT = {
    available: () => t("presence.state.available"),
    busy: () => t("presence.state.busy"),
    away: () => t("presence.state.away"),
  };
  const worded = (table, code) => (table[code] ? table[code]() : code);
  // Why the keys and taps are off, by the panel user's answer so far.
  const waitingForOperation = () => t("operate.waiting");
  const OPERATE_HINTS = {
    pending: () => t("operate.pending", { waiting: waitingForOperation() }),
    view: () => t("operate.view", { waiting: waitingForOperation() }),
    deny: () => t("operate.deny", { waiting: waitingForOperation() }),
  };
  const KEYS = ["key-home", "key-stop", "key-reset"];

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const app = {
    operator: null,
    state: null,
    consoleWs: null,
    consoleRetry: 0,
    view: null, // { ws, callId, consent, ended, deviceName, drawing }
    offerDeadline: 0,
    offerTotal: 0,
    framesDrawn: 0,
    drawTimes: [],
    endedCalls: new Set(), // never reopened, whatever a late console state says
  };

  // -- helpers -----------------------------------------------------------------------------------
  async function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const resp = await fetch(API + path, init);
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const err = new Error(data.message || `HTTP ${resp.status}`);
      err.status = resp.status;
      err.code = data.error;
      throw err;
    }
    return data;
  }

  function socketUrl(path) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${API}${path}`;
  }

  function send(ws, type, fields) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ v: V, type, ...fields }));
  }

  let toastTimer = 0;
  function toast(text) {
    const node = $("toast");
    node.textContent = text;
    node.classList.remove("hidden");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => node.classList.add("hidden"), 5000);
  }

  function ago(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return t("ago.s", { s });
    const m = Math.floor(s / 60);
    return m < 60 ? t("ago.m", { m }) : t("ago.hm", { h: Math.floor(m / 60), m: m % 60 });
  }

  // 24-hour, as the panel's own clock, whatever the browser's locale.
  const two = (n) => String(n).padStart(2, "0");
  function clockTime(epoch) {
    const at = new Date(epoch * 1000);
    return `${two(at.getHours())}:${two(at.getMinutes())}`;
  }

  // -- login -------------------------------------------------------------------------------------
  function showLogin(message) {
    closeSockets();
    window.DeviceStatusCard.hide();
    app.operator = null;
    $("console").classList.add("hidden");
    $("account").classList.add("hidden");
    $("login-view").classList.remove("hidden");
    const error = $("login-error");
    error.textContent = message || "";
    error.classList.toggle("hidden", !message);
    $("login-operator").focus();
  }

  function showConsole(info) {
    app.operator = info;
    $("login-view").classList.add("hidden");
    $("console").classList.remove("hidden");
    $("account").classList.remove("hidden");
    renderOperator(info);
    connectConsole();
    refreshLog();
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("login-submit");
    button.disabled = true;
    try {
      const reply = await api("POST", "/operator/login", {
        operator_id: $("login-operator").value.trim(),
        password: $("login-password").value,
      });
      $("login-password").value = "";
      showConsole(reply.operator);
    } catch (err) {
      showLogin(err.status === 429 ? t("login.too_many") : t("login.wrong"));
    } finally {
      button.disabled = false;
    }
  });

  $("logout").addEventListener("click", async () => {
    try {
      await api("POST", "/operator/logout");
    } catch (err) {
      // Logged out already: the login screen is right either way.
    }
    showLogin();
  });

  // -- presence ----------------------------------------------------------------------------------
  for (const button of document.querySelectorAll(".presence-btn")) {
    button.addEventListener("click", async () => {
      try {
        renderOperator(await api("PUT", "/operator/presence", { presence: button.dataset.presence }));
      } catch (err) {
        toast(err.message);
      }
    });
  }

  $("presence-prompt-available").addEventListener("click", async () => {
    try {
      renderOperator(await api("PUT", "/operator/presence", { presence: "available" }));
    } catch (err) {
      toast(err.message);
    }
  });

  function renderOperator(info) {
    $("operator-name").textContent = info.name;
    $("presence-state").textContent = worded(PRESENCE_TEXT, info.presence);
    $("account").dataset.presence = info.presence;
    for (const button of document.querySelectorAll(".presence-btn")) {
      button.setAttribute("aria-pressed", String(button.dataset.presence === info.presence));
    }
  }

  // -- the console socket: presence, queue, offer ------------------------------------------------
  function connectConsole() {
    if (app.consoleWs) return;
    const ws = new WebSocket(socketUrl("/operator/events"));
    app.consoleWs = ws;
    ws.onmessage = (msg) => {
      const frame = JSON.parse(msg.data);
      if (frame.type === "relay.state") {
        app.consoleRetry = 0;
        renderState(frame);
      }
    };
    ws.onclose = async () => {
      if (app.consoleWs !== ws) return;
      app.consoleWs = null;
      if (!app.operator) return;
      try {
        await api("GET", "/operator/me");
      } catch (err) {
        if (err.status === 401) {
          showLogin(t("login.ended"));
          return;
        }
      }
      app.consoleRetry = Math.min(app.consoleRetry + 1, 5);
      setTimeout(() => app.operator && connectConsole(), 500 * 2 ** app.consoleRetry);
    };
  }

  function renderState(state) {
    app.state = state;
    renderOperator(state.operator);
    const notice = $("notice");
    notice.textContent = state.notice;
    notice.classList.toggle("hidden", !state.notice);
    renderOffer(state.offer, state.offer_expires_in_s);
    renderQueue(state.queue);
    renderPrompt(state);
    $("operators-available").textContent = onDutyText(state.operators_available, state.operator);
    if (state.call_id && !app.endedCalls.has(state.call_id)) openView(state.call_id);
  }

  // The count includes the operator reading it, so say where they stand in it.
  function onDutyText(count, me) {
    const plural = (n) => (n === 1 ? t("duty.one") : t("duty.many", { n }));
    if (me.presence !== "available") {
      return t("duty.not_me", { count: plural(count), presence: worded(PRESENCE_TEXT, me.presence) });
    }
    return count <= 1 ? t("duty.only_me") : t("duty.with_me", { count: plural(count) });
  }

  // An operator who is not available, and not in a session, is told so with a way back.
  function renderPrompt(state) {
    const me = state.operator;
    const show = me.presence !== "available" && !state.call_id;
    $("presence-prompt").classList.toggle("hidden", !show);
    if (!show) return;
    const waiting = state.queue.filter((call) => call.state === "queued").length;
    const calls =
      waiting === 0 ? t("prompt.none") :
      waiting === 1 ? t("prompt.one") :
      t("prompt.many", { n: waiting });
    $("presence-prompt-text").textContent = t("prompt.text", { presence: worded(PRESENCE_TEXT, me.presence), calls });
  }

  function detailRows(list, call) {
    list.replaceChildren();
    const add = (term, value) => {
      list.append(el("dt", "", term));
      const dd = el("dd");
      if (value instanceof Node) dd.append(value);
      else dd.textContent = value;
      list.append(dd);
      return dd;
    };
    add(t("detail.device"), call.device_name).dataset.testid = "offer-device";
    add(t("detail.reason"), call.reason).dataset.testid = "offer-reason";
    if (call.note) add(t("detail.note"), call.note);
    if (call.error_codes.length) {
      const codes = el("span");
      for (const code of call.error_codes) codes.append(el("span", "code", code));
      add(t("detail.codes"), codes);
    }
    const panel = call.panel;
    const facts = [
      panel.screen && t("fact.screen", { screen: panel.screen }),
      panel.printer_state && t("fact.printer", { state: panel.printer_state }),
      panel.user_id && t("fact.user", { user: panel.user_id }),
      panel.active_jobs ? t("fact.jobs", { n: panel.active_jobs }) : "",
    ].filter(Boolean);
    if (facts.length) add(t("detail.panel"), facts.join(" · "));
    const waited = ago(Date.now() / 1000 - call.requested_at);
    add(t("detail.waiting"), t("detail.waiting_value", { ago: waited, time: clockTime(call.requested_at) }));
  }

  function renderOffer(offer, expiresIn) {
    const card = $("offer-card");
    card.classList.toggle("hidden", !offer);
    if (!offer) {
      app.offerDeadline = 0;
      if (!app.view || app.view.ended) window.DeviceStatusCard.hide();
      return;
    }
    if (card.dataset.callId !== offer.call_id) {
      app.offerTotal = expiresIn;
      card.dataset.callId = offer.call_id;
    }
    app.offerDeadline = performance.now() + expiresIn * 1000;
    detailRows($("offer-details"), offer);
    if (!app.view || app.view.ended) window.DeviceStatusCard.show(offer.device_id, true);
    $("offer-accept").disabled = false;
    tickOffer();
  }

  function tickOffer() {
    if (!app.offerDeadline) return;
    const left = Math.max(0, (app.offerDeadline - performance.now()) / 1000);
    $("offer-countdown").textContent = t("offer.countdown", { s: Math.ceil(left) });
    const share = app.offerTotal > 0 ? (left / app.offerTotal) * 100 : 0;
    $("offer-bar").style.width = `${share.toFixed(1)}%`;
  }
  setInterval(tickOffer, 250);

  $("offer-accept").addEventListener("click", async () => {
    const callId = $("offer-card").dataset.callId;
    $("offer-accept").disabled = true;
    try {
      const start = await api("POST", `/maintenance/calls/${encodeURIComponent(callId)}/accept`);
      openView(start.call_id);
    } catch (err) {
      toast(err.status === 403 ? t("offer.gone") : err.message);
    }
  });

  function renderQueue(calls) {
    const list = $("queue-list");
    list.replaceChildren();
    $("queue-count").textContent = String(calls.length);
    $("queue-empty").classList.toggle("hidden", calls.length > 0);
    for (const call of calls) {
      const item = el("li");
      item.dataset.testid = "queue-item";
      item.dataset.callId = call.call_id;
      item.dataset.state = call.state;
      item.append(el("span", "q-device", call.device_name));
      const codes = call.error_codes.length ? ` · ${call.error_codes.join(", ")}` : "";
      const waiting = t("queue.waiting", { ago: ago(Date.now() / 1000 - call.requested_at) });
      item.append(el("span", "q-reason", `${call.reason}${codes} · ${waiting}`));
      const mine = app.state && app.state.offer && app.state.offer.call_id === call.call_id;
      const label =
        call.state === "queued" ? t("queue.position", { n: call.position }) :
        mine ? t("queue.offered_you") : t("queue.offered_to", { name: call.operator_name || t("queue.an_operator") });
      const badge = el("span", "q-state", label);
      badge.dataset.state = call.state;
      item.append(badge);
      list.append(item);
    }
  }

  async function refreshLog() {
    let log;
    try {
      log = await api("GET", "/maintenance/sessions");
    } catch (err) {
      return;
    }
    const list = $("log-list");
    list.replaceChildren();
    const sessions = log.sessions.filter((s) => s.started_at !== null).slice(0, 8);
    $("log-empty").classList.toggle("hidden", sessions.length > 0);
    for (const s of sessions) {
      const item = el("li");
      item.dataset.testid = "log-item";
      item.dataset.callId = s.call_id;
      item.append(el("span", "q-device", `${s.device_name} · ${clockTime(s.started_at)}`));
      const length = s.ended_at ? ago(s.ended_at - s.started_at) : t("log.in_progress");
      const consent = s.consent ? worded(CONSENT_TEXT, s.consent) : t("log.consent_none");
      item.append(el("span", "q-reason", `${s.reason} · ${length} · ${t("log.consent", { consent })}`));
      const badge = el("span", "q-state", worded(END_REASONS, s.end_reason || "").replace(/[.。]$/, ""));
      item.append(badge);
      list.append(item);
    }
  }

  // -- the live session --------------------------------------------------------------------------
  const canvas = $("panel-canvas");
  const ctx = canvas.getContext("2d");

  // Chat and End session work for the whole session; keys and taps only while the panel's
  // user allows operation (the relay refuses them otherwise), with a hint saying so.
  function updateControls() {
    const view = app.view;
    const live = Boolean(view && view.started && !view.ended);
    const operable = live && view.consent === "operate";
    for (const id of ["end-session", "chat-input", "chat-send"]) $(id).disabled = !live;
    for (const id of KEYS) {
      $(id).disabled = !operable;
      $(id).title = live && !operable ? `${waitingForOperation()}.` : "";
    }
    canvas.dataset.operable = String(operable);
    const hint = $("operate-hint");
    hint.classList.toggle("hidden", !live || operable);
    const because = OPERATE_HINTS[view && view.consent];
    hint.textContent = live && !operable ? (because ? because() : `${waitingForOperation()}.`) : "";
  }

  function flashHint() {
    const hint = $("operate-hint");
    hint.classList.remove("flash");
    void hint.offsetWidth; // restart the animation
    hint.classList.add("flash");
  }

  function setConsent(consent) {
    const pill = $("consent-state");
    pill.dataset.consent = consent;
    pill.textContent = CONSENT_TEXT[consent] ? CONSENT_TEXT[consent]() : t("consent.none");
    const placeholder = $("panel-placeholder");
    const showImage = app.framesDrawn > 0 && (consent === "view" || consent === "operate");
    placeholder.classList.toggle("hidden", showImage);
    if (!showImage) {
      $("placeholder-text").textContent =
        consent === "pending" ? t("placeholder.pending") :
        consent === "deny" ? t("placeholder.deny") :
        consent ? t("placeholder.screen") : t("placeholder.idle");
    }
    if (consent === "operate") $("input-refused").classList.add("hidden");
    updateControls();
  }

  function openView(callId) {
    if (app.endedCalls.has(callId) || (app.view && app.view.callId === callId)) return;
    if (app.view && app.view.ws) app.view.ws.close();
    const ws = new WebSocket(socketUrl(`/maintenance/calls/${encodeURIComponent(callId)}/view`));
    ws.binaryType = "arraybuffer";
    const view = {
      ws, callId, consent: "pending", started: false, ended: false, deviceName: "", drawing: Promise.resolve(),
    };
    app.view = view;
    app.framesDrawn = 0;
    app.drawTimes = [];
    canvas.dataset.frames = "0";
    $("chat-log").replaceChildren();
    $("chat-log").dataset.empty = t("chat.empty_session");
    $("chat-log").dataset.i18nAttr = "data-empty:chat.empty_session";
    $("session-ended").classList.add("hidden");
    $("input-refused").classList.add("hidden");
    $("session-card").dataset.state = "connecting";
    $("session-card").dataset.callId = callId;
    setConsent("pending");
    ws.onmessage = (msg) => {
      if (typeof msg.data === "string") onViewFrame(view, JSON.parse(msg.data));
      else view.drawing = view.drawing.then(() => drawUpdate(view, msg.data));
    };
    ws.onclose = () => {
      if (!view.ended) sessionEnded(view, "operator_disconnected");
    };
  }

  function onViewFrame(view, frame) {
    switch (frame.type) {
      case "maint.session": {
        const call = frame.call;
        view.deviceName = call.device_name;
        view.call = call;
        window.DeviceStatusCard.show(call.device_id, false); // the live panel in front
        $("session-card").dataset.state = "active";
        showSessionCall(call);
        if (call.panel.width && call.panel.height) resizeCanvas(call.panel.width, call.panel.height);
        view.started = true;
        view.consent = frame.consent || "pending";
        setConsent(view.consent);
        break;
      }
      case "maint.consent":
        view.consent = frame.choice;
        setConsent(frame.choice);
        addChat("system", t("chat.consent", { choice: worded(CONSENT_TEXT, frame.choice) }), Date.now() / 1000);
        break;
      case "maint.chat":
        addChat(frame.sender, frame.text, frame.at || Date.now() / 1000);
        break;
      case "maint.ended":
        sessionEnded(view, frame.reason);
        break;
      case "error":
        if (frame.code === "input_refused") {
          const box = $("input-refused");
          box.textContent = t("input.refused");
          box.classList.remove("hidden");
        } else {
          toast(frame.message);
        }
        break;
      default:
        break;
    }
  }

  function showSessionCall(call) {
    $("session-title").textContent = t("session.title_device", { device: call.device_name });
    const codes = call.error_codes.length ? ` · ${call.error_codes.join(", ")}` : "";
    const note = call.note ? ` · “${call.note}”` : "";
    const time = clockTime(call.requested_at);
    $("session-meta").textContent = t("session.meta", { reason: call.reason, codes, note, time });
  }

  function resizeCanvas(width, height) {
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
  }

  async function drawUpdate(view, buffer) {
    const data = new DataView(buffer);
    if (data.byteLength < 12 || data.getUint8(0) !== V || data.getUint8(1) !== 1) return;
    const seq = data.getUint32(2);
    resizeCanvas(data.getUint16(6), data.getUint16(8));
    const count = data.getUint16(10);
    const pending = [];
    let at = 12;
    for (let i = 0; i < count; i += 1) {
      const format = data.getUint8(at);
      const x = data.getUint16(at + 1);
      const y = data.getUint16(at + 3);
      const w = data.getUint16(at + 5);
      const h = data.getUint16(at + 7);
      const length = data.getUint32(at + 9);
      at += 13;
      const blob = new Blob([new Uint8Array(buffer, at, length)], { type: FORMATS[format] });
      at += length;
      pending.push(createImageBitmap(blob).then((bitmap) => ({ bitmap, x, y, w, h })));
    }
    const images = await Promise.allSettled(pending);
    if (view !== app.view) return;
    for (const result of images) {
      if (result.status !== "fulfilled") continue;
      const { bitmap, x, y, w, h } = result.value;
      ctx.drawImage(bitmap, x, y, w, h);
      bitmap.close();
    }
    send(view.ws, "maint.view-ack", { seq });
    app.framesDrawn += 1;
    canvas.dataset.frames = String(app.framesDrawn);
    canvas.dataset.seq = String(seq);
    const now = performance.now();
    app.drawTimes.push(now);
    while (app.drawTimes.length && app.drawTimes[0] < now - 1000) app.drawTimes.shift();
    $("view-fps").textContent = t("fps", { n: app.drawTimes.length });
    setConsent(view.consent);
  }

  function sessionEnded(view, reason) {
    if (view.ended) return;
    view.ended = true;
    app.endedCalls.add(view.callId);
    $("session-card").dataset.state = "ended";
    const banner = $("session-ended");
    banner.dataset.reason = reason;
    banner.classList.remove("hidden");
    $("view-fps").textContent = "";
    showEnded(reason);
    if (view.ws.readyState === WebSocket.OPEN) view.ws.close();
    refreshLog();
  }

  function showEnded(reason) {
    $("session-ended").textContent = t("session.ended", { reason: worded(END_REASONS, reason) });
    setConsent("");
    $("consent-state").textContent = t("consent.ended");
    $("placeholder-text").textContent = t("placeholder.ended");
  }

  function panelPoint(event) {
    const box = canvas.getBoundingClientRect();
    const x = Math.floor(((event.clientX - box.left) / box.width) * canvas.width);
    const y = Math.floor(((event.clientY - box.top) / box.height) * canvas.height);
    return { x: Math.min(Math.max(x, 0), canvas.width - 1), y: Math.min(Math.max(y, 0), canvas.height - 1) };
  }

  canvas.addEventListener("click", (event) => {
    const view = app.view;
    if (!view || view.ended) return;
    if (view.consent !== "operate") {
      flashHint();
      return;
    }
    const { x, y } = panelPoint(event);
    send(view.ws, "maint.input", { kind: "tap", x, y });
    const mark = el("div", "tap-mark");
    const frame = canvas.parentElement.getBoundingClientRect();
    mark.style.left = `${event.clientX - frame.left}px`;
    mark.style.top = `${event.clientY - frame.top}px`;
    canvas.parentElement.append(mark);
    setTimeout(() => mark.remove(), 600);
  });

  for (const id of KEYS) {
    $(id).addEventListener("click", () => {
      const view = app.view;
      if (view && !view.ended && view.consent === "operate") {
        send(view.ws, "maint.input", { kind: "key", key: $(id).dataset.key });
      }
    });
  }

  $("end-session").addEventListener("click", () => {
    if (app.view && !app.view.ended) send(app.view.ws, "maint.end", { reason: "operator" });
  });

  // -- chat --------------------------------------------------------------------------------------
  // `sender` is "panel", the operator's name, or "system" (the session's own news).
  function addChat(sender, text, at) {
    const log = $("chat-log");
    const item = el("li");
    const system = sender === "system";
    item.dataset.testid = "chat-message";
    item.dataset.sender = sender;
    item.dataset.mine = String(!system && sender !== "panel");
    const time = el("time", "at", clockTime(at));
    time.dataset.testid = "chat-time";
    time.dateTime = new Date(at * 1000).toISOString();
    if (system) {
      item.classList.add("muted");
      item.append(time);
    } else {
      const from = el("span", "from", sender === "panel" ? t("chat.panel_user") : sender);
      from.append(time);
      item.append(from);
    }
    item.append(document.createTextNode(text));
    log.append(item);
    log.scrollTop = log.scrollHeight;
  }

  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("chat-input");
    const text = input.value.trim();
    if (!text || !app.view || app.view.ended) return;
    send(app.view.ws, "maint.chat", { text });
    input.value = "";
  });

  function closeSockets() {
    const ws = app.consoleWs;
    app.consoleWs = null;
    if (ws) ws.close();
    if (app.view && app.view.ws) {
      app.view.ended = true;
      app.view.ws.close();
    }
    updateControls();
  }

  // -- languages ---------------------------------------------------------------------------------
  // The page's own text is switched by i18n.js; what the console wrote is written again.
  function rerender() {
    if (app.state) renderState(app.state);
    tickOffer();
    const view = app.view;
    if (view && view.ended) {
      showEnded($("session-ended").dataset.reason || "");
    } else if (view && view.call) {
      showSessionCall(view.call);
      setConsent(view.consent);
    } else {
      setConsent(view ? view.consent : "");
    }
    if (app.operator) {
      renderOperator(app.operator);
      refreshLog();
    }
    window.DeviceStatusCard.rerender();
  }
  window.ConsoleI18n.onChange(rerender);

  // -- start -------------------------------------------------------------------------------------
  window.ConsoleI18n.ready.then(() => api("GET", "/operator/me")).then(showConsole, () => showLogin());
})();
