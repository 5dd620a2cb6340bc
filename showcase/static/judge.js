// Judging on a tablet: saves go through the JSON API; what cannot be sent yet waits in the
// judge's own outbox in local storage and is sent again, by that judge's session only, when the
// network returns. "Saved" is shown only when the server answers with the stored version. A
// service worker keeps the judge's queue and forms, so the whole queue can be walked offline.
import { el, say } from "/static/common.js";

(function () {

  var PREFIX = "showcase.outbox.";
  var RETRY_MS = 5000;
  var SEND_TIMEOUT_MS = 10000;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var text = (document.getElementById("judge-text") || { dataset: {} }).dataset;
  var judge = text.judge || "";
  var OUTBOX = PREFIX + judge;
  var SCORED = "showcase.scored." + judge;  // entries this judge saved on this tablet
  var badge = document.getElementById("outbox");
  var others = document.getElementById("other-outboxes");
  var refusals = document.getElementById("refusals");
  var form = document.getElementById("sheet");
  var flushing = false;
  var submitted = null;  // the key of the sheet this page just queued

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function read(key) {
    try {
      var items = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  }

  function load() { return read(OUTBOX); }

  function store(items) {
    if (items.length) window.localStorage.setItem(OUTBOX, JSON.stringify(items));
    else window.localStorage.removeItem(OUTBOX);
    show(items);
  }

  // The sheets other judges left on this tablet: counted, never sent from this session.
  function othersWaiting() {
    var count = 0;
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0 && key !== OUTBOX) count += read(key).length;
    }
    return count;
  }

  function show(items) {
    var waiting = items.filter(function (item) { return !item.conflict && !item.refused; }).length;
    var conflicts = items.filter(function (item) { return item.conflict; }).length;
    var parts = [];
    if (waiting) parts.push(say(text.pending, { count: waiting }));
    if (conflicts) parts.push(say(text.conflicts, { count: conflicts }));
    if (badge) {
      badge.textContent = parts.join(" · ");
      badge.hidden = parts.length === 0;
    }
    if (others) {
      var count = othersWaiting();
      others.textContent = say(count === 1 ? text.othersOne : text.othersMany, { count: count });
      others.hidden = count === 0;
    }
    showRefusals(items.filter(function (item) { return item.refused; }));
    markQueue(items);
    showNext(items);
  }

  function scored() { return read(SCORED); }

  function remember(code) {
    var codes = scored().filter(function (other) { return other !== code; });
    codes.push(code);
    window.localStorage.setItem(SCORED, JSON.stringify(codes.slice(-500)));
  }

  // Adaptive judging's card shows where to go next. When that entry has been scored here
  // since the page was made (the network is gone, so nothing new can be chosen), the card
  // falls back to the next entry of the judge's own list.
  function showNext(items) {
    var card = document.getElementById("next-card");
    if (!card || !card.dataset.code) return;
    var done = scored();
    function taken(code) {
      return done.indexOf(code) >= 0 || items.some(function (item) { return item.code === code && !item.refused; });
    }
    if (!taken(card.dataset.code)) return;
    var next = Array.prototype.find.call(document.querySelectorAll(".queue-item.todo[data-code]"), function (li) {
      return !taken(li.dataset.code);
    });
    var link = card.querySelector("[data-next-link]");
    card.querySelector("[data-next-offline]").hidden = false;
    if (!next) {
      card.querySelector("[data-next-table]").textContent = "–";
      card.querySelector("[data-next-entry]").textContent = "";
      link.hidden = true;
      return;
    }
    card.querySelector("[data-next-table]").textContent = next.querySelector(".table-big").textContent;
    var entry = card.querySelector("[data-next-entry]");
    entry.replaceChildren(el("strong", "", next.querySelector("strong").textContent));
    entry.appendChild(document.createTextNode(" "));
    entry.appendChild(el("span", "muted", next.querySelector(".queue-text .muted").textContent));
    link.href = next.querySelector("a").getAttribute("href");
    link.hidden = false;
  }

  // A sheet the server refused is shown wherever the judge is, until they dismiss it.
  function showRefusals(refused) {
    if (!refusals) return;
    var list = refusals.querySelector("ul");
    list.replaceChildren();
    refused.forEach(function (item) {
      var li = el("li");
      var link = el("a", "", item.title || item.code);
      link.href = "/judge/entries/" + encodeURIComponent(item.code);
      li.appendChild(link);
      li.appendChild(document.createTextNode(": " + item.refused.detail + " "));
      var dismiss = el("button", "button secondary", text.dismiss);
      dismiss.type = "button";
      dismiss.onclick = function () {
        store(load().filter(function (other) { return other.key !== item.key; }));
      };
      li.appendChild(dismiss);
      list.appendChild(li);
    });
    refusals.hidden = refused.length === 0;
  }

  // On the queue (which may come from the tablet's copy), entries whose sheet waits say so.
  function markQueue(items) {
    document.querySelectorAll(".queue-item[data-code]").forEach(function (li) {
      var waiting = items.some(function (item) { return item.code === li.dataset.code && !item.refused; });
      li.classList.toggle("waiting", waiting);
      var note = li.querySelector(".waiting-note");
      if (note) note.hidden = !waiting;
    });
  }

  async function send(item) {
    var response;
    var timeout = new AbortController();
    var timer = window.setTimeout(function () { timeout.abort(); }, SEND_TIMEOUT_MS);
    try {
      response = await window.fetch("/api/judge/sheets/" + encodeURIComponent(item.code), {
        method: "PUT",
        credentials: "same-origin",
        cache: "no-store",
        signal: timeout.signal,
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": csrf,
          "X-Showcase-Judge": item.judge,
          "Idempotency-Key": item.key
        },
        body: JSON.stringify(item.body)
      });
    } catch (error) {
      return { kind: "offline" };
    } finally {
      window.clearTimeout(timer);
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
      // Not this judge's session (another judge logged in since), or too many tries: later.
      if (response.status === 401 || response.status === 429) return { kind: "wait" };
      if (response.status >= 400 && response.status < 500) {
        return { kind: "refused", status: response.status, detail: data.detail };
      }
    }
    // A captive portal, a proxy's error page, a server error: nothing was stored; try again later.
    return { kind: "offline" };
  }

  async function flush() {
    if (flushing || !judge) return;
    flushing = true;
    try {
      var items = load();
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        if (item.conflict || item.refused) continue;
        var result = await send(item);
        if (result.kind === "wait") break;
        var current = load();
        var index = current.findIndex(function (other) { return other.key === item.key; });
        if (index >= 0) {
          if (result.kind === "saved") current.splice(index, 1);
          else if (result.kind === "conflict") {
            current[index].conflict = result.stored || { scores: {}, comment: "", version: null };
          } else if (result.kind === "refused") {
            current[index].refused = { status: result.status, detail: result.detail };
          }
        }
        store(current);
        if (result.kind === "saved") remember(item.code);
        if (result.kind === "saved") keepOffline(["/judge", "/judge/entries/" + encodeURIComponent(item.code)]);
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
      // Adaptive judging chooses the next entry on the queue page; otherwise the list's next.
      var after = form.dataset.after || form.dataset.next;
      window.setTimeout(function () { window.location.assign(after); }, 700);
    } else if (result.kind === "offline") {
      status.textContent = text.offline;
      status.className = "save-status pending";
      if (item.key === submitted) {  // kept on the tablet: the judge walks on to the next entry
        submitted = null;
        window.setTimeout(function () { window.location.assign(form.dataset.next); }, 1500);
      }
    } else if (result.kind === "conflict") {
      showConflict(load().find(function (other) { return other.key === item.key; }));
    } else if (result.kind === "refused") {
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

  // The service worker keeps a copy of this judge's pages: the queue and every assigned form.
  function worker() {
    if (!("serviceWorker" in navigator) || !text.worker) return Promise.resolve(null);
    return navigator.serviceWorker.register(text.worker, { scope: "/j" })
      .then(function () { return navigator.serviceWorker.ready; })
      .catch(function () { return null; });
  }

  function keepOffline(urls) {
    worker().then(function (registration) {
      if (registration && registration.active) {
        registration.active.postMessage({ type: "refresh", judge: judge, urls: urls });
      }
    });
  }

  function prepareOffline() {
    var codes = JSON.parse(text.entries || "[]");
    var urls = ["/judge"].concat(codes.map(function (code) {
      return "/judge/entries/" + encodeURIComponent(code);
    }));
    var assets = Array.prototype.map.call(
      document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], link[rel="modulepreload"], script[src]'),
      function (node) { return node.getAttribute("href") || node.getAttribute("src"); }
    );
    worker().then(function (registration) {
      if (!registration || !registration.active || !navigator.onLine) return;
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "kept" && event.data.judge === judge) {
          document.documentElement.dataset.offline = "ready";
        }
      });
      registration.active.postMessage({ type: "keep", judge: judge, urls: urls, assets: assets });
    });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      var items = load();
      var pending = items.find(function (item) { return item.code === form.dataset.code && !item.refused; });
      var body = sheetFromForm();
      // Edits made before an earlier one was sent build on the version that one started from.
      body.version = pending ? pending.body.version : (form.dataset.version === "" ? null : Number(form.dataset.version));
      items = items.filter(function (item) { return item.code !== form.dataset.code; });
      submitted = newKey();
      items.push({
        key: submitted, judge: judge, code: form.dataset.code, title: form.dataset.title,
        body: body, queuedAt: new Date().toISOString()
      });
      store(items);
      document.getElementById("save-status").textContent = text.sending;
      flush();
    });
    var waiting = load().find(function (item) { return item.code === form.dataset.code; });
    if (waiting && waiting.conflict) showConflict(waiting);
    else if (waiting && !waiting.refused) {
      fill({ scores: waiting.body.scores, comment: waiting.body.comment, version: waiting.body.version });
    }
  }

  show(load());
  window.addEventListener("online", flush);
  window.addEventListener("storage", function () { show(load()); });
  window.setInterval(function () {
    show(load());
    if (load().length) flush();
  }, RETRY_MS);
  prepareOffline();
  flush();
})();
