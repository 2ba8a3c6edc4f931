/*
 * An observation view: one sequence of projections (through the layers or through training), its points animated
 * from step to step, the selection's trails, a strip of small multiples, zoom, pan and keyboard focus. Four
 * stacked canvases, so that each redraws only when what it shows changed: every visible point, the trails with
 * the veil that lightens unselected points (fixed positions: not redrawn while the points move), the selected
 * points, and the overlay (hover, focus, gestures).
 */
var STRIP = 92;          // CSS pixels of a small multiple

function decodePositions(q) {
  var out = new Float32Array(q.length);
  for (var k = 0; k < q.length; k++) { out[k] = q[k] / GRID; }
  return out;
}

function Panel(seq, size) {
  var self = this;
  this.seq = seq;
  this.id = seq.id;
  this.steps = seq.steps;
  this.snapshots = seq.positions.map(decodePositions);
  this.t = this.steps.length - 1;
  this.pos = new Float32Array(this.snapshots[this.t]);
  this.animating = false;
  this.framesDrawn = 0;
  this.playing = false;
  this.hovered = -1;
  this.focus = -1;
  this.size = size;
  this.zoom = {k: 1, tx: 0, ty: 0};
  this.looks = [];
  this.stampCache = [];
  this.stampRadius = 0;
  this.trailsKey = '';
  this.stripsKey = '';
  this.bundle = true;

  this.base = canvas(size, size, 'hx-points');
  this.trails = canvas(size, size, 'hx-trails');
  this.top = canvas(size, size, 'hx-selected');
  this.overlay = canvas(size, size, 'hx-overlay');
  this.overlay.setAttribute('data-panel', seq.id);
  this.overlay.setAttribute('tabindex', '0');
  this.overlay.setAttribute('role', 'application');
  this.overlay.setAttribute('aria-label', seq.title + ': hover a point to see its image, click to select it and draw'
    + ' its trail, drag to select a region (or lasso, or pan: see the drag menu), wheel to zoom. Keyboard: arrows move'
    + ' between points, Enter selects (shift adds), + and - zoom, 0 resets, Esc clears.');
  this.wrap = el('div', {className: 'hx-canvas-wrap'}, [this.base, this.trails, this.top, this.overlay]);
  this.slider = el('input', {type: 'range', min: '0', max: String(this.steps.length - 1), step: '1',
    value: String(this.t), id: 'slider-' + seq.id, 'aria-label': 'step of ' + seq.title});
  this.label = el('span', {className: 'hx-step-label', id: 'step-label-' + seq.id});
  this.play = el('button', {type: 'button', id: 'play-' + seq.id, text: '▶ play'});
  var resetZoom = el('button', {type: 'button', id: 'zoom-reset-' + seq.id, text: 'reset zoom'});
  resetZoom.addEventListener('click', function () { self.setZoom(1, 0, 0); });
  this.stepper = el('div', {className: 'hx-stepper'}, [this.play, this.slider, this.label, resetZoom]);
  if (this.steps.length < 2) { this.play.hidden = true; this.slider.hidden = true; }
  this.notice = el('p', {className: 'hx-notice', id: 'trail-notice-' + seq.id});
  this.notice.hidden = true;
  this.strip = el('div', {className: 'hx-strip'});
  this.stripCanvases = this.steps.map(function (s, t) {
    var c = canvas(STRIP, STRIP);
    var item = el('button', {type: 'button', className: 'hx-strip-item', title: s.label, 'data-step': String(t),
      'aria-label': 'show ' + s.label}, [c, el('span', {text: s.label})]);
    item.addEventListener('click', function () { self.goTo(t); });
    self.strip.appendChild(item);
    return c;
  });
  if (this.steps.length < 2) { this.strip.style.display = 'none'; }
  this.title = el('h3', {text: seq.title + ' — ' + seq.alignment + ' alignment'});
  this.element = el('div', {className: 'hx-panel', id: 'panel-' + seq.id}, [this.title, this.wrap, this.stepper, this.notice, this.strip]);

  this.slider.addEventListener('input', function () { self.goTo(parseInt(self.slider.value, 10)); });
  this.play.addEventListener('click', function () { self.togglePlay(); });
  HavPointer.attach(this.overlay, this);
  this.overlay.addEventListener('keydown', function (ev) { self.key(ev); });
  this.overlay.addEventListener('blur', function () { self.focus = -1; self.drawOverlay(); hideCard(); });
  this.resize(size);
  this.updateLabel();
}

var METHOD_NAMES = {tsne: 't-SNE', umap: 'UMAP', pca: 'PCA'};
function methodName(m) { return METHOD_NAMES[m] || String(m); }

/**
 * The same sequence projected by other methods (data.js holds one entry per method under the same id): a menu
 * switches the view between them, keeping its step, zoom and selection.
 */
Panel.prototype.offerMethods = function (seqs) {
  var self = this;
  this.methods = seqs.filter(function (q) { return q.steps.length === self.steps.length; });
  if (this.methods.length < 2) { return; }
  this.methodSelect = el('select', {id: 'method-' + this.id, 'aria-label': 'projection method of ' + this.seq.title});
  this.methods.forEach(function (q) { self.methodSelect.appendChild(el('option', {value: q.method, text: methodName(q.method)})); });
  this.methodSelect.value = this.seq.method;
  this.methodSelect.addEventListener('change', function () {
    if (self.setMethod(self.methodSelect.value)) { stateChanged('method'); }
  });
  this.element.insertBefore(el('label', {className: 'hx-method'}, [el('b', {text: 'Projection: '}), this.methodSelect]), this.wrap);
  this.updateTitle();
};

Panel.prototype.updateTitle = function () {
  this.title.textContent = this.seq.title + ' — ' + (this.seq.method ? methodName(this.seq.method) + ', ' : '')
    + this.seq.alignment + ' alignment';
};

/** Shows the sequence of method m (one of this.methods) at the current step; false when there is none or it is shown. */
Panel.prototype.setMethod = function (m) {
  var seq = (this.methods || []).filter(function (q) { return q.method === m; })[0];
  if (!seq || seq === this.seq) { return false; }
  this.seq = seq;
  this.steps = seq.steps;
  this.snapshots = seq.positions.map(decodePositions);
  this.animation = null;
  this.animating = false;
  this.pos = new Float32Array(this.snapshots[this.t]);
  this.looks = [];
  this.baseKey = '';
  this.trailsKey = '';
  this.stripsKey = '';
  this.stripBase = [];
  this.stripBaseKey = '';
  state.methods[this.id] = seq === this.methods[0] ? undefined : m;
  this.methodSelect.value = m;
  this.updateTitle();
  this.render();
  return true;
};

Panel.prototype.checkpointOf = function (t) {
  var s = this.steps[t];
  return s.checkpoint === null || s.checkpoint === undefined ? lastCheckpoint : s.checkpoint;
};

Panel.prototype.checkpoint = function () { return this.checkpointOf(this.t); };

Panel.prototype.updateLabel = function () {
  var s = this.steps[this.t];
  this.label.textContent = s.label + (this.steps.length > 1 ? ' (' + (this.t + 1) + '/' + this.steps.length + ')' : '');
  var items = this.strip.children;
  for (var k = 0; k < items.length; k++) {
    items[k].classList.toggle('current', k === this.t);
    items[k].setAttribute('aria-pressed', k === this.t ? 'true' : 'false');
  }
};

Panel.prototype.sx = function (u) { return this.zoom.tx + this.zoom.k * (MARGIN + u * (this.size - 2 * MARGIN)); };
Panel.prototype.sy = function (v) { return this.zoom.ty + this.zoom.k * (MARGIN + (1 - v) * (this.size - 2 * MARGIN)); };

/** Panels scale with the window: new canvas sizes, the zoom kept relative to the panel. */
Panel.prototype.resize = function (size) {
  var f = size / this.size;
  this.zoom.tx *= f;
  this.zoom.ty *= f;
  this.size = size;
  [this.base, this.trails, this.top, this.overlay].forEach(function (c) { sizeCanvas(c, size, size); });
  this.wrap.style.width = size + 'px';
  this.wrap.style.height = size + 'px';
  this.stepper.style.width = size + 'px';
  this.strip.style.width = (size + 4) + 'px';
  this.trailsKey = '';
  this.baseKey = '';
  this.render();
};

/** Zoom factor k (1..40) with the frame shifted by (tx, ty), kept so that the plot still covers the canvas. */
Panel.prototype.setZoom = function (k, tx, ty) {
  k = S.clamp(k, 1, 40);
  var span = this.size * (k - 1);
  this.zoom = {k: k, tx: S.clamp(tx, -span, 0), ty: S.clamp(ty, -span, 0)};
  this.render();
};

Panel.prototype.zoomAt = function (factor, x, y) {
  var k = S.clamp(this.zoom.k * factor, 1, 40);
  var f = k / this.zoom.k;
  this.setZoom(k, x - (x - this.zoom.tx) * f, y - (y - this.zoom.ty) * f);
};

/** Moves the points from where they are to step t, animated (motion is what the alignment makes meaningful). */
Panel.prototype.goTo = function (t, instant) {
  var self = this;
  t = S.clamp(Math.round(t), 0, this.steps.length - 1);
  var from = new Float32Array(this.pos);
  var to = this.snapshots[t];
  this.t = t;
  state.steps[this.id] = t;
  this.slider.value = String(t);
  this.updateLabel();
  stateChanged('step');
  var start = performance.now();
  var token = {};
  this.animation = token;
  if (instant) {
    this.pos.set(to);
    this.animating = false;
    this.render();
    return;
  }
  this.animating = true;
  animate(function (now) {
    if (self.animation !== token) { return false; }
    var e = S.ease(S.progress(now, start, ANIMATION_MS));
    for (var k = 0; k < to.length; k++) { self.pos[k] = from[k] + (to[k] - from[k]) * e; }
    self.framesDrawn++;
    self.drawPoints();
    self.drawOverlay();
    if (e < 1) { return true; }
    self.animating = false;
    self.render();
    return false;
  });
};

/** Play steps through the sequence on the shared animation loop: move, dwell, move on. */
Panel.prototype.togglePlay = function () {
  var self = this;
  if (this.playing) {
    this.playing = false;
    this.play.textContent = '▶ play';
    return;
  }
  this.playing = true;
  this.play.textContent = '❚❚ pause';
  var next = 0;
  animate(function (now) {
    if (!self.playing) { return false; }
    if (self.animating) { next = now + PLAY_DWELL_MS; return true; }
    if (now >= next) {
      self.goTo(self.t >= self.steps.length - 1 ? 0 : self.t + 1);
      next = Infinity;
    }
    return true;
  });
};

/** Per checkpoint: each observation's colour key and whether it passes the filters, kept until they change. */
Panel.prototype.lookFor = function (cp) {
  var look = this.looks[cp];
  if (look && look.colour === state.version.colour && look.filter === state.version.filter) { return look; }
  var keys = new Int16Array(N);
  var wrong = new Uint8Array(N);
  var kinds = new Uint8Array(N);
  for (var i = 0; i < N; i++) {
    keys[i] = S.colourKey(state, i, cp);
    wrong[i] = predicted[cp][i] !== targets[i] ? 1 : 0;
    kinds[i] = kindOf(i, cp, wrong[i]);
  }
  look = this.looks[cp] = {colour: state.version.colour, filter: state.version.filter, keys: keys, wrong: wrong, kinds: kinds,
    mask: S.visibleMask(state, cp)};
  return look;
};

Panel.prototype.radius = function () { return (N > 5000 ? 1.6 : 2.4) * Math.min(2.5, Math.sqrt(this.zoom.k)); };

/** The stamp of a selected point: its look, ringed in black (few points: copied with drawImage). */
Panel.prototype.stampOf = function (key, kind, r) {
  if (this.stampRadius !== r) { this.stampRadius = r; this.stampCache = []; }   // one radius at a time
  var id = key * KINDS.length + kind;
  return this.stampCache[id] || (this.stampCache[id] = stamp(keyColour(key), r + 1.6, KINDS[kind], '#000'));
};

/**
 * The coverage (0..1 per device pixel) of a point's shape, from the browser's own antialiased drawing of it: the
 * base layer blends these masks into one image itself, which is many times cheaper than one drawImage per point.
 */
function maskOf(r, kind) {
  var key = r + '|' + kind;
  var m = maskOf.cache[key];
  if (m) { return m; }
  var s = stamp('#ffffff', r, kind, '');
  var side = s.canvas.width;
  var a = s.canvas.getContext('2d').getImageData(0, 0, side, side).data;
  // cropped to the pixels the shape covers (the stamp has room for an outline)
  var lo = side;
  var hi = -1;
  for (var k = 0; k < side * side; k++) {
    if (a[4 * k + 3] > 0) { lo = Math.min(lo, k % side, Math.floor(k / side)); hi = Math.max(hi, k % side, Math.floor(k / side)); }
  }
  if (hi < lo) { lo = hi = 0; }
  var n = hi - lo + 1;
  var cov = new Float32Array(n * n);
  for (var y = 0; y < n; y++) {
    for (var x = 0; x < n; x++) { cov[y * n + x] = a[4 * ((y + lo) * side + x + lo) + 3] / 255; }
  }
  m = maskOf.cache[key] = {side: n, half: s.half * DPR - lo, cov: cov};
  return m;
}
maskOf.cache = {};

/** Blends colour rgb through a mask centred at device pixel (cx, cy) into straight-alpha RGBA pixels of width w. */
function blend(px, w, h, m, cx, cy, rgb) {
  var x0 = Math.round(cx - m.half);
  var y0 = Math.round(cy - m.half);
  var side = m.side;
  var cov = m.cov;
  for (var y = 0; y < side; y++) {
    var yy = y0 + y;
    if (yy < 0 || yy >= h) { continue; }
    for (var x = 0; x < side; x++) {
      var a = cov[y * side + x];
      var xx = x0 + x;
      if (a <= 0 || xx < 0 || xx >= w) { continue; }
      var o = 4 * (yy * w + xx);
      var da = px[o + 3] / 255;
      var outA = a + da * (1 - a);
      var keep = da * (1 - a) / outA;
      var put = a / outA;
      px[o] = rgb[0] * put + px[o] * keep;
      px[o + 1] = rgb[1] * put + px[o + 1] * keep;
      px[o + 2] = rgb[2] * put + px[o + 2] * keep;
      px[o + 3] = outA * 255;
    }
  }
}

var rgbOfKey = {};
function keyRgb(key) {
  var colour = keyColour(key);
  return rgbOfKey[colour] || (rgbOfKey[colour] = hexToRgb(colour));
}

/**
 * Every visible point in its full colour on the base canvas. The selection does not change it: while something
 * is selected, a white veil on the trails canvas above lightens the unselected points (same hue, lighter).
 */
Panel.prototype.drawBase = function () {
  var size = this.size;
  var W = Math.round(size * DPR);
  var g = this.base.getContext('2d');
  if (!this.baseImage || this.baseImage.width !== W) { this.baseImage = g.createImageData(W, W); }
  var px = this.baseImage.data;
  px.fill(0);
  var look = this.lookFor(this.checkpoint());
  var r = this.radius();
  var masks = KINDS.map(function (k) { return maskOf(r, k); });
  var pos = this.pos;
  var drawn = 0;
  for (var i = 0; i < N; i++) {
    if (!look.mask[i]) { continue; }
    drawn++;
    var x = this.sx(pos[2 * i]) * DPR;
    var y = this.sy(pos[2 * i + 1]) * DPR;
    if (x < -20 || y < -20 || x > W + 20 || y > W + 20) { continue; }
    blend(px, W, W, masks[look.kinds[i]], x, y, keyRgb(look.keys[i]));
  }
  g.putImageData(this.baseImage, 0, 0);
  this.visibleCount = drawn;
};

/** The selected points, ringed in black, on the top canvas. */
Panel.prototype.drawSelected = function () {
  var size = this.size;
  var look = this.lookFor(this.checkpoint());
  var r = this.radius();
  var t = this.top.getContext('2d');
  t.clearRect(0, 0, size, size);
  var selectedDrawn = 0;
  var list = state.selectedList;
  var pos = this.pos;
  for (var k = 0; k < list.length; k++) {
    var j = list[k];
    if (!look.mask[j]) { continue; }
    selectedDrawn++;
    var s2 = this.stampOf(look.keys[j], look.kinds[j], r);
    t.drawImage(s2.canvas, this.sx(pos[2 * j]) - s2.half, this.sy(pos[2 * j + 1]) - s2.half, 2 * s2.half, 2 * s2.half);
  }
  this.stats({points: this.visibleCount, selected: selectedDrawn});
};

/** Both point layers (while the points move). */
Panel.prototype.drawPoints = function () {
  this.drawBase();
  this.drawSelected();
};

Panel.prototype.stats = function (part) {
  var st = state.stats[this.id] || (state.stats[this.id] = {});
  Object.keys(part).forEach(function (k) { st[k] = part[k]; });
  st.step = this.t;
  st.frames = this.framesDrawn;
};

/**
 * Each selected observation's path through every step, as the trail figures draw them: dark at the first step,
 * the class's full colour at the last; bundled per colour (the inner vertices pulled towards the group's mean
 * path); evenly thinned beyond api.maxTrails, and the notice under the view says so.
 */
Panel.prototype.drawTrails = function () {
  var size = this.size;
  var g = this.trails.getContext('2d');
  g.clearRect(0, 0, size, size);
  if (state.selectedCount > 0) {
    // the veil that lightens the unselected points: white at 60 %, the same as mixing their colour with white
    g.fillStyle = 'rgba(255, 255, 255, 0.6)';
    g.fillRect(0, 0, size, size);
  }
  var T = this.snapshots.length;
  var cp = this.checkpoint();
  var look = this.lookFor(cp);
  var shown = [];
  state.selectedList.forEach(function (i) { if (look.mask[i]) { shown.push(i); } });
  var list = shown;
  var most = api.maxTrails;
  if (shown.length > most) {
    list = [];
    for (var q = 0; q < most; q++) { list.push(shown[Math.floor(q * shown.length / most)]); }
  }
  this.notice.hidden = !(T >= 2 && shown.length > most);
  this.notice.textContent = this.notice.hidden ? '' : 'Trails thinned: ' + list.length + ' of the ' + shown.length
    + ' selected observations drawn (evenly sampled); every selected point is still shown.';
  if (T < 2 || list.length === 0) { this.stats({trails: 0, trailsSelected: shown.length}); return; }
  var self = this;
  // group by colour, and the group's mean path (the bundle's spine)
  var groups = {};
  list.forEach(function (i) { var key = look.keys[i]; (groups[key] || (groups[key] = [])).push(i); });
  var beta = this.bundle ? 0.65 : 0;
  Object.keys(groups).forEach(function (key) {
    var members = groups[key];
    var mean = new Float32Array(2 * T);
    members.forEach(function (i) {
      for (var t = 0; t < T; t++) { mean[2 * t] += self.snapshots[t][2 * i]; mean[2 * t + 1] += self.snapshots[t][2 * i + 1]; }
    });
    for (var m = 0; m < 2 * T; m++) { mean[m] /= members.length; }
    var pull = members.length > 1 ? beta : 0;
    function at(i, t) {
      var w = pull * Math.sin(Math.PI * t / (T - 1));   // the ends stay where the projections put them
      var s = self.snapshots[t];
      return [self.sx(s[2 * i] + (mean[2 * t] - s[2 * i]) * w), self.sy(s[2 * i + 1] + (mean[2 * t + 1] - s[2 * i + 1]) * w)];
    }
    var colour = keyColour(+key);
    for (var t = 0; t + 1 < T; t++) {
      var depth = t / Math.max(1, T - 2);
      g.beginPath();
      members.forEach(function (i) {
        var a = at(i, t);
        var b = at(i, t + 1);
        g.moveTo(a[0], a[1]);
        g.lineTo(b[0], b[1]);
      });
      g.strokeStyle = darker(colour, 0.7 * (1 - depth));
      g.lineWidth = 1.2 + 1.2 * depth;
      g.globalAlpha = list.length > 50 ? 0.55 : 0.9;
      g.stroke();
    }
    g.globalAlpha = 1;
    // the vertices: the first white (where the sequence starts), then growing and brightening with depth; with
    // many trails only the first and the last (the inner ones would hide the paths)
    for (var t2 = 0; t2 < T; t2++) {
      if (list.length > 100 && t2 > 0 && t2 < T - 1) { continue; }
      g.beginPath();
      var rr = 1.4 + 2.2 * t2 / (T - 1);
      members.forEach(function (i) {
        var p = at(i, t2);
        g.moveTo(p[0] + rr, p[1]);
        g.arc(p[0], p[1], rr, 0, 2 * Math.PI);
      });
      g.fillStyle = t2 === 0 ? '#fff' : darker(colour, 0.7 * (1 - t2 / (T - 1)));
      g.fill();
      g.strokeStyle = '#000';
      g.lineWidth = 0.8;
      g.stroke();
    }
  });
  this.stats({trails: list.length, trailsSelected: shown.length});
};

/**
 * The strip of small multiples, drawn pixel by pixel into image data (far cheaper than a path per point): each
 * step's points are kept as pixels until the filters or colours change; a selection change only lightens them
 * and adds the selected points. Never redrawn while the points move.
 */
Panel.prototype.drawStrips = function () {
  if (this.steps.length < 2) { return; }
  var hasSelection = state.selectedCount > 0;
  var w = Math.round(STRIP * DPR);
  var scale = (STRIP - 6) * DPR;
  var dot = Math.max(1, Math.round(1.4 * DPR));
  var baseKey = state.version.filter + ',' + state.version.colour;
  if (this.stripBaseKey !== baseKey) { this.stripBase = []; this.stripBaseKey = baseKey; }
  for (var t = 0; t < this.steps.length; t++) {
    var g = this.stripCanvases[t].getContext('2d');
    var s = this.snapshots[t];
    var look = this.lookFor(this.checkpointOf(t));
    var put = function (px, i, c, half) {
      var x0 = Math.round(3 * DPR + s[2 * i] * scale) - half;
      var y0 = Math.round(3 * DPR + (1 - s[2 * i + 1]) * scale) - half;
      for (var y = Math.max(0, y0); y < Math.min(w, y0 + 2 * half + dot); y++) {
        for (var x = Math.max(0, x0); x < Math.min(w, x0 + 2 * half + dot); x++) {
          var o = 4 * (y * w + x);
          px[o] = c[0]; px[o + 1] = c[1]; px[o + 2] = c[2]; px[o + 3] = 255;
        }
      }
    };
    var base = this.stripBase[t];
    if (!base) {
      base = this.stripBase[t] = new Uint8ClampedArray(4 * w * w);
      for (var i = 0; i < N; i++) { if (look.mask[i]) { put(base, i, keyRgb(look.keys[i]), 0); } }
    }
    var img = g.createImageData(w, w);
    var px = img.data;
    px.set(base);
    if (hasSelection) {
      for (var o = 0; o < px.length; o += 4) {
        // the same veil as the main view: 60 % white over the points (and over the empty background)
        var a = px[o + 3] / 255;
        var outA = 0.6 + a * 0.4;
        px[o] = (255 * 0.6 + px[o] * a * 0.4) / outA;
        px[o + 1] = (255 * 0.6 + px[o + 1] * a * 0.4) / outA;
        px[o + 2] = (255 * 0.6 + px[o + 2] * a * 0.4) / outA;
        px[o + 3] = outA * 255;
      }
      var black = [0, 0, 0];
      for (var k = 0; k < state.selectedList.length; k++) {
        var j = state.selectedList[k];
        if (!look.mask[j]) { continue; }
        put(px, j, black, Math.round(DPR));
        put(px, j, keyRgb(look.keys[j]), 0);
      }
    }
    g.putImageData(img, 0, 0);
  }
};

/** Redraws what changed since the last render: each layer only when what it shows changed. */
Panel.prototype.render = function () {
  var v = state.version;
  var view = [this.t, this.zoom.k, this.zoom.tx, this.zoom.ty, this.size].join();
  var baseKey = [v.filter, v.colour, view, this.animating].join();
  if (baseKey !== this.baseKey || this.animating) { this.baseKey = baseKey; this.drawBase(); }
  this.drawSelected();
  var trailsKey = [v.selection, v.filter, v.colour, view, this.bundle, api.maxTrails].join();
  if (trailsKey !== this.trailsKey) { this.trailsKey = trailsKey; this.drawTrails(); }
  var stripsKey = [v.selection, v.filter, v.colour].join();
  if (stripsKey !== this.stripsKey) { this.stripsKey = stripsKey; this.drawStrips(); }
  this.drawOverlay();
};

Panel.prototype.gesture = function (shape) { this.drawOverlay(shape); };

Panel.prototype.drawOverlay = function (shape) {
  var g = this.overlay.getContext('2d');
  g.clearRect(0, 0, this.size, this.size);
  var self = this;
  function ring(i, r, colour, width, dash) {
    var x = self.sx(self.pos[2 * i]);
    var y = self.sy(self.pos[2 * i + 1]);
    g.beginPath();
    g.arc(x, y, r, 0, 2 * Math.PI);
    g.setLineDash(dash || []);
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.stroke();
    g.setLineDash([]);
  }
  (state.neighbours || []).forEach(function (i) { ring(i, 6, '#e6007e', 2); });
  if (this.hovered >= 0) { ring(this.hovered, 7, '#000', 2); }
  if (this.focus >= 0) { ring(this.focus, 10, '#0050a0', 3, [4, 3]); }
  drawSelectionShape(g, shape);
};

/** The visible observation nearest to (x, y) within 10 px, or -1. */
Panel.prototype.hit = function (x, y) {
  var look = this.lookFor(this.checkpoint());
  var best = -1;
  var bestD = 100;
  for (var i = 0; i < N; i++) {
    if (!look.mask[i]) { continue; }
    var dx = this.sx(this.pos[2 * i]) - x;
    var dy = this.sy(this.pos[2 * i + 1]) - y;
    var d = dx * dx + dy * dy;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
};

Panel.prototype.tool = function () { return dragTool(); };

Panel.prototype.hover = function (i, ev, t0) {
  if (i !== this.hovered) {
    this.hovered = i;
    this.drawOverlay();
  }
  if (i >= 0) { showObservationCard(i, this.checkpoint(), ev); } else if (this.focus < 0) { hideCard(); }
  recordHover(ev, t0);
};

Panel.prototype.click = function (i, ev) {
  if (i >= 0) {
    selectObservations([i], ev.shiftKey ? 'toggle' : 'replace');
  } else if (!ev.shiftKey) {
    selectObservations([], 'replace');
  }
};

/** The visible observations drawn inside a test of screen position. */
Panel.prototype.inside = function (test) {
  var look = this.lookFor(this.checkpoint());
  var out = [];
  for (var i = 0; i < N; i++) {
    if (look.mask[i] && test(this.sx(this.pos[2 * i]), this.sy(this.pos[2 * i + 1]))) { out.push(i); }
  }
  return out;
};

Panel.prototype.brush = function (b, ev) {
  selectObservations(this.inside(function (x, y) { return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1; }),
    ev.shiftKey || ev.ctrlKey || ev.metaKey ? 'add' : 'replace');
};

Panel.prototype.lasso = function (poly, ev) {
  selectObservations(this.inside(function (x, y) { return HavPointer.insidePolygon(poly, x, y); }),
    ev.shiftKey || ev.ctrlKey || ev.metaKey ? 'add' : 'replace');
};

Panel.prototype.pan = function (dx, dy) { this.setZoom(this.zoom.k, this.zoom.tx + dx, this.zoom.ty + dy); };

/**
 * Keyboard: arrows move the focus to the nearest visible point in that direction, Enter or space selects it
 * (shift adds), + and - zoom around it, 0 resets the zoom.
 */
Panel.prototype.key = function (ev) {
  var dirs = {ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
  var self = this;
  if (dirs[ev.key]) {
    var d = dirs[ev.key];
    var look = this.lookFor(this.checkpoint());
    if (this.focus < 0 || !look.mask[this.focus]) {
      // start at the visible point nearest the centre
      this.focus = this.hit(this.size / 2, this.size / 2);
      if (this.focus < 0) {
        var c = this.inside(function () { return true; });
        this.focus = c.length ? c[0] : -1;
      }
    } else {
      var fx = this.sx(this.pos[2 * this.focus]);
      var fy = this.sy(this.pos[2 * this.focus + 1]);
      var best = -1;
      var bestScore = Infinity;
      for (var i = 0; i < N; i++) {
        if (!look.mask[i] || i === this.focus) { continue; }
        var dx = this.sx(this.pos[2 * i]) - fx;
        var dy = this.sy(this.pos[2 * i + 1]) - fy;
        var along = dx * d[0] + dy * d[1];
        var across = Math.abs(dx * d[1] - dy * d[0]);
        if (along <= 0 || across > along) { continue; }    // within 45 degrees of the direction
        var score = along + 2 * across;
        if (score < bestScore) { bestScore = score; best = i; }
      }
      if (best >= 0) { this.focus = best; }
    }
    ev.preventDefault();
  } else if ((ev.key === 'Enter' || ev.key === ' ') && this.focus >= 0) {
    selectObservations([this.focus], ev.shiftKey ? 'toggle' : 'replace');
    ev.preventDefault();
  } else if (ev.key === '+' || ev.key === '=' || ev.key === '-') {
    var at = this.focus >= 0 ? [this.sx(this.pos[2 * this.focus]), this.sy(this.pos[2 * this.focus + 1])] : [this.size / 2, this.size / 2];
    this.zoomAt(ev.key === '-' ? 1 / 1.5 : 1.5, at[0], at[1]);
    ev.preventDefault();
  } else if (ev.key === '0') {
    this.setZoom(1, 0, 0);
    ev.preventDefault();
  } else {
    return;
  }
  this.drawOverlay();
  if (this.focus >= 0) {
    var r = this.overlay.getBoundingClientRect();
    showObservationCard(this.focus, this.checkpoint(), {clientX: r.left + self.sx(self.pos[2 * self.focus]),
      clientY: r.top + self.sy(self.pos[2 * self.focus + 1])});
  }
  api.focused = {panel: this.id, observation: this.focus};
};
