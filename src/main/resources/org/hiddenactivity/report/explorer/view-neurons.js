/*
 * The neuron view: the neuron map of one layer before and after training on one layout, each neuron's importance
 * shown by its size and its colour (hue = the class it matters most for, or a viridis scale for one class), the
 * small multiples of importance per class, and the link to the observations (click or brush neurons to colour the
 * observations by their activation).
 */
var DEAD_BAND = 46;
var MULTIPLE = 96;

function NeuronView(nm, size) {
  var self = this;
  this.nm = nm;
  this.units = nm.units;
  this.maps = nm.maps;
  this.size = size;
  this.classMax = [];      // per class: largest importance over all maps (one scale)
  var maps = this.maps;
  for (var c = 0; c < C; c++) {
    var m = 0;
    maps.forEach(function (mp) { mp.importance[c].forEach(function (v) { if (v > m) { m = v; } }); });
    this.classMax.push(m);
  }
  maps.forEach(function (mp) {
    var best = new Int16Array(self.units);
    for (var j = 0; j < self.units; j++) {
      var b = -1;
      var bv = 0;
      for (var c2 = 0; c2 < C; c2++) {
        if (mp.importance[c2][j] > bv) { bv = mp.importance[c2][j]; b = c2; }
      }
      best[j] = b;
    }
    mp.best = best;
  });
  var last = maps.length - 1;
  this.ns = {map: last, f: last, mode: 'discriminative', label: 0, hover: -1, focus: -1, animating: false};
  state.neuronMap = null;

  this.points = canvas(size, size + DEAD_BAND, 'hx-points');
  this.overlay = canvas(size, size + DEAD_BAND, 'hx-overlay');
  this.overlay.setAttribute('data-panel', 'neurons');
  this.overlay.setAttribute('tabindex', '0');
  this.overlay.setAttribute('role', 'application');
  this.overlay.setAttribute('aria-label', 'neuron map: hover a neuron to see its top-activating images, click it to'
    + ' colour the observations by its activation, drag to select several. Keyboard: arrows move between neurons,'
    + ' Enter colours by the focused neuron, Esc clears.');
  this.wrap = el('div', {className: 'hx-canvas-wrap'}, [this.points, this.overlay]);
  this.modeSelect = el('select', {id: 'neuron-colour', 'aria-label': 'colour neurons by'});
  this.modeSelect.appendChild(el('option', {value: 'discriminative', text: 'class it is most important for'}));
  D.classes.forEach(function (name, c3) { self.modeSelect.appendChild(el('option', {value: 'class-' + c3, text: 'importance for ' + name + ' vs rest'})); });
  this.modeSelect.addEventListener('change', function () {
    var v = self.modeSelect.value;
    if (v === 'discriminative') { self.ns.mode = 'discriminative'; } else { self.ns.mode = 'importance'; self.ns.label = parseInt(v.substr(6), 10); }
    self.draw();
    self.drawMultiples();
  });
  this.mapSlider = el('input', {type: 'range', min: '0', max: String(Math.max(1, last) * 100), step: '1',
    value: String(last * 100), id: 'neuron-slider', 'aria-label': 'neuron map: before to after training'});
  this.mapLabel = el('span', {className: 'hx-step-label', id: 'neuron-map-label'});
  this.mapButtons = maps.map(function (mp, k) {
    var b = el('button', {type: 'button', id: 'neuron-map-' + k, text: mp.label});
    b.addEventListener('click', function () { self.animateTo(k); });
    return b;
  });
  var stepper = el('div', {className: 'hx-stepper'}, this.mapButtons.concat([this.mapSlider]));
  if (maps.length < 2) { this.mapSlider.style.display = 'none'; }
  this.mapSlider.addEventListener('input', function () {
    self.ns.animation = null;
    self.ns.f = S.clamp(parseInt(self.mapSlider.value, 10) / 100, 0, last);
    self.settle();
  });
  var multiples = el('div', {className: 'hx-multiples', id: 'importance-multiples'});
  multiples.style.gridTemplateColumns = 'repeat(' + C + ', auto)';
  this.multipleCanvases = [];
  maps.forEach(function (mp, k) {
    for (var c4 = 0; c4 < C; c4++) {
      var cv = canvas(MULTIPLE, MULTIPLE);
      var fig = el('button', {type: 'button', className: 'hx-multiple', title: 'importance for ' + D.classes[c4] + ', ' + mp.label,
        'data-class': String(c4), 'data-map': String(k)},
        [cv, el('span', {text: D.classes[c4] + (maps.length > 1 ? (k === 0 ? ' before' : ' after') : '')})]);
      (function (cc) {
        fig.addEventListener('click', function () {
          self.modeSelect.value = 'class-' + cc; self.ns.mode = 'importance'; self.ns.label = cc; self.draw(); self.drawMultiples();
        });
      })(c4);
      multiples.appendChild(fig);
      self.multipleCanvases.push({canvas: cv, map: k, cls: c4, figure: fig});
    }
  });
  this.legend = el('div', {className: 'hx-legend', id: 'neuron-legend'});
  this.element = el('div', {className: 'hx-panel', id: 'panel-neurons'}, [
    el('h3', {text: 'Neurons of ' + layerName(nm.layer) + ' — ' + nm.layout + (maps.length > 1 ? ', ' + nm.alignment : '')}),
    el('label', {}, [el('b', {text: 'Colour: '}), this.modeSelect]), this.legend, this.wrap, stepper, this.mapLabel]);
  this.multiples = el('div', {}, [el('h3', {text: 'Importance for every class (one colour scale per class'
    + (maps.length > 1 ? ', shared by both maps; top row before training, bottom row after' : '') + ')'}), multiples]);
  HavPointer.attach(this.overlay, this);
  this.overlay.addEventListener('keydown', function (ev) { self.key(ev); });
  this.overlay.addEventListener('blur', function () { self.ns.focus = -1; self.drawOverlay(); });
  this.resize(size);
}

NeuronView.prototype.resize = function (size) {
  this.size = size;
  sizeCanvas(this.points, size, size + DEAD_BAND);
  sizeCanvas(this.overlay, size, size + DEAD_BAND);
  this.wrap.style.width = size + 'px';
  this.wrap.style.height = (size + DEAD_BAND) + 'px';
  this.draw();
  this.drawOverlay();
};

NeuronView.prototype.decodeMap = function (k, then) {
  var mp = this.maps[k];
  if (!mp) { return null; }
  var set = mp.act !== undefined ? mp.act : k;
  var acts = decodeActivations(set);
  if (!acts) {
    // another layer's activations load on first use; the matrix (their first user) draws again then
    loadActivations(set, then || function () { if (api.matrix && api.matrix.nv === neuronViewNow()) { api.matrix.draw(); } });
  }
  return acts;
};

/** Where neuron j is drawn at the current (interpolated) map; a neuron dead in one map appears where it is alive. */
NeuronView.prototype.position = function (j) {
  var maps = this.maps;
  var f = S.clamp(this.ns.f, 0, maps.length - 1);
  var k0 = Math.min(maps.length - 1, Math.floor(f));
  var k1 = Math.min(maps.length - 1, k0 + 1);
  var u = f - k0;
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
  var S2 = this.size;
  return {x: MARGIN + ((x0 + (x1 - x0) * u) / GRID) * (S2 - 2 * MARGIN),
    y: MARGIN + (1 - (y0 + (y1 - y0) * u) / GRID) * (S2 - 2 * MARGIN), alpha: alpha};
};

/** Importance of neuron j at map k as a share (0..1) of the largest of its class, and the colour showing it. */
NeuronView.prototype.look = function (j, k) {
  var mp = this.maps[k];
  if (this.ns.mode === 'importance') {
    var top = this.classMax[this.ns.label];
    var o = top > 0 ? mp.importance[this.ns.label][j] / top : 0;
    return {colour: viridis(o), share: o};
  }
  var b = mp.best[j];
  if (b < 0) { return {colour: '#bbbbbb', share: 0}; }
  var o2 = this.classMax[b] > 0 ? mp.importance[b][j] / this.classMax[b] : 0;
  // importance by size and by colour: the class hue, from light (little) to full (the class's largest)
  return {colour: lighter(D.classColours[b % D.classColours.length], 0.75 * (1 - o2)), share: o2};
};

NeuronView.prototype.currentMap = function () { return Math.round(S.clamp(this.ns.f, 0, this.maps.length - 1)); };

/** Radius of a neuron of importance share o: 2.5 px (none) to 7.5 px (the class's largest), area growing with o. */
function neuronRadius(o) { return 2.5 + 5 * Math.sqrt(S.clamp(o, 0, 1)); }

NeuronView.prototype.draw = function () {
  var S2 = this.size;
  var g = this.points.getContext('2d');
  g.clearRect(0, 0, S2, S2 + DEAD_BAND);
  var k = this.currentMap();
  var mp = this.maps[k];
  var self = this;
  var picked = {};
  state.neuronSelection.forEach(function (j) { picked[j] = true; });
  var order = [];
  for (var j = 0; j < this.units; j++) { order.push({j: j, look: this.look(j, k)}); }
  order.sort(function (a, b) { return a.look.share - b.look.share; });   // the important ones on top
  var drawnNeurons = 0;
  order.forEach(function (o) {
    var p = self.position(o.j);
    if (!p) { return; }
    g.globalAlpha = p.alpha;
    g.beginPath();
    g.arc(p.x, p.y, neuronRadius(o.look.share), 0, 2 * Math.PI);
    g.fillStyle = o.look.colour;
    g.fill();
    g.strokeStyle = picked[o.j] ? '#000' : 'rgba(0,0,0,0.45)';
    g.lineWidth = picked[o.j] ? 2.2 : 0.7;
    g.stroke();
    drawnNeurons++;
  });
  g.globalAlpha = 1;
  // dead neurons of the current map: counted in the band under the map (they have no place in it)
  var deadHere = 0;
  for (var j2 = 0; j2 < this.units; j2++) { if (mp.positions[2 * j2] < 0) { deadHere++; } }
  g.fillStyle = '#333';
  g.font = '12px system-ui, sans-serif';
  g.fillText('dead neurons (constant activation, not placed) at epoch ' + mp.epoch + ': ' + deadHere, MARGIN, S2 + 16);
  g.strokeStyle = '#999';
  g.lineWidth = 1.2;
  var perRow = Math.floor((S2 - 2 * MARGIN) / 11);
  for (var d = 0; d < Math.min(deadHere, 2 * perRow); d++) {
    var x = MARGIN + 6 + (d % perRow) * 11;
    var y = S2 + 27 + Math.floor(d / perRow) * 11;
    g.beginPath();
    g.moveTo(x - 3, y - 3); g.lineTo(x + 3, y + 3); g.moveTo(x - 3, y + 3); g.lineTo(x + 3, y - 3);
    g.stroke();
  }
  this.mapLabel.textContent = mp.label + ': ' + Math.round(100 * mp.classHit) + '% of a neuron\'s 6 nearest'
    + ' neurons share its top class (' + Math.round(100 * mp.classChance) + '% by chance)';
  this.mapButtons.forEach(function (b, kk) { b.setAttribute('aria-pressed', kk === k ? 'true' : 'false'); });
  state.stats.neurons = {drawn: drawnNeurons, map: k, f: this.ns.f};
  this.drawLegend();
};

NeuronView.prototype.drawLegend = function () {
  var legend = this.legend;
  legend.innerHTML = '';
  var sizes = el('span', {className: 'hx-size-key'});
  [0, 0.25, 1].forEach(function (o) {
    var dot = el('span', {className: 'hx-dot'});
    var r = neuronRadius(o);
    dot.style.width = dot.style.height = (2 * r) + 'px';
    sizes.appendChild(dot);
  });
  if (this.ns.mode === 'importance') {
    var bar = el('span', {className: 'hx-bar'});
    bar.style.background = 'linear-gradient(to right, ' + [0, 0.25, 0.5, 0.75, 1].map(viridis).join(', ') + ')';
    legend.appendChild(document.createTextNode('importance for ' + D.classes[this.ns.label] + ': 0 '));
    legend.appendChild(bar);
    legend.appendChild(document.createTextNode(' ' + this.classMax[this.ns.label].toPrecision(3) + '; size also grows with it '));
    legend.appendChild(sizes);
  } else {
    legend.appendChild(document.createTextNode('hue = class the neuron is most important for; size and depth of colour = that'
      + ' importance / the class\'s largest (one scale for all maps) '));
    legend.appendChild(sizes);
  }
};

NeuronView.prototype.gesture = function (shape) { this.drawOverlay(shape); };

NeuronView.prototype.drawOverlay = function (shape) {
  var g = this.overlay.getContext('2d');
  g.clearRect(0, 0, this.size, this.size + DEAD_BAND);
  var self = this;
  function ring(j, r, colour, width, dash) {
    var p = self.position(j);
    if (!p) { return; }
    g.beginPath();
    g.arc(p.x, p.y, r, 0, 2 * Math.PI);
    g.setLineDash(dash || []);
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.stroke();
    g.setLineDash([]);
  }
  if (this.ns.hover >= 0) { ring(this.ns.hover, 9, '#000', 2); }
  if (this.ns.focus >= 0) { ring(this.ns.focus, 12, '#0050a0', 3, [4, 3]); }
  drawSelectionShape(g, shape);
};

NeuronView.prototype.drawMultiples = function () {
  var self = this;
  this.multipleCanvases.forEach(function (mc) {
    var g = mc.canvas.getContext('2d');
    g.clearRect(0, 0, MULTIPLE, MULTIPLE);
    var mp = self.maps[mc.map];
    var top = self.classMax[mc.cls];
    for (var j = 0; j < self.units; j++) {
      if (mp.positions[2 * j] < 0) { continue; }
      var o = top > 0 ? mp.importance[mc.cls][j] / top : 0;
      var r = 0.8 + 1.6 * Math.sqrt(o);
      g.fillStyle = viridis(o);
      g.fillRect(2 + mp.positions[2 * j] / GRID * 90 - r, 2 + (1 - mp.positions[2 * j + 1] / GRID) * 90 - r, 2 * r, 2 * r);
    }
    var on = self.ns.mode === 'importance' && self.ns.label === mc.cls;
    mc.figure.classList.toggle('current', on);
    mc.figure.setAttribute('aria-pressed', on ? 'true' : 'false');
  });
};

/** Moves the map to map k on the shared animation loop; the progress is clamped, so f never leaves [0, maps - 1]. */
NeuronView.prototype.animateTo = function (k) {
  var self = this;
  var last = this.maps.length - 1;
  k = S.clamp(k, 0, last);
  var from = S.clamp(this.ns.f, 0, last);
  var start = performance.now();
  var token = {};
  this.ns.animation = token;
  this.ns.animating = true;
  state.neuronMap = k === last ? null : k;
  stateChanged('map');
  animate(function (now) {
    if (self.ns.animation !== token) { return false; }
    var u = S.progress(now, start, ANIMATION_MS);
    self.ns.f = S.between(from, k, u, last);
    self.mapSlider.value = String(Math.round(self.ns.f * 100));
    self.draw();
    if (u < 1) { return true; }
    self.ns.f = k;
    self.ns.animating = false;
    self.settle();
    return false;
  });
};

NeuronView.prototype.settle = function () {
  this.draw();
  this.drawOverlay();
};

NeuronView.prototype.hit = function (x, y) {
  var best = -1;
  var bestD = 81;
  for (var j = 0; j < this.units; j++) {
    var p = this.position(j);
    if (!p || p.alpha < 0.5) { continue; }
    var d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
    if (d < bestD) { bestD = d; best = j; }
  }
  return best;
};

NeuronView.prototype.tool = function () { return dragTool() === 'lasso' ? 'lasso' : 'brush'; };

NeuronView.prototype.hover = function (j, ev) {
  if (j !== this.ns.hover) { this.ns.hover = j; this.drawOverlay(); }
  if (j >= 0) { this.showCard(j, ev); } else if (this.ns.focus < 0) { hideCard(); }
};

NeuronView.prototype.showCard = function (j, at) {
  var k = this.currentMap();
  var mp = this.maps[k];
  card.innerHTML = '';
  card.appendChild(el('div', {className: 'hx-line'}, [el('b', {text: 'neuron '}), el('span', {'data-field': 'neuron', text: String(j)}),
    document.createTextNode(' of layer ' + this.nm.layer + ', ' + mp.label)]));
  var b = mp.best[j];
  card.appendChild(el('div', {className: 'hx-line', text: b >= 0 ? 'most important for ' + D.classes[b] + ' (importance '
    + mp.importance[b][j].toPrecision(3) + ')' : 'no importance for any class'}));
  if (this.ns.mode === 'importance') {
    card.appendChild(el('div', {className: 'hx-line', text: 'importance for ' + D.classes[this.ns.label] + ': ' + mp.importance[this.ns.label][j].toPrecision(3)}));
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
  placeCard(at);
};

NeuronView.prototype.click = function (j) {
  if (j >= 0) { this.colourBy([j], this.currentMap()); } else { this.clear(); }
};

NeuronView.prototype.pick = function (test) {
  var inside = [];
  for (var j = 0; j < this.units; j++) {
    var q = this.position(j);
    if (q && q.alpha >= 0.5 && test(q.x, q.y)) { inside.push(j); }
  }
  if (inside.length) { this.colourBy(inside, this.currentMap()); } else { this.clear(); }
};

NeuronView.prototype.brush = function (b) {
  this.pick(function (x, y) { return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1; });
};

NeuronView.prototype.lasso = function (poly) {
  this.pick(function (x, y) { return HavPointer.insidePolygon(poly, x, y); });
};

/** Colours every observation view by the mean scaled activation of the given neurons at map k. */
NeuronView.prototype.colourBy = function (list, k) {
  var self = this;
  var acts = this.decodeMap(k, function () { if (neuronViewNow() === self) { self.colourBy(list, k); } });
  if (!acts || list.length === 0) { return; }
  var maps = this.maps;
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
  var layer = this.nm.layer;
  state.neuronColour = {
    values: values, neurons: list.slice(), map: k, epoch: maps[k].epoch,
    label: single ? 'activation of neuron ' + j0 + ' (layer ' + layer + ', epoch ' + maps[k].epoch + ')'
      : 'mean scaled activation of ' + list.length + ' neurons (layer ' + layer + ', epoch ' + maps[k].epoch + ')',
    format: function (i) {
      return single ? (range[0] + values[i] * (range[1] - range[0])).toPrecision(3) : means[i].toFixed(3);
    },
    means: means,
    low: single ? range[0] : lo, high: single ? range[1] : hi
  };
  state.neuronSelection = list.slice();
  S.setColourMode(state, 'neuron');
  stateChanged('colour');
};

NeuronView.prototype.clear = function () {
  if (!state.neuronSelection.length && !state.neuronColour) { return; }
  state.neuronSelection = [];
  state.neuronColour = null;
  if (state.colourMode === 'neuron') { S.setColourMode(state, 'true'); } else { state.version.colour++; }
  stateChanged('colour');
};

/** Keyboard: arrows move the focus between neurons, Enter colours the observations by the focused one. */
NeuronView.prototype.key = function (ev) {
  var dirs = {ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
  var ns = this.ns;
  if (dirs[ev.key]) {
    var d = dirs[ev.key];
    if (ns.focus < 0 || !this.position(ns.focus)) {
      ns.focus = this.hit(this.size / 2, this.size / 2);
      for (var j0 = 0; ns.focus < 0 && j0 < this.units; j0++) { if (this.position(j0)) { ns.focus = j0; } }
    } else {
      var f = this.position(ns.focus);
      var best = -1;
      var bestScore = Infinity;
      for (var j = 0; j < this.units; j++) {
        var p = this.position(j);
        if (!p || j === ns.focus) { continue; }
        var dx = p.x - f.x;
        var dy = p.y - f.y;
        var along = dx * d[0] + dy * d[1];
        var across = Math.abs(dx * d[1] - dy * d[0]);
        if (along <= 0 || across > along) { continue; }
        var score = along + 2 * across;
        if (score < bestScore) { bestScore = score; best = j; }
      }
      if (best >= 0) { ns.focus = best; }
    }
    ev.preventDefault();
  } else if ((ev.key === 'Enter' || ev.key === ' ') && ns.focus >= 0) {
    this.colourBy([ns.focus], this.currentMap());
    ev.preventDefault();
  } else {
    return;
  }
  this.drawOverlay();
  if (ns.focus >= 0) {
    var r = this.overlay.getBoundingClientRect();
    var q = this.position(ns.focus);
    this.showCard(ns.focus, {clientX: r.left + q.x, clientY: r.top + q.y});
  }
  api.focused = {panel: 'neurons', neuron: ns.focus};
};
