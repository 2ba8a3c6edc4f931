/*
 * Nearest neighbours of the selected observation in activation space (not in the 2-D projection): Euclidean
 * distance between the activation vectors of the neuron view's layer, before or after training, computed from
 * the activations the page already holds (one byte per value of each neuron's range: a coordinate is off by at
 * most 1/510 of that neuron's range). Listed with images and distances, and ringed in every observation view.
 */
var NEIGHBOURS = 8;

function NeighbourView(nv) {
  var self = this;
  this.nv = nv;
  this.mapSelect = el('select', {id: 'neighbour-map', 'aria-label': 'checkpoint of the activations'});
  nv.maps.forEach(function (mp, k) { self.mapSelect.appendChild(el('option', {value: String(k), text: mp.label})); });
  this.mapSelect.value = String(nv.maps.length - 1);
  this.mapSelect.addEventListener('change', function () { self.update(); stateChanged('neighbours'); });
  this.list = el('div', {className: 'hx-neighbours', id: 'neighbour-list', role: 'list'});
  this.status = el('p', {className: 'hx-note', id: 'neighbour-status'});
  this.element = el('div', {className: 'hx-panel', id: 'panel-neighbours'}, [
    el('h3', {text: 'Nearest neighbours in the activations of layer ' + nv.nm.layer}),
    el('label', {}, [el('b', {text: 'Activations at: '}), this.mapSelect]), this.status, this.list]);
  this.key = '';
}

/** The k observations nearest to i (not i itself) at map k, nearest first: [{i, d}]. */
NeighbourView.prototype.nearest = function (i, k, count) {
  var acts = this.nv.decodeMap(k);
  if (!acts) { return null; }
  var ranges = this.nv.maps[k].ranges;
  var d2 = new Float64Array(N);
  for (var u = 0; u < this.nv.units; u++) {
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
  var found = this.nearest(i, k, NEIGHBOURS) || [];
  state.neighbours = found.map(function (f) { return f.i; });
  var cp = this.cpOf(k);
  this.status.textContent = 'Observation #' + i + ' (' + className(targets[i]) + '): its ' + found.length
    + ' nearest in layer ' + this.nv.nm.layer + ' at epoch ' + this.nv.maps[k].epoch
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
  var epoch = this.nv.maps[k].epoch;
  for (var c = 0; c < D.checkpoints.length; c++) { if (D.checkpoints[c].epoch === epoch) { return c; } }
  return -1;
};
