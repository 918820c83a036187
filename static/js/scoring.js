/* CNNT tiêu biểu — the score sheet: running total, autosave, Enter saves, confirm (in the page's own dialog) before submitting,
   and a copy on this device while the network is down (a tablet in a hall with weak Wi-Fi).
   Progressive enhancement only: without this file the sheet is a plain form that saves and submits.
   Loaded by templates/jury/sheet.html alone; no inline code (strict CSP).

   The copy on this device (localStorage, one per juror, entry and stage: the sheet's identity, which exists before
   the sheet is first saved and given an id). It is written when a background save cannot reach the server (or
   the browser says it is offline), then at every change until a save gets through, and holds the typed points,
   notes and comment with the sheet version the server last confirmed ("base"), nothing else (no token).
   When the page loads with a copy:
   - the copy says what the server's draft says: dropped;
   - the server's version is still the copy's base (nothing saved since, anywhere): the copy is put back into the
     form, the page says so, and it is sent at once (or when the network returns);
   - otherwise the server's draft was saved after the copy was made (on another device, or a save whose answer was
     lost): the copy is never sent by itself; the page asks which one to keep.
   It is dropped when the server confirms a save with nothing typed since, and when the sheet is no longer a draft.
   "Nộp phiếu" while offline submits nothing: the page says to submit again once the network is back. */
(function () {
  "use strict";

  var AUTOSAVE_DELAY = 2000;
  var RETRY_DELAYS = [5000, 10000, 20000, 30000];

  function init() {
    var form = document.getElementById("score-sheet");
    if (!form) {
      // The sheet is no longer a draft (submitted, or the phase is over): a copy of it here can never be sent.
      var done = document.querySelector("[data-draft-key]");
      try { if (done) { window.localStorage.removeItem(done.getAttribute("data-draft-key")); } } catch (error) { /* no storage */ }
      return;
    }
    var pointsInputs = Array.prototype.slice.call(form.querySelectorAll("input.points-input"));
    var totalOutput = document.getElementById("sheet-total");
    var statusBox = document.getElementById("autosave-status");
    var versionInput = form.querySelector("input[name='version']");
    var decimalMark = form.getAttribute("data-decimal") || ",";
    var url = form.getAttribute("action") || window.location.href.split("#")[0];
    var canFetch = !!(window.fetch && window.FormData);
    var draftKey = (form.closest("[data-draft-key]") || form).getAttribute("data-draft-key");

    var dirty = false;        // changes typed since the last successful save
    var timer = null;
    var inflight = null;      // the promise of the save under way
    var submitting = false;   // a plain submit is leaving the page: no background save may race it
    var stopped = false;      // the sheet was locked elsewhere: stop saving
    var retries = 0;
    var keptLocally = false;  // this device holds a copy the server has not confirmed
    var lastFailure = "";     // why the last save wrote nothing: "network", "invalid" or "locked"

    function message(name) { return form.getAttribute("data-msg-" + name) || ""; }

    /* ``warn``: the status says something is wrong or waiting (styled apart, not only by its words). */
    function say(text, warn) {
      if (!statusBox) { return; }
      statusBox.textContent = text;
      statusBox.classList.toggle("autosave-warning", !!warn);
    }

    function offline() { return window.navigator.onLine === false; }

    /* ---------- running total ---------- */
    function pointsOf(input) {
      // Above the maximum, off the step or not a number: counts for nothing until corrected.
      if (input.validity && !input.validity.valid) { return null; }
      var raw = (input.value || "").trim().replace(",", ".");
      if (raw === "") { return 0; }
      var value = Number(raw);
      return isFinite(value) && value >= 0 ? value : null;
    }

    function formatPoints(value) {
      var text = (Math.round(value * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
      return text.replace(".", decimalMark);
    }

    function updateTotal() {
      var total = 0;
      pointsInputs.forEach(function (input) { total += pointsOf(input) || 0; });
      if (totalOutput) { totalOutput.textContent = formatPoints(total); }
      return total;
    }

    /* ---------- per-field messages ---------- */
    function fieldParts(key) {
      var control = key === "comment" ? form.querySelector("#comment") : form.querySelector("#points-" + key);
      var box = key === "comment" ? form.querySelector("#comment-error") : form.querySelector("#error-" + key);
      var wrapper = control ? control.closest(".criterion, .field") : null;
      return { control: control, box: box, wrapper: wrapper };
    }

    function showError(key, text) {
      var parts = fieldParts(key);
      if (!parts.control || !parts.box) { return false; }
      parts.box.textContent = text;
      parts.box.hidden = false;
      parts.control.setAttribute("aria-invalid", "true");
      if (parts.wrapper) { parts.wrapper.classList.add("field-error"); }
      return true;
    }

    function clearError(key) {
      var parts = fieldParts(key);
      if (!parts.box || parts.box.hidden) { return; }
      parts.box.textContent = "";
      parts.box.hidden = true;
      if (parts.control) { parts.control.removeAttribute("aria-invalid"); }
      if (parts.wrapper) { parts.wrapper.classList.remove("field-error"); }
    }

    function keyOf(control) {
      if (control.id === "comment") { return "comment"; }
      var match = /^points-(.+)$/.exec(control.id || "");
      return match ? match[1] : null;
    }

    function clearFilledErrors() {
      // Saved means every typed value was acceptable; an empty field may still be "missing".
      pointsInputs.concat([form.querySelector("#comment")]).forEach(function (control) {
        if (control && (control.value || "").trim() !== "") { clearError(keyOf(control)); }
      });
    }

    /* ---------- the copy on this device (see the rule at the top) ---------- */
    var store = null;
    try { store = draftKey ? window.localStorage : null; } catch (error) { store = null; }  // storage refused

    function typedFields() {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (control) {
        // The points, notes and comment; not the hidden token or version, not the buttons.
        if (control.name && control.type !== "hidden" && control.type !== "submit" && control.tagName !== "BUTTON") {
          fields[control.name] = control.value;
        }
      });
      return fields;
    }

    function sameValue(a, b) {
      a = (a || "").trim();
      b = (b || "").trim();
      var x = Number(a.replace(",", "."));
      var y = Number(b.replace(",", "."));
      return a === b || (a !== "" && b !== "" && isFinite(x) && isFinite(y) && x === y);
    }

    function sameFields(a, b) {
      return Object.keys(a).concat(Object.keys(b)).every(function (name) { return sameValue(a[name], b[name]); });
    }

    function readLocal() {
      try {
        var record = JSON.parse(store.getItem(draftKey) || "null");
        return record && record.fields ? record : null;
      } catch (error) { return null; }
    }

    function keepLocal() {
      if (!store) { return; }
      try {
        store.setItem(draftKey, JSON.stringify({
          base: versionInput ? versionInput.value : "", savedAt: Date.now(), fields: typedFields()
        }));
        keptLocally = true;
      } catch (error) { /* storage full or refused: the status still says the sheet is not saved */ }
    }

    function dropLocal() {
      keptLocally = false;
      try { if (store) { store.removeItem(draftKey); } } catch (error) { /* nothing kept, nothing to drop */ }
    }

    function clockOf(time) {
      var when = new Date(time);
      function two(n) { return (n < 10 ? "0" : "") + n; }
      return two(when.getHours()) + ":" + two(when.getMinutes());
    }

    /* ---------- autosave ---------- */
    function schedule(delay) {
      if (!canFetch || stopped || submitting) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(false); }, delay);
    }

    function hasBadNumber() {
      var bad = false;
      pointsInputs.forEach(function (input) {
        if (input.validity && input.validity.badInput) {
          showError(keyOf(input), message("bad-number"));
          bad = true;
        }
      });
      return bad;
    }

    function save(leaving) {
      window.clearTimeout(timer);
      if (!canFetch || stopped || submitting) { return Promise.resolve(false); }
      if (inflight) {
        // Save again once the current one is answered, so that nothing typed meanwhile is lost.
        return inflight.then(function () { return dirty ? save(leaving) : true; });
      }
      if (hasBadNumber()) {
        lastFailure = "invalid";
        say(message("invalid"), true);
        return Promise.resolve(false);
      }
      if (offline()) {  // no request that cannot leave: keep the draft here until the "online" event
        dirty = true;
        lastFailure = "network";
        keepLocal();
        say(message("offline"), true);
        return Promise.resolve(false);
      }
      var sendsLocalCopy = keptLocally;
      var body = new FormData(form);
      body.set("action", "autosave");
      dirty = false;
      say(message("saving"));
      inflight = window.fetch(url, {
        method: "POST", body: body, credentials: "same-origin", keepalive: !!leaving,
        headers: { "X-Requested-With": "fetch", Accept: "application/json" }
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // Answered, but not by the sheet (a proxy's error page, a login page): not saved, not a network cut.
          var error = new Error("HTTP " + response.status);
          error.answered = true;
          throw error;
        }
        return response.json();
      }).then(function (answer) {
        inflight = null;
        retries = 0;
        if (answer.ok) {
          if (versionInput && answer.version) { versionInput.value = String(answer.version); }
          lastFailure = "";
          if (!dirty) { dropLocal(); } else if (keptLocally) { keepLocal(); }  // its base is now the new version
          clearFilledErrors();
          say(message(sendsLocalCopy && !keptLocally ? "sent-local" : "saved").replace("__TIME__", answer.saved_at || ""));
          return true;
        }
        dirty = true;  // nothing was written: the next change tries again
        lastFailure = answer.errors ? "invalid" : "locked";
        if (keptLocally) { keepLocal(); }
        if (answer.errors) {
          var general = [];
          Object.keys(answer.errors).forEach(function (key) {
            if (!showError(key, answer.errors[key])) { general.push(answer.errors[key]); }
          });
          say(general.length ? general.join(" ") : message("invalid"));
        } else {
          stopped = !!answer.locked;
          if (stopped) { dropLocal(); }  // submitted elsewhere: the copy can never be sent
          say(answer.error || message("failed"), true);
        }
        return false;
      }).catch(function (error) {
        inflight = null;
        dirty = true;
        lastFailure = "network";
        keepLocal();
        say(message(error && error.answered ? "failed" : "offline"), true);
        // Weak Wi-Fi in the hall: try again by itself, more and more patiently.
        schedule(RETRY_DELAYS[Math.min(retries, RETRY_DELAYS.length - 1)]);
        retries += 1;
        return false;
      });
      return inflight;
    }

    /* What the server would say of a typed score, said as it is typed (the server still checks). */
    function typedProblem(input) {
      var validity = input.validity;
      if (!validity) { return ""; }
      if (validity.badInput) { return message("bad-number"); }
      if (validity.rangeOverflow) { return message("above-max").replace("__MAX__", formatPoints(Number(input.max))); }
      if (validity.rangeUnderflow) { return message("negative"); }
      if (validity.stepMismatch) { return message("off-step"); }
      return "";
    }

    function changed(event) {
      var control = event.target;
      dirty = true;
      if (keptLocally || offline()) { keepLocal(); }  // a reload or a flat battery now loses nothing
      var key = keyOf(control);
      if (control.classList && control.classList.contains("points-input")) {
        updateTotal();
        var problem = typedProblem(control);
        if (problem) { showError(key, problem); } else { clearError(key); }
      } else if (key) {
        clearError(key);
      }
      schedule(AUTOSAVE_DELAY);
    }

    form.addEventListener("input", changed);

    /* ---------- keyboard: Enter in a field saves, never submits ---------- */
    form.addEventListener("keydown", function (event) {
      var control = event.target;
      if (event.key !== "Enter" || control.tagName !== "INPUT" || !canFetch) { return; }
      event.preventDefault();
      dirty = true;
      save(false);
    });

    /* A wheel turn over a focused number field would change the points unseen. */
    pointsInputs.forEach(function (input) {
      input.addEventListener("wheel", function () {
        if (document.activeElement === input) { input.blur(); }
      }, { passive: true });
    });

    /* ---------- submitting: confirm, and never race a background save ---------- */
    var lastButton = null;
    Array.prototype.forEach.call(document.querySelectorAll("button[form='" + form.id + "']"), function (button) {
      button.addEventListener("click", function () { lastButton = button; });
    });

    // Send the form again with the button that sent it: its name and value say "submit", not "save".
    // A browser without requestSubmit clicks the button, which a plain form.submit() would leave out.
    function submitWith(button) {
      if (form.requestSubmit && button) { form.requestSubmit(button); } else if (button) { button.click(); } else { form.submit(); }
    }

    // The page's own dialog (app.js); the browser's, where app.js is missing.
    function ask(question, yesLabel) {
      if (window.CNNT && window.CNNT.ask) { return window.CNNT.ask(question, yesLabel); }
      return Promise.resolve(window.confirm(question));
    }

    form.addEventListener("submit", function (event) {
      var button = event.submitter || lastButton;
      var action = button ? button.value : "save";
      if (canFetch && !stopped && (offline() || keptLocally)) {
        // Offline, a plain submission would leave for the browser's error page. With a copy still unsent, send it
        // in the background first; the form goes once the server has it.
        event.preventDefault();
        form.removeAttribute("data-confirmed");
        dirty = true;
        save(false).then(function (ok) {
          if (ok) { submitWith(button); return; }
          if (lastFailure === "network") { say(message(action === "submit" ? "offline-submit" : "offline"), true); }
        });
        return;
      }
      if (action === "submit" && !form.hasAttribute("data-confirmed")) {
        // Background saves go on while the question stands; the inflight path below waits for them.
        event.preventDefault();
        var question = message("confirm").replace("__TOTAL__", formatPoints(updateTotal()));
        ask(question, message("confirm-yes")).then(function (yes) {
          if (!yes) { return; }
          form.setAttribute("data-confirmed", "");
          submitWith(button);
        });
        return;
      }
      form.removeAttribute("data-confirmed");
      window.clearTimeout(timer);
      if (action === "submit") { say(message("submitting")); }
      if (inflight) {
        // The page's version changes when the background save is answered: submit after it.
        // On a slow line that can take seconds; the status line says the sheet is being submitted.
        event.preventDefault();
        form.setAttribute("data-confirmed", "");
        inflight.then(function () { submitWith(button); });
        return;
      }
      submitting = true;
    });

    /* ---------- leaving the page ---------- */
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && dirty) { save(true); }
    });

    Array.prototype.forEach.call(document.querySelectorAll(".entry-nav a, .sheet-bar a"), function (link) {
      link.addEventListener("click", function (event) {
        if (!dirty || !canFetch || stopped || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
        event.preventDefault();
        save(false).then(function (ok) {
          if (ok) { window.location.href = link.href; return; }
          ask(message(lastFailure === "network" && keptLocally ? "leave-kept" : "leave"), message("leave-yes")).then(function (leave) {
            if (leave) { window.location.href = link.href; }
          });
        });
      });
    });

    /* ---------- the network comes and goes ---------- */
    window.addEventListener("offline", function () {
      if (!stopped) { say(message("offline"), true); }
    });
    window.addEventListener("online", function () {
      if (stopped) { return; }
      if (dirty || keptLocally) { save(false); } else { say(""); }
    });

    /* ---------- a copy left by an earlier visit ---------- */
    function putBack(record) {
      Object.keys(record.fields).forEach(function (name) {
        var control = form.elements.namedItem(name);
        if (control && typeof control.value === "string") { control.value = record.fields[name]; }
      });
      pointsInputs.forEach(function (input) {
        var problem = typedProblem(input);
        if (problem) { showError(keyOf(input), problem); } else { clearError(keyOf(input)); }
      });
      updateTotal();
      dirty = true;
      keepLocal();  // based on this page's version from now on
      say(message("restored").replace("__TIME__", clockOf(record.savedAt)), true);
      if (!offline()) { save(false); }
    }

    function restoreLocalCopy() {
      var record = store ? readLocal() : null;
      if (!record) { return; }
      if (sameFields(record.fields, typedFields())) { dropLocal(); return; }
      if (versionInput && String(record.base) === versionInput.value) { putBack(record); return; }
      ask(message("newer-on-server").replace("__TIME__", clockOf(record.savedAt)), message("use-local")).then(function (useLocal) {
        if (useLocal) { putBack(record); } else { dropLocal(); }
      });
    }

    updateTotal();
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    restoreLocalCopy();
  }

  /* A long guidance text stays open on a wide screen; on a phone it folds behind its "Hướng dẫn" summary, so that
     the points come into view first (the server renders it open, which is how it reads without this file). */
  function foldLongGuidance() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 40em)").matches) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("details.criterion-guidance[data-long]"), function (box) {
      box.open = false;
    });
  }

  function start() {
    foldLongGuidance();
    init();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
