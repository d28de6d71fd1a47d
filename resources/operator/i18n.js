// The operator console's languages (issue 19): English and Japanese, from the catalogues
// /operator/i18n/en.json and ja.json (one key per visible string; values may hold {name}
// placeholders). The language is the one picked in the console (kept in localStorage), else the
// browser's (navigator.languages, i.e. its Accept-Language), else English.
//
// The page's static text names its key: data-i18n="key" (the element's text) and
// data-i18n-attr="attribute:key;..." (placeholder, aria-label, data-empty, ...). The scripts
// ask `ConsoleI18n.t(key, {name: value})` and re-render on `onChange`. Plain JavaScript, no
// build step, nothing loaded from elsewhere; the console starts once `ready` resolves.
"use strict";

window.ConsoleI18n = (() => {
  const STORE = "mfp-console-language";
  const LANGUAGES = { en: "English", ja: "日本語" }; // each in its own language
  const catalogues = {};
  const listeners = [];
  let language = pick();

  function pick() {
    let stored = null;
    try {
      stored = localStorage.getItem(STORE);
    } catch (err) {
      // Storage blocked: the browser's language then.
    }
    if (stored && stored in LANGUAGES) return stored;
    for (const tag of navigator.languages || [navigator.language || ""]) {
      const code = String(tag).slice(0, 2).toLowerCase();
      if (code in LANGUAGES) return code;
    }
    return "en";
  }

  async function load(code) {
    if (!catalogues[code]) {
      const resp = await fetch(`/operator/i18n/${code}.json`, { credentials: "same-origin" });
      catalogues[code] = resp.ok ? await resp.json() : {};
    }
    return catalogues[code];
  }

  // The text of `key` in the console's language (English, then the key itself, if missing).
  function t(key, values) {
    const own = catalogues[language] || {};
    const english = catalogues.en || {};
    const text = key in own ? own[key] : key in english ? english[key] : key;
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function apply() {
    document.documentElement.lang = language;
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-attr]")) {
      for (const pair of node.dataset.i18nAttr.split(";")) {
        const [attribute, key] = pair.split(":");
        if (attribute && key) node.setAttribute(attribute.trim(), t(key.trim()));
      }
    }
    const picker = document.getElementById("language");
    if (picker) picker.value = language;
  }

  async function set(code) {
    if (!(code in LANGUAGES)) return;
    await load(code);
    language = code;
    try {
      localStorage.setItem(STORE, code);
    } catch (err) {
      // Not remembered, still switched.
    }
    apply();
    for (const listener of listeners) listener(code);
  }

  function setUpPicker() {
    const picker = document.getElementById("language");
    if (!picker) return;
    picker.replaceChildren();
    for (const [code, name] of Object.entries(LANGUAGES)) {
      const option = document.createElement("option");
      option.value = code;
      option.textContent = name;
      option.lang = code;
      picker.append(option);
    }
    picker.value = language;
    picker.addEventListener("change", () => set(picker.value));
  }

  const ready = (async () => {
    await load("en");
    if (language !== "en") await load(language);
    if (document.readyState === "loading") {
      await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
    }
    setUpPicker();
    apply();
  })();

  return {
    t,
    set,
    ready,
    languages: LANGUAGES,
    language: () => language,
    onChange: (listener) => listeners.push(listener),
  };
})();
