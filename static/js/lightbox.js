/* CNNT tiêu biểu — product photos in a lightbox: the full photo fitted to the screen, its caption and "n / N",
   previous / next (buttons, arrow keys, a swipe), zoom (button, double click or double tap, pinch, + and -) with
   panning, Escape or "Đóng" to close and go back to the thumbnail.
   Progressive enhancement only: a gallery is a list of links to the full photos (<ul data-lightbox>), which
   still open without this file. The dialog and its words are in templates/base.html (#lightbox), so that they
   are translated with the page. The <dialog> is modal: the page behind it is inert, focus stays inside.
   Loaded by templates/base.html; no inline code or styles in markup (strict CSP: only the image's transform
   is set, through the CSSOM). */
(function () {
  "use strict";

  var SWIPE_PX = 50;        // a horizontal move longer than this, at 1×, goes to the next or previous photo
  var DOUBLE_TAP_MS = 300;  // two taps closer than this in time (and ~30 px in space) zoom
  var ZOOM_STEP = 2;
  var MAX_ZOOM = 4;

  function init() {
    var dialog = document.getElementById("lightbox");
    if (!dialog || typeof dialog.showModal !== "function" || !document.querySelector("[data-lightbox]")) { return; }
    var stage = dialog.querySelector(".lightbox-stage");
    var image = dialog.querySelector(".lightbox-image");
    var caption = dialog.querySelector(".lightbox-caption");
    var counter = dialog.querySelector(".lightbox-count");
    var previousButton = dialog.querySelector("[data-lightbox-previous]");
    var nextButton = dialog.querySelector("[data-lightbox-next]");
    var zoomButton = dialog.querySelector("[data-lightbox-zoom]");
    var closeButton = dialog.querySelector("[data-lightbox-close]");
    var counterText = dialog.getAttribute("data-counter") || "__N__ / __TOTAL__";

    var links = [];
    var index = 0;
    var opener = null;
    var scale = 1;
    var shiftX = 0;
    var shiftY = 0;
    var pointers = {};      // pointerId → {x, y}: the fingers (or the mouse) on the photo
    var gesture = null;     // {kind: "drag" | "pinch", ...}
    var lastTap = null;     // {time, x, y} of the last tap, for a double tap
    var lastPointerType = "mouse";

    // Each thumbnail says what a click does; without this file its link opens the photo in a new tab.
    Array.prototype.forEach.call(document.querySelectorAll("[data-lightbox] a[href]"), function (link) {
      link.setAttribute("aria-haspopup", "dialog");
      Array.prototype.forEach.call(link.querySelectorAll(".lightbox-new-tab"), function (note) { note.hidden = true; });
    });

    /* ---------- showing a photo ---------- */
    function captionOf(link) {
      var img = link.querySelector("img");
      return link.getAttribute("data-caption") || (img && img.getAttribute("alt")) || link.textContent.trim();
    }

    function show(newIndex) {
      index = (newIndex + links.length) % links.length;
      var link = links[index];
      resetZoom();
      var text = captionOf(link);
      image.alt = text;
      image.src = link.href;
      caption.textContent = text;
      counter.textContent = counterText.replace("__N__", String(index + 1)).replace("__TOTAL__", String(links.length));
      var alone = links.length < 2;
      previousButton.hidden = alone;
      nextButton.hidden = alone;
    }

    function open(gallery, link) {
      links = Array.prototype.slice.call(gallery.querySelectorAll("a[href]"));
      opener = link;
      show(links.indexOf(link));
      dialog.showModal();
      closeButton.focus();  // not "autofocus" in the markup: the closed dialog would hold the page's autofocus
    }

    function close() {
      if (dialog.open) { dialog.close(); }
    }

    dialog.addEventListener("close", function () {
      resetZoom();
      image.removeAttribute("src");
      pointers = {};
      gesture = null;
      if (opener && document.contains(opener)) { opener.focus(); }
      opener = null;
    });

    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("[data-lightbox] a[href]") : null;
      // Ctrl, Cmd, Shift or a middle click still open the photo in a tab of its own.
      if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
      event.preventDefault();
      open(link.closest("[data-lightbox]"), link);
    });

    previousButton.addEventListener("click", function () { show(index - 1); });
    nextButton.addEventListener("click", function () { show(index + 1); });
    zoomButton.addEventListener("click", function () { zoomTo(scale > 1 ? 1 : ZOOM_STEP, 0, 0); });
    closeButton.addEventListener("click", close);

    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Tab") { keepFocusInside(event); return; }
      var keys = {
        ArrowLeft: function () { show(index - 1); },
        ArrowRight: function () { show(index + 1); },
        "+": function () { zoomTo(scale * ZOOM_STEP, 0, 0); },
        "=": function () { zoomTo(scale * ZOOM_STEP, 0, 0); },
        "-": function () { zoomTo(scale / ZOOM_STEP, 0, 0); }
      };
      if (!keys.hasOwnProperty(event.key) || event.altKey || event.ctrlKey || event.metaKey) { return; }
      event.preventDefault();
      keys[event.key]();
    });

    /* A modal <dialog> makes the page behind inert, but Tab after its last button leaves for the browser's own
       controls; round it back to the first (and Shift+Tab from the first to the last). */
    function keepFocusInside(event) {
      var buttons = Array.prototype.filter.call(dialog.querySelectorAll("button"), function (button) { return !button.hidden; });
      if (!buttons.length) { return; }
      var first = buttons[0];
      var last = buttons[buttons.length - 1];
      var inside = dialog.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    }

    /* ---------- zoom and panning ---------- */
    function apply() {
      image.style.transform = scale === 1 ? "" : "translate(" + shiftX + "px, " + shiftY + "px) scale(" + scale + ")";
      dialog.classList.toggle("is-zoomed", scale > 1);
      zoomButton.setAttribute("aria-pressed", scale > 1 ? "true" : "false");
    }

    function clampShift() {
      // The photo may move until its edge meets the screen's edge, no further.
      var limitX = Math.max(0, (image.offsetWidth * scale - stage.clientWidth) / 2);
      var limitY = Math.max(0, (image.offsetHeight * scale - stage.clientHeight) / 2);
      shiftX = Math.min(limitX, Math.max(-limitX, shiftX));
      shiftY = Math.min(limitY, Math.max(-limitY, shiftY));
    }

    /* Zoom to ``target`` keeping the point (x, y), measured from the stage's centre, where it is on screen. */
    function zoomTo(target, x, y) {
      target = Math.min(MAX_ZOOM, Math.max(1, target));
      if (target < 1.05) { target = 1; }
      shiftX = x - (x - shiftX) * (target / scale);
      shiftY = y - (y - shiftY) * (target / scale);
      scale = target;
      if (scale === 1) { shiftX = 0; shiftY = 0; }
      clampShift();
      apply();
    }

    function resetZoom() {
      scale = 1;
      shiftX = 0;
      shiftY = 0;
      apply();
    }

    function fromCentre(clientX, clientY) {
      var box = stage.getBoundingClientRect();
      return { x: clientX - (box.left + box.width / 2), y: clientY - (box.top + box.height / 2) };
    }

    function pointerList() {
      return Object.keys(pointers).map(function (id) { return pointers[id]; });
    }

    /* A fresh touch may be a tap; a finger left over from a pinch is only a drag. */
    function startGesture(continued) {
      var fingers = pointerList();
      if (fingers.length >= 2) {
        var a = fingers[0];
        var b = fingers[1];
        gesture = { kind: "pinch", distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, scale: scale };
      } else if (fingers.length === 1) {
        gesture = { kind: "drag", x: fingers[0].x, y: fingers[0].y, shiftX: shiftX, shiftY: shiftY,
                    time: Date.now(), zoomed: scale > 1, moved: 0, tappable: !continued };
      } else {
        gesture = null;
      }
    }

    stage.addEventListener("pointerdown", function (event) {
      if (event.button > 0) { return; }
      lastPointerType = event.pointerType || "mouse";
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      try { stage.setPointerCapture(event.pointerId); } catch (error) { /* a pointer the browser no longer knows */ }
      startGesture(false);
      event.preventDefault();  // no text selection or image drag while moving the photo
    });

    stage.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId] || !gesture) { return; }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var fingers = pointerList();
      if (gesture.kind === "pinch" && fingers.length >= 2) {
        var distance = Math.hypot(fingers[0].x - fingers[1].x, fingers[0].y - fingers[1].y);
        var middle = fromCentre((fingers[0].x + fingers[1].x) / 2, (fingers[0].y + fingers[1].y) / 2);
        zoomTo(gesture.scale * distance / gesture.distance, middle.x, middle.y);
      } else if (gesture.kind === "drag") {
        var dx = event.clientX - gesture.x;
        var dy = event.clientY - gesture.y;
        gesture.moved = Math.max(gesture.moved, Math.hypot(dx, dy));
        if (scale > 1) {
          shiftX = gesture.shiftX + dx;
          shiftY = gesture.shiftY + dy;
          clampShift();
          apply();
        }
      }
    });

    function pointerEnded(event) {
      if (!pointers[event.pointerId]) { return; }
      delete pointers[event.pointerId];
      var ended = gesture;
      if (ended && ended.kind === "drag" && event.type === "pointerup") {
        var dx = event.clientX - ended.x;
        var dy = event.clientY - ended.y;
        if (!ended.zoomed && Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(dy) * 1.5) {
          show(index + (dx < 0 ? 1 : -1));  // the photo follows the finger: a swipe to the left brings the next one
        } else if (ended.tappable && ended.moved < 10 && Date.now() - ended.time < DOUBLE_TAP_MS && event.pointerType !== "mouse") {
          tapped(event);
        }
      }
      startGesture(true);  // a pinch that loses one finger goes on as a drag of the other
    }

    function tapped(event) {
      var now = Date.now();
      if (lastTap && now - lastTap.time < DOUBLE_TAP_MS && Math.hypot(event.clientX - lastTap.x, event.clientY - lastTap.y) < 30) {
        lastTap = null;
        toggleZoomAt(event.clientX, event.clientY);
      } else {
        lastTap = { time: now, x: event.clientX, y: event.clientY };
      }
    }

    function toggleZoomAt(clientX, clientY) {
      var point = fromCentre(clientX, clientY);
      zoomTo(scale > 1 ? 1 : ZOOM_STEP, point.x, point.y);
    }

    stage.addEventListener("pointerup", pointerEnded);
    stage.addEventListener("pointercancel", pointerEnded);
    stage.addEventListener("dblclick", function (event) {
      if (lastPointerType !== "mouse") { return; }  // a double tap was handled as it ended
      event.preventDefault();
      toggleZoomAt(event.clientX, event.clientY);
    });
    stage.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && scale === 1) { return; }  // a plain wheel turn at 1× does nothing
      event.preventDefault();
      var point = fromCentre(event.clientX, event.clientY);
      zoomTo(scale * (event.deltaY < 0 ? 1.25 : 0.8), point.x, point.y);
    }, { passive: false });
    window.addEventListener("resize", function () {
      if (dialog.open) { clampShift(); apply(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
