/*
 * One pointer controller for every canvas view: hover, click, rectangle brush, lasso, wheel zoom and drag pan.
 * Pointer capture keeps a drag alive when it leaves the canvas; its end is clamped to the canvas, so a brush that
 * ends outside still selects up to the edge. The view supplies what a gesture means through callbacks:
 *   hit(x, y) -> item or -1, hover(item, ev), click(item, ev), brush(rect, ev), lasso(polygon, ev),
 *   zoomAt(factor, x, y), pan(dx, dy), gesture(shape or null) to draw the rectangle or lasso being dragged,
 *   and tool() -> 'brush' | 'lasso' | 'pan' (alt-drag always pans).
 * Coordinates are CSS pixels relative to the canvas.
 */
(function (root) {
  'use strict';
  var DRAG = 4;   // px a press may move and still be a click

  function attach(target, view) {
    var down = null;      // {x, y, mode, path: [...], last}
    function local(ev) {
      var r = target.getBoundingClientRect();
      return {x: ev.clientX - r.left, y: ev.clientY - r.top, w: r.width, h: r.height};
    }
    function clampTo(p) {
      return {x: Math.max(0, Math.min(p.w, p.x)), y: Math.max(0, Math.min(p.h, p.y))};
    }
    function isDrag(p) { return Math.abs(p.x - down.x) > DRAG || Math.abs(p.y - down.y) > DRAG; }
    function rect(a, b) {
      return {x0: Math.min(a.x, b.x), y0: Math.min(a.y, b.y), x1: Math.max(a.x, b.x), y1: Math.max(a.y, b.y)};
    }

    target.addEventListener('pointerdown', function (ev) {
      if (ev.button !== 0) { return; }
      var p = local(ev);
      var tool = ev.altKey ? 'pan' : (view.tool ? view.tool() : 'brush');
      down = {x: p.x, y: p.y, mode: tool, path: [{x: p.x, y: p.y}], last: p, moved: false};
      try { target.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic events have no capturable pointer */ }
      if (target.focus) { target.focus({preventScroll: true}); }
      ev.preventDefault();
    });

    target.addEventListener('pointermove', function (ev) {
      var t0 = performance.now();
      var p = local(ev);
      if (down) {
        if (!down.moved && !isDrag(p)) { return; }
        down.moved = true;
        view.hover(-1, ev);
        var c = clampTo(p);
        if (down.mode === 'pan') {
          if (view.pan) { view.pan(p.x - down.last.x, p.y - down.last.y); }
        } else if (down.mode === 'lasso') {
          down.path.push(c);
          view.gesture({lasso: down.path});
        } else {
          view.gesture({rect: rect(down, c)});
        }
        down.last = p;
        return;
      }
      view.hover(view.hit(p.x, p.y), ev, t0);
    });

    function finish(ev) {
      if (!down) { return; }
      var start = down;
      down = null;
      try { target.releasePointerCapture(ev.pointerId); } catch (e) { /* not captured */ }
      var p = local(ev);
      view.gesture(null);
      if (start.moved || isDragFrom(start, p)) {
        if (start.mode === 'pan') { return; }
        var c = clampTo(p);
        if (start.mode === 'lasso') {
          start.path.push(c);
          if (start.path.length >= 3) { view.lasso(start.path, ev); }
          return;
        }
        view.brush(rect(start, c), ev);
        return;
      }
      view.click(view.hit(p.x, p.y), ev);
    }
    function isDragFrom(start, p) { return Math.abs(p.x - start.x) > DRAG || Math.abs(p.y - start.y) > DRAG; }
    target.addEventListener('pointerup', finish);
    target.addEventListener('pointercancel', function () { down = null; view.gesture(null); });
    target.addEventListener('pointerleave', function (ev) { if (!down) { view.hover(-1, ev); } });
    target.addEventListener('wheel', function (ev) {
      if (!view.zoomAt) { return; }
      var p = local(ev);
      ev.preventDefault();
      view.zoomAt(Math.exp(-ev.deltaY * 0.0015), p.x, p.y);
    }, {passive: false});
  }

  /** Whether (x, y) lies inside the polygon (even-odd rule). */
  function insidePolygon(poly, x, y) {
    var inside = false;
    for (var a = 0, b = poly.length - 1; a < poly.length; b = a++) {
      var xa = poly[a].x;
      var ya = poly[a].y;
      var xb = poly[b].x;
      var yb = poly[b].y;
      if ((ya > y) !== (yb > y) && x < (xb - xa) * (y - ya) / (yb - ya) + xa) { inside = !inside; }
    }
    return inside;
  }

  var api = {attach: attach, insidePolygon: insidePolygon};
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.HavPointer = api;
  }
})(typeof self !== 'undefined' ? self : this);
