// Judging on a tablet: saves go through the JSON API; what cannot be sent yet waits in an
// outbox in local storage and is sent again when the network returns. "Saved" is shown only
// when the server answers with the stored version.
(function () {
  "use strict";

  var OUTBOX = "showcase.outbox";
  var RETRY_MS = 5000;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var text = (document.getElementById("judge-text") || { dataset: {} }).dataset;
  var badge = document.getElementById("outbox");
  var form = document.getElementById("sheet");
  var flushing = false;

  function say(template, values) {
    return String(template || "").replace(/%\((\w+)\)[sd]/g, function (_, name) {
      return values && name in values ? values[name] : "";
    });
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function load() {
    try {
      var items = JSON.parse(window.localStorage.getItem(OUTBOX) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  }

  function store(items) {
    window.localStorage.setItem(OUTBOX, JSON.stringify(items));
    showCount(items);
  }

  function showCount(items) {
    if (!badge) return;
    var waiting = items.filter(function (item) { return !item.conflict; }).length;
    var conflicts = items.length - waiting;
    var parts = [];
    if (waiting) parts.push(say(text.pending, { count: waiting }));
    if (conflicts) parts.push(say(text.conflicts, { count: conflicts }));
    badge.textContent = parts.join(" · ");
    badge.hidden = parts.length === 0;
  }

  async function send(item) {
    var response;
    try {
      response = await window.fetch("/api/judge/sheets/" + encodeURIComponent(item.code), {
        method: "PUT",
        credentials: "same-origin",
        cache: "no-store",
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": csrf,
          "Idempotency-Key": item.key
        },
        body: JSON.stringify(item.body)
      });
    } catch (error) {
      return { kind: "offline" };
    }
    var data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (response.status === 200 && data && data.code === item.code && Number.isInteger(data.version)) {
      return { kind: "saved", sheet: data };
    }
    if (data && data.status_code === response.status) {
      if (response.status === 409) return { kind: "conflict", stored: data.extra || null };
      if (response.status === 401 || response.status === 423) return { kind: "wait", detail: data.detail };
      if (response.status >= 400 && response.status < 500) return { kind: "refused", detail: data.detail };
    }
    // A captive portal, a proxy's error page, a server error: nothing was stored; try again later.
    return { kind: "offline" };
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      var items = load();
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        if (item.conflict) continue;
        var result = await send(item);
        var current = load();
        var index = current.findIndex(function (other) { return other.key === item.key; });
        if (result.kind === "saved" || result.kind === "refused") {
          if (index >= 0) current.splice(index, 1);
        } else if (result.kind === "conflict" && index >= 0) {
          current[index].conflict = result.stored || { scores: {}, comment: "", version: null };
        }
        store(current);
        report(item, result);
      }
    } finally {
      flushing = false;
    }
  }

  function report(item, result) {
    if (!form || form.dataset.code !== item.code) return;
    var status = document.getElementById("save-status");
    if (result.kind === "saved") {
      setVersion(result.sheet.version);
      status.textContent = say(text.saved, { version: result.sheet.version });
      status.className = "save-status saved";
      window.setTimeout(function () { window.location.assign(form.dataset.next); }, 700);
    } else if (result.kind === "offline") {
      status.textContent = text.offline;
      status.className = "save-status pending";
    } else if (result.kind === "conflict") {
      showConflict(load().find(function (other) { return other.key === item.key; }));
    } else {
      status.textContent = result.detail || text.offline;
      status.className = "save-status error";
    }
  }

  function setVersion(version) {
    form.dataset.version = version === null || version === undefined ? "" : String(version);
    form.querySelector('input[name="version"]').value = form.dataset.version;
  }

  function describe(sheet) {
    var scores = sheet && sheet.scores ? sheet.scores : {};
    return Object.keys(scores).map(function (key) { return key + " " + scores[key]; }).join(", ") +
      (sheet && sheet.comment ? " — " + sheet.comment : "");
  }

  function showConflict(item) {
    var box = document.getElementById("conflict");
    if (!box || !item) return;
    box.hidden = false;
    box.querySelector("[data-conflict-stored]").textContent = describe(item.conflict);
    box.querySelector("[data-conflict-mine]").textContent = describe(item.body);
    document.getElementById("save-status").textContent = text.conflict;
    box.querySelector('[data-keep="mine"]').onclick = function () {
      var items = load();
      var mine = items.find(function (other) { return other.key === item.key; });
      if (mine) {
        mine.body.version = mine.conflict.version;
        mine.key = newKey();
        delete mine.conflict;
        store(items);
      }
      box.hidden = true;
      flush();
    };
    box.querySelector('[data-keep="stored"]').onclick = function () {
      store(load().filter(function (other) { return other.key !== item.key; }));
      box.hidden = true;
      fill(item.conflict);
    };
  }

  function fill(sheet) {
    if (!sheet) return;
    Object.keys(sheet.scores || {}).forEach(function (key) {
      form.querySelectorAll('input[name="' + key + '"]').forEach(function (input) {
        input.checked = Number(input.value) === Number(sheet.scores[key]);
      });
    });
    form.querySelector('textarea[name="comment"]').value = sheet.comment || "";
    setVersion(sheet.version);
    document.getElementById("save-status").textContent = say(text.stored, { version: sheet.version });
  }

  function sheetFromForm() {
    var scores = {};
    form.querySelectorAll(".criterion").forEach(function (group) {
      var checked = group.querySelector("input:checked");
      if (checked) scores[group.dataset.key] = Number(checked.value);
    });
    return { scores: scores, comment: form.querySelector('textarea[name="comment"]').value };
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      var items = load();
      var pending = items.find(function (item) { return item.code === form.dataset.code; });
      var body = sheetFromForm();
      // Edits made before an earlier one was sent build on the version that one started from.
      body.version = pending ? pending.body.version : (form.dataset.version === "" ? null : Number(form.dataset.version));
      items = items.filter(function (item) { return item.code !== form.dataset.code; });
      items.push({ key: newKey(), code: form.dataset.code, body: body, queuedAt: new Date().toISOString() });
      store(items);
      document.getElementById("save-status").textContent = text.sending;
      flush();
    });
    var waiting = load().find(function (item) { return item.code === form.dataset.code; });
    if (waiting && waiting.conflict) showConflict(waiting);
    else if (waiting) fill({ scores: waiting.body.scores, comment: waiting.body.comment, version: waiting.body.version });
  }

  showCount(load());
  window.addEventListener("online", flush);
  window.setInterval(function () { if (load().length) flush(); }, RETRY_MS);
  flush();
})();
