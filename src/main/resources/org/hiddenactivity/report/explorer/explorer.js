/*
 * The explorer of a hav report: linked views of observations (activation projections through the layers and
 * through training), of neurons (neuron maps before and after training), a confusion matrix and a gallery of the
 * misclassified images. Plain JavaScript and canvas, no library, no network: the data comes from explorer/data.js
 * and explorer/neurons.js, loaded by script tags (a page opened from file:// may not fetch local files).
 *
 * window.havExplorer exposes the state and the screen position of any point, for tests and for the curious.
 */
(function () {
  'use strict';
  var D = window.HAV_EXPLORER;
  var root = document.getElementById('explorer-root');
  if (!D || !root) {
    return;
  }
  var N = D.n;
  var C = D.classes.length;
  var targets = D.targets;
  var GRID = 10000;
  var SIZE = 480;          // CSS pixels of a main view
  var MARGIN = 10;
  var STRIP = 92;          // CSS pixels of a small multiple
  var ANIMATION_MS = 700;
  var MAX_TRAILS = 400;    // trails drawn at most (the selection can be larger)
  var DPR = window.devicePixelRatio || 1;
  var predicted = D.checkpoints.map(function (c) { return c.predicted; });
  var lastCheckpoint = D.checkpoints.length - 1;

  var state = {
    selected: new Uint8Array(N),
    selectedCount: 0,
    selectedList: [],
    filterTrue: new Uint8Array(C).fill(1),
    filterPredicted: -1,
    misclassifiedOnly: false,
    colourMode: 'true',          // 'true' | 'predicted' | 'neuron'
    neuronColour: null,          // {values: Float32Array, label: string, neurons: [..], map: k}
    neuronSelection: [],         // neurons picked in the neuron map
    confusionCheckpoint: lastCheckpoint,
    stats: {}
  };
  var api = window.havExplorer = {ready: false, state: state, panels: {}, stats: state.stats};

  // ------------------------------------------------------------------ small helpers

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'className') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  function canvas(w, h, cls) {
    var c = el('canvas', {className: cls || ''});
    c.width = Math.round(w * DPR);
    c.height = Math.round(h * DPR);
    c.style.width = w + 'px';
    c.style.height = h + 'px';
    var g = c.getContext('2d');
    g.scale(DPR, DPR);
    return c;
  }

  function className(c) { return c >= 0 && c < C ? D.classes[c] : String(c); }

  function viridis(t) {
    var i = Math.max(0, Math.min(255, Math.round((isNaN(t) ? 0 : t) * 255)));
    return D.viridis[i];
  }

  function hexToRgb(h) {
    return [parseInt(h.substr(1, 2), 16), parseInt(h.substr(3, 2), 16), parseInt(h.substr(5, 2), 16)];
  }

  /** A div showing observation i's input image, cut from the sprite sheet. */
  function spriteOf(i, scale) {
    var s = D.sprite;
    var col = i % s.columns;
    var row = Math.floor(i / s.columns);
    var d = el('div', {className: 'hx-sprite', role: 'img', 'aria-label': 'input image of observation ' + i + ' (' + className(targets[i]) + ')',
      'data-observation': String(i)});
    d.style.width = (s.tileWidth * scale) + 'px';
    d.style.height = (s.tileHeight * scale) + 'px';
    d.style.backgroundImage = 'url("' + s.file + '")';
    d.style.backgroundSize = (s.width * scale) + 'px ' + (s.height * scale) + 'px';
    d.style.backgroundPosition = (-col * s.tileWidth * scale) + 'px ' + (-row * s.tileHeight * scale) + 'px';
    return d;
  }

  function isVisible(i, cp) {
    if (!state.filterTrue[targets[i]]) { return false; }
    var p = predicted[cp][i];
    if (state.filterPredicted >= 0 && p !== state.filterPredicted) { return false; }
    if (state.misclassifiedOnly && p === targets[i]) { return false; }
    return true;
  }

  /** Colour of observation i in a view of checkpoint cp. */
  function colourOf(i, cp) {
    if (state.colourMode === 'neuron' && state.neuronColour) {
      return viridis(state.neuronColour.values[i]);
    }
    if (state.colourMode === 'predicted') {
      return D.classColours[predicted[cp][i] % D.classColours.length];
    }
    return D.classColours[targets[i] % D.classColours.length];
  }
  api.colourOf = colourOf;

  function setSelection(list, additive) {
    if (!additive) {
      state.selected.fill(0);
    }
    list.forEach(function (i) { state.selected[i] = 1; });
    state.selectedList = [];
    for (var i = 0; i < N; i++) {
      if (state.selected[i]) { state.selectedList.push(i); }
    }
    state.selectedCount = state.selectedList.length;
    redrawAll();
  }
  api.select = setSelection;

  // ------------------------------------------------------------------ the hover card

  var card = el('div', {className: 'hx-card', id: 'hover-card', role: 'status', 'aria-live': 'polite'});
  card.hidden = true;
  document.body.appendChild(card);

  function placeCard(ev) {
    var x = ev.clientX + 16;
    var y = ev.clientY + 16;
    var w = card.offsetWidth || 240;
    var h = card.offsetHeight || 120;
    if (x + w > window.innerWidth) { x = ev.clientX - w - 16; }
    if (y + h > window.innerHeight) { y = ev.clientY - h - 16; }
    card.style.left = Math.max(0, x) + 'px';
    card.style.top = Math.max(0, y) + 'px';
  }

  function showObservationCard(i, cp, ev) {
    card.innerHTML = '';
    card.appendChild(spriteOf(i, 3));
    var p = predicted[cp][i];
    var ok = p === targets[i];
    card.appendChild(el('div', {className: 'hx-line'}, [el('b', {text: 'observation #'}), el('span', {'data-field': 'index', text: String(i)})]));
    card.appendChild(el('div', {className: 'hx-line'}, [document.createTextNode('true class: '),
      el('span', {'data-field': 'true', text: className(targets[i])})]));
    card.appendChild(el('div', {className: 'hx-line'}, [document.createTextNode('predicted (epoch ' + D.checkpoints[cp].epoch + '): '),
      el('span', {'data-field': 'predicted', className: ok ? 'hx-right' : 'hx-wrong', text: className(p)}),
      document.createTextNode(ok ? ' (right)' : ' (wrong)')]));
    if (state.colourMode === 'neuron' && state.neuronColour) {
      card.appendChild(el('div', {className: 'hx-line', text: state.neuronColour.label + ': ' +
        state.neuronColour.format(i)}));
    }
    card.hidden = false;
    placeCard(ev);
  }

  function hideCard() { card.hidden = true; }

  /**
   * Hover timing, kept for measurement: how long the handler took, and how long from the event to the start of
   * the next animation frame callback (the card and the ring are painted in that frame).
   */
  api.hoverSamples = [];
  function recordHover(ev, t0) {
    var handler = performance.now() - t0;
    var since = ev.timeStamp;
    requestAnimationFrame(function () {
      if (api.hoverSamples.length < 5000) {
        api.hoverSamples.push({handlerMs: handler, eventToFrameMs: performance.now() - since});
      }
    });
  }

  // ------------------------------------------------------------------ observation views

  function decode(q) {
    var out = new Float32Array(q.length);
    for (var k = 0; k < q.length; k++) { out[k] = q[k] / GRID; }
    return out;
  }

  function Panel(seq) {
    var self = this;
    this.seq = seq;
    this.id = seq.id;
    this.steps = seq.steps;
    this.snapshots = seq.positions.map(decode);
    this.t = this.steps.length - 1;
    this.pos = new Float32Array(this.snapshots[this.t]);
    this.animating = false;
    this.framesDrawn = 0;
    this.playing = null;
    this.hover = -1;

    this.points = canvas(SIZE, SIZE, 'hx-points');
    this.overlay = canvas(SIZE, SIZE, 'hx-overlay');
    this.overlay.setAttribute('data-panel', seq.id);
    this.overlay.setAttribute('aria-label', seq.title + ': hover a point to see its image, click to select it and draw its trail, drag to select a region');
    var wrap = el('div', {className: 'hx-canvas-wrap'}, [this.points, this.overlay]);
    this.slider = el('input', {type: 'range', min: '0', max: String(this.steps.length - 1), step: '1',
      value: String(this.t), id: 'slider-' + seq.id, 'aria-label': 'step of ' + seq.title});
    this.label = el('span', {className: 'hx-step-label', id: 'step-label-' + seq.id});
    this.play = el('button', {type: 'button', id: 'play-' + seq.id, text: '▶ play'});
    var stepper = el('div', {className: 'hx-stepper'}, [this.play, this.slider, this.label]);
    if (this.steps.length < 2) { stepper.style.display = 'none'; }
    this.strip = el('div', {className: 'hx-strip'});
    this.stripCanvases = this.steps.map(function (s, t) {
      var c = canvas(STRIP, STRIP);
      var item = el('div', {className: 'hx-strip-item', title: s.label, 'data-step': String(t)}, [c, el('div', {text: s.label})]);
      item.addEventListener('click', function () { self.goTo(t); });
      self.strip.appendChild(item);
      return c;
    });
    if (this.steps.length < 2) { this.strip.style.display = 'none'; }
    this.element = el('div', {className: 'hx-panel', id: 'panel-' + seq.id}, [
      el('h3', {text: seq.title + ' — ' + seq.alignment + ' alignment'}), wrap, stepper, this.strip]);

    this.slider.addEventListener('input', function () { self.goTo(parseInt(self.slider.value, 10)); });
    this.play.addEventListener('click', function () { self.togglePlay(); });
    this.installMouse();
    this.updateLabel();
  }

  Panel.prototype.checkpoint = function () {
    var s = this.steps[this.t];
    return s.checkpoint === null || s.checkpoint === undefined ? lastCheckpoint : s.checkpoint;
  };

  Panel.prototype.updateLabel = function () {
    var s = this.steps[this.t];
    this.label.textContent = s.label + (this.steps.length > 1 ? ' (' + (this.t + 1) + '/' + this.steps.length + ')' : '');
    var items = this.strip.children;
    for (var k = 0; k < items.length; k++) { items[k].classList.toggle('current', k === this.t); }
  };

  Panel.prototype.sx = function (u) { return MARGIN + u * (SIZE - 2 * MARGIN); };
  Panel.prototype.sy = function (v) { return MARGIN + (1 - v) * (SIZE - 2 * MARGIN); };

  /** Moves the points from where they are to step t, animated (motion is what the alignment makes meaningful). */
  Panel.prototype.goTo = function (t) {
    var self = this;
    t = Math.max(0, Math.min(this.steps.length - 1, t));
    var from = new Float32Array(this.pos);
    var to = this.snapshots[t];
    this.t = t;
    this.slider.value = String(t);
    this.updateLabel();
    this.animating = true;
    var start = performance.now();
    var token = {};
    this.animation = token;
    function frame(now) {
      if (self.animation !== token) { return; }
      var f = Math.min(1, (now - start) / ANIMATION_MS);
      var e = f < 0.5 ? 4 * f * f * f : 1 - Math.pow(-2 * f + 2, 3) / 2;
      for (var k = 0; k < to.length; k++) { self.pos[k] = from[k] + (to[k] - from[k]) * e; }
      self.framesDrawn++;
      self.draw();
      if (f < 1) {
        requestAnimationFrame(frame);
      } else {
        self.animating = false;
        self.drawOverlay();
      }
    }
    requestAnimationFrame(frame);
  };

  Panel.prototype.togglePlay = function () {
    var self = this;
    if (this.playing) {
      clearInterval(this.playing);
      this.playing = null;
      this.play.textContent = '▶ play';
      return;
    }
    this.play.textContent = '❚❚ pause';
    this.goTo(this.t >= this.steps.length - 1 ? 0 : this.t + 1);
    this.playing = setInterval(function () {
      self.goTo(self.t >= self.steps.length - 1 ? 0 : self.t + 1);
    }, ANIMATION_MS + 600);
  };

  /** Draws the points (grouped by colour: one path each), the selected ones on top, and their trails. */
  Panel.prototype.draw = function () {
    var g = this.points.getContext('2d');
    g.clearRect(0, 0, SIZE, SIZE);
    var cp = this.checkpoint();
    var hasSelection = state.selectedCount > 0;
    var buckets = {};
    var crosses = {};
    var drawn = 0;
    var r = N > 5000 ? 1.6 : 2.4;
    for (var i = 0; i < N; i++) {
      if (!isVisible(i, cp) || (hasSelection && state.selected[i])) { continue; }
      var col = colourOf(i, cp);
      var wrong = predicted[cp][i] !== targets[i];
      var b = wrong ? crosses : buckets;
      (b[col] || (b[col] = [])).push(i);
      drawn++;
    }
    g.globalAlpha = hasSelection ? 0.22 : 0.9;
    this.fillBuckets(g, buckets, crosses, r);
    g.globalAlpha = 1;
    var trails = 0;
    var selectedDrawn = 0;
    if (hasSelection) {
      trails = this.drawTrails(g, cp);
      var sb = {};
      var sc = {};
      state.selectedList.forEach(function (i) {
        if (!isVisible(i, cp)) { return; }
        var c = colourOf(i, cp);
        var b2 = predicted[cp][i] !== targets[i] ? sc : sb;
        (b2[c] || (b2[c] = [])).push(i);
        selectedDrawn++;
      });
      this.fillBuckets(g, sb, sc, r + 1.6, '#000');
    }
    state.stats[this.id] = {points: drawn + selectedDrawn, selected: selectedDrawn, trails: trails,
      step: this.t, frames: this.framesDrawn};
    this.drawStrips();
  };

  Panel.prototype.fillBuckets = function (g, discs, crosses, r, outline) {
    var self = this;
    Object.keys(discs).forEach(function (col) {
      g.beginPath();
      discs[col].forEach(function (i) {
        var x = self.sx(self.pos[2 * i]);
        var y = self.sy(self.pos[2 * i + 1]);
        g.moveTo(x + r, y);
        g.arc(x, y, r, 0, 2 * Math.PI);
      });
      g.fillStyle = col;
      g.fill();
      if (outline) { g.strokeStyle = outline; g.lineWidth = 1; g.stroke(); }
    });
    Object.keys(crosses).forEach(function (col) {
      g.beginPath();
      crosses[col].forEach(function (i) {
        var x = self.sx(self.pos[2 * i]);
        var y = self.sy(self.pos[2 * i + 1]);
        var q = r * 1.15;
        g.moveTo(x - q, y - q); g.lineTo(x + q, y + q);
        g.moveTo(x - q, y + q); g.lineTo(x + q, y - q);
      });
      if (outline) { g.strokeStyle = outline; g.lineWidth = 3.2; g.stroke(); }
      g.strokeStyle = col;
      g.lineWidth = outline ? 1.8 : 1.4;
      g.stroke();
    });
  };

  /** Each selected observation's path through every step of this sequence, the current step marked. */
  Panel.prototype.drawTrails = function (g, cp) {
    var self = this;
    var trails = 0;
    if (this.steps.length < 2) { return 0; }
    var list = state.selectedList;
    for (var k = 0; k < list.length && trails < MAX_TRAILS; k++) {
      var i = list[k];
      if (!isVisible(i, cp)) { continue; }
      var col = colourOf(i, cp);
      g.beginPath();
      for (var t = 0; t < this.snapshots.length; t++) {
        var s = this.snapshots[t];
        var x = self.sx(s[2 * i]);
        var y = self.sy(s[2 * i + 1]);
        if (t === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
      }
      g.strokeStyle = '#000';
      g.lineWidth = 3;
      g.globalAlpha = 0.5;
      g.stroke();
      g.strokeStyle = col;
      g.lineWidth = 1.6;
      g.globalAlpha = 1;
      g.stroke();
      for (var t2 = 0; t2 < this.snapshots.length; t2++) {
        var s2 = this.snapshots[t2];
        g.beginPath();
        g.arc(self.sx(s2[2 * i]), self.sy(s2[2 * i + 1]), 1.4 + 2.2 * t2 / (this.snapshots.length - 1), 0, 2 * Math.PI);
        g.fillStyle = t2 === 0 ? '#fff' : col;
        g.fill();
        g.strokeStyle = '#000';
        g.lineWidth = 0.8;
        g.stroke();
      }
      trails++;
    }
    return trails;
  };

  Panel.prototype.drawStrips = function () {
    if (this.steps.length < 2) { return; }
    var hasSelection = state.selectedCount > 0;
    for (var t = 0; t < this.steps.length; t++) {
      var c = this.stripCanvases[t];
      var g = c.getContext('2d');
      g.clearRect(0, 0, STRIP, STRIP);
      var s = this.snapshots[t];
      var cp = this.steps[t].checkpoint === null || this.steps[t].checkpoint === undefined ? lastCheckpoint : this.steps[t].checkpoint;
      var scale = STRIP - 6;
      g.globalAlpha = hasSelection ? 0.25 : 0.85;
      var buckets = {};
      for (var i = 0; i < N; i++) {
        if (!isVisible(i, cp)) { continue; }
        var col = colourOf(i, cp);
        (buckets[col] || (buckets[col] = [])).push(i);
      }
      Object.keys(buckets).forEach(function (col) {
        g.fillStyle = col;
        buckets[col].forEach(function (i) {
          g.fillRect(3 + s[2 * i] * scale - 0.7, 3 + (1 - s[2 * i + 1]) * scale - 0.7, 1.4, 1.4);
        });
      });
      g.globalAlpha = 1;
      if (hasSelection) {
        state.selectedList.forEach(function (i) {
          if (!isVisible(i, cp)) { return; }
          g.fillStyle = '#000';
          g.fillRect(3 + s[2 * i] * scale - 2, 3 + (1 - s[2 * i + 1]) * scale - 2, 4, 4);
          g.fillStyle = colourOf(i, cp);
          g.fillRect(3 + s[2 * i] * scale - 1, 3 + (1 - s[2 * i + 1]) * scale - 1, 2, 2);
        });
      }
    }
  };

  Panel.prototype.drawOverlay = function (brush) {
    var g = this.overlay.getContext('2d');
    g.clearRect(0, 0, SIZE, SIZE);
    if (this.hover >= 0) {
      var x = this.sx(this.pos[2 * this.hover]);
      var y = this.sy(this.pos[2 * this.hover + 1]);
      g.beginPath();
      g.arc(x, y, 7, 0, 2 * Math.PI);
      g.strokeStyle = '#000';
      g.lineWidth = 2;
      g.stroke();
    }
    if (brush) {
      g.fillStyle = 'rgba(0, 114, 178, 0.12)';
      g.strokeStyle = '#0072b2';
      g.lineWidth = 1;
      g.fillRect(brush.x0, brush.y0, brush.x1 - brush.x0, brush.y1 - brush.y0);
      g.strokeRect(brush.x0, brush.y0, brush.x1 - brush.x0, brush.y1 - brush.y0);
    }
  };

  /** The visible observation nearest to (x, y) within 10 px, or -1 (brute force: ~0.1 ms for 12000 points). */
  Panel.prototype.nearest = function (x, y) {
    var cp = this.checkpoint();
    var best = -1;
    var bestD = 100;
    for (var i = 0; i < N; i++) {
      if (!isVisible(i, cp)) { continue; }
      var dx = this.sx(this.pos[2 * i]) - x;
      var dy = this.sy(this.pos[2 * i + 1]) - y;
      var d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  };

  Panel.prototype.installMouse = function () {
    var self = this;
    var down = null;
    function local(ev) {
      var r = self.overlay.getBoundingClientRect();
      return {x: ev.clientX - r.left, y: ev.clientY - r.top};
    }
    this.overlay.addEventListener('mousedown', function (ev) { down = local(ev); ev.preventDefault(); });
    this.overlay.addEventListener('mousemove', function (ev) {
      var t0 = performance.now();
      var p = local(ev);
      if (down && (Math.abs(p.x - down.x) > 4 || Math.abs(p.y - down.y) > 4)) {
        hideCard();
        self.hover = -1;
        self.drawOverlay({x0: Math.min(down.x, p.x), y0: Math.min(down.y, p.y), x1: Math.max(down.x, p.x), y1: Math.max(down.y, p.y)});
        return;
      }
      var i = self.nearest(p.x, p.y);
      if (i !== self.hover) {
        self.hover = i;
        self.drawOverlay();
      }
      if (i >= 0) { showObservationCard(i, self.checkpoint(), ev); } else { hideCard(); }
      recordHover(ev, t0);
    });
    this.overlay.addEventListener('mouseleave', function () {
      self.hover = -1;
      self.drawOverlay();
      hideCard();
    });
    window.addEventListener('mouseup', function (ev) {
      if (!down) { return; }
      var start = down;
      down = null;
      if (ev.target !== self.overlay && !self.overlay.contains(ev.target)) { self.drawOverlay(); return; }
      var p = local(ev);
      if (Math.abs(p.x - start.x) > 4 || Math.abs(p.y - start.y) > 4) {
        var x0 = Math.min(start.x, p.x);
        var x1 = Math.max(start.x, p.x);
        var y0 = Math.min(start.y, p.y);
        var y1 = Math.max(start.y, p.y);
        var cp = self.checkpoint();
        var inside = [];
        for (var i = 0; i < N; i++) {
          if (!isVisible(i, cp)) { continue; }
          var x = self.sx(self.pos[2 * i]);
          var y = self.sy(self.pos[2 * i + 1]);
          if (x >= x0 && x <= x1 && y >= y0 && y <= y1) { inside.push(i); }
        }
        self.drawOverlay();
        setSelection(inside, ev.shiftKey);
        return;
      }
      var hit = self.nearest(p.x, p.y);
      if (hit >= 0) {
        if (ev.shiftKey && state.selected[hit]) {
          state.selected[hit] = 0;
          setSelection([], true);
        } else {
          setSelection([hit], ev.shiftKey);
        }
      } else if (!ev.shiftKey) {
        setSelection([], false);
      }
    });
  };

  /** Client (viewport) coordinates of observation i in a panel, for tests. */
  api.screenPosition = function (panelId, i) {
    var p = api.panels[panelId];
    var r = p.overlay.getBoundingClientRect();
    return {x: r.left + p.sx(p.pos[2 * i]), y: r.top + p.sy(p.pos[2 * i + 1])};
  };

  /** Where observation i is drawn in step t of a panel (once the animation is over), as CSS pixels in the canvas. */
  api.stepPosition = function (panelId, i, t) {
    var p = api.panels[panelId];
    return {x: p.sx(p.snapshots[t][2 * i]), y: p.sy(p.snapshots[t][2 * i + 1])};
  };

  api.pixel = function (panelId, x, y) {
    var p = api.panels[panelId];
    var d = p.points.getContext('2d').getImageData(Math.round(x * DPR), Math.round(y * DPR), 1, 1).data;
    return [d[0], d[1], d[2], d[3]];
  };

  // ------------------------------------------------------------------ controls

  var controls = el('div', {className: 'hx-controls', id: 'explorer-controls'});
  var colourSelect = el('select', {id: 'colour-mode', 'aria-label': 'colour observations by'});
  [['true', 'true class'], ['predicted', 'predicted class'], ['neuron', 'activation of the chosen neuron(s)']].forEach(function (o) {
    var opt = el('option', {value: o[0], text: o[1]});
    if (o[0] === 'neuron') { opt.disabled = true; }
    colourSelect.appendChild(opt);
  });
  colourSelect.addEventListener('change', function () { state.colourMode = colourSelect.value; redrawAll(); });
  controls.appendChild(el('label', {}, [el('b', {text: 'Colour: '}), colourSelect]));

  var classBoxes = el('fieldset', {id: 'filter-true'}, [el('legend', {text: 'True class:'})]);
  D.classes.forEach(function (name, c) {
    var box = el('input', {type: 'checkbox', id: 'filter-true-' + c, 'data-class': String(c)});
    box.checked = true;
    box.addEventListener('change', function () { state.filterTrue[c] = box.checked ? 1 : 0; redrawAll(); });
    var sw = el('span', {className: 'hx-swatch'});
    sw.style.background = D.classColours[c % D.classColours.length];
    classBoxes.appendChild(el('label', {className: 'hx-class', 'for': 'filter-true-' + c}, [box, sw, document.createTextNode(name)]));
  });
  function setAllClasses(on) {
    for (var c = 0; c < C; c++) {
      state.filterTrue[c] = on ? 1 : 0;
      document.getElementById('filter-true-' + c).checked = on;
    }
    redrawAll();
  }
  var allBtn = el('button', {type: 'button', id: 'filter-true-all', text: 'all'});
  allBtn.addEventListener('click', function () { setAllClasses(true); });
  var noneBtn = el('button', {type: 'button', id: 'filter-true-none', text: 'none'});
  noneBtn.addEventListener('click', function () { setAllClasses(false); });
  classBoxes.appendChild(allBtn);
  classBoxes.appendChild(noneBtn);
  controls.appendChild(classBoxes);

  var predSelect = el('select', {id: 'filter-predicted', 'aria-label': 'show only observations predicted as'});
  predSelect.appendChild(el('option', {value: '-1', text: 'any'}));
  D.classes.forEach(function (name, c) { predSelect.appendChild(el('option', {value: String(c), text: name})); });
  predSelect.addEventListener('change', function () { state.filterPredicted = parseInt(predSelect.value, 10); redrawAll(); });
  controls.appendChild(el('label', {}, [el('b', {text: 'Predicted: '}), predSelect]));

  var misBox = el('input', {type: 'checkbox', id: 'filter-misclassified'});
  misBox.addEventListener('change', function () { state.misclassifiedOnly = misBox.checked; redrawAll(); });
  controls.appendChild(el('label', {}, [misBox, document.createTextNode(' misclassified only')]));

  var selectionText = el('span', {id: 'selection-count', text: 'nothing selected'});
  var clearBtn = el('button', {type: 'button', id: 'clear-selection', text: 'clear selection'});
  clearBtn.addEventListener('click', function () { setSelection([], false); });
  controls.appendChild(el('span', {className: 'hx-selection'}, [selectionText, document.createTextNode(' '), clearBtn]));

  var legend = el('div', {className: 'hx-legend', id: 'colour-legend'});

  root.innerHTML = '';
  root.appendChild(el('p', {className: 'hx-note', text: 'Hover a point to see its image and what the network predicted; '
    + 'click it to select it and draw its trail through every step (shift-click adds); drag to select a region. '
    + 'The slider and ▶ move the points from one snapshot to the next. Crosses are misclassified observations. '
    + 'A selection is shown in every view; filters hide the other observations.'}));
  root.appendChild(controls);
  root.appendChild(legend);

  var panelsBox = el('div', {className: 'hx-panels'});
  D.sequences.forEach(function (seq) {
    var p = new Panel(seq);
    api.panels[seq.id] = p;
    panelsBox.appendChild(p.element);
  });
  root.appendChild(panelsBox);

  // ------------------------------------------------------------------ neurons

  var NM = D.neurons;
  var neuron = null;
  if (NM) {
    neuron = buildNeurons(NM);
  }

  function buildNeurons(nm) {
    var units = nm.units;
    var maps = nm.maps;
    var S = SIZE;
    var DEAD_BAND = 46;
    var box = {};
    var activations = [];   // per map: Uint8Array units x N, decoded when first needed
    var classMax = [];      // per class: largest importance over all maps (one scale)
    for (var c = 0; c < C; c++) {
      var m = 0;
      maps.forEach(function (mp) { mp.importance[c].forEach(function (v) { if (v > m) { m = v; } }); });
      classMax.push(m);
    }
    maps.forEach(function (mp) {
      var best = new Int16Array(units);
      for (var j = 0; j < units; j++) {
        var b = -1;
        var bv = 0;
        for (var c2 = 0; c2 < C; c2++) {
          if (mp.importance[c2][j] > bv) { bv = mp.importance[c2][j]; b = c2; }
        }
        best[j] = b;
      }
      mp.best = best;
    });
    var nstate = {map: maps.length - 1, f: maps.length - 1, mode: 'discriminative', label: 0, hover: -1, animating: false};
    var points = canvas(S, S + DEAD_BAND, 'hx-points');
    var overlay = canvas(S, S + DEAD_BAND, 'hx-overlay');
    overlay.setAttribute('data-panel', 'neurons');
    overlay.setAttribute('aria-label', 'neuron map: hover a neuron to see its top-activating images, click it to colour the observations by its activation, drag to select several');
    var wrap = el('div', {className: 'hx-canvas-wrap'}, [points, overlay]);
    wrap.style.height = (S + DEAD_BAND) + 'px';
    var modeSelect = el('select', {id: 'neuron-colour', 'aria-label': 'colour neurons by'});
    modeSelect.appendChild(el('option', {value: 'discriminative', text: 'class it is most important for'}));
    D.classes.forEach(function (name, c) { modeSelect.appendChild(el('option', {value: 'class-' + c, text: 'importance for ' + name + ' vs rest'})); });
    modeSelect.addEventListener('change', function () {
      var v = modeSelect.value;
      if (v === 'discriminative') { nstate.mode = 'discriminative'; } else { nstate.mode = 'importance'; nstate.label = parseInt(v.substr(6), 10); }
      draw();
      drawMultiples();
    });
    var mapSlider = el('input', {type: 'range', min: '0', max: String(Math.max(1, maps.length - 1) * 100), step: '1',
      value: String((maps.length - 1) * 100), id: 'neuron-slider', 'aria-label': 'neuron map: before to after training'});
    var mapLabel = el('span', {className: 'hx-step-label', id: 'neuron-map-label'});
    var mapButtons = maps.map(function (mp, k) {
      var b = el('button', {type: 'button', id: 'neuron-map-' + k, text: mp.label});
      b.addEventListener('click', function () { animateTo(k); });
      return b;
    });
    var stepper = el('div', {className: 'hx-stepper'}, mapButtons.concat([mapSlider]));
    if (maps.length < 2) { mapSlider.style.display = 'none'; }
    var multiples = el('div', {className: 'hx-multiples', id: 'importance-multiples'});
    multiples.style.gridTemplateColumns = 'repeat(' + C + ', auto)';
    var multipleCanvases = [];
    maps.forEach(function (mp, k) {
      for (var c = 0; c < C; c++) {
        var cv = canvas(96, 96);
        var fig = el('figure', {title: 'importance for ' + D.classes[c] + ', ' + mp.label, 'data-class': String(c), 'data-map': String(k)},
          [cv, el('figcaption', {text: D.classes[c] + (maps.length > 1 ? (k === 0 ? ' before' : ' after') : '')})]);
        (function (cc) {
          fig.addEventListener('click', function () { modeSelect.value = 'class-' + cc; nstate.mode = 'importance'; nstate.label = cc; draw(); drawMultiples(); });
        })(c);
        multiples.appendChild(fig);
        multipleCanvases.push({canvas: cv, map: k, cls: c});
      }
    });
    var neuronLegend = el('div', {className: 'hx-legend', id: 'neuron-legend'});
    var element = el('div', {className: 'hx-panel', id: 'panel-neurons'}, [
      el('h3', {text: 'Neurons of layer ' + nm.layer + ' — ' + nm.layout + (maps.length > 1 ? ', ' + nm.alignment : '')}),
      el('label', {}, [el('b', {text: 'Colour: '}), modeSelect]), neuronLegend, wrap, stepper, mapLabel]);
    var multiplesBox = el('div', {}, [el('h3', {text: 'Importance for every class (one colour scale per class'
      + (maps.length > 1 ? ', shared by both maps; top row before training, bottom row after' : '') + ')'}), multiples]);

    function decodeMap(k) {
      if (!activations[k]) {
        var b64 = (window.HAV_NEURON_ACTIVATIONS || [])[k];
        if (!b64) { return null; }
        var bin = atob(b64);
        var a = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { a[i] = bin.charCodeAt(i); }
        activations[k] = a;
      }
      return activations[k];
    }

    function position(j) {
      // interpolated between maps; a neuron dead in one map appears where it is alive
      var k0 = Math.floor(nstate.f);
      var k1 = Math.min(maps.length - 1, k0 + 1);
      var u = nstate.f - k0;
      var p0 = maps[k0].positions;
      var p1 = maps[k1].positions;
      var live0 = p0[2 * j] >= 0;
      var live1 = p1[2 * j] >= 0;
      if (!live0 && !live1) { return null; }
      var x0 = live0 ? p0[2 * j] : p1[2 * j];
      var y0 = live0 ? p0[2 * j + 1] : p1[2 * j + 1];
      var x1 = live1 ? p1[2 * j] : x0;
      var y1 = live1 ? p1[2 * j + 1] : y0;
      var alpha = live0 && live1 ? 1 : (live0 ? 1 - u : u);
      return {x: MARGIN + ((x0 + (x1 - x0) * u) / GRID) * (S - 2 * MARGIN),
        y: MARGIN + (1 - (y0 + (y1 - y0) * u) / GRID) * (S - 2 * MARGIN), alpha: alpha};
    }

    function neuronColour(j, k) {
      var mp = maps[k];
      if (nstate.mode === 'importance') {
        var top = classMax[nstate.label];
        return {colour: viridis(top > 0 ? mp.importance[nstate.label][j] / top : 0), alpha: 1};
      }
      var b = mp.best[j];
      if (b < 0) { return {colour: '#bbbbbb', alpha: 0.5}; }
      var o = classMax[b] > 0 ? mp.importance[b][j] / classMax[b] : 0;
      return {colour: D.classColours[b % D.classColours.length], alpha: 0.12 + 0.88 * o};
    }

    function currentMap() { return Math.round(nstate.f); }

    function draw() {
      var g = points.getContext('2d');
      g.clearRect(0, 0, S, S + DEAD_BAND);
      var k = currentMap();
      var picked = {};
      state.neuronSelection.forEach(function (j) { picked[j] = true; });
      var order = [];
      for (var j = 0; j < units; j++) { order.push(j); }
      var mp = maps[k];
      order.sort(function (a, b) {
        var ia = mp.best[a] >= 0 ? mp.importance[mp.best[a]][a] : 0;
        var ib = mp.best[b] >= 0 ? mp.importance[mp.best[b]][b] : 0;
        return nstate.mode === 'importance' ? mp.importance[nstate.label][a] - mp.importance[nstate.label][b] : ia - ib;
      });
      var dead = 0;
      var drawnNeurons = 0;
      order.forEach(function (j) {
        var p = position(j);
        if (!p) { dead++; return; }
        var c = neuronColour(j, k);
        g.globalAlpha = c.alpha * p.alpha;
        g.beginPath();
        g.arc(p.x, p.y, 4.2, 0, 2 * Math.PI);
        g.fillStyle = c.colour;
        g.fill();
        g.globalAlpha = p.alpha;
        g.strokeStyle = picked[j] ? '#000' : 'rgba(0,0,0,0.35)';
        g.lineWidth = picked[j] ? 2.2 : 0.6;
        g.stroke();
        drawnNeurons++;
      });
      g.globalAlpha = 1;
      // dead neurons of the current map: counted in the band under the map (they have no place in it)
      var deadHere = 0;
      for (var j2 = 0; j2 < units; j2++) { if (mp.positions[2 * j2] < 0) { deadHere++; } }
      g.fillStyle = '#333';
      g.font = '12px system-ui, sans-serif';
      g.fillText('dead neurons (constant activation, not placed) at epoch ' + mp.epoch + ': ' + deadHere, MARGIN, S + 16);
      g.strokeStyle = '#999';
      g.lineWidth = 1.2;
      for (var d = 0; d < Math.min(deadHere, 80); d++) {
        var x = MARGIN + 6 + (d % 40) * 11;
        var y = S + 27 + Math.floor(d / 40) * 11;
        g.beginPath();
        g.moveTo(x - 3, y - 3); g.lineTo(x + 3, y + 3); g.moveTo(x - 3, y + 3); g.lineTo(x + 3, y - 3);
        g.stroke();
      }
      mapLabel.textContent = maps[k].label + ': ' + Math.round(100 * maps[k].classHit) + '% of a neuron\'s 6 nearest'
        + ' neurons share its top class (' + Math.round(100 * maps[k].classChance) + '% by chance)';
      mapButtons.forEach(function (b, kk) { b.setAttribute('aria-pressed', kk === k ? 'true' : 'false'); });
      state.stats.neurons = {drawn: drawnNeurons, map: k, f: nstate.f};
      drawLegend();
    }

    function drawLegend() {
      neuronLegend.innerHTML = '';
      if (nstate.mode === 'importance') {
        var bar = el('span', {className: 'hx-bar'});
        bar.style.background = 'linear-gradient(to right, ' + [0, 0.25, 0.5, 0.75, 1].map(viridis).join(', ') + ')';
        neuronLegend.appendChild(document.createTextNode('importance for ' + D.classes[nstate.label] + ': 0 '));
        neuronLegend.appendChild(bar);
        neuronLegend.appendChild(document.createTextNode(' ' + classMax[nstate.label].toPrecision(3) + ' (one scale for all maps)'));
      } else {
        neuronLegend.appendChild(document.createTextNode('hue = class the neuron is most important for; opacity = that importance / the class\'s largest (one scale for all maps)'));
      }
    }

    function drawOverlay(brush) {
      var g = overlay.getContext('2d');
      g.clearRect(0, 0, S, S + DEAD_BAND);
      if (nstate.hover >= 0) {
        var p = position(nstate.hover);
        if (p) {
          g.beginPath();
          g.arc(p.x, p.y, 8, 0, 2 * Math.PI);
          g.strokeStyle = '#000';
          g.lineWidth = 2;
          g.stroke();
        }
      }
      if (brush) {
        g.fillStyle = 'rgba(0, 114, 178, 0.12)';
        g.strokeStyle = '#0072b2';
        g.fillRect(brush.x0, brush.y0, brush.x1 - brush.x0, brush.y1 - brush.y0);
        g.strokeRect(brush.x0, brush.y0, brush.x1 - brush.x0, brush.y1 - brush.y0);
      }
    }

    function drawMultiples() {
      multipleCanvases.forEach(function (mc) {
        var g = mc.canvas.getContext('2d');
        g.clearRect(0, 0, 96, 96);
        var mp = maps[mc.map];
        var top = classMax[mc.cls];
        for (var j = 0; j < units; j++) {
          if (mp.positions[2 * j] < 0) { continue; }
          g.fillStyle = viridis(top > 0 ? mp.importance[mc.cls][j] / top : 0);
          g.fillRect(2 + mp.positions[2 * j] / GRID * 90, 2 + (1 - mp.positions[2 * j + 1] / GRID) * 90, 2.4, 2.4);
        }
        mc.canvas.parentNode.style.outline = nstate.mode === 'importance' && nstate.label === mc.cls ? '2px solid #0072b2' : 'none';
      });
    }

    function animateTo(k) {
      var from = nstate.f;
      var start = performance.now();
      nstate.animating = true;
      function frame(now) {
        var u = Math.min(1, (now - start) / ANIMATION_MS);
        var e = u < 0.5 ? 4 * u * u * u : 1 - Math.pow(-2 * u + 2, 3) / 2;
        nstate.f = from + (k - from) * e;
        mapSlider.value = String(Math.round(nstate.f * 100));
        draw();
        if (u < 1) { requestAnimationFrame(frame); } else { nstate.animating = false; nstate.f = k; draw(); drawOverlay(); }
      }
      requestAnimationFrame(frame);
    }
    mapSlider.addEventListener('input', function () {
      nstate.f = parseInt(mapSlider.value, 10) / 100;
      draw();
      drawOverlay();
    });

    function nearestNeuron(x, y) {
      var best = -1;
      var bestD = 81;
      for (var j = 0; j < units; j++) {
        var p = position(j);
        if (!p || p.alpha < 0.5) { continue; }
        var d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
        if (d < bestD) { bestD = d; best = j; }
      }
      return best;
    }

    function showNeuronCard(j, ev) {
      var k = currentMap();
      var mp = maps[k];
      card.innerHTML = '';
      card.appendChild(el('div', {className: 'hx-line'}, [el('b', {text: 'neuron '}), el('span', {'data-field': 'neuron', text: String(j)}),
        document.createTextNode(' of layer ' + nm.layer + ', ' + mp.label)]));
      var b = mp.best[j];
      card.appendChild(el('div', {className: 'hx-line', text: b >= 0 ? 'most important for ' + D.classes[b] + ' (importance '
        + mp.importance[b][j].toPrecision(3) + ')' : 'no importance for any class'}));
      if (nstate.mode === 'importance') {
        card.appendChild(el('div', {className: 'hx-line', text: 'importance for ' + D.classes[nstate.label] + ': ' + mp.importance[nstate.label][j].toPrecision(3)}));
      }
      var r = mp.ranges[j];
      card.appendChild(el('div', {className: 'hx-line', text: 'activation range ' + r[0].toPrecision(3) + ' to ' + r[1].toPrecision(3)}));
      var tops = el('div', {className: 'hx-tops', 'data-field': 'top-images'});
      if (r[1] > r[0]) {
        card.appendChild(el('div', {className: 'hx-line', text: 'top-activating images at epoch ' + mp.epoch + ':'}));
        mp.top[j].forEach(function (i) {
          tops.appendChild(el('figure', {}, [spriteOf(i, 1.5), el('figcaption', {text: className(targets[i])})]));
        });
      }
      card.appendChild(tops);
      card.hidden = false;
      placeCard(ev);
    }

    /** Colours every observation view by the mean scaled activation of the given neurons at map k. */
    function colourByNeurons(list, k) {
      var acts = decodeMap(k);
      if (!acts || list.length === 0) { return; }
      var values = new Float32Array(N);
      var live = list.filter(function (j) { return maps[k].ranges[j][1] > maps[k].ranges[j][0]; });
      live.forEach(function (j) {
        for (var i = 0; i < N; i++) { values[i] += acts[j * N + i] / 255; }
      });
      if (live.length > 0) { for (var i2 = 0; i2 < N; i2++) { values[i2] /= live.length; } }
      var single = list.length === 1;
      var j0 = list[0];
      var range = maps[k].ranges[j0];
      // several neurons: the means stretched over the colour scale (their own range is in the legend)
      var lo = 0;
      var hi = 1;
      var means = values;
      if (!single) {
        lo = Infinity;
        hi = -Infinity;
        for (var i3 = 0; i3 < N; i3++) { lo = Math.min(lo, values[i3]); hi = Math.max(hi, values[i3]); }
        means = new Float32Array(values);
        for (var i4 = 0; i4 < N; i4++) { values[i4] = hi > lo ? (values[i4] - lo) / (hi - lo) : 0; }
      }
      state.neuronColour = {
        values: values, neurons: list.slice(), map: k, epoch: maps[k].epoch,
        label: single ? 'activation of neuron ' + j0 + ' (layer ' + nm.layer + ', epoch ' + maps[k].epoch + ')'
          : 'mean scaled activation of ' + list.length + ' neurons (layer ' + nm.layer + ', epoch ' + maps[k].epoch + ')',
        format: function (i) {
          return single ? (range[0] + values[i] * (range[1] - range[0])).toPrecision(3) : means[i].toFixed(3);
        },
        means: means,
        low: single ? range[0] : lo, high: single ? range[1] : hi
      };
      state.neuronSelection = list.slice();
      state.colourMode = 'neuron';
      colourSelect.querySelector('option[value=neuron]').disabled = false;
      colourSelect.value = 'neuron';
      redrawAll();
    }

    function clearNeurons() {
      state.neuronSelection = [];
      state.neuronColour = null;
      if (state.colourMode === 'neuron') { state.colourMode = 'true'; colourSelect.value = 'true'; }
      colourSelect.querySelector('option[value=neuron]').disabled = true;
      redrawAll();
    }

    var down = null;
    function local(ev) {
      var r = overlay.getBoundingClientRect();
      return {x: ev.clientX - r.left, y: ev.clientY - r.top};
    }
    overlay.addEventListener('mousedown', function (ev) { down = local(ev); ev.preventDefault(); });
    overlay.addEventListener('mousemove', function (ev) {
      var p = local(ev);
      if (down && (Math.abs(p.x - down.x) > 4 || Math.abs(p.y - down.y) > 4)) {
        hideCard();
        drawOverlay({x0: Math.min(down.x, p.x), y0: Math.min(down.y, p.y), x1: Math.max(down.x, p.x), y1: Math.max(down.y, p.y)});
        return;
      }
      var j = nearestNeuron(p.x, p.y);
      if (j !== nstate.hover) { nstate.hover = j; drawOverlay(); }
      if (j >= 0) { showNeuronCard(j, ev); } else { hideCard(); }
    });
    overlay.addEventListener('mouseleave', function () { nstate.hover = -1; drawOverlay(); hideCard(); });
    window.addEventListener('mouseup', function (ev) {
      if (!down) { return; }
      var start = down;
      down = null;
      if (ev.target !== overlay) { drawOverlay(); return; }
      var p = local(ev);
      var k = currentMap();
      if (Math.abs(p.x - start.x) > 4 || Math.abs(p.y - start.y) > 4) {
        var x0 = Math.min(start.x, p.x);
        var x1 = Math.max(start.x, p.x);
        var y0 = Math.min(start.y, p.y);
        var y1 = Math.max(start.y, p.y);
        var inside = [];
        for (var j = 0; j < units; j++) {
          var q = position(j);
          if (q && q.alpha >= 0.5 && q.x >= x0 && q.x <= x1 && q.y >= y0 && q.y <= y1) { inside.push(j); }
        }
        drawOverlay();
        if (inside.length) { colourByNeurons(inside, k); } else { clearNeurons(); }
        return;
      }
      var hit = nearestNeuron(p.x, p.y);
      if (hit >= 0) { colourByNeurons([hit], k); } else { clearNeurons(); }
    });

    api.neuronScreenPosition = function (j) {
      var p = position(j);
      var r = overlay.getBoundingClientRect();
      return p ? {x: r.left + p.x, y: r.top + p.y} : null;
    };
    api.showNeuronMap = animateTo;
    return {element: element, multiples: multiplesBox, draw: draw, drawMultiples: drawMultiples, state: nstate};
  }

  // ------------------------------------------------------------------ confusion, accuracy, gallery

  var row = el('div', {className: 'hx-row'});
  if (neuron) {
    var neuronRow = el('div', {className: 'hx-row'}, [neuron.element]);
    root.appendChild(neuronRow);
    root.appendChild(neuron.multiples);
  }
  var cpSelect = el('select', {id: 'confusion-checkpoint', 'aria-label': 'checkpoint of the confusion matrix and gallery'});
  D.checkpoints.forEach(function (c, k) {
    var o = el('option', {value: String(k), text: 'epoch ' + c.epoch});
    cpSelect.appendChild(o);
  });
  cpSelect.value = String(lastCheckpoint);
  cpSelect.addEventListener('change', function () { state.confusionCheckpoint = parseInt(cpSelect.value, 10); buildConfusion(); buildGallery(); });
  var confusionBox = el('div', {id: 'confusion'});
  var galleryBox = el('div', {id: 'gallery'});
  var accuracyBox = el('div', {id: 'accuracy'});
  row.appendChild(el('div', {}, [el('h3', {}, [document.createTextNode('Confusion matrix at '), cpSelect]),
    el('p', {className: 'hx-note', text: 'rows: true class, columns: predicted. Click a cell to select those observations.'}), confusionBox]));
  row.appendChild(el('div', {}, [el('h3', {text: 'Accuracy per checkpoint (on these ' + N + ' observations)'}), accuracyBox]));
  root.appendChild(row);
  root.appendChild(el('div', {}, [el('h3', {id: 'gallery-title'}), galleryBox]));

  var pickedCell = null;
  function buildConfusion() {
    var cp = state.confusionCheckpoint;
    var m = [];
    for (var a = 0; a < C; a++) { m.push(new Array(C).fill(0)); }
    for (var i = 0; i < N; i++) { m[targets[i]][predicted[cp][i]]++; }
    var max = 1;
    m.forEach(function (r, a) { r.forEach(function (v, b) { if (a !== b && v > max) { max = v; } }); });
    var t = el('table', {className: 'hx-confusion', id: 'confusion-table'});
    var head = el('tr', {}, [el('th', {text: 'true \\ predicted'})]);
    D.classes.forEach(function (n) { head.appendChild(el('th', {text: n})); });
    t.appendChild(head);
    m.forEach(function (r, a) {
      var tr = el('tr', {}, [el('th', {text: D.classes[a]})]);
      r.forEach(function (v, b) {
        var td = el('td', {text: String(v), 'data-true': String(a), 'data-predicted': String(b),
          'aria-label': v + ' observations of ' + D.classes[a] + ' predicted as ' + D.classes[b]});
        if (a === b) {
          td.className = 'diag';
          td.style.background = 'rgba(0, 158, 115, ' + (0.15 + 0.35 * v / Math.max(1, N / C)) + ')';
        } else if (v > 0) {
          td.style.background = 'rgba(213, 94, 0, ' + (0.1 + 0.6 * v / max) + ')';
        }
        if (pickedCell && pickedCell[0] === a && pickedCell[1] === b) { td.classList.add('picked'); }
        td.addEventListener('click', function () {
          pickedCell = [a, b];
          var list = [];
          for (var i = 0; i < N; i++) { if (targets[i] === a && predicted[cp][i] === b) { list.push(i); } }
          setSelection(list, false);
          buildConfusion();
        });
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    confusionBox.innerHTML = '';
    confusionBox.appendChild(t);
  }

  function buildAccuracy() {
    var t = el('table', {id: 'accuracy-table'}, [el('tr', {}, [el('th', {text: 'epoch'}), el('th', {text: 'accuracy here'}),
      el('th', {text: ''}), el('th', {text: 'test accuracy (manifest)'})])]);
    D.checkpoints.forEach(function (c) {
      var bar = el('span', {className: 'hx-acc-bar'});
      bar.style.width = Math.round(c.accuracy * 120) + 'px';
      t.appendChild(el('tr', {}, [el('td', {text: String(c.epoch)}), el('td', {text: (100 * c.accuracy).toFixed(2) + '%'}),
        el('td', {}, [bar]), el('td', {text: c.manifestAccuracy === null || c.manifestAccuracy === undefined ? '–' : (100 * c.manifestAccuracy).toFixed(2) + '%'})]));
    });
    accuracyBox.innerHTML = '';
    accuracyBox.appendChild(t);
  }

  var GALLERY_MAX = 300;
  function buildGallery() {
    var cp = state.confusionCheckpoint;
    var wrong = [];
    for (var i = 0; i < N; i++) { if (predicted[cp][i] !== targets[i]) { wrong.push(i); } }
    document.getElementById('gallery-title').textContent = 'Misclassified at epoch ' + D.checkpoints[cp].epoch + ': ' + wrong.length
      + ' of ' + N + (wrong.length > GALLERY_MAX ? ' (the first ' + GALLERY_MAX + ' shown)' : '') + ' — click an image to select it';
    galleryBox.innerHTML = '';
    wrong.slice(0, GALLERY_MAX).forEach(function (i) {
      var item = el('div', {className: 'hx-gallery-item' + (state.selected[i] ? ' selected' : ''), 'data-observation': String(i),
        title: 'observation ' + i + ': ' + className(targets[i]) + ' predicted as ' + className(predicted[cp][i])},
        [spriteOf(i, 2), el('div', {text: className(targets[i]) + '→' + className(predicted[cp][i])})]);
      item.addEventListener('click', function (ev) { setSelection([i], ev.shiftKey); });
      galleryBox.appendChild(item);
    });
  }

  function updateGallerySelection() {
    var items = galleryBox.children;
    for (var k = 0; k < items.length; k++) {
      var i = parseInt(items[k].getAttribute('data-observation'), 10);
      items[k].classList.toggle('selected', state.selected[i] === 1);
    }
  }

  function drawColourLegend() {
    legend.innerHTML = '';
    if (state.colourMode === 'neuron' && state.neuronColour) {
      var bar = el('span', {className: 'hx-bar'});
      bar.style.background = 'linear-gradient(to right, ' + [0, 0.25, 0.5, 0.75, 1].map(viridis).join(', ') + ')';
      legend.appendChild(document.createTextNode(state.neuronColour.label + ': ' + state.neuronColour.low.toPrecision(3) + ' '));
      legend.appendChild(bar);
      legend.appendChild(document.createTextNode(' ' + state.neuronColour.high.toPrecision(3)));
    } else {
      legend.appendChild(document.createTextNode(state.colourMode === 'predicted' ? 'hue = predicted class at each view\'s checkpoint'
        : 'hue = true class'));
    }
  }

  function redrawAll() {
    Object.keys(api.panels).forEach(function (k) { api.panels[k].draw(); });
    if (neuron) { neuron.draw(); }
    selectionText.textContent = state.selectedCount === 0 ? 'nothing selected'
      : state.selectedCount === 1 ? 'observation #' + state.selectedList[0] + ' selected'
      : state.selectedCount + ' observations selected';
    drawColourLegend();
    updateGallerySelection();
  }
  api.redraw = redrawAll;

  buildConfusion();
  buildAccuracy();
  buildGallery();
  redrawAll();
  if (neuron) { neuron.drawMultiples(); }
  api.readyAt = performance.now();
  api.ready = true;
  root.setAttribute('data-ready', 'true');
})();
