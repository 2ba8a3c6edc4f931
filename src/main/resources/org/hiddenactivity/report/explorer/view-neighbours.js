/*
 * Nearest neighbours of the selected observation in activation space (not in the 2-D projection): Euclidean
 * distance between the activation vectors of any layer at any checkpoint an observation view or neuron map shows,
 * computed from the activations the page holds (one byte per value of each neuron's range: a coordinate is off by at
 * most 1/510 of that neuron's range). Listed with images and distances, and ringed in every observation view.
 */
var NEIGHBOURS = 8;

function NeighbourView(layer, epoch) {
  var self = this;
  this.mapSelect = el('select', {id: 'neighbour-map', 'aria-label': 'layer and checkpoint of the activations'});
  var order = ACTIVATION_SETS.map(function (a, k) { return k; }).sort(function (a, b) {
    return ACTIVATION_SETS[a].layer - ACTIVATION_SETS[b].layer || ACTIVATION_SETS[a].epoch - ACTIVATION_SETS[b].epoch;
  });
  order.forEach(function (k) {
    var a = ACTIVATION_SETS[k];
    self.mapSelect.appendChild(el('option', {value: String(k), 'data-layer': String(a.layer), 'data-epoch': String(a.epoch),
      text: layerName(a.layer) + ', epoch ' + a.epoch}));
  });
  this.show(layer, epoch);
  this.defaultSet = this.mapSelect.value;
  this.mapSelect.addEventListener('change', function () { self.sync(); self.update(); stateChanged('neighbours'); });
  this.list = el('div', {className: 'hx-neighbours', id: 'neighbour-list', role: 'list'});
  this.status = el('p', {className: 'hx-note', id: 'neighbour-status'});
  this.element = el('div', {className: 'hx-panel', id: 'panel-neighbours'}, [
    el('h3', {text: 'Nearest neighbours in activation space'}),
    el('label', {}, [el('b', {text: 'Activations of: '}), this.mapSelect]), this.status, this.list]);
  this.key = '';
}

/** The index of the activation set of (layer, epoch), or -1. */
function activationSet(layer, epoch) {
  for (var k = 0; k < ACTIVATION_SETS.length; k++) {
    if (ACTIVATION_SETS[k].layer === layer && ACTIVATION_SETS[k].epoch === epoch) { return k; }
  }
  return -1;
}

/** Chooses the activations of (layer, epoch) when the page has them; true if it did. */
NeighbourView.prototype.show = function (layer, epoch) {
  var k = activationSet(layer, epoch);
  if (k < 0) { return false; }
  this.mapSelect.value = String(k);
  this.sync();
  return true;
};

/** The chosen activations in the state (for the URL); the default is left out. */
NeighbourView.prototype.sync = function () {
  var a = this.chosen();
  state.neighbourSet = !a || this.mapSelect.value === this.defaultSet ? null : [a.layer, a.epoch];
};

/** The chosen activation set: {layer, epoch}. */
NeighbourView.prototype.chosen = function () { return ACTIVATION_SETS[parseInt(this.mapSelect.value, 10)]; };

/** The k observations nearest to i (not i itself) at map k, nearest first: [{i, d}]. */
NeighbourView.prototype.nearest = function (i, k, count) {
  var acts = decodeActivations(k);
  if (!acts) { return null; }
  var ranges = ACTIVATION_SETS[k].ranges;
  var units = ranges.length;
  var d2 = new Float64Array(N);
  for (var u = 0; u < units; u++) {
    var span = (ranges[u][1] - ranges[u][0]) / 255;
    if (!(span > 0)) { continue; }
    var row = u * N;
    var a = acts[row + i];
    var s2 = span * span;
    for (var j = 0; j < N; j++) {
      var diff = acts[row + j] - a;
      d2[j] += diff * diff * s2;
    }
  }
  var best = [];
  for (var j2 = 0; j2 < N; j2++) {
    if (j2 === i) { continue; }
    if (best.length < count || d2[j2] < best[best.length - 1].d2) {
      var at = best.length < count ? best.length : count - 1;
      if (best.length < count) { best.push(null); }
      while (at > 0 && best[at - 1].d2 > d2[j2]) { best[at] = best[at - 1]; at--; }
      best[at] = {i: j2, d2: d2[j2]};
    }
  }
  return best.map(function (b) { return {i: b.i, d: Math.sqrt(b.d2)}; });
};

/** Recomputes the list when the selection is one observation, else says what to do; rings the neighbours. */
NeighbourView.prototype.update = function () {
  var self = this;
  var k = parseInt(this.mapSelect.value, 10);
  var key = state.selectedCount === 1 ? state.selectedList[0] + '@' + k : 'none';
  if (key === this.key) { return; }
  this.key = key;
  this.list.innerHTML = '';
  if (state.selectedCount !== 1) {
    state.neighbours = [];
    this.status.textContent = 'Select one observation to list its ' + NEIGHBOURS + ' nearest neighbours here.';
    return;
  }
  var i = state.selectedList[0];
  if (!decodeActivations(k)) {
    // a set not in neurons.js: its script loads first, then the list is made
    state.neighbours = [];
    this.status.textContent = 'Loading the activations of ' + layerName(ACTIVATION_SETS[k].layer) + ' at epoch '
      + ACTIVATION_SETS[k].epoch + '…';
    this.key = '';
    loadActivations(k, function () { if (parseInt(self.mapSelect.value, 10) === k) { self.update(); stateChanged('neighbours'); } });
    return;
  }
  var found = this.nearest(i, k, NEIGHBOURS) || [];
  state.neighbours = found.map(function (f) { return f.i; });
  var cp = this.cpOf(k);
  this.status.textContent = 'Observation #' + i + ' (' + className(targets[i]) + '): its ' + found.length
    + ' nearest in ' + layerName(ACTIVATION_SETS[k].layer) + ' at epoch ' + ACTIVATION_SETS[k].epoch
    + ' (Euclidean distance of the activations); ringed in magenta in the views above.';
  found.forEach(function (f) {
    var p = cp >= 0 ? predicted[cp][f.i] : -1;
    var item = el('button', {type: 'button', className: 'hx-neighbour', role: 'listitem', 'data-observation': String(f.i),
      'data-distance': String(f.d), title: 'observation ' + f.i + ': select it'},
      [spriteOf(f.i, 2), el('span', {text: '#' + f.i + ' ' + className(targets[f.i]) + (p >= 0 && p !== targets[f.i] ? '→' + className(p) : '')}),
        el('span', {className: 'hx-distance', text: 'd = ' + f.d.toPrecision(3)})]);
    item.addEventListener('click', function () { selectObservations([f.i], 'replace'); });
    self.list.appendChild(item);
  });
};

/** The checkpoint index of map k's epoch, or -1. */
NeighbourView.prototype.cpOf = function (k) {
  var epoch = ACTIVATION_SETS[k].epoch;
  for (var c = 0; c < D.checkpoints.length; c++) { if (D.checkpoints[c].epoch === epoch) { return c; } }
  return -1;
};
