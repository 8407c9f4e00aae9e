/*
 * Lantern's service worker (served at /sw.js by recovery.views.offline.service_worker).
 *
 * Without signal, a page the signed-in user opened before (My day, a participant, the note and follow-up
 * forms: the pages whose answer carries the "{{ owner_header }}" header) opens from the copy kept here.
 * Copies are kept per owner tag, a random value of the user's session (recovery/offline.py): a page of
 * another session makes this worker delete every copy of the previous one, and log-out deletes them all
 * (static/js/offline.js and the Clear-Site-Data header). The time-out key of static/js/session-timeout.js
 * is taken out of the kept pages. With signal, everything comes from the server as usual: nothing but
 * GET requests is touched, and a form is always sent to the server (offline.js keeps it when it cannot be).
 */
"use strict";

var STATIC_CACHE = "lantern-static";
var PAGES_PREFIX = "lantern-pages-"; // + owner tag
var STATIC_URL = "{{ static_url|escapejs }}";
var SHELL = [{% for asset in assets %}"{{ asset|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var OWNER_HEADER = "{{ owner_header|escapejs }}";
var MAX_KEPT = 30; // pages one message may ask to keep

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return cache.add(url).catch(function () {}); // a missing asset must not stop the worker
    }));
  }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function pageCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PAGES_PREFIX) === 0; });
  });
}

// Keeps a copy of a page marked for offline use, for its owner only; other owners' copies go.
function keep(url, response) {
  var owner = response.headers.get(OWNER_HEADER);
  if (!owner || response.status !== 200 || response.redirected || response.type !== "basic") {
    return Promise.resolve();
  }
  var mine = PAGES_PREFIX + owner;
  return response.text().then(function (html) {
    var headers = new Headers({ "Content-Type": response.headers.get("Content-Type") || "text/html" });
    var copy = new Response(html.replace(/ data-draft-key="[^"]*"/, ""), { status: 200, headers: headers });
    return pageCaches().then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== mine; }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return caches.open(mine);
    }).then(function (cache) {
      return cache.put(url, copy);
    });
  });
}

function keptPage(request) {
  return pageCaches().then(function (names) {
    return names.reduce(function (found, name) {
      return found.then(function (response) {
        if (response) return response;
        return caches.open(name).then(function (cache) {
          return cache.match(request).then(function (exact) {
            return exact || cache.match(request, { ignoreSearch: true });
          });
        });
      });
    }, Promise.resolve(undefined));
  });
}

function fromNetworkOrKept(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (response.headers.get(OWNER_HEADER)) event.waitUntil(keep(request.url, response.clone()));
    return response;
  }, function (error) {
    return keptPage(request).then(function (response) {
      if (response) return response;
      throw error;
    });
  });
}

function staticAsset(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(STATIC_CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }, function (error) {
    return caches.match(request).then(function (response) {
      if (response) return response;
      throw error;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(STATIC_URL) === 0) {
    event.respondWith(staticAsset(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrKept(event));
  }
});

// A page asks to keep the forms its links lead to (offline.js, links marked data-offline-prefetch), so
// that they open without signal although the user has not opened them yet.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls) || typeof data.owner !== "string") return;
  var urls = data.urls.slice(0, MAX_KEPT).filter(function (url) {
    return new URL(url, self.location.href).origin === self.location.origin;
  });
  event.waitUntil(Promise.all(urls.map(function (url) {
    return caches.open(PAGES_PREFIX + data.owner).then(function (cache) {
      return cache.match(url);
    }).then(function (kept) {
      if (kept) return null;
      return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
        return keep(url, response);
      });
    }).catch(function () {});
  })));
});
