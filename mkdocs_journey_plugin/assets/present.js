// A journey's presentation, one slide at a time: keys, buttons and swipes step through, the
// slide's number stays in the address (#2) so that a reload or a way back keeps the place, and
// Escape goes back to the journey's page. Right to left, ArrowLeft and a swipe to the right go
// forward. Without this script every slide shows, one under the other.
(function () {
  "use strict";
  var root = document.documentElement;
  var slides = Array.prototype.slice.call(document.querySelectorAll(".jp-slide"));
  var back = document.querySelector(".jp-back");
  var previous = document.querySelector(".jp-prev");
  var next = document.querySelector(".jp-next");
  var shown = document.querySelector(".jp-count-shown");
  var spoken = document.querySelector(".jp-count-spoken");
  if (!slides.length || !back || !previous || !next || !shown || !spoken) {
    return;
  }
  var rtl = root.dir === "rtl";
  var last = slides.length - 1;
  var current = 0;
  root.classList.add("jp-js");

  function fromAddress() {
    var number = /^#\d+$/.test(location.hash) ? parseInt(location.hash.slice(1), 10) : 1;
    return number >= 1 && number <= slides.length ? number - 1 : 0;
  }

  function show(index, remember) {
    current = Math.max(0, Math.min(last, index));
    slides.forEach(function (slide, i) {
      slide.classList.toggle("jp-current", i === current);
    });
    slides[current].scrollTop = 0;
    shown.textContent = (current + 1) + " / " + slides.length;
    spoken.textContent = spoken.getAttribute("data-template")
      .replace("{number}", String(current + 1)).replace("{total}", String(slides.length));
    previous.setAttribute("aria-disabled", String(current === 0));
    next.setAttribute("aria-disabled", String(current === last));
    if (remember && location.hash !== "#" + (current + 1)) {
      history.replaceState(null, "", "#" + (current + 1));
    }
  }

  function step(by) {
    show(current + by, true);
  }

  var keys = {
    ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, ArrowDown: 1, ArrowUp: -1,
    PageDown: 1, PageUp: -1, " ": 1
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var key = event.key;
    var onControl = event.target instanceof Element && event.target.closest("a, button");
    if (key === "Escape") {
      location.href = back.href;
    } else if (key === "Home") {
      show(0, true);
    } else if (key === "End") {
      show(last, true);
    } else if (Object.prototype.hasOwnProperty.call(keys, key)) {
      if (key === " " && onControl) {
        return;  // Space presses the focused button or follows the link
      }
      step(key === " " && event.shiftKey ? -1 : keys[key]);
    } else {
      return;
    }
    event.preventDefault();
  });

  previous.addEventListener("click", function () { step(-1); });
  next.addEventListener("click", function () { step(1); });
  window.addEventListener("hashchange", function () { show(fromAddress(), false); });

  // A swipe: a touch or a pen that moves mostly sideways, at least 50 pixels.
  var start = null;
  document.addEventListener("pointerdown", function (event) {
    start = event.pointerType === "mouse" || !event.isPrimary ? null
      : {id: event.pointerId, x: event.clientX, y: event.clientY};
  });
  document.addEventListener("pointercancel", function () { start = null; });
  document.addEventListener("pointerup", function (event) {
    if (!start || event.pointerId !== start.id) {
      return;
    }
    var dx = event.clientX - start.x;
    var dy = event.clientY - start.y;
    start = null;
    if (Math.abs(dx) >= 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) {
      step((dx < 0) !== rtl ? 1 : -1);
    }
  });

  show(fromAddress(), false);
}());
