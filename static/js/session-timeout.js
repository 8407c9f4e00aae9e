/*
 * Session time-out, without losing what was typed.
 *
 * The server ends a session after the program's idle time-out (recovery/sessions.py). This script warns
 * 60 seconds before, in an accessible dialog whose "Stay signed in" button pings the session endpoint.
 * It always asks the server how much time is left before acting, so several open tabs agree.
 *
 * Typed text is never lost: the fields of every POST form (except passwords, hidden fields, files and
 * forms marked data-no-draft) are kept in sessionStorage (this tab only), keyed by the page's path. When
 * the session ends, the kept fields are marked, and after the user logs in again on the same page they
 * are put back. A form submitted to the server clears them: the server has the data (saved, or shown
 * again with its errors). A submit that the time-out bounced to the login page keeps them.
 *
 * Settings come from data- attributes on <body> (templates/base.html).
 */
(function () {
  "use strict";

  var WARNING_SECONDS = 60;
  var DRAFT_PREFIX = "lantern.draft:";
  var PENDING_KEY = "lantern.pendingSubmit";
  var SKIPPED_TYPES = ["password", "hidden", "file", "submit", "button", "reset", "image"];

  var body = document.body;
  var here = window.location.pathname + window.location.search;
  var store = null;
  try {
    store = window.sessionStorage;
  } catch (error) {
    store = null; // storage disabled: the time-out warning still works
  }

  // --- Drafts -------------------------------------------------------------------------------------

  function readDraft(key) {
    if (!store) return null;
    try {
      return JSON.parse(store.getItem(DRAFT_PREFIX + key));
    } catch (error) {
      return null;
    }
  }

  function writeDraft(key, draft) {
    if (!store) return;
    try {
      store.setItem(DRAFT_PREFIX + key, JSON.stringify(draft));
    } catch (error) {
      // storage full: nothing more we can keep
    }
  }

  function dropDraft(key) {
    if (store) store.removeItem(DRAFT_PREFIX + key);
  }

  function draftForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-draft");
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

  function collect(form) {
    var fields = [];
    var anyChanged = false;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      anyChanged = anyChanged || changed(element);
      var field = { name: element.name };
      if (isCheckable(element)) {
        field.checked = element.checked;
      } else if (element.tagName === "SELECT") {
        field.values = Array.prototype.filter.call(element.options, function (option) {
          return option.selected;
        }).map(function (option) {
          return option.value;
        });
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
    if (forms.length) {
      writeDraft(here, { state: state, forms: forms });
    } else {
      dropDraft(here);
    }
  }

  function put(element, field) {
    if (isCheckable(element)) {
      element.checked = !!field.checked;
    } else if (element.tagName === "SELECT") {
      Array.prototype.forEach.call(element.options, function (option) {
        option.selected = field.values.indexOf(option.value) !== -1;
      });
    } else {
      element.value = field.value;
    }
  }

  function restore(draft) {
    var forms = draftForms();
    var restored = false;
    draft.forms.forEach(function (saved) {
      var form = forms[saved.index];
      if (!form || (form.getAttribute("action") || "") !== saved.action) return;
      // Fields are matched by name, in order (several fields may share a name).
      var queues = {};
      saved.fields.forEach(function (field) {
        (queues[field.name] = queues[field.name] || []).push(field);
      });
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!kept(element) || !queues[element.name] || !queues[element.name].length) return;
        put(element, queues[element.name].shift());
        restored = true;
      });
    });
    if (restored) announce("What you typed before you were signed out is back in the form. Check it, then save.");
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

  // On the login page (signed out): a form submit that ended here was bounced by the time-out, so its
  // text must come back after login.
  if (body.hasAttribute("data-signed-out")) {
    var bounced = store && store.getItem(PENDING_KEY);
    if (bounced) {
      var draft = readDraft(bounced);
      if (draft) {
        draft.state = "timedout";
        writeDraft(bounced, draft);
      }
      store.removeItem(PENDING_KEY);
    }
    return;
  }
  if (!body.hasAttribute("data-session-url")) return;

  if (store) {
    var submitted = store.getItem(PENDING_KEY);
    if (submitted) {
      dropDraft(submitted); // the server received that form
      store.removeItem(PENDING_KEY);
    }
    var waiting = readDraft(here);
    if (waiting && waiting.state === "timedout") restore(waiting);
    dropDraft(here); // what is typed from now on is kept afresh
  }

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
    if (draftForms().indexOf(event.target) === -1 || !store) return;
    window.clearTimeout(saveTimer);
    saveDrafts("typing");
    store.setItem(PENDING_KEY, here);
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
    document.addEventListener(name, function () {
      lastInteraction = Date.now();
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
      warn("idle");
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
      signOut();
    });
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
    saveDrafts("timedout");
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(here));
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
      '<p class="fw-semibold" aria-hidden="true"><span data-countdown></span> seconds left</p>' +
      '<div class="d-flex flex-wrap gap-2">' +
      '<button type="button" class="btn btn-primary" data-stay>Stay signed in</button>' +
      '<button type="button" class="btn btn-outline-secondary" data-close hidden>OK</button>' +
      "</div></div>";
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
      ? "Your session is ending"
      : "Are you still there?";
    dialog.querySelector("#session-timeout-text").textContent = absolute
      ? "A session lasts at most 12 hours, so Lantern will sign you out in about a minute. " +
        "What you typed is kept: it comes back when you log in again."
      : "For privacy, Lantern will sign you out in about a minute. " +
        "What you typed is kept: it comes back when you log in again.";
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
