/*
 * Session time-out, without losing what was typed, and without showing it to anyone else.
 *
 * The server ends a session after the program's idle time-out (recovery/sessions.py). This script warns
 * 60 seconds before, in an accessible dialog whose "Stay signed in" button pings the session endpoint.
 * It always asks the server how much time is left before acting, so several open tabs agree.
 *
 * Typed text is not lost: the fields of every POST form (except passwords, hidden fields, files and
 * forms marked data-no-draft) are kept in sessionStorage (this tab only). When the session ends, the kept
 * fields are marked, and after the user logs in again they come back on the same page. A form submitted
 * to the server clears them: the server has the data (saved, or shown again with its errors). A submit
 * that the time-out bounced to the login page keeps them.
 *
 * Kept text belongs to the user who typed it, in the program they typed it in. Every signed-in page
 * carries that user's opaque owner tag and an AES-GCM key (recovery.sessions.draft_keys); the drafts are
 * stored sealed with that key under that tag. Whoever logs in next on the tab gets their own tag and key:
 * they see none of the previous user's text, and cannot read it from storage either. The previous user
 * gets it back at their next login. Logging out deletes the user's drafts; drafts older than a session's
 * 12 hours are deleted unread; the login page (signed out) never restores anything. Leaving the session
 * blanks the forms, and a signed-in page shown again by the Back button is fetched afresh, so the
 * browser's history does not show the typed text to the next user either.
 *
 * Settings come from data- attributes on <body> (templates/base.html).
 */
(function () {
  "use strict";

  var t = window.lanternText; // texts in the page's language (static/js/texts.js)

  var WARNING_SECONDS = 60;
  var SEALED_PREFIX = "lantern.sealed:"; // + owner tag: that user's drafts, sealed with their key
  var LEGACY_PREFIX = "lantern.draft:"; // plain text kept by an earlier version: deleted unread
  var PENDING_KEY = "lantern.pendingSubmit"; // owner tag of a form just sent to the server
  var BOUNCED_KEY = "lantern.bouncedSubmit"; // owner tags whose sent form the time-out bounced to the login page
  var MAX_AGE = 12 * 3600 * 1000;
  var SKIPPED_TYPES = ["password", "hidden", "file", "submit", "button", "reset", "image"];

  var body = document.body;
  var here = window.location.pathname + window.location.search;
  var store = null;
  try {
    store = window.sessionStorage;
  } catch (error) {
    store = null; // storage disabled: the time-out warning still works
  }

  // --- Storage ------------------------------------------------------------------------------------

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return null;
    }
  }

  function storedKeys() {
    var keys = [];
    for (var i = 0; i < store.length; i++) keys.push(store.key(i));
    return keys;
  }

  function sweep() {
    storedKeys().forEach(function (key) {
      if (key.indexOf(LEGACY_PREFIX) === 0) {
        store.removeItem(key);
      } else if (key.indexOf(SEALED_PREFIX) === 0) {
        var entry = parse(store.getItem(key));
        if (!entry || typeof entry.at !== "number" || Date.now() - entry.at > MAX_AGE) store.removeItem(key);
      }
    });
  }

  function bouncedOwners() {
    return (store.getItem(BOUNCED_KEY) || "").split(" ").filter(Boolean);
  }

  function setBounced(owners) {
    if (owners.length) store.setItem(BOUNCED_KEY, owners.join(" "));
    else store.removeItem(BOUNCED_KEY);
  }

  // On the login page (signed out): nothing is restored here. A form submit that ended here was bounced by
  // the time-out, so its owner's text must come back after their login.
  if (body.hasAttribute("data-signed-out")) {
    if (store) {
      sweep();
      var bounced = store.getItem(PENDING_KEY);
      if (bounced) {
        setBounced(bouncedOwners().filter(function (owner) { return owner !== bounced; }).concat([bounced]));
        store.removeItem(PENDING_KEY);
      }
    }
    return;
  }
  if (!body.hasAttribute("data-session-url")) return;

  // --- Sealing ------------------------------------------------------------------------------------

  var owner = body.getAttribute("data-draft-owner") || "";
  var rawKey = body.getAttribute("data-draft-key") || "";
  body.removeAttribute("data-draft-key"); // imported below as a key no script can read back
  var subtle = window.crypto && window.crypto.subtle;
  var sealedKey = SEALED_PREFIX + owner;

  function toBase64(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return window.btoa(text);
  }

  function fromBase64(text) {
    var plain = window.atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var bytes = new Uint8Array(plain.length);
    for (var i = 0; i < plain.length; i++) bytes[i] = plain.charCodeAt(i);
    return bytes;
  }

  function algorithm(iv) {
    // The owner tag is authenticated too: a sealed entry copied under another tag does not open.
    return { name: "AES-GCM", iv: iv, additionalData: new TextEncoder().encode(owner) };
  }

  function seal(key, drafts) {
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(drafts));
    return subtle.encrypt(algorithm(iv), key, plain).then(function (sealed) {
      return JSON.stringify({ at: Date.now(), iv: toBase64(iv), data: toBase64(new Uint8Array(sealed)) });
    });
  }

  function unseal(key, text) {
    var entry = parse(text);
    if (!entry || !entry.iv || !entry.data) return Promise.resolve({});
    return Promise.resolve().then(function () {
      return subtle.decrypt(algorithm(fromBase64(entry.iv)), key, fromBase64(entry.data));
    }).then(function (plain) {
      var drafts = parse(new TextDecoder().decode(plain));
      return drafts && typeof drafts === "object" ? drafts : {};
    }, function () {
      return {}; // another key (SECRET_KEY rotated) or damaged: nothing to restore
    });
  }

  // --- Drafts -------------------------------------------------------------------------------------

  var drafts = {}; // this user's drafts in this program, by page: { state, forms, at }
  var forgotten = false; // logging out: nothing more is kept
  var ready = Promise.resolve(null); // the imported key, once this user's drafts are read
  var writing = Promise.resolve();
  var logoutPath = body.getAttribute("data-logout-url") || "";

  // Changes to ``drafts`` are applied and written one after the other, once the stored ones are read.
  function update(change) {
    writing = writing.then(function () {
      return ready;
    }).then(function (key) {
      if (!key || forgotten) return null;
      change();
      if (!Object.keys(drafts).length) return store.removeItem(sealedKey);
      return seal(key, drafts).then(function (text) {
        if (forgotten) return;
        try {
          store.setItem(sealedKey, text);
        } catch (error) {
          // storage full: nothing more we can keep
        }
      });
    }).catch(function () {});
    return writing;
  }

  function isLogout(form) {
    try {
      return !!logoutPath && new URL(form.action, window.location.href).pathname === logoutPath;
    } catch (error) {
      return false;
    }
  }

  function draftForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-draft") &&
        !isLogout(form);
    });
  }

  function kept(element) {
    if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") return false;
    if (element.tagName === "FIELDSET" || element.tagName === "OUTPUT" || element.tagName === "OBJECT") return false;
    return SKIPPED_TYPES.indexOf((element.type || "").toLowerCase()) === -1;
  }

  function isCheckable(element) {
    return element.type === "checkbox" || element.type === "radio";
  }

  function changed(element) {
    if (isCheckable(element)) return element.checked !== element.defaultChecked;
    if (element.tagName === "SELECT") {
      return Array.prototype.some.call(element.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return element.value !== element.defaultValue;
  }

  function selectedValues(element) {
    return Array.prototype.filter.call(element.options, function (option) {
      return option.selected;
    }).map(function (option) {
      return option.value;
    });
  }

  function collect(form) {
    var fields = [];
    var anyChanged = false;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      anyChanged = anyChanged || changed(element);
      var field = { name: element.name };
      if (isCheckable(element)) {
        field.value = element.value;
        field.checked = element.checked;
      } else if (element.tagName === "SELECT") {
        field.values = selectedValues(element);
      } else {
        field.value = element.value;
      }
      fields.push(field);
    });
    return anyChanged ? fields : null;
  }

  function saveDrafts(state) {
    var forms = [];
    draftForms().forEach(function (form, index) {
      var fields = collect(form);
      if (fields) forms.push({ index: index, action: form.getAttribute("action") || "", fields: fields });
    });
    return update(function () {
      if (forms.length) drafts[here] = { state: state, forms: forms, at: Date.now() };
      else delete drafts[here];
    });
  }

  // Leaving the user's session (time-out or log-out): the forms go back to what the server sent, so that
  // neither the page kept for the Back button nor the browser's own form restoring shows what was typed.
  function blankForms() {
    draftForms().forEach(function (form) {
      form.reset();
    });
  }

  function forgetDrafts() {
    // Explicit log-out: this user's text leaves the tab now, whatever is still being written.
    blankForms();
    forgotten = true;
    drafts = {};
    store.removeItem(sealedKey);
    if (store.getItem(PENDING_KEY) === owner) store.removeItem(PENDING_KEY);
    setBounced(bouncedOwners().filter(function (tag) { return tag !== owner; }));
  }

  // Saved fields, taken by name in order (several fields may share a name); a checkbox or radio button
  // takes the saved state of its own value.
  function fieldPool(saved) {
    var queues = {};
    var left = saved.length;
    saved.forEach(function (field) {
      (queues[field.name] = queues[field.name] || []).push(field);
    });
    return {
      take: function (element) {
        var queue = queues[element.name] || [];
        for (var i = 0; i < queue.length; i++) {
          if (!isCheckable(element) || queue[i].value === element.value) {
            left--;
            return queue.splice(i, 1)[0];
          }
        }
        return null;
      },
      empty: function () {
        return left <= 0;
      },
    };
  }

  function snapshot(element) {
    if (isCheckable(element)) return String(element.checked);
    if (element.tagName === "SELECT") return selectedValues(element).join("\n");
    return element.value;
  }

  function put(element, field) {
    if (isCheckable(element)) {
      element.checked = !!field.checked;
    } else if (element.tagName === "SELECT") {
      Array.prototype.forEach.call(element.options, function (option) {
        option.selected = (field.values || []).indexOf(option.value) !== -1;
      });
    } else {
      element.value = field.value == null ? "" : field.value;
    }
  }

  // Puts saved fields into ``elements``; then tells the page, as typing would have, so what depends on a
  // field (the participant's goals and follow-ups, loaded by htmx on change) loads for the restored value.
  function fill(elements, pool) {
    var count = 0;
    var moved = [];
    Array.prototype.forEach.call(elements, function (element) {
      if (!kept(element)) return;
      var field = pool.take(element);
      if (!field) return;
      var before = snapshot(element);
      put(element, field);
      count++;
      if (snapshot(element) !== before) moved.push(element);
    });
    moved.forEach(function (element) {
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return count;
  }

  // Fields that were not on the page yet (checkboxes loaded for the restored participant) are put back
  // into the first part with fields loaded into their form (a part without fields, such as the live
  // units, is not it: keep waiting).
  function fillAfterLoad(form, pool) {
    function loaded(event) {
      var target = event.detail && event.detail.target;
      if (!target || !form.contains(target)) return;
      var fields = target.querySelectorAll("input, select, textarea");
      if (!fields.length) return;
      document.removeEventListener("htmx:afterSwap", loaded);
      fill(fields, pool);
    }
    document.addEventListener("htmx:afterSwap", loaded);
  }

  function restore(draft) {
    var forms = draftForms();
    var restored = 0;
    (draft.forms || []).forEach(function (saved) {
      var form = forms[saved.index];
      if (!form || (form.getAttribute("action") || "") !== saved.action) return;
      var pool = fieldPool(saved.fields || []);
      restored += fill(form.elements, pool);
      if (!pool.empty()) fillAfterLoad(form, pool);
    });
    if (restored) announce(t("session.restored", "What you typed before you were signed out is back in the form. Check it, then save."));
  }

  function announce(text) {
    var main = document.getElementById("main");
    if (!main) return;
    var note = document.createElement("div");
    note.className = "alert alert-info";
    note.setAttribute("role", "status");
    note.setAttribute("data-draft-restored", "");
    note.textContent = text;
    main.insertBefore(note, main.firstChild);
  }

  // What happened to a form sent from the previous page: received by the server (its draft goes), or
  // bounced to the login page by the time-out (its draft comes back here, for its owner only).
  function settleSubmitted(wasBounced) {
    Object.keys(drafts).forEach(function (path) {
      var draft = drafts[path];
      if (!draft || typeof draft !== "object") delete drafts[path];
      else if (draft.state === "submitted") {
        if (wasBounced) draft.state = "timedout";
        else delete drafts[path];
      }
    });
  }

  if (store && owner && rawKey && subtle && window.TextEncoder) {
    sweep();
    var sentBefore = !!store.getItem(PENDING_KEY);
    store.removeItem(PENDING_KEY);
    var owners = bouncedOwners();
    var wasBounced = !sentBefore && owners.indexOf(owner) !== -1;
    setBounced(owners.filter(function (tag) { return tag !== owner; }));
    var stored = store.getItem(sealedKey);
    // Restore once the page is loaded: deferred scripts (htmx) set themselves up at DOMContentLoaded, after
    // this one, and the events a restore sends must reach them.
    var loaded = new Promise(function (resolve) {
      if (document.readyState === "complete") resolve();
      else window.addEventListener("load", resolve);
    });
    ready = loaded.then(function () {
      return subtle.importKey("raw", fromBase64(rawKey), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    }).then(function (key) {
      return unseal(key, stored).then(function (opened) {
        drafts = opened;
        settleSubmitted(wasBounced);
        var waiting = drafts[here];
        delete drafts[here]; // what is typed from now on is kept afresh
        if (waiting && waiting.state === "timedout") restore(waiting);
        return key;
      });
    }).catch(function () {
      return null; // no Web Crypto here: nothing is kept, the time-out warning still works
    });
    update(function () {});
  }

  // A signed-in page shown again from the back/forward cache may belong to a session that has ended, or
  // to another user than the one now signed in on this tab: ask the server for it afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  var saveTimer = null;
  function onEdit(event) {
    var form = event.target && event.target.form;
    if (!form || draftForms().indexOf(form) === -1) return;
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(function () {
      saveDrafts("typing");
    }, 300);
  }
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);
  document.addEventListener("submit", function (event) {
    if (!store) return;
    if (isLogout(event.target)) {
      window.clearTimeout(saveTimer);
      forgetDrafts();
      return;
    }
    if (draftForms().indexOf(event.target) === -1 || !owner) return;
    window.clearTimeout(saveTimer);
    saveDrafts("submitted");
    store.setItem(PENDING_KEY, owner);
  }, true);

  // --- Time-out ------------------------------------------------------------------------------------

  var statusUrl = body.getAttribute("data-session-url");
  var loginUrl = body.getAttribute("data-login-url");
  var idleSeconds = parseInt(body.getAttribute("data-session-idle"), 10) || 900;
  var deadline = Date.now() + (parseInt(body.getAttribute("data-session-remaining"), 10) || idleSeconds) * 1000;
  var lastInteraction = 0;
  var timer = null;
  var countdown = null;
  var dialog = null;
  var returnFocus = null;

  ["keydown", "pointerdown", "input"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.isTrusted) lastInteraction = Date.now(); // not the events a restore sends
    }, true);
  });

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function askServer(method) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method === "POST") options.headers["X-CSRFToken"] = csrfToken();
    return window.fetch(statusUrl, options).then(function (response) {
      if (response.status === 401) return { signed_in: false, remaining: 0 };
      if (!response.ok) throw new Error("session status " + response.status);
      return response.json();
    });
  }

  function schedule(at, callback) {
    window.clearTimeout(timer);
    timer = window.setTimeout(callback, Math.max(0, at - Date.now()));
  }

  function planWarning() {
    schedule(deadline - WARNING_SECONDS * 1000, beforeWarning);
  }

  function userIsHere() {
    // Typing a long note is not idleness: recent keys or clicks keep the session, as a request would.
    return lastInteraction && Date.now() - lastInteraction < Math.min(120, idleSeconds / 3) * 1000;
  }

  function beforeWarning() {
    askServer("GET").then(function (status) {
      if (!status.signed_in) return signOut();
      deadline = Date.now() + status.remaining * 1000;
      if (status.remaining > WARNING_SECONDS + 2) return planWarning(); // another tab kept it alive
      if (status.limit === "idle" && userIsHere()) return stay();
      warn(status.limit);
    }, function () {
      if (!waitForSignal(beforeWarning)) warn("idle");
    });
  }

  function atDeadline() {
    askServer("GET").then(function (status) {
      if (!status.signed_in || status.remaining <= 0) return signOut();
      deadline = Date.now() + status.remaining * 1000;
      if (status.remaining > WARNING_SECONDS) {
        closeDialog();
        planWarning();
      } else {
        schedule(deadline, atDeadline);
      }
    }, function () {
      if (!waitForSignal(atDeadline)) signOut();
    });
  }

  // Without signal the server cannot be asked, and the login page could not load: ask again once the
  // connection returns (what is written meanwhile is kept by static/js/offline.js).
  function waitForSignal(callback) {
    if (navigator.onLine !== false) return false;
    window.clearTimeout(timer);
    window.addEventListener("online", callback, { once: true });
    return true;
  }

  function stay() {
    askServer("POST").then(function (status) {
      if (!status.signed_in) return signOut();
      deadline = Date.now() + status.remaining * 1000;
      if (status.remaining > WARNING_SECONDS) {
        closeDialog();
        planWarning();
      } else {
        warn(status.limit);
      }
    }, function () {
      schedule(deadline, atDeadline);
    });
  }

  function signOut() {
    window.clearTimeout(timer);
    window.clearTimeout(saveTimer);
    function leave() {
      blankForms();
      window.location.assign(loginUrl + "?next=" + encodeURIComponent(here));
    }
    saveDrafts("timedout").then(leave, leave); // sealing is asynchronous: leave once it is written
  }

  function buildDialog() {
    var element = document.createElement("dialog");
    element.id = "session-timeout";
    element.className = "border-0 rounded-3 shadow p-0";
    element.setAttribute("aria-labelledby", "session-timeout-title");
    element.setAttribute("aria-describedby", "session-timeout-text");
    element.innerHTML =
      '<div class="p-3 p-sm-4">' +
      '<h2 class="h5" id="session-timeout-title"></h2>' +
      '<p id="session-timeout-text"></p>' +
      '<p class="fw-semibold" aria-hidden="true" data-seconds-left></p>' +
      '<div class="d-flex flex-wrap gap-2">' +
      '<button type="button" class="btn btn-primary" data-stay></button>' +
      '<button type="button" class="btn btn-outline-secondary" data-close hidden></button>' +
      "</div></div>";
    var left = t("session.seconds_left", "{seconds} seconds left").split("{seconds}");
    var countdownSpan = document.createElement("span");
    countdownSpan.setAttribute("data-countdown", "");
    element.querySelector("[data-seconds-left]").append(left[0], countdownSpan, left.slice(1).join(""));
    element.querySelector("[data-stay]").textContent = t("session.stay", "Stay signed in");
    element.querySelector("[data-close]").textContent = t("session.ok", "OK");
    element.querySelector("[data-stay]").addEventListener("click", stay);
    element.querySelector("[data-close]").addEventListener("click", closeDialog);
    element.addEventListener("cancel", function (event) {
      // Escape means someone is here: the same as "Stay signed in".
      event.preventDefault();
      if (!element.querySelector("[data-stay]").hidden) stay();
      else closeDialog();
    });
    document.body.appendChild(element);
    return element;
  }

  function warn(limit) {
    saveDrafts("typing");
    dialog = dialog || buildDialog();
    var absolute = limit === "absolute";
    dialog.querySelector("#session-timeout-title").textContent = absolute
      ? t("session.ending", "Your session is ending")
      : t("session.still_there", "Are you still there?");
    dialog.querySelector("#session-timeout-text").textContent = absolute
      ? t("session.ending_text", "A session lasts at most 12 hours, so Lantern will sign you out in about a minute. " +
        "What you typed is kept: it comes back when you log in again.")
      : t("session.idle_text", "For privacy, Lantern will sign you out in about a minute. " +
        "What you typed is kept: it comes back when you log in again.");
    dialog.querySelector("[data-stay]").hidden = absolute;
    dialog.querySelector("[data-close]").hidden = !absolute;
    var counter = dialog.querySelector("[data-countdown]");
    function tick() {
      counter.textContent = String(Math.max(0, Math.round((deadline - Date.now()) / 1000)));
    }
    tick();
    window.clearInterval(countdown);
    countdown = window.setInterval(tick, 1000);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    schedule(deadline, atDeadline);
  }

  function closeDialog() {
    window.clearInterval(countdown);
    if (dialog && dialog.open) {
      dialog.close();
      if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
    }
  }

  // A request made by htmx counts as activity on the server too.
  document.addEventListener("htmx:afterRequest", function () {
    deadline = Date.now() + idleSeconds * 1000;
    planWarning();
  });

  planWarning();
})();
