/*
 * An ActiVis-style neuron x subset matrix for the neuron view's layer: one column per neuron, one row per subset
 * of observations (each true class, the current selection, the picked confusion cell), each cell the subset's mean
 * activation of that neuron scaled to the neuron's range (0..1, viridis). Below, the difference of two chosen
 * subsets (A - B, blue below zero, vermilion above), e.g. the 5s predicted as 3 against all the 5s; the neurons
 * may be sorted by that difference.
 */
var MATRIX_LABEL = 150;
var MATRIX_ROW = 14;

function MatrixView(nv) {
  var self = this;
  this.nv = nv;
  this.classMeans = [];   // per map: C rows of units means
  this.mapSelect = el('select', {id: 'matrix-map', 'aria-label': 'checkpoint of the activations'});
  nv.maps.forEach(function (mp, k) { self.mapSelect.appendChild(el('option', {value: String(k), text: mp.label})); });
  this.mapSelect.value = String(nv.maps.length - 1);
  this.aSelect = el('select', {id: 'matrix-a', 'aria-label': 'subset A of the difference'});
  this.bSelect = el('select', {id: 'matrix-b', 'aria-label': 'subset B of the difference'});
  this.sortBox = el('input', {type: 'checkbox', id: 'matrix-sort'});
  [this.mapSelect, this.aSelect, this.bSelect, this.sortBox].forEach(function (c) {
    c.addEventListener('change', function () { self.draw(); });
  });
  this.canvas = canvas(100, 100, 'hx-matrix');
  this.canvas.id = 'matrix-canvas';
  this.top = el('p', {className: 'hx-note', id: 'matrix-top'});
  this.element = el('div', {className: 'hx-panel', id: 'panel-matrix'}, [
    el('h3', {text: 'Neurons of layer ' + nv.nm.layer + ' x subsets: mean activation (each neuron scaled to its range)'}),
    el('div', {className: 'hx-controls'}, [
      el('label', {}, [el('b', {text: 'Activations at: '}), this.mapSelect]),
      el('label', {}, [el('b', {text: 'Difference A: '}), this.aSelect]),
      el('label', {}, [el('b', {text: ' − B: '}), this.bSelect]),
      el('label', {}, [this.sortBox, document.createTextNode(' sort neurons by |A − B|')])]),
    this.canvas, this.top]);
}

/** The subsets: every true class, the selection, the picked confusion cell, all observations. */
MatrixView.prototype.subsets = function () {
  var out = [];
  for (var c = 0; c < C; c++) { out.push({key: 'class-' + c, label: 'true ' + D.classes[c], cls: c}); }
  if (state.selectedCount > 0) { out.push({key: 'selection', label: 'selection (' + state.selectedCount + ')', list: state.selectedList}); }
  var cell = tables && tables.pickedCell;
  if (cell) {
    var cp = state.confusionCheckpoint;
    var list = [];
    for (var i = 0; i < N; i++) { if (targets[i] === cell[0] && predicted[cp][i] === cell[1]) { list.push(i); } }
    out.push({key: 'cell', label: D.classes[cell[0]] + ' predicted ' + D.classes[cell[1]] + ' (' + list.length + ')', list: list});
  }
  out.push({key: 'all', label: 'all (' + N + ')', all: true});
  return out;
};

/** Mean scaled activation per neuron over a subset at map k (a Float32Array of units; NaN for an empty subset). */
MatrixView.prototype.means = function (subset, k) {
  var units = this.nv.units;
  var acts = this.nv.decodeMap(k);
  var out = new Float32Array(units);
  if (!acts) { out.fill(NaN); return out; }
  if (subset.cls !== undefined) {
    var cm = this.classMeans[k] || (this.classMeans[k] = this.allClassMeans(acts));
    return cm[subset.cls];
  }
  if (subset.all && this.allMeans && this.allMeans[k]) { return this.allMeans[k]; }
  var list = subset.list;
  var count = subset.all ? N : list.length;
  for (var j = 0; j < units; j++) {
    var row = j * N;
    var s = 0;
    if (subset.all) { for (var i = 0; i < N; i++) { s += acts[row + i]; } } else { for (var q = 0; q < list.length; q++) { s += acts[row + list[q]]; } }
    out[j] = count > 0 ? s / count / 255 : NaN;
  }
  if (subset.all) { (this.allMeans = this.allMeans || [])[k] = out; }
  return out;
};

MatrixView.prototype.allClassMeans = function (acts) {
  var units = this.nv.units;
  var sums = [];
  var counts = new Float64Array(C);
  for (var c = 0; c < C; c++) { sums.push(new Float32Array(units)); }
  for (var i = 0; i < N; i++) { counts[targets[i]]++; }
  for (var j = 0; j < units; j++) {
    var row = j * N;
    for (var i2 = 0; i2 < N; i2++) { sums[targets[i2]][j] += acts[row + i2]; }
  }
  return sums.map(function (s, c2) {
    for (var j2 = 0; j2 < units; j2++) { s[j2] = counts[c2] > 0 ? s[j2] / counts[c2] / 255 : NaN; }
    return s;
  });
};

/** Diverging colour of a difference d in [-1, 1]: blue (#0072b2) below zero, white at zero, vermilion above. */
function diverging(d) {
  var t = S.clamp(Math.abs(d), 0, 1);
  var end = d < 0 ? [0, 114, 178] : [213, 94, 0];
  return rgbToHex(end.map(function (v) { return 255 + (v - 255) * t; }));
}
api.diverging = diverging;

MatrixView.prototype.draw = function () {
  var self = this;
  var subsets = this.subsets();
  var cellKey = tables && tables.pickedCell ? tables.pickedCell.join() : '';
  if (cellKey && cellKey !== this.cellKey) { this.aSelect.value = 'cell'; }   // a newly picked cell becomes A
  this.cellKey = cellKey;
  [this.aSelect, this.bSelect].forEach(function (sel, which) {
    var keep = sel.value;
    sel.innerHTML = '';
    subsets.forEach(function (s) { sel.appendChild(el('option', {value: s.key, text: s.label})); });
    var fallback = which === 0 ? (subsets.some(function (s) { return s.key === 'cell'; }) ? 'cell' : 'class-0') : 'all';
    sel.value = subsets.some(function (s) { return s.key === keep; }) ? keep : fallback;
  });
  var k = parseInt(this.mapSelect.value, 10);
  var units = this.nv.units;
  var rows = subsets.map(function (s) { return {label: s.label, key: s.key, values: self.means(s, k)}; });
  var a = rows.filter(function (r) { return r.key === self.aSelect.value; })[0];
  var b = rows.filter(function (r) { return r.key === self.bSelect.value; })[0];
  var diff = new Float32Array(units);
  for (var j = 0; j < units; j++) { diff[j] = a.values[j] - b.values[j]; }
  var order = [];
  for (var j2 = 0; j2 < units; j2++) { order.push(j2); }
  if (this.sortBox.checked) { order.sort(function (x, y) { return Math.abs(diff[y]) - Math.abs(diff[x]); }); }
  var width = Math.max(400, (root.clientWidth || 960) - 40);
  var cell = Math.max(1, Math.floor((width - MATRIX_LABEL) / units));
  var w = MATRIX_LABEL + cell * units + 4;
  var h = (rows.length + 2) * MATRIX_ROW + 6;
  sizeCanvas(this.canvas, w, h);
  var g = this.canvas.getContext('2d');
  g.clearRect(0, 0, w, h);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'middle';
  function drawRow(r, y, colour) {
    g.fillStyle = '#222';
    g.fillText(r.label, 2, y + MATRIX_ROW / 2);
    order.forEach(function (j3, x) {
      var v = r.values[j3];
      g.fillStyle = isNaN(v) ? '#eeeeee' : colour(v);
      g.fillRect(MATRIX_LABEL + x * cell, y, cell, MATRIX_ROW - 1);
    });
  }
  rows.forEach(function (r, q) { drawRow(r, q * MATRIX_ROW, viridis); });
  var dy = (rows.length + 1) * MATRIX_ROW;
  drawRow({label: 'A − B', values: diff}, dy, diverging);
  this.layout = {cell: cell, rows: rows.map(function (r) { return r.key; }), diffRow: dy, order: order};
  var top = order.slice().sort(function (x, y) { return Math.abs(diff[y]) - Math.abs(diff[x]); }).slice(0, 8);
  this.top.textContent = 'A = ' + a.label + ', B = ' + b.label + '. Largest differences: '
    + top.map(function (j4) { return 'neuron ' + j4 + ' ' + (diff[j4] >= 0 ? '+' : '') + diff[j4].toFixed(2); }).join(', ') + '.';
  this.top.setAttribute('data-top', top.join(','));
};

/** Canvas position (CSS px) of the cell of subset `key` ('diff' for the difference row) and neuron j. */
MatrixView.prototype.cellAt = function (key, j) {
  var L = this.layout;
  var x = MATRIX_LABEL + L.order.indexOf(j) * L.cell + L.cell / 2;
  var y = key === 'diff' ? L.diffRow : L.rows.indexOf(key) * MATRIX_ROW;
  return {x: x, y: y + MATRIX_ROW / 2 - 1};
};
