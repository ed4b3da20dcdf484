/* Journey maps on a page: zoom buttons (the whole map, or its drawn size; remembered for the
   page while the browser tab lives) and stage names kept in view while a map scrolls
   sideways. Without this script the map still reads: it scrolls at its own scale. */
(function () {
  "use strict";
  var KEY = "journeys.zoom:";

  function remembered() {
    try { return window.sessionStorage.getItem(KEY + location.pathname); } catch (e) { return null; }
  }

  function remember(zoom) {
    try { window.sessionStorage.setItem(KEY + location.pathname, zoom); } catch (e) { /* private mode */ }
  }

  function setZoom(region, buttons, zoom) {
    if (zoom === "fit" || zoom === "actual") region.setAttribute("data-zoom", zoom);
    else region.removeAttribute("data-zoom");
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-zoom") === zoom));
    });
    followStages(region);
  }

  /* Each stage's name moves inside the part of its stage that is in view (in the drawing's
     own units; the gutter covers the region's inline start). */
  function followStages(region) {
    var svg = region.querySelector("svg.journey-map");
    var gutter = region.querySelector("svg.journey-map-gutter");
    if (!svg) return;
    var box = svg.getBoundingClientRect();
    var width = svg.viewBox.baseVal.width;
    if (!box.width || !width) return;
    var scale = box.width / width;
    var start = region.getBoundingClientRect().left + region.clientLeft;  /* inside the border */
    var shown = [start, start + region.clientWidth];
    if (gutter) {
      var covered = gutter.getBoundingClientRect();
      if (getComputedStyle(region).direction === "rtl") shown[1] = covered.left - 4;
      else shown[0] = covered.right + 4;
    }
    var left = (shown[0] - box.left) / scale;
    var right = (shown[1] - box.left) / scale;
    var boxes = svg.querySelectorAll(".jm-lanes > rect.jm-stage");
    var names = svg.querySelectorAll(".jm-lanes > text.jm-stage-name");
    for (var i = 0; i < names.length && i < boxes.length; i++) {
      var name = names[i];
      name.removeAttribute("transform");
      var start = boxes[i].x.baseVal.value;
      var end = start + boxes[i].width.baseVal.value;
      var text = name.getBBox();
      var half = text.width / 2;
      var middle = text.x + half;
      var from = Math.max(start, left) + half;
      var to = Math.min(end, right) - half;
      var wanted = from <= to ? Math.min(Math.max(middle, from), to)
        : Math.min(Math.max(middle, start + half), end - half);
      if (Math.abs(wanted - middle) > 0.5) {
        name.setAttribute("transform", "translate(" + (wanted - middle).toFixed(1) + " 0)");
      }
    }
  }

  function setUp(region) {
    if (region.hasAttribute("data-journeys-ready")) return;
    region.setAttribute("data-journeys-ready", "");
    var buttons = Array.prototype.slice.call(
      document.querySelectorAll('.journey-map-zoom button[aria-controls="' + region.id + '"]'));
    buttons.forEach(function (button) {
      button.parentNode.hidden = false;
      button.addEventListener("click", function () {
        var zoom = button.getAttribute("aria-pressed") === "true" ? "" : button.getAttribute("data-zoom");
        setZoom(region, buttons, zoom);
        remember(zoom);
      });
    });
    setZoom(region, buttons, remembered() || "");
    var pending = false;
    function later() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; followStages(region); });
    }
    region.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
  }

  function setUpAll() {
    document.querySelectorAll(".journey-map-region[id]").forEach(setUp);
  }

  /* Material's instant loading swaps pages without loading this script again. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
