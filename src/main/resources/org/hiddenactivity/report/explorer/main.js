/*
 * Builds the page's explorer from the views, wires the controls to the state, and keeps the views, the selection
 * text and the URL in step: every change goes through stateChanged(), which tells each view what changed.
 */
var panels = [];
var neuronView = null;
var tables = null;
var neighbourView = null;

/** The side of an observation view: two side by side in the explorer's width, within 280..760 px. */
function panelSize() {
  var w = root.clientWidth || 960;
  return Math.floor(S.clamp(w >= 640 ? (w - 30) / 2 : w - 10, 280, 760));
}

// ------------------------------------------------------------------ hover card of an observation

function showObservationCard(i, cp, at) {
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
  if (S.predictionChanged(state, i)) {
    card.appendChild(el('div', {className: 'hx-line', text: 'prediction changed: ' + className(predicted[0][i]) + ' at epoch '
      + D.checkpoints[0].epoch + ', ' + className(predicted[lastCheckpoint][i]) + ' at epoch ' + D.checkpoints[lastCheckpoint].epoch}));
  }
  if (HAS_SCORES) {
    card.appendChild(el('div', {className: 'hx-line'}, [document.createTextNode('confidence '),
      el('span', {'data-field': 'confidence', text: state.confidence[cp][i].toFixed(3)}),
      document.createTextNode(', loss '), el('span', {'data-field': 'loss', text: state.loss[cp][i].toFixed(3)})]));
  }
  if (state.colourMode === 'neuron' && state.neuronColour) {
    card.appendChild(el('div', {className: 'hx-line', text: state.neuronColour.label + ': ' + state.neuronColour.format(i)}));
  }
  card.hidden = false;
  placeCard(at);
}

// ------------------------------------------------------------------ state changes

/** Selects observations ('replace', 'add' or 'toggle') and shows it everywhere. */
function selectObservations(list, mode) {
  S.select(state, list, mode);
  stateChanged('selection');
}
api.select = function (list, additive) { selectObservations(list, additive ? 'add' : 'replace'); };

/**
 * The one place a change reaches the views. The selection text and URL come first, so that they are right even if
 * a view fails to draw.
 */
function stateChanged(what) {
  selectionText.textContent = S.selectionText(state);
  writeUrl();
  if (what === 'step' || what === 'map') { return; }    // the view that moved draws itself on the animation loop
  colourSelect.value = state.colourMode;
  colourSelect.querySelector('option[value=neuron]').disabled = !state.neuronColour;
  syncRanges();
  if (neighbourView) { neighbourView.update(); }
  panels.forEach(function (p) { p.render(); });
  if (neuronView && what === 'colour') { neuronView.draw(); }
  if (tables) { tables.updateSelection(); }
  if (api.matrix && api.matrix.layout && (what === 'selection' || what === 'all')) { api.matrix.draw(); }
  drawColourLegend();
}
api.redraw = function () { stateChanged('all'); };

var urlTimer = null;
/** The state in the URL's fragment (#explorer?...), replaced rather than pushed: Back leaves the page. */
function writeUrl() {
  if (!api.ready) { return; }
  var q = S.toQuery(state);
  var hash = q ? '#explorer?' + q : (location.hash.indexOf('#explorer?') === 0 ? '#explorer' : location.hash);
  if (hash !== location.hash && history.replaceState) {
    try { history.replaceState(null, '', hash || location.pathname + location.search); } catch (e) { /* file:// in some browsers */ }
  }
}

/** Restores a state written by writeUrl (a link to a view). */
function readUrl(hash) {
  if (String(hash).indexOf('#explorer?') !== 0) { return false; }
  var q = S.fromQuery(hash.substring('#explorer?'.length), N, C, 0);
  var layerUnits = NEURON_LAYERS.filter(function (l) { return l.layer === (q.neuronLayer !== undefined ? q.neuronLayer : lastNeuronLayer); })[0];
  q = S.fromQuery(hash.substring('#explorer?'.length), N, C, layerUnits ? layerUnits.units : 0);
  S.setAllClasses(state, true);
  (q.hidden || []).forEach(function (c) { S.setClassFilter(state, c, false); });
  S.setFilterPredicted(state, q.predicted === undefined ? -1 : q.predicted);
  S.setMisclassifiedOnly(state, !!q.misclassifiedOnly);
  S.setChangedOnly(state, !!q.changedOnly);
  var cr = q.confidenceRange || [NaN, NaN];
  S.setConfidenceRange(state, cr[0], cr[1]);
  var lr = q.lossRange || [NaN, NaN];
  S.setLossRange(state, lr[0], lr[1]);
  for (var c = 0; c < C; c++) { document.getElementById('filter-true-' + c).checked = state.filterTrue[c] === 1; }
  predSelect.value = String(state.filterPredicted);
  misBox.checked = state.misclassifiedOnly;
  changedBox.checked = state.changedOnly;
  if (neuronView && showNeuronLayer(q.neuronLayer !== undefined ? q.neuronLayer : lastNeuronLayer)) {
    neuronView.drawMultiples();
    setTimeout(function () { api.matrix.draw(); }, 0);
  }
  if (neighbourView && q.near) { neighbourView.show(q.near[0], q.near[1]); }
  if (neuronView && q.map !== undefined && q.map < neuronView.maps.length) {
    neuronView.ns.f = q.map;
    state.neuronMap = q.map === neuronView.maps.length - 1 ? null : q.map;
    neuronView.mapSlider.value = String(q.map * 100);
  }
  if (neuronView && q.neurons && q.neurons.length) {
    neuronView.colourBy(q.neurons, neuronView.currentMap());
  }
  if (q.colour) { S.setColourMode(state, q.colour); }
  panels.forEach(function (p) {
    if (p.methods && p.methods.length > 1) { p.setMethod(q.methods && q.methods[p.id] ? q.methods[p.id] : p.methods[0].method); }
    if (q.steps && q.steps[p.id] !== undefined) { p.goTo(q.steps[p.id], true); }
  });
  var chosen = q.selection || [];
  if (q.selectClass !== undefined) {
    chosen = [];
    for (var i = 0; i < N; i++) { if (targets[i] === q.selectClass) { chosen.push(i); } }
  }
  S.select(state, chosen, 'replace');
  if (neuronView) { neuronView.settle(); }
  stateChanged('all');
  return true;
}
api.readUrl = readUrl;

// ------------------------------------------------------------------ controls

var controls = el('div', {className: 'hx-controls', id: 'explorer-controls'});
var colourSelect = el('select', {id: 'colour-mode', 'aria-label': 'colour observations by'});
[['true', 'true class'], ['predicted', 'predicted class'], ['correct', 'right or wrong (blue / vermilion)'],
  ['confidence', 'confidence: p(predicted class)'], ['loss', 'loss: −ln p(true class)'],
  ['neuron', 'activation of the chosen neuron(s)']].forEach(function (o) {
  var opt = el('option', {value: o[0], text: o[1]});
  if (o[0] === 'neuron' || ((o[0] === 'confidence' || o[0] === 'loss') && !HAS_SCORES)) { opt.disabled = true; }
  colourSelect.appendChild(opt);
});
colourSelect.addEventListener('change', function () {
  if (S.setColourMode(state, colourSelect.value)) { stateChanged('colour'); } else { colourSelect.value = state.colourMode; }
});
controls.appendChild(el('label', {}, [el('b', {text: 'Colour: '}), colourSelect]));

var classBoxes = el('fieldset', {id: 'filter-true'}, [el('legend', {text: 'True class:'})]);
D.classes.forEach(function (name, c) {
  var box = el('input', {type: 'checkbox', id: 'filter-true-' + c, 'data-class': String(c)});
  box.checked = true;
  box.addEventListener('change', function () { S.setClassFilter(state, c, box.checked); stateChanged('filter'); });
  var sw = el('span', {className: 'hx-swatch hx-mark-' + api.classMarker(c)});
  sw.style.background = D.classColours[c % D.classColours.length];
  classBoxes.appendChild(el('label', {className: 'hx-class', 'for': 'filter-true-' + c}, [box, sw, document.createTextNode(name)]));
});
function setAllClasses(on) {
  S.setAllClasses(state, on);
  for (var c = 0; c < C; c++) { document.getElementById('filter-true-' + c).checked = on; }
  stateChanged('filter');
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
predSelect.addEventListener('change', function () { S.setFilterPredicted(state, parseInt(predSelect.value, 10)); stateChanged('filter'); });
controls.appendChild(el('label', {}, [el('b', {text: 'Predicted: '}), predSelect]));

var misBox = el('input', {type: 'checkbox', id: 'filter-misclassified'});
misBox.addEventListener('change', function () { S.setMisclassifiedOnly(state, misBox.checked); stateChanged('filter'); });
controls.appendChild(el('label', {}, [misBox, document.createTextNode(' misclassified only')]));

var changedBox = el('input', {type: 'checkbox', id: 'filter-changed'});
changedBox.addEventListener('change', function () { S.setChangedOnly(state, changedBox.checked); stateChanged('filter'); });
controls.appendChild(el('label', {title: 'prediction at the first checkpoint differs from the last'},
  [changedBox, document.createTextNode(' prediction changed (epoch ' + D.checkpoints[0].epoch + ' → '
    + D.checkpoints[lastCheckpoint].epoch + ')')]));

/** A pair of number fields "from .. to" that filter by a range of confidence or loss. */
function rangeFields(id, label, max, step, apply) {
  var lo = el('input', {type: 'number', id: id + '-min', min: '0', step: step, placeholder: '0', 'aria-label': label + ' at least'});
  var hi = el('input', {type: 'number', id: id + '-max', min: '0', step: step, placeholder: max === Infinity ? 'any' : String(max),
    'aria-label': label + ' at most'});
  if (max !== Infinity) { lo.max = hi.max = String(max); }
  lo.style.width = hi.style.width = '5em';
  function changed() { apply(lo.value === '' ? NaN : parseFloat(lo.value), hi.value === '' ? NaN : parseFloat(hi.value)); stateChanged('filter'); }
  lo.addEventListener('change', changed);
  hi.addEventListener('change', changed);
  controls.appendChild(el('label', {className: 'hx-range'}, [el('b', {text: label + ': '}), lo, document.createTextNode(' to '), hi]));
  return {lo: lo, hi: hi};
}
var confFields = null;
var lossFields = null;
if (HAS_SCORES) {
  confFields = rangeFields('filter-confidence', 'Confidence', 1, '0.05', function (a, b) { S.setConfidenceRange(state, a, b); });
  lossFields = rangeFields('filter-loss', 'Loss', Infinity, '0.1', function (a, b) { S.setLossRange(state, a, b); });
}
/** The range fields show the state's ranges (after a link was opened). */
function syncRanges() {
  if (!confFields) { return; }
  function show(input, v, none) { var t = v === none ? '' : String(v); if (input.value !== t) { input.value = t; } }
  show(confFields.lo, state.confidenceRange[0], 0);
  show(confFields.hi, state.confidenceRange[1], 1);
  show(lossFields.lo, state.lossRange[0], 0);
  show(lossFields.hi, state.lossRange[1], Infinity);
}

var selectShownBtn = el('button', {type: 'button', id: 'select-filtered',
  text: 'select those shown (epoch ' + D.checkpoints[lastCheckpoint].epoch + ')',
  title: 'selects every observation that passes the filters at the last checkpoint'});
selectShownBtn.addEventListener('click', function () {
  var mask = S.visibleMask(state, lastCheckpoint);
  var list = [];
  for (var i = 0; i < N; i++) { if (mask[i]) { list.push(i); } }
  selectObservations(list, 'replace');
});
controls.appendChild(selectShownBtn);

var findBox = el('input', {type: 'text', id: 'find-observation', size: '9', inputmode: 'numeric',
  placeholder: 'index, 3-9', 'aria-label': 'select observations by index (e.g. 12 or 10-20,31)'});
var findBtn = el('button', {type: 'button', id: 'find-go', text: 'select'});
function find() { selectObservations(S.decodeRanges(findBox.value, N), 'replace'); }
findBtn.addEventListener('click', find);
findBox.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { ev.preventDefault(); find(); } });
controls.appendChild(el('label', {}, [el('b', {text: 'Observations: '}), findBox, findBtn]));

var dragSelect = el('select', {id: 'drag-tool', 'aria-label': 'what dragging in a view does'});
[['brush', 'selects a rectangle'], ['lasso', 'draws a lasso'], ['pan', 'pans (wheel zooms)']].forEach(function (o) {
  dragSelect.appendChild(el('option', {value: o[0], text: o[1]}));
});
function dragTool() { return dragSelect.value; }
controls.appendChild(el('label', {}, [el('b', {text: 'Drag: '}), dragSelect]));

var bundleBox = el('input', {type: 'checkbox', id: 'bundle-trails'});
bundleBox.checked = true;
bundleBox.addEventListener('change', function () {
  panels.forEach(function (p) { p.bundle = bundleBox.checked; p.render(); });
});
controls.appendChild(el('label', {}, [bundleBox, document.createTextNode(' bundle trails per class')]));

var selectionText = el('span', {id: 'selection-count', role: 'status', text: 'nothing selected'});
var clearBtn = el('button', {type: 'button', id: 'clear-selection', text: 'clear selection (Esc)'});
clearBtn.addEventListener('click', function () { selectObservations([], 'replace'); });
controls.appendChild(el('span', {className: 'hx-selection'}, [selectionText, document.createTextNode(' '), clearBtn]));

var linkBtn = el('a', {id: 'view-link', href: '#explorer', text: 'link to this view'});
linkBtn.addEventListener('click', function () { linkBtn.href = location.hash || '#explorer'; });
controls.appendChild(linkBtn);

var legend = el('div', {className: 'hx-legend', id: 'colour-legend'});

function drawColourLegend() {
  legend.innerHTML = '';
  if (state.colourMode === 'neuron' && state.neuronColour) {
    var bar = el('span', {className: 'hx-bar'});
    bar.style.background = 'linear-gradient(to right, ' + [0, 0.25, 0.5, 0.75, 1].map(viridis).join(', ') + ')';
    legend.appendChild(document.createTextNode(state.neuronColour.label + ': ' + state.neuronColour.low.toPrecision(3) + ' '));
    legend.appendChild(bar);
    legend.appendChild(document.createTextNode(' ' + state.neuronColour.high.toPrecision(3)));
  } else if (state.colourMode === 'confidence' || state.colourMode === 'loss') {
    var scale = el('span', {className: 'hx-bar', id: 'score-scale'});
    scale.style.background = 'linear-gradient(to right, ' + [0, 0.25, 0.5, 0.75, 1].map(viridis).join(', ') + ')';
    var isLoss = state.colourMode === 'loss';
    legend.appendChild(document.createTextNode((isLoss ? 'loss −ln p(true class) at each view\'s checkpoint: 0 '
      : 'confidence p(predicted class) at each view\'s checkpoint: 0 ')));
    legend.appendChild(scale);
    legend.appendChild(document.createTextNode(isLoss ? ' ≥ ' + LOSS_CAP.toFixed(2) + ' (p(true) ≤ 1/' + C * C + ')' : ' 1'));
  } else if (state.colourMode === 'correct') {
    legend.appendChild(el('span', {className: 'hx-swatch', style: 'background:' + CORRECT_COLOURS[1]}));
    legend.appendChild(document.createTextNode(' right at the view\'s checkpoint '));
    legend.appendChild(el('span', {className: 'hx-swatch', style: 'background:' + CORRECT_COLOURS[0]}));
    legend.appendChild(document.createTextNode(' wrong'));
  } else {
    legend.appendChild(document.createTextNode(state.colourMode === 'predicted' ? 'hue = predicted class at each view\'s checkpoint'
      : 'hue = true class'));
  }
  if (state.selectedCount > 0) {
    legend.appendChild(document.createTextNode('; unselected points lighter, selected ones ringed in black'));
  }
}

// ------------------------------------------------------------------ assembly

root.innerHTML = '';
root.appendChild(el('p', {className: 'hx-note', text: 'Hover a point to see its image and what the network predicted; '
  + 'click it to select it and draw its trail through every step (shift-click adds or removes); drag to select a region '
  + '(or a lasso, or pan: the Drag menu; alt-drag always pans); the wheel zooms. The slider and ▶ move the points from one '
  + 'snapshot to the next. Crosses are misclassified observations. A selection is shown in every view; filters hide the other '
  + 'observations. Tab reaches every view, cell and image; arrows move between points; Esc clears. The URL keeps the view.'}));
root.appendChild(controls);
root.appendChild(legend);

var panelsBox = el('div', {className: 'hx-panels'});
root.appendChild(panelsBox);
var size = panelSize();
// one view per sequence id; the same id under several projection methods is one view with a method menu
var sequenceIds = [];
var sequencesById = {};
D.sequences.forEach(function (seq) {
  if (!sequencesById[seq.id]) { sequencesById[seq.id] = []; sequenceIds.push(seq.id); }
  sequencesById[seq.id].push(seq);
});
sequenceIds.forEach(function (id) {
  var p = new Panel(sequencesById[id][0], size);
  p.offerMethods(sequencesById[id]);
  api.panels[id] = p;
  panels.push(p);
  panelsBox.appendChild(p.element);
});

function neuronViewNow() { return neuronView; }
var neuronRow = null;
var multiplesBox = null;
var matrixRow = null;
var layerSelect = null;
var lastNeuronLayer = NEURON_LAYERS.length ? NEURON_LAYERS[NEURON_LAYERS.length - 1].layer : 0;

/**
 * Shows the neuron maps (and the neuron x subset matrix) of `layer`: the views are built anew for it, and a
 * colouring by the previous layer's neurons is dropped.
 */
function showNeuronLayer(layer) {
  var nm = NEURON_LAYERS.filter(function (l) { return l.layer === layer; })[0];
  if (!nm || (neuronView && neuronView.nm === nm)) { return false; }
  if (neuronView) {
    state.neuronSelection = [];
    state.neuronColour = null;
    if (state.colourMode === 'neuron') { S.setColourMode(state, 'true'); } else { state.version.colour++; }
  }
  var old = neuronView;
  var oldMatrix = api.matrix;
  neuronView = new NeuronView(nm, Math.max(panels.length ? panels[0].size : size, 480));
  neuronView.element.insertBefore(el('label', {className: 'hx-layer-choice'}, [el('b', {text: 'Layer: '}), layerSelect]),
    neuronView.element.children[1]);
  layerSelect.value = String(nm.layer);
  api.matrix = new MatrixView(neuronView);
  if (old) {
    neuronRow.replaceChild(neuronView.element, old.element);
    multiplesBox.replaceChild(neuronView.multiples, old.multiples);
    matrixRow.replaceChild(api.matrix.element, oldMatrix.element);
  }
  state.neuronLayer = nm.layer === lastNeuronLayer ? null : nm.layer;
  api.neurons = neuronView;
  return true;
}

if (NEURON_LAYERS.length) {
  layerSelect = el('select', {id: 'neuron-layer', 'aria-label': 'layer of the neuron maps'});
  NEURON_LAYERS.forEach(function (l) { layerSelect.appendChild(el('option', {value: String(l.layer), text: layerName(l.layer)})); });
  layerSelect.addEventListener('change', function () {
    if (showNeuronLayer(parseInt(layerSelect.value, 10))) {
      neuronView.draw();
      neuronView.drawMultiples();
      if (neighbourView.show(neuronView.nm.layer, neuronView.maps[neuronView.maps.length - 1].epoch)) { neighbourView.update(); }
      stateChanged('all');
      setTimeout(function () { api.matrix.draw(); }, 0);
    }
  });
  showNeuronLayer(lastNeuronLayer);
  neighbourView = new NeighbourView(lastNeuronLayer, neuronView.maps[neuronView.maps.length - 1].epoch);
  neighbourView.update();
  neuronRow = el('div', {className: 'hx-row'}, [neuronView.element, neighbourView.element]);
  root.appendChild(neuronRow);
  multiplesBox = el('div', {}, [neuronView.multiples]);
  root.appendChild(multiplesBox);
  matrixRow = el('div', {className: 'hx-row'}, [api.matrix.element]);
  root.appendChild(matrixRow);
  neuronView.drawMultiples();
  api.neuronScreenPosition = function (j) {
    var p = neuronView.position(j);
    var r = neuronView.overlay.getBoundingClientRect();
    return p ? {x: r.left + p.x, y: r.top + p.y} : null;
  };
  api.showNeuronMap = function (k) { neuronView.animateTo(k); };
  api.neurons = neuronView;
}

if (D.units && D.units.length && D.units[0].checkpoints.length) {
  api.units = new UnitsView(D.units);
}

tables = new TableViews();
root.appendChild(tables.row);
root.appendChild(tables.gallery);
if (api.units) { root.appendChild(el('div', {className: 'hx-row'}, [api.units.element])); }
tables.buildConfusion();
tables.buildAccuracy();
tables.buildGallery();

// Esc clears the selection (and a brush or lasso in progress) wherever the focus is, except in a text field
document.addEventListener('keydown', function (ev) {
  if (ev.key !== 'Escape') { return; }
  if (ev.target && ev.target.tagName === 'INPUT' && ev.target.type === 'text') { ev.target.value = ''; }
  hideCard();
  if (state.selectedCount > 0) { selectObservations([], 'replace'); }
});

window.addEventListener('hashchange', function () {
  if (readUrl(location.hash)) { document.getElementById('explorer-root').scrollIntoView({block: 'start'}); }
});
var resizeTimer = null;
window.addEventListener('resize', function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () {
    var s = panelSize();
    if (s !== panels[0].size) { panels.forEach(function (p) { p.resize(s); }); }
    if (neuronView && Math.max(s, 480) !== neuronView.size) { neuronView.resize(Math.max(s, 480)); }
  }, 100);
});

// ------------------------------------------------------------------ for tests, the benchmark and the curious

/** Client (viewport) coordinates of observation i in a panel. */
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

/** The colour shown at (x, y) of a panel: its stacked canvases composited, as the screen shows them. */
api.pixel = function (panelId, x, y) {
  var p = api.panels[panelId];
  var out = [0, 0, 0, 0];
  [p.base, p.trails, p.top].forEach(function (c) {
    var d = c.getContext('2d').getImageData(Math.round(x * DPR), Math.round(y * DPR), 1, 1).data;
    var a = d[3] / 255;
    var b = out[3] / 255;
    var o = a + b * (1 - a);
    for (var k = 0; k < 3; k++) { out[k] = o > 0 ? (d[k] * a + out[k] * b * (1 - a)) / o : 0; }
    out[3] = o * 255;
  });
  return out.map(Math.round);
};

drawColourLegend();
if (neuronView) { neuronView.draw(); }
api.ready = true;
if (!readUrl(location.hash)) { stateChanged('all'); }
api.readyAt = performance.now();
root.setAttribute('data-ready', 'true');
// the matrix decodes the neuron activations (also the neighbours' input) after the page is shown
if (neuronView) { setTimeout(function () { api.matrix.draw(); }, 0); }
