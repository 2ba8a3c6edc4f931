/*
 * Dead and saturated units of every hidden layer at every checkpoint (a table), and the histogram of a layer's
 * activations at a checkpoint (click or Enter on a cell). The numbers come from report/UnitHealth.java.
 */
var HIST_W = 360;
var HIST_H = 150;

function UnitsView(rows) {
  var self = this;
  this.rows = rows;
  this.picked = [rows.length - 1, rows[0].checkpoints.length - 1];
  this.table = el('table', {id: 'units-table', className: 'hx-units'});
  var head = el('tr', {}, [el('th', {text: 'layer \\ epoch'})]);
  rows[0].checkpoints.forEach(function (c) { head.appendChild(el('th', {text: String(c.epoch)})); });
  this.table.appendChild(head);
  this.cells = [];
  rows.forEach(function (r, a) {
    var tr = el('tr', {}, [el('th', {text: r.layer + ' (' + r.name + ')'})]);
    r.checkpoints.forEach(function (c, b) {
      var td = el('td', {tabindex: '0', role: 'button', 'data-layer': String(r.layer), 'data-epoch': String(c.epoch),
        'data-dead': String(c.dead), 'data-saturated': String(c.saturated),
        'aria-label': 'layer ' + r.layer + ' at epoch ' + c.epoch + ': ' + c.dead + ' dead and ' + c.saturated
          + ' saturated of ' + c.units + ' units; show its histogram', text: c.dead + ' / ' + c.saturated});
      if (c.dead + c.saturated > 0) {
        td.style.background = 'rgba(213, 94, 0, ' + (0.1 + 0.6 * (c.dead + c.saturated) / c.units) + ')';
      }
      function pick() { self.picked = [a, b]; self.draw(); }
      td.addEventListener('click', pick);
      td.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); } });
      tr.appendChild(td);
      self.cells.push({td: td, a: a, b: b});
    });
    self.table.appendChild(tr);
  });
  this.hist = canvas(HIST_W, HIST_H, 'hx-histogram');
  this.hist.id = 'units-histogram';
  this.caption = el('p', {className: 'hx-note', id: 'units-histogram-caption'});
  this.element = el('div', {className: 'hx-panel', id: 'panel-units'}, [
    el('h3', {text: 'Dead / saturated units per layer and checkpoint'}),
    el('p', {className: 'hx-note', text: 'dead: the same activation for every observation; saturated: at least 99% of the'
      + ' observations at the unit\'s own minimum or maximum. Click a cell for the histogram of that layer\'s activations.'}),
    this.table, this.hist, this.caption]);
  this.draw();
}

UnitsView.prototype.draw = function () {
  var p = this.picked;
  this.cells.forEach(function (c) {
    var on = c.a === p[0] && c.b === p[1];
    c.td.classList.toggle('picked', on);
    c.td.setAttribute('aria-pressed', on ? 'true' : 'false');
  });
  var r = this.rows[p[0]];
  var c = r.checkpoints[p[1]];
  var h = c.histogram;
  var g = this.hist.getContext('2d');
  g.clearRect(0, 0, HIST_W, HIST_H);
  var left = 40;
  var bottom = HIST_H - 22;
  var w = (HIST_W - left - 8) / h.counts.length;
  var top = Math.log10(1 + Math.max.apply(null, h.counts));
  g.fillStyle = '#0072b2';
  h.counts.forEach(function (n, k) {
    var bar = top > 0 ? Math.log10(1 + n) / top * (bottom - 8) : 0;
    g.fillRect(left + k * w, bottom - bar, Math.max(1, w - 1), bar);
  });
  g.strokeStyle = '#333';
  g.beginPath();
  g.moveTo(left, 8); g.lineTo(left, bottom); g.lineTo(HIST_W - 8, bottom);
  g.stroke();
  g.fillStyle = '#222';
  g.font = '11px system-ui, sans-serif';
  g.fillText(Number(h.low).toPrecision(3), left, HIST_H - 6);
  var hi = Number(h.high).toPrecision(3);
  g.fillText(hi, HIST_W - 8 - g.measureText(hi).width, HIST_H - 6);
  g.save();
  g.translate(12, bottom);
  g.rotate(-Math.PI / 2);
  g.fillText('count (log)', 0, 0);
  g.restore();
  var total = h.counts.reduce(function (s, n) { return s + n; }, 0);
  this.caption.textContent = 'Activations of layer ' + r.layer + ' (' + r.name + ') at epoch ' + c.epoch + ': ' + total
    + ' values (' + N + ' observations x ' + c.units + ' units) in ' + h.counts.length + ' bins from ' + Number(h.low).toPrecision(3)
    + ' to ' + Number(h.high).toPrecision(3) + '; ' + c.dead + ' dead, ' + c.saturated + ' saturated.';
  state.stats.units = {layer: r.layer, epoch: c.epoch, total: total};
};
