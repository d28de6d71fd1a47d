// The phone simulator's screen: a gallery; the chosen photos are shared as a QR code.
"use strict";
const $ = (id) => document.getElementById(id);
const selected = [];
let expiresAt = 0, offset = 0, ticking = null;

function tickClock() {
  const now = new Date();
  $("clock").textContent = now.toTimeString().slice(0, 5);
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function toggle(id, item) {
  const at = selected.indexOf(id);
  if (at >= 0) selected.splice(at, 1); else selected.push(id);
  item.classList.toggle("selected", at < 0);
  item.querySelector(".tick").textContent = at < 0 ? String(selected.length) : "";
  document.querySelectorAll("#gallery li.selected").forEach((li) => {
    li.querySelector(".tick").textContent = String(selected.indexOf(li.dataset.id) + 1);
  });
  $("share").disabled = selected.length === 0;
  $("share").textContent = selected.length > 1 ? `Show QR code (${selected.length} photos)` : "Show QR code";
}

async function loadGallery() {
  const resp = await fetch("/api/gallery");
  if (!resp.ok) { showError("The gallery could not be loaded."); return; }
  const body = await resp.json();
  const list = $("gallery");
  list.innerHTML = "";
  for (const image of body.images) {
    const li = document.createElement("li");
    li.dataset.id = image.id;
    li.title = image.name;
    const img = document.createElement("img");
    img.src = `/gallery/${encodeURIComponent(image.id)}`;
    img.alt = image.name;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = image.name;
    const tick = document.createElement("span");
    tick.className = "tick";
    li.append(img, name, tick);
    li.addEventListener("click", () => toggle(image.id, li));
    list.append(li);
  }
}

function countdown() {
  const left = Math.round(expiresAt - (Date.now() / 1000 + offset));
  const el = $("expiry");
  if (left <= 0) {
    el.textContent = "Expired — tap Done and share again";
    el.classList.add("expired");
    clearInterval(ticking);
    return;
  }
  el.classList.remove("expired");
  el.textContent = `Valid for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} · works once`;
}

async function share() {
  showError("");
  const resp = await fetch("/api/share", {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({ids: selected}),
  });
  const body = await resp.json();
  if (!resp.ok) { showError(body.error || "Could not share."); return; }
  $("qr").innerHTML = body.svg;
  $("qr").dataset.payload = body.payload;
  $("qr-names").textContent = body.names.join(", ");
  expiresAt = body.expires;
  offset = body.now - Date.now() / 1000;
  $("gallery-view").hidden = true;
  $("qr-view").hidden = false;
  $("share").hidden = true;
  $("done").hidden = false;
  $("title").textContent = "Share to printer";
  $("subtitle").textContent = body.names.length > 1 ? `${body.names.length} photos` : "1 photo";
  clearInterval(ticking);
  countdown();
  ticking = setInterval(countdown, 1000);
}

function done() {
  clearInterval(ticking);
  $("qr-view").hidden = true;
  $("gallery-view").hidden = false;
  $("share").hidden = false;
  $("done").hidden = true;
  $("title").textContent = "Photos";
  $("subtitle").textContent = "Tap photos, then show the code to the printer's camera";
}

$("share").addEventListener("click", share);
$("done").addEventListener("click", done);
tickClock();
setInterval(tickClock, 10000);
loadGallery();
