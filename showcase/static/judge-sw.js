// A judge's pages without a network: the queue and every assigned form, kept for the judge who
// last logged in on this tablet (a login clears them), served when the network is gone or too
// slow. Its scope, "/j", covers the login links (/j/...) and the judge's pages (/judge...). Sheets never pass through here: they wait in the page's outbox.
"use strict";

var PAGES = "showcase-judge-pages";
var ASSETS = "showcase-judge-assets";
var OWNER = "/judge-sw/owner";
var SLOW_MS = 4000;
var logins = 0;  // a copy asked for before the latest login must not land after it

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// A page is kept under its path alone: "?saved=H01" shows the same form.
function pageKey(url) {
  var parsed = new URL(url, self.location.origin);
  return parsed.origin + parsed.pathname;
}

async function ownedBy(judge) {
  var pages = await caches.open(PAGES);
  var owner = await pages.match(OWNER);
  if (!owner || (await owner.text()) !== judge) {
    await caches.delete(PAGES);
    pages = await caches.open(PAGES);
    await pages.put(OWNER, new Response(judge));
  }
  return pages;
}

async function keep(cache, url, key, since) {
  try {
    var response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (response.ok && !response.redirected && since === logins) await cache.put(key, response);
    return response.ok;
  } catch (error) {
    return false;
  }
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (!data.judge || (data.type !== "keep" && data.type !== "refresh")) return;
  var since = logins;
  event.waitUntil((async function () {
    var pages = await ownedBy(String(data.judge));
    var assets = await caches.open(ASSETS);
    await Promise.all((data.urls || []).map(function (url) {
      return keep(pages, url, pageKey(url), since);
    }).concat((data.assets || []).map(function (url) { return keep(assets, url, url, since); })));
    if (event.source) event.source.postMessage({ type: "kept", judge: String(data.judge) });
  })());
});

// The network first, so a judge sees what is stored now; the kept copy when it fails or stalls.
async function page(request) {
  var pages = await caches.open(PAGES);
  var fresh = fetch(request).then(async function (response) {
    if (response.ok && !response.redirected) await pages.put(pageKey(request.url), response.clone());
    return response;
  });
  fresh.catch(function () {});  // a failure is answered below, from the kept copy
  var kept = await pages.match(pageKey(request.url));
  if (!kept) return fresh;
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS, null); });
  try {
    return (await Promise.race([fresh, slow])) || kept;
  } catch (error) {
    return kept;
  }
}

async function asset(request) {
  var assets = await caches.open(ASSETS);
  try {
    var response = await fetch(request);
    if (response.ok) await assets.put(request, response.clone());
    return response;
  } catch (error) {
    var kept = await assets.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

// A login link (any judge's) starts afresh: no page kept for the last judge may stand in for
// the one logging in now. The new judge's pages are kept once their queue has loaded.
async function login(request) {
  logins += 1;
  await caches.delete(PAGES);
  return fetch(request);
}

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/j/") === 0) {
    event.respondWith(login(event.request));
  } else if (url.pathname === "/judge" || url.pathname.indexOf("/judge/") === 0) {
    event.respondWith(page(event.request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(event.request));
  }
});
