/* CNNT tiêu biểu — progressive enhancement only. Every page works without this file.
   No libraries, no eval, no inline styles: compatible with the strict CSP. */
(function () {
  "use strict";

  /* ---------- 1. Jurisdiction picker (fieldset.jurisdiction) ---------- */
  // Which of region / province / commune each level needs.
  var LEVEL_FIELDS = {
    "": [],
    quoc_gia: [],
    khu_vuc: ["region"],
    tinh: ["province"],
    xa: ["province", "commune"]
  };
  var listCounter = 0;

  function fieldWrapper(fieldset, name) {
    var control = fieldset.querySelector("[name='" + name + "']");
    return control ? { control: control, wrapper: control.closest(".field") } : null;
  }

  function initJurisdiction(fieldset) {
    var levelSelect = fieldset.querySelector("select[name='jurisdiction_level']");
    // Without a level picker (a producer's address) the fieldset is always province + commune.
    function level() { return levelSelect ? levelSelect.value : "xa"; }
    var parts = {
      region: fieldWrapper(fieldset, "region"),
      province: fieldWrapper(fieldset, "province"),
      commune: fieldWrapper(fieldset, "commune")
    };
    var urlTemplate = fieldset.getAttribute("data-communes-url") || "";
    var communeInput = parts.commune && parts.commune.control;
    var cache = {};
    var pending = null;
    var datalist = null;

    function ensureDatalist() {
      if (datalist) { return datalist; }
      listCounter += 1;
      datalist = document.createElement("datalist");
      datalist.id = (communeInput.id || "commune") + "-options-" + listCounter;
      communeInput.parentNode.insertBefore(datalist, communeInput.nextSibling);
      communeInput.setAttribute("list", datalist.id);
      // A datalist lets people type a commune name, so offer the full keyboard on phones.
      communeInput.removeAttribute("inputmode");
      communeInput.setAttribute("autocomplete", "off");
      return datalist;
    }

    function fillCommunes(communes) {
      var list = ensureDatalist();
      while (list.firstChild) { list.removeChild(list.firstChild); }
      communes.forEach(function (commune) {
        var option = document.createElement("option");
        option.value = commune.code;
        option.label = commune.code + " — " + commune.name;
        option.textContent = commune.code + " — " + commune.name;
        list.appendChild(option);
      });
    }

    function clearCommunes() {
      if (datalist) { while (datalist.firstChild) { datalist.removeChild(datalist.firstChild); } }
    }

    function loadCommunes() {
      if (!communeInput || !urlTemplate || urlTemplate.indexOf("__CODE__") === -1) { return; }
      var provinceSelect = parts.province && parts.province.control;
      var code = provinceSelect ? provinceSelect.value : "";
      if (level() !== "xa" || !code) { clearCommunes(); return; }
      if (cache[code]) { fillCommunes(cache[code]); return; }
      if (!window.fetch) { return; }
      if (pending && pending.abort) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      var url = urlTemplate.replace("__CODE__", encodeURIComponent(code));
      window.fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (data) {
        if (!Array.isArray(data)) { return; }
        var communes = data.filter(function (c) { return c && c.code && c.name; });
        cache[code] = communes;
        // Ignore late answers for a province that is no longer selected.
        if (provinceSelect.value === code && level() === "xa") { fillCommunes(communes); }
      }).catch(function () {
        // Silent: the field still works as a plain text input for the commune code.
      });
    }

    function update() {
      var wanted = LEVEL_FIELDS[level()];
      if (!wanted) { wanted = ["region", "province", "commune"]; } // unknown level: show everything
      Object.keys(parts).forEach(function (name) {
        var part = parts[name];
        if (!part || !part.wrapper) { return; }
        // Never hide a field that carries a server-side error message.
        var show = wanted.indexOf(name) !== -1 || part.wrapper.classList.contains("field-error");
        part.wrapper.hidden = !show;
      });
      loadCommunes();
    }

    if (levelSelect) { levelSelect.addEventListener("change", update); }
    if (parts.province && parts.province.control) {
      parts.province.control.addEventListener("change", loadCommunes);
    }
    update();
  }

  /* ---------- 2. Read-only copy fields: select all on focus ---------- */
  function initCopyField(input) {
    function selectAll() {
      // Deferred so a mouse click does not immediately collapse the selection.
      window.setTimeout(function () { input.select(); }, 0);
    }
    input.addEventListener("focus", selectAll);
    input.addEventListener("click", selectAll);
  }

  /* ---------- 3. Before submitting: confirmations and upload sizes ---------- */
  function uploadTooLarge(form) {
    // The server checks again; this only spares a long upload on a slow rural line.
    var limit = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    var input = form.querySelector("input[type='file']");
    if (!limit || !input || !input.files || !input.files.length) { return false; }
    return input.files[0].size > limit;
  }

  function showUploadError(form) {
    var message = form.getAttribute("data-too-large") || "";
    var box = form.querySelector(".upload-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "errors upload-error";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = message;
  }

  // A file on a slow line can take a while: say it is on its way, and keep a second click from
  // sending it twice. Buttons are disabled after this event, or their name and value would be lost.
  function showBusy(form) {
    var box = form.querySelector(".busy-status");
    if (!box) {
      box = document.createElement("p");
      box.className = "busy-status";
      box.setAttribute("role", "status");
      form.appendChild(box);
    }
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {
      box.textContent = document.body.getAttribute("data-busy-text") || "";
      Array.prototype.forEach.call(form.querySelectorAll("[type='submit']"), function (button) { button.disabled = true; });
    }, 0);
  }

  // Back to a page kept in the browser's memory: its forms can be sent again.
  function clearBusy(event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[aria-busy='true']"), function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll("[type='submit']"), function (button) { button.disabled = false; });
      var box = form.querySelector(".busy-status");
      if (box) { box.textContent = ""; }
    });
  }

  // "Are you sure?" in the page's own dialog, not window.confirm: the browser's dialog freezes the
  // page and cannot name its buttons, and a browser may suppress it and answer "no" without showing
  // it (the likely cause of a browser test that failed at "Nộp phiếu"). Resolves true for "yes".
  function ask(question, yesLabel) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      return Promise.resolve(window.confirm(question));
    }
    if (dialog.open) { return Promise.resolve(false); }  // a second click while the first question stands
    var yes = dialog.querySelector("[data-confirm-yes]");
    var no = dialog.querySelector("[data-confirm-no]");
    dialog.querySelector("[data-confirm-text]").textContent = question;
    yes.textContent = yesLabel || yes.getAttribute("data-default-label");
    return new Promise(function (resolve) {
      function answer(value) { return function () { dialog.close(value); }; }
      var onYes = answer("yes");
      var onNo = answer("no");
      yes.addEventListener("click", onYes);
      no.addEventListener("click", onNo);
      function closed() {  // also Esc, which answers "no"
        dialog.removeEventListener("close", closed);
        yes.removeEventListener("click", onYes);
        no.removeEventListener("click", onNo);
        resolve(dialog.returnValue === "yes");
      }
      dialog.addEventListener("close", closed);
      dialog.returnValue = "";
      try {
        dialog.showModal();
      } catch (error) {
        // A dialog that cannot open must not leave the button dead: ask the browser's way instead.
        dialog.removeEventListener("close", closed);
        yes.removeEventListener("click", onYes);
        no.removeEventListener("click", onNo);
        resolve(window.confirm(question));
        return;
      }
      no.focus();  // most questions guard a step that cannot be undone: the safe answer comes first
    });
  }

  // Send the form again once the question is answered, with the button that sent it (its name and value).
  function submitAgain(form, submitter) {
    form.setAttribute("data-confirmed", "");
    if (form.requestSubmit) {
      form.requestSubmit(submitter || undefined);
    } else if (submitter) {
      submitter.click();
    } else {
      form.submit();
    }
  }

  window.CNNT = window.CNNT || {};
  window.CNNT.ask = ask;  // for scoring.js

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (form.hasAttribute("data-max-bytes") && uploadTooLarge(form)) {
      event.preventDefault();
      showUploadError(form);
      return;
    }
    // A button that needs a field filled (returning a dossier needs the message) says so before asking
    // "are you sure?": the question would otherwise come first and the error only after the page reloads.
    if (event.submitter && event.submitter.hasAttribute("data-requires") && missingRequired(form, event.submitter)) {
      event.preventDefault();
      return;
    }
    // The question is on the form, or on the button that submits it (forms with several actions).
    var asker = event.submitter && event.submitter.hasAttribute("data-confirm") ? event.submitter : form;
    if (asker.hasAttribute("data-confirm")) {
      if (form.hasAttribute("data-confirmed")) {
        form.removeAttribute("data-confirmed");  // answered once: this sending goes through
      } else {
        event.preventDefault();
        var submitter = event.submitter || null;
        ask(asker.getAttribute("data-confirm"), asker.getAttribute("data-confirm-yes")).then(function (yes) {
          if (yes) { submitAgain(form, submitter); }
        });
        return;
      }
    }
    if (!event.defaultPrevented && form.enctype === "multipart/form-data") { showBusy(form); }
  }

  function missingRequired(form, button) {
    var field = form.elements[button.getAttribute("data-requires")];
    if (!field || field.value.trim()) { return false; }
    var id = field.id + "-required";
    var note = document.getElementById(id);
    if (!note) {
      note = document.createElement("p");
      note.className = "errors";
      note.id = id;
      field.parentNode.insertBefore(note, field.nextSibling);
      field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + id).trim());
      field.addEventListener("input", function () {
        if (field.value.trim()) { note.textContent = ""; field.removeAttribute("aria-invalid"); }
      });
    }
    note.textContent = button.getAttribute("data-requires-text");
    field.setAttribute("aria-invalid", "true");
    field.focus();
    return true;
  }

  // Background jobs (issuance, exports): follow their progress and reload the page when one ends.
  function followProgress(element) {
    var url = element.getAttribute("data-progress-url");
    var template = element.getAttribute("data-progress-text") || "{done} / {total}";
    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          if (job.status === "queued" || job.status === "running") {
            var label = element.querySelector("[data-progress-label]") || element;
            label.textContent = template.replace("{done}", job.done).replace("{total}", job.total);
            var bar = element.querySelector("progress");
            if (bar) { bar.max = Math.max(job.total, 1); bar.value = job.done; }
            window.setTimeout(poll, 1500);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  }

  /* ---------- 4. Wide tables: a scrollable box the keyboard can reach ---------- */
  // A table wider than the screen scrolls inside .table-wrap; when it does, the box takes focus
  // (arrow keys scroll it) and is announced as a region named after its caption or section heading.
  var wrapCounter = 0;

  function nameFor(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) { return caption; }
    var section = wrap.closest("section, .panel, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading && heading.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING ? heading : null;
  }

  function markScrollable(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("data-scroll-focus", "");
      var label = nameFor(wrap);
      if (label) {
        if (!label.id) { wrapCounter += 1; label.id = "table-name-" + wrapCounter; }
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-labelledby", label.id);
      }
    } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
      ["tabindex", "data-scroll-focus", "role", "aria-labelledby"].forEach(function (name) { wrap.removeAttribute(name); });
    }
  }

  function markScrollableTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), markScrollable);
  }

  /* ---------- 5. Folded on a phone, open on a wide screen (details[data-open-wide]) ----------
     The header's menu and the registry's filters are <details>, closed on a phone. From 48em the CSS
     shows their content through ::details-content; a browser without it needs the details open, which
     this keeps while the screen is wide (data-pinned hides the button there, app.css §3). */
  var WIDE = "(min-width: 48em)";

  function pinOpenWhileWide(details, wide) {
    if (wide) {
      details.setAttribute("data-pinned", "");
      if (!details.open) { details.setAttribute("data-opened-for-wide", ""); details.open = true; }
    } else {
      details.removeAttribute("data-pinned");
      // Folded again for a phone, unless the page or the person had it open.
      if (details.hasAttribute("data-opened-for-wide")) { details.removeAttribute("data-opened-for-wide"); details.open = false; }
    }
  }

  function initOpenWide() {
    var folds = document.querySelectorAll("details[data-open-wide]");
    if (!folds.length || !window.matchMedia) { return; }
    var query = window.matchMedia(WIDE);
    function update() {
      Array.prototype.forEach.call(folds, function (details) { pinOpenWhileWide(details, query.matches); });
    }
    update();
    if (query.addEventListener) { query.addEventListener("change", update); }
    else if (query.addListener) { query.addListener(update); }
  }

  /* ---------- 6. A sub-navigation that scrolls sideways on a phone shows its current tab ---------- */
  function showCurrentTab(nav) {
    var current = nav.querySelector("[aria-current='page']");
    if (!current || nav.scrollWidth <= nav.clientWidth) { return; }
    nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress-url].job-queued, [data-progress-url].job-running"),
                                 followProgress);
    Array.prototype.forEach.call(document.querySelectorAll("fieldset.jurisdiction"), initJurisdiction);
    Array.prototype.forEach.call(document.querySelectorAll("input.copy-field"), initCopyField);
    document.addEventListener("submit", onSubmit);
    window.addEventListener("pageshow", clearBusy);
    markScrollableTables();
    initOpenWide();
    Array.prototype.forEach.call(document.querySelectorAll(".subnav"), showCurrentTab);
    // After a refused form the page opens at its top: bring the list of what to fix into view and to the
    // screen reader (a form far down the page used to show its errors 1,300 px below).
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(markScrollableTables, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
