/*
 * Shared by the views (the report writer places every view file after this one inside one function, so these
 * names are local to the explorer): the data, the state, DOM and canvas helpers, colours and point stamps.
 */
var D = window.HAV_EXPLORER;
var root = document.getElementById('explorer-root');
if (!D || !root) {
  return;
}
var N = D.n;
var C = D.classes.length;
var targets = D.targets;
var GRID = 10000;
var MARGIN = 10;
var ANIMATION_MS = 700;
var PLAY_DWELL_MS = 600;   // pause on each step while playing
var MAX_TRAILS = 400;      // trails drawn at most; more are thinned evenly, and the view says so
var DPR = window.devicePixelRatio || 1;
var predicted = D.checkpoints.map(function (c) { return c.predicted; });
var lastCheckpoint = D.checkpoints.length - 1;
var S = window.HavState;
var state = S.create(N, C, targets, predicted);
state.confusionCheckpoint = lastCheckpoint;
// confidence and loss need the class probabilities (data.js of older reports has none: the modes stay off)
var HAS_SCORES = D.checkpoints.every(function (c) { return c.confidence && c.loss; });
// the loss colour scale ends at twice the loss of a uniform guess, ln C: p(true class) = 1/C^2
var LOSS_CAP = 2 * Math.log(Math.max(2, C));
if (HAS_SCORES) {
  S.setScores(state, D.checkpoints.map(function (c) { return c.confidence; }),
    D.checkpoints.map(function (c) { return c.loss; }), LOSS_CAP);
}
state.stats = {};
var api = window.havExplorer = {ready: false, state: state, panels: {}, stats: state.stats, maxTrails: MAX_TRAILS};
// right / wrong colours of the 'correct' mode: blue and vermilion stay apart under every colour-vision deficiency
var CORRECT_COLOURS = ['#d55e00', '#0072b2'];

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

/** Sizes a canvas to w x h CSS pixels at the device's pixel ratio (clears it). */
function sizeCanvas(c, w, h) {
  c.width = Math.round(w * DPR);
  c.height = Math.round(h * DPR);
  c.style.width = w + 'px';
  c.style.height = h + 'px';
  c.getContext('2d').setTransform(DPR, 0, 0, DPR, 0, 0);
}

function canvas(w, h, cls) {
  var c = el('canvas', {className: cls || ''});
  sizeCanvas(c, w, h);
  return c;
}

/** Draws the brush rectangle or lasso being dragged (shape from the pointer controller), if any. */
function drawSelectionShape(g, shape) {
  if (!shape || (!shape.rect && !shape.lasso)) { return; }
  g.fillStyle = 'rgba(0, 114, 178, 0.12)';
  g.strokeStyle = '#0072b2';
  g.lineWidth = 1;
  if (shape.rect) {
    var b = shape.rect;
    g.fillRect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    g.strokeRect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
  } else {
    g.beginPath();
    shape.lasso.forEach(function (p, k) { if (k === 0) { g.moveTo(p.x, p.y); } else { g.lineTo(p.x, p.y); } });
    g.closePath();
    g.fill();
    g.stroke();
  }
}

function className(c) { return c >= 0 && c < C ? D.classes[c] : String(c); }

function viridis(t) {
  var i = Math.max(0, Math.min(255, Math.round((isNaN(t) ? 0 : t) * 255)));
  return D.viridis[i];
}

function hexToRgb(h) {
  return [parseInt(h.substr(1, 2), 16), parseInt(h.substr(3, 2), 16), parseInt(h.substr(5, 2), 16)];
}

function rgbToHex(c) {
  return '#' + c.map(function (v) { var s = Math.round(v).toString(16); return s.length < 2 ? '0' + s : s; }).join('');
}

/** The colour mixed with white: the same hue, lighter (unselected points keep their class). */
function lighter(hex, amount) {
  return rgbToHex(hexToRgb(hex).map(function (v) { return v + (255 - v) * amount; }));
}

/** The colour mixed with black, for the early (deep) end of a trail. */
function darker(hex, amount) {
  return rgbToHex(hexToRgb(hex).map(function (v) { return v * (1 - amount); }));
}

/** The colour of a key of HavState.colourKey. */
function keyColour(key) {
  if (state.colourMode === 'correct') { return CORRECT_COLOURS[key]; }
  if (key >= C) { return D.viridis[key - C]; }
  return D.classColours[key % D.classColours.length];
}

/** Colour of observation i in a view of checkpoint cp. */
function colourOf(i, cp) { return keyColour(S.colourKey(state, i, cp)); }
api.colourOf = colourOf;

// Past the palette's colours (10) classes share a colour: each group of that many classes has its own marker
var PALETTE_SIZE = D.paletteSize || D.classColours.length;
var MARKERS = ['disc', 'square', 'triangle', 'diamond'];
/** Point kinds: marker m correct at 2m, misclassified (a cross, over the marker's outline past the discs) at 2m + 1. */
var KINDS = ['disc', 'cross', 'square', 'cross+square', 'triangle', 'cross+triangle', 'diamond', 'cross+diamond'];
function classMarker(c) { return Math.floor(c / PALETTE_SIZE) % MARKERS.length; }
api.classMarker = function (c) { return MARKERS[classMarker(c)]; };

/** The kind index of observation i at checkpoint cp: the marker of the class its colour shows, crossed when wrong. */
function kindOf(i, cp, wrong) {
  var c = state.colourMode === 'predicted' ? predicted[cp][i] : targets[i];
  return 2 * classMarker(c) + (wrong ? 1 : 0);
}

/** The outline of a marker shape of radius r centred at (h, h). */
function markerPath(g, shape, h, r) {
  g.beginPath();
  if (shape === 'square') {
    var q = r * 0.9;
    g.rect(h - q, h - q, 2 * q, 2 * q);
  } else if (shape === 'triangle') {
    var t = r * 1.2;
    g.moveTo(h, h - t); g.lineTo(h + t * 0.866, h + t * 0.5); g.lineTo(h - t * 0.866, h + t * 0.5); g.closePath();
  } else if (shape === 'diamond') {
    var d = r * 1.2;
    g.moveTo(h, h - d); g.lineTo(h + d, h); g.lineTo(h, h + d); g.lineTo(h - d, h); g.closePath();
  } else {
    g.arc(h, h, r, 0, 2 * Math.PI);
  }
}

var stamps = {};
/**
 * A point drawn once into a small canvas and then copied for every point of that look (copying an image is much
 * cheaper than filling one arc per point). kind: 'disc' or 'cross'; outline: a colour or ''.
 */
function stamp(colour, r, kind, outline) {
  var key = colour + '|' + r + '|' + kind + '|' + outline;
  var s = stamps[key];
  if (s) { return s; }
  var half = Math.ceil(r * 1.3 + 3);
  var c = document.createElement('canvas');
  c.width = c.height = Math.ceil(2 * half * DPR);
  var g = c.getContext('2d');
  g.scale(DPR, DPR);
  if (kind.indexOf('cross+') === 0) {
    // misclassified, past the first group of classes: the group's marker hollow, crossed
    markerPath(g, kind.substring(6), half, r);
    if (outline) { g.strokeStyle = outline; g.lineWidth = 3; g.stroke(); }
    g.strokeStyle = colour;
    g.lineWidth = 1.4;
    g.stroke();
    kind = 'cross';
  }
  if (kind === 'cross') {
    var q = r * 1.15;
    g.beginPath();
    g.moveTo(half - q, half - q); g.lineTo(half + q, half + q);
    g.moveTo(half - q, half + q); g.lineTo(half + q, half - q);
    if (outline) { g.strokeStyle = outline; g.lineWidth = 3.4; g.stroke(); }
    g.strokeStyle = colour;
    g.lineWidth = outline ? 1.8 : 1.6;
    g.stroke();
  } else {
    markerPath(g, kind, half, r);
    g.fillStyle = colour;
    g.fill();
    if (outline) { g.strokeStyle = outline; g.lineWidth = 1; g.stroke(); }
  }
  s = stamps[key] = {canvas: c, half: half};
  return s;
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

// ------------------------------------------------------------------ activations (neurons.js)

/**
 * The activations of one (layer, epoch): HAV_NEURON_ACTIVATIONS[k], units x N, one byte per value scaled to each
 * unit's range; decoded when first needed and kept.
 */
var decodedActivations = [];
function activationText(k) {
  return (window.HAV_NEURON_ACTIVATIONS || [])[k] || (window.HAV_ACTIVATIONS || {})[k];
}
function decodeActivations(k) {
  if (!decodedActivations[k]) {
    var b64 = activationText(k);
    if (!b64) { return null; }
    var bin = atob(b64);
    var a = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { a[i] = bin.charCodeAt(i); }
    decodedActivations[k] = a;
  }
  return decodedActivations[k];
}

var activationWaiters = {};
/**
 * Calls done once set k's activations are in the page: at once for the neuron maps' (neurons.js), else after its
 * own script (a set's `file`) has loaded; a script tag works from file://, where fetch does not.
 */
function loadActivations(k, done) {
  if (activationText(k)) { done(); return; }
  var set = ACTIVATION_SETS[k];
  if (!set || !set.file) { return; }
  if (activationWaiters[k]) { activationWaiters[k].push(done); return; }
  activationWaiters[k] = [done];
  var tag = document.createElement('script');
  tag.src = set.file;
  tag.onload = function () {
    var waiting = activationWaiters[k] || [];
    delete activationWaiters[k];
    waiting.forEach(function (f) { f(); });
  };
  tag.onerror = function () { delete activationWaiters[k]; };
  document.head.appendChild(tag);
}
api.loadActivations = loadActivations;

/** The (layer, epoch) activation sets of data.js; older reports have only the neuron maps' (set k = map k). */
var ACTIVATION_SETS = D.activationSets || (D.neurons ? D.neurons.maps.map(function (mp) {
  return {layer: D.neurons.layer, epoch: mp.epoch, units: D.neurons.units, ranges: mp.ranges};
}) : []);

/** Every layer's neuron maps (data.js of older reports: the one layer), in layer order. */
var NEURON_LAYERS = (D.neuronLayers || []).concat(D.neurons ? [D.neurons] : []).sort(function (a, b) { return a.layer - b.layer; });

function layerName(layer) {
  for (var k = 0; k < ACTIVATION_SETS.length; k++) {
    if (ACTIVATION_SETS[k].layer === layer && ACTIVATION_SETS[k].name) { return 'layer ' + layer + ' (' + ACTIVATION_SETS[k].name + ')'; }
  }
  return 'layer ' + layer;
}

// ------------------------------------------------------------------ the one animation loop

/**
 * Every moving thing (a view's step change, the neuron map's before/after move, play) is a task of one
 * requestAnimationFrame loop: task(now) returns true while it wants more frames.
 */
var loop = {tasks: [], running: false};
function animate(task) {
  loop.tasks.push(task);
  if (!loop.running) {
    loop.running = true;
    requestAnimationFrame(tick);
  }
}
function tick(now) {
  var tasks = loop.tasks;
  loop.tasks = [];
  var keep = [];
  tasks.forEach(function (t) { if (t(now)) { keep.push(t); } });
  loop.tasks = keep.concat(loop.tasks);
  if (loop.tasks.length) { requestAnimationFrame(tick); } else { loop.running = false; }
}
/** True when nothing is moving (for tests and the benchmark). */
api.idle = function () { return !loop.running; };

// ------------------------------------------------------------------ the hover card

var card = el('div', {className: 'hx-card', id: 'hover-card', role: 'status', 'aria-live': 'polite'});
card.hidden = true;
document.body.appendChild(card);

/** Places the card beside a pointer event, or beside an element's box when reached by keyboard. */
function placeCard(at) {
  var cx = at.clientX;
  var cy = at.clientY;
  var x = cx + 16;
  var y = cy + 16;
  var w = card.offsetWidth || 240;
  var h = card.offsetHeight || 120;
  if (x + w > window.innerWidth) { x = cx - w - 16; }
  if (y + h > window.innerHeight) { y = cy - h - 16; }
  card.style.left = Math.max(0, x) + 'px';
  card.style.top = Math.max(0, y) + 'px';
}

function hideCard() { card.hidden = true; }

/** Hover timing, kept for the benchmark: handler time, and time from the event to the next animation frame. */
api.hoverSamples = [];
function recordHover(ev, t0) {
  if (!ev || t0 === undefined) { return; }
  var handler = performance.now() - t0;
  var since = ev.timeStamp;
  requestAnimationFrame(function () {
    if (api.hoverSamples.length < 5000) {
      api.hoverSamples.push({handlerMs: handler, eventToFrameMs: performance.now() - since});
    }
  });
}
