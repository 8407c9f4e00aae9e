/*
 * Notes and follow-ups written with no signal: kept on the device, sealed, and sent when the signal returns.
 *
 * The service worker (/sw.js, templates/recovery/sw.js) keeps copies of the pages a peer may need without
 * signal; this script asks it to keep the forms the page links to (links marked data-offline-prefetch).
 * A form marked data-offline, sent while the browser is offline, is not lost: its fields are sealed with
 * AES-GCM under this session's key (recovery/offline.py: the server gives it to this session only, and a
 * new login gets another) and kept in IndexedDB, "waiting to send". When the connection returns (the
 * online event, a page load, every 30 seconds) each waiting form is sent through the normal POST, with a
 * fresh CSRF token and its own one-time form token, so a form sent twice still makes one record. An answer
 * that refuses it (the participant is no longer on the caseload, a rule of the form) is shown with the
 * typed text, which stays on the device until the peer puts it back in the form or discards it.
 *
 * The key is kept in IndexedDB as a key no script can read back. A page of another session deletes the
 * keys, drafts and kept pages of every earlier one, so the next user on a shared device sees nothing of
 * them and could not open them. Log-out deletes all of it, local storage and the service worker too, before
 * the log-out form is sent (session-timeout.js deletes the user's text kept in the tab; the answer empties the
 * browser's HTTP cache with Clear-Site-Data).
 */
(function () {
  "use strict";

  var t = window.lanternText; // texts in the page's language (static/js/texts.js)

  var DB_NAME = "lantern-offline";
  var PAGES_PREFIX = "lantern-pages-";
  var RETRY_MS = 30000;
  var MAX_PREFETCH = 20;
  var WAITING = t("offline.waiting", "Waiting to send");
  var STATES = {
    waiting: { badge: WAITING, tone: "text-bg-warning" },
    sending: { badge: t("offline.sending", "Sending…"), tone: "text-bg-info" },
    signin: { badge: t("offline.signin", "Log in to send"), tone: "text-bg-warning" },
    refused: { badge: t("offline.refused", "Not sent"), tone: "text-bg-danger" },
  };
  var KEPT = t("offline.kept", "No signal: what you wrote is kept on this device and will be sent when the connection returns.");
  var NO_KEY = t("offline.no_key", "No signal, and this device has no key to keep it safely: open Lantern once with signal " +
    "after you log in. What you typed is still in the form.");
  var SIGN_IN = t("offline.sign_in", "You were signed out. Log in again on this device to send it.");
  var NOT_YOURS = t("offline.not_yours", "This participant is no longer on your caseload (or was reassigned), so it was not saved. " +
    "Your text is kept here: copy it or talk with your supervisor.");
  var FORBIDDEN = t("offline.forbidden", "You can no longer write this for the participant, so it was not saved. Your text is kept here.");

  var body = document.body;
  var owner = body.getAttribute("data-offline-owner");
  var keyUrl = body.getAttribute("data-offline-key-url");
  var logoutPath = body.getAttribute("data-logout-url");
  var loginPath = body.getAttribute("data-login-url");
  var subtle = window.crypto && window.crypto.subtle;
  if (!owner || !keyUrl || !window.indexedDB || !subtle) return;

  // --- IndexedDB -----------------------------------------------------------------------------------

  var dbPromise = null;
  function db() {
    dbPromise = dbPromise || new Promise(function (resolve, reject) {
      var opening = window.indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore("keys", { keyPath: "owner" });
        opening.result.createObjectStore("drafts", { keyPath: "id" });
      };
      opening.onsuccess = function () {
        // Log-out in another tab deletes the database: let it.
        opening.result.onversionchange = function () { opening.result.close(); dbPromise = null; };
        resolve(opening.result);
      };
      opening.onerror = function () { reject(opening.error); };
    });
    return dbPromise;
  }

  // Runs ``work(store)`` in one transaction; resolves with what ``work`` returned, once it is written.
  function withStore(name, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(name, mode);
        var result = work(transaction.objectStore(name));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function all(name) {
    return withStore(name, "readonly", function (store) { return store.getAll(); });
  }

  function put(name, value) {
    return withStore(name, "readwrite", function (store) { store.put(value); });
  }

  function remove(name, key) {
    return withStore(name, "readwrite", function (store) { store.delete(key); });
  }

  // --- The key ---------------------------------------------------------------------------------------

  function fromBase64(text) {
    var plain = window.atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(plain, function (c) { return c.charCodeAt(0); });
  }

  function toBase64(bytes) {
    return window.btoa(String.fromCharCode.apply(null, new Uint8Array(bytes)));
  }

  // This session's key from the server (null when signed out or without signal), with a fresh CSRF token.
  function askServer() {
    return window.fetch(keyUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok && !response.redirected ? response.json() : null;
      }).catch(function () { return null; });
  }

  // Another session's keys, drafts and kept pages go: the next user on the device gets none of them.
  function forgetOthers(current) {
    var pages = window.caches ? window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES_PREFIX) === 0 && name !== PAGES_PREFIX + current;
      }).map(function (name) { return window.caches.delete(name); }));
    }) : Promise.resolve();
    return Promise.all([pages, all("keys"), all("drafts")]).then(function (found) {
      return Promise.all(found[1].concat(found[2]).filter(function (entry) {
        return entry.owner !== current;
      }).map(function (entry) {
        return "id" in entry ? remove("drafts", entry.id) : remove("keys", entry.owner);
      }));
    });
  }

  var server = null; // the server's last answer: { owner, key, csrf }
  function keyFrom(answer) {
    if (!answer || !answer.owner || !answer.key) {
      return withStore("keys", "readonly", function (store) { return store.get(owner); }).then(function (entry) {
        return entry ? entry.key : null;
      });
    }
    server = answer;
    owner = answer.owner; // a kept page of an earlier session, opened again with signal: this session counts
    return subtle.importKey("raw", fromBase64(answer.key), { name: "AES-GCM" }, false, ["encrypt", "decrypt"])
      .then(function (key) {
        return put("keys", { owner: owner, key: key }).then(function () {
          return forgetOthers(owner);
        }).then(function () { return key; });
      });
  }

  var keyReady = (navigator.onLine === false ? Promise.resolve(null) : askServer()).then(keyFrom)
    .catch(function () { return null; });

  // --- Sealing ---------------------------------------------------------------------------------------

  function algorithm(iv, draftOwner, id) {
    // The owner and the draft's id are authenticated too: a sealed draft moved under another does not open.
    return { name: "AES-GCM", iv: iv, additionalData: new TextEncoder().encode(draftOwner + ":" + id) };
  }

  function seal(key, id, content) {
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(content));
    return subtle.encrypt(algorithm(iv, owner, id), key, plain).then(function (sealed) {
      return { iv: toBase64(iv), data: toBase64(sealed) };
    });
  }

  function unseal(key, record) {
    return subtle.decrypt(algorithm(fromBase64(record.iv), record.owner, record.id), key, fromBase64(record.data))
      .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  // This user's drafts, opened: [{ record, content }], oldest first.
  function openDrafts(key) {
    if (!key) return Promise.resolve([]);
    return all("drafts").then(function (records) {
      return Promise.all(records.filter(function (record) { return record.owner === owner; })
        .sort(function (a, b) { return a.at - b.at; })
        .map(function (record) {
          return unseal(key, record).then(function (content) {
            return { record: record, content: content };
          }, function () { return null; });
        }));
    }).then(function (opened) { return opened.filter(Boolean); });
  }

  // --- Keeping a form sent without signal ------------------------------------------------------------

  function newToken() {
    return window.crypto.randomUUID ? window.crypto.randomUUID() : toBase64(window.crypto.getRandomValues(new Uint8Array(16)));
  }

  function formFields(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") fields.push([name, value]);
    });
    if (submitter && submitter.name) fields.push([submitter.name, submitter.value]);
    return fields;
  }

  function pageLabel() {
    var heading = document.querySelector("main h1");
    return heading ? heading.textContent.replace(/\s+/g, " ").trim() : document.title;
  }

  function keepOffline(form, submitter) {
    // Each kept form gets its own one-time token: a kept page may be used for several notes.
    var id = newToken();
    var fields = formFields(form, submitter).map(function (field) {
      return field[0] === "form_token" ? ["form_token", id] : field;
    });
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href).href;
    keyReady.then(function (key) {
      if (!key) return say(NO_KEY);
      var content = { fields: fields, label: pageLabel() };
      return seal(key, id, content).then(function (sealed) {
        var record = { id: id, owner: owner, action: action, page: window.location.pathname, at: Date.now(),
          state: "waiting", message: "", iv: sealed.iv, data: sealed.data };
        return put("drafts", record);
      }).then(function () {
        form.reset();
        var token = form.querySelector("[name=form_token]");
        if (token) token.value = newToken();
        say(KEPT);
        return show();
      });
    }).catch(function () { say(NO_KEY); });
  }

  // --- Sending when the signal returns ---------------------------------------------------------------

  function refusals(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var items = page.querySelectorAll("[data-error-summary] li");
    var texts = Array.prototype.map.call(items, function (item) { return item.textContent.replace(/\s+/g, " ").trim(); });
    return texts.length ? t("offline.not_saved", "Not saved: {errors} Put it back in the form to correct it.", { errors: texts.join(" ") }) :
      t("offline.not_accepted", "Not saved: the form was not accepted. Put it back in the form to check it.");
  }

  function settle(record, state, message) {
    record.state = state;
    record.message = message;
    return put("drafts", record);
  }

  function sendOne(draft, csrf) {
    var record = draft.record;
    var data = new FormData();
    draft.content.fields.forEach(function (field) { data.append(field[0], field[1]); });
    data.append("csrfmiddlewaretoken", csrf);
    return window.fetch(record.action, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf } }).then(function (response) {
      var landed = new URL(response.url);
      if (landed.pathname === loginPath) return settle(record, "signin", SIGN_IN);
      if (response.status === 404) return settle(record, "refused", NOT_YOURS);
      if (response.status === 403) return settle(record, "refused", FORBIDDEN);
      if (response.ok && response.redirected) {
        sent.push({ label: draft.content.label, url: landed.pathname + landed.search + landed.hash });
        return remove("drafts", record.id);
      }
      if (response.ok) return response.text().then(function (html) { return settle(record, "refused", refusals(html)); });
      return settle(record, "waiting", t("offline.server_error", "The server did not take it (error {status}): trying again soon.", { status: response.status }));
    }, function () {
      return null; // still no connection: it waits
    });
  }

  var sent = []; // sent from this page: shown with a link to what was made
  var sending = null;
  function sendWaiting() {
    if (sending || navigator.onLine === false) return sending;
    // Asking the server counts as activity: only when something waits, so the idle time-out still works.
    sending = keyReady.then(openDrafts).then(function (kept) {
      if (!kept.some(function (draft) { return draft.record.state !== "refused"; })) return null;
      return askServer().then(keyFrom).then(function (key) {
        keyReady = Promise.resolve(key);
        if (!key || !server) return null; // signed out: sent after the next login
        return openDrafts(key).then(function (drafts) {
          return drafts.filter(function (draft) { return draft.record.state !== "refused"; })
            .reduce(function (previous, draft) {
              return previous.then(function () { return sendOne(draft, server.csrf); });
            }, Promise.resolve());
        });
      }).then(show);
    }).catch(function () {}).then(function () { sending = null; });
    return sending;
  }

  // --- Showing what is kept --------------------------------------------------------------------------

  var panel = null;
  var status = null;

  function ensurePanel() {
    if (panel) return panel;
    var main = document.getElementById("main");
    panel = document.createElement("section");
    panel.className = "offline-drafts border border-warning-subtle rounded p-2 mb-3";
    panel.setAttribute("aria-labelledby", "offline-drafts-title");
    panel.innerHTML = '<p class="fw-semibold mb-1" id="offline-drafts-title"></p>' +
      '<p class="small mb-1" role="status" data-offline-status></p><ul class="list-unstyled mb-0"></ul>';
    panel.querySelector("#offline-drafts-title").textContent = t("offline.title", "Kept on this device");
    status = panel.querySelector("[data-offline-status]");
    main.insertBefore(panel, main.firstChild);
    return panel;
  }

  function say(text) {
    ensurePanel();
    status.textContent = text;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The longest text typed: what the peer recognises their draft by (the note's "what happened").
  function mainText(content) {
    return content.fields.reduce(function (longest, field) {
      return field[0] !== "form_token" && field[1].length > longest.length ? field[1] : longest;
    }, "");
  }

  function offlineForm(path) {
    return path === window.location.pathname ? document.querySelector("form[data-offline]") : null;
  }

  function putBack(draft) {
    var form = offlineForm(draft.record.page);
    var values = {};
    draft.content.fields.forEach(function (field) { (values[field[0]] = values[field[0]] || []).push(field[1]); });
    Array.prototype.forEach.call(form.elements, function (input) {
      var given = values[input.name];
      if (!given || input.name === "form_token" || input.type === "submit" || input.type === "hidden") return;
      if (input.type === "checkbox" || input.type === "radio") input.checked = given.indexOf(input.value) !== -1;
      else if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.options, function (option) { option.selected = given.indexOf(option.value) !== -1; });
      } else input.value = given[0];
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return remove("drafts", draft.record.id).then(function () {
      say(t("offline.back", "Your text is back in the form. Check it, then save."));
      var first = form.querySelector("textarea, input:not([type=hidden]), select");
      if (first) first.focus();
      return show();
    });
  }

  function button(text, action) {
    var node = element("button", "btn btn-sm btn-outline-secondary", text);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  function item(draft) {
    var record = draft.record;
    var state = STATES[record.state] || STATES.waiting;
    var entry = element("li", "border-top pt-2 mt-2");
    entry.setAttribute("data-offline-draft", record.state);
    var title = element("p", "mb-1");
    title.appendChild(element("span", "badge " + state.tone + " me-1", state.badge));
    title.appendChild(element("span", "fw-semibold", draft.content.label));
    title.appendChild(document.createTextNode(" · " + new Date(record.at).toLocaleString()));
    entry.appendChild(title);
    entry.appendChild(element("p", "mb-1 offline-draft-text", mainText(draft.content)));
    if (record.message) entry.appendChild(element("p", "small mb-1", record.message));
    if (record.state === "refused") {
      var actions = element("div", "d-flex flex-wrap gap-2");
      if (offlineForm(record.page)) actions.appendChild(button(t("offline.put_back", "Put it back in the form"), function () { putBack(draft); }));
      else {
        var link = element("a", "btn btn-sm btn-outline-secondary", t("offline.open_form", "Open the form"));
        link.href = record.page;
        actions.appendChild(link);
      }
      actions.appendChild(button(t("offline.discard", "Discard it"), function () {
        remove("drafts", record.id).then(show);
      }));
      entry.appendChild(actions);
    }
    return entry;
  }

  function show() {
    return keyReady.then(openDrafts).then(function (drafts) {
      if (!drafts.length && !sent.length && !panel) return;
      var list = ensurePanel().querySelector("ul");
      list.textContent = "";
      sent.forEach(function (done) {
        var entry = element("li", "border-top pt-2 mt-2");
        entry.appendChild(element("span", "badge text-bg-success me-1", t("offline.sent", "Sent")));
        var link = element("a", "", done.label);
        link.href = done.url;
        entry.appendChild(link);
        list.appendChild(entry);
      });
      drafts.forEach(function (draft) { list.appendChild(item(draft)); });
      if (!drafts.length && !sent.length) panel.hidden = true;
      else panel.hidden = false;
    });
  }

  // --- Log-out: nothing of this site stays in the browser -------------------------------------------

  function forgetEverything() {
    var jobs = [];
    if (window.caches) {
      jobs.push(window.caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return window.caches.delete(name); }));
      }));
    }
    jobs.push((dbPromise || Promise.resolve(null)).then(function (database) {
      if (database) database.close();
      return new Promise(function (resolve) {
        var deleting = window.indexedDB.deleteDatabase(DB_NAME);
        deleting.onsuccess = deleting.onerror = deleting.onblocked = resolve;
      });
    }));
    if (navigator.serviceWorker) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
      }));
    }
    try {
      window.localStorage.clear();
    } catch (error) {
      // storage disabled: nothing was kept there
    }
    var atMost = new Promise(function (resolve) { window.setTimeout(resolve, 3000); });
    return Promise.race([Promise.all(jobs).catch(function () {}), atMost]);
  }

  function isLogout(form) {
    return !!logoutPath && new URL(form.action, window.location.href).pathname === logoutPath;
  }

  var leaving = false;
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (isLogout(form)) {
      if (leaving) return;
      event.preventDefault(); // sent once the stores are empty (session-timeout.js still blanks the forms)
      leaving = true;
      forgetEverything().then(function () { HTMLFormElement.prototype.submit.call(form); });
      return;
    }
    if (!form.hasAttribute("data-offline") || navigator.onLine !== false) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // not sent: nothing else may act as if it were
    keepOffline(form, event.submitter);
  }, true);

  // --- Start -----------------------------------------------------------------------------------------

  if (navigator.serviceWorker && body.hasAttribute("data-service-worker")) {
    navigator.serviceWorker.register(body.getAttribute("data-service-worker"), { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var links = document.querySelectorAll("a[data-offline-prefetch]");
      var urls = Array.prototype.slice.call(links, 0, MAX_PREFETCH).map(function (link) { return link.href; });
      if (urls.length && registration.active) registration.active.postMessage({ type: "keep", owner: owner, urls: urls });
    }).catch(function () {});
  }

  window.addEventListener("online", sendWaiting);
  window.setInterval(sendWaiting, RETRY_MS);
  show().then(sendWaiting);
})();
