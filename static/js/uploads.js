/* CNNT tiêu biểu — several photos at once (form[data-multi-upload]): progressive enhancement only.
   Without this file the form sends one photo and the page reloads. With it the input takes several files
   (from the camera or the gallery); each is made smaller in the browser when it is over 2,500 px on its long
   side or 4 MB, then sent in a request of its own with its own progress and its own answer; the photos and the
   dossier's checklist are refreshed in place, so the page does not jump. The server checks every file as before. */
(function () {
  "use strict";

  var MAX_SIDE = 2500;
  var MAX_BYTES = 4 * 1024 * 1024;

  function text(form, name) { return form.getAttribute("data-" + name) || ""; }

  // A photo over the limits, drawn again smaller as a JPEG (white under any transparency); the file itself when
  // it is within them, or when the browser cannot read it (the server then says what is wrong with it).
  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) { return Promise.resolve(file); }
    return window.createImageBitmap(file).then(function (bitmap) {
      var side = Math.max(bitmap.width, bitmap.height);
      if (side <= MAX_SIDE && file.size <= MAX_BYTES) { return file; }
      var scale = Math.min(1, MAX_SIDE / side);
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }));
        }, "image/jpeg", 0.88);
      });
    }).catch(function () { return file; });
  }

  function row(list, name) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    label.className = "upload-name";
    label.textContent = name;
    var bar = document.createElement("progress");
    bar.max = 1;
    bar.value = 0;
    var status = document.createElement("span");
    status.className = "upload-status";
    item.appendChild(label);
    item.appendChild(bar);
    item.appendChild(status);
    list.appendChild(item);
    return { item: item, bar: bar, status: status };
  }

  function send(form, file, shown) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
      data.append("file", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Requested-With", "fetch");
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { shown.bar.value = event.loaded / event.total; }
      });
      request.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
        var ok = request.status === 200 && answer && answer.ok;
        var said = answer && answer.messages && answer.messages.join(" ");
        shown.bar.value = 1;
        shown.item.className = ok ? "upload-ok" : "upload-failed";
        shown.status.textContent = said || text(form, ok ? "done" : (request.status === 413 ? "too-large" : "failed"));
        resolve(ok);
      });
      request.addEventListener("error", function () {
        shown.item.className = "upload-failed";
        shown.status.textContent = text(form, "offline");
        resolve(false);
      });
      request.send(data);
    });
  }

  // The photos, their count and the dossier's checklist as the server now lists them, put in place.
  function refresh() {
    return window.fetch(window.location.pathname, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html) { return; }
      var fresh = new DOMParser().parseFromString(html, "text/html");
      ["#photos .gallery", "#photos-heading", "#checklist"].forEach(function (selector) {
        var now = document.querySelector(selector);
        var then = fresh.querySelector(selector);
        if (now && then) { now.replaceWith(document.importNode(then, true)); }
      });
    }).catch(function () { /* the next page load shows them */ });
  }

  function init(form) {
    var input = form.querySelector("input[type=file]");
    if (!input || !window.FormData || !window.XMLHttpRequest || !window.Promise) { return; }
    input.multiple = true;
    var list = document.createElement("ul");
    list.className = "upload-list";
    list.setAttribute("aria-live", "polite");
    form.parentNode.insertBefore(list, form.nextSibling);
    var busy = false;

    function upload() {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length || busy) { return; }
      busy = true;
      list.innerHTML = "";
      var rows = files.map(function (file) { return row(list, file.name); });
      // One after another: a phone on a rural line sends one photo at its full speed, in the order chosen.
      files.reduce(function (previous, file, index) {
        return previous.then(function (sentAny) {
          rows[index].status.textContent = text(form, "sending");
          return shrink(file).then(function (ready) { return send(form, ready, rows[index]); })
            .then(function (ok) { return sentAny || ok; });
        });
      }, Promise.resolve(false)).then(function (sentAny) {
        input.value = "";
        busy = false;
        return sentAny ? refresh() : null;
      });
    }

    input.addEventListener("change", upload);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      event.stopPropagation();  // app.js's single-file checks are for the form without this script
      upload();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-multi-upload]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
