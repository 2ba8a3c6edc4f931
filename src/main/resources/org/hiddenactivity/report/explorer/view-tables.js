/*
 * The table views: the confusion matrix of a checkpoint (a cell selects its observations), accuracy per
 * checkpoint, and a gallery of the misclassified images (an image selects its observation). Cells and images are
 * buttons for the keyboard; a selection change only toggles classes, it rebuilds nothing.
 */
var GALLERY_MAX = 300;

function TableViews() {
  var self = this;
  this.pickedCell = null;
  this.cpSelect = el('select', {id: 'confusion-checkpoint', 'aria-label': 'checkpoint of the confusion matrix and gallery'});
  D.checkpoints.forEach(function (c, k) { self.cpSelect.appendChild(el('option', {value: String(k), text: 'epoch ' + c.epoch})); });
  this.cpSelect.value = String(lastCheckpoint);
  this.cpSelect.addEventListener('change', function () {
    state.confusionCheckpoint = parseInt(self.cpSelect.value, 10);
    self.pickedCell = null;
    self.buildConfusion();
    self.buildGallery();
  });
  this.confusionBox = el('div', {id: 'confusion'});
  this.galleryBox = el('div', {id: 'gallery', className: 'hx-gallery', role: 'list'});
  this.accuracyBox = el('div', {id: 'accuracy'});
  this.galleryTitle = el('h3', {id: 'gallery-title'});
  this.row = el('div', {className: 'hx-row'}, [
    el('div', {}, [el('h3', {}, [document.createTextNode('Confusion matrix at '), this.cpSelect]),
      el('p', {className: 'hx-note', text: 'rows: true class, columns: predicted. Click a cell (or Tab to it and press Enter) to select those observations.'}),
      this.confusionBox]),
    el('div', {}, [el('h3', {text: 'Accuracy per checkpoint (on these ' + N + ' observations)'}), this.accuracyBox])]);
  this.gallery = el('div', {}, [this.galleryTitle, this.galleryBox]);
}

TableViews.prototype.buildConfusion = function () {
  var self = this;
  var cp = state.confusionCheckpoint;
  var m = [];
  for (var a = 0; a < C; a++) { m.push(new Array(C).fill(0)); }
  for (var i = 0; i < N; i++) { m[targets[i]][predicted[cp][i]]++; }
  var max = 1;
  m.forEach(function (r, a2) { r.forEach(function (v, b) { if (a2 !== b && v > max) { max = v; } }); });
  var t = el('table', {className: 'hx-confusion', id: 'confusion-table'});
  var head = el('tr', {}, [el('th', {text: 'true \\ predicted'})]);
  D.classes.forEach(function (n) { head.appendChild(el('th', {text: n})); });
  t.appendChild(head);
  this.cells = [];
  m.forEach(function (r, a3) {
    var tr = el('tr', {}, [el('th', {text: D.classes[a3]})]);
    r.forEach(function (v, b) {
      var td = el('td', {text: String(v), 'data-true': String(a3), 'data-predicted': String(b), tabindex: '0', role: 'button',
        'aria-label': v + ' observations of ' + D.classes[a3] + ' predicted as ' + D.classes[b]});
      if (a3 === b) {
        td.className = 'diag';
        td.style.background = 'rgba(0, 158, 115, ' + (0.15 + 0.35 * v / Math.max(1, N / C)) + ')';
      } else if (v > 0) {
        td.style.background = 'rgba(213, 94, 0, ' + (0.1 + 0.6 * v / max) + ')';
      }
      function pick(ev) {
        var list = [];
        for (var i2 = 0; i2 < N; i2++) { if (targets[i2] === a3 && predicted[cp][i2] === b) { list.push(i2); } }
        self.pendingCell = [a3, b];
        selectObservations(list, ev.shiftKey ? 'add' : 'replace');
      }
      td.addEventListener('click', pick);
      td.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(ev); } });
      tr.appendChild(td);
      self.cells.push(td);
    });
    t.appendChild(tr);
  });
  this.confusionBox.innerHTML = '';
  this.confusionBox.appendChild(t);
  this.markCell();
};

/** Marks the picked cell (the selection came from it); any other selection change unmarks it. */
TableViews.prototype.markCell = function () {
  var p = this.pickedCell;
  this.pickedVersion = state.version.selection;
  (this.cells || []).forEach(function (td) {
    td.classList.toggle('picked', !!p && +td.getAttribute('data-true') === p[0] && +td.getAttribute('data-predicted') === p[1]);
  });
};

TableViews.prototype.buildAccuracy = function () {
  var t = el('table', {id: 'accuracy-table'}, [el('tr', {}, [el('th', {text: 'epoch'}), el('th', {text: 'accuracy here'}),
    el('th', {text: ''}), el('th', {text: 'test accuracy (manifest)'})])]);
  D.checkpoints.forEach(function (c) {
    var bar = el('span', {className: 'hx-acc-bar'});
    bar.style.width = Math.round(c.accuracy * 120) + 'px';
    t.appendChild(el('tr', {}, [el('td', {text: String(c.epoch)}), el('td', {text: (100 * c.accuracy).toFixed(2) + '%'}),
      el('td', {}, [bar]), el('td', {text: c.manifestAccuracy === null || c.manifestAccuracy === undefined ? '–' : (100 * c.manifestAccuracy).toFixed(2) + '%'})]));
  });
  this.accuracyBox.innerHTML = '';
  this.accuracyBox.appendChild(t);
};

TableViews.prototype.buildGallery = function () {
  var cp = state.confusionCheckpoint;
  var wrong = [];
  for (var i = 0; i < N; i++) { if (predicted[cp][i] !== targets[i]) { wrong.push(i); } }
  this.galleryTitle.textContent = 'Misclassified at epoch ' + D.checkpoints[cp].epoch + ': ' + wrong.length
    + ' of ' + N + (wrong.length > GALLERY_MAX ? ' (the first ' + GALLERY_MAX + ' shown)' : '') + ' — click an image to select it';
  var box = this.galleryBox;
  box.innerHTML = '';
  this.items = [];
  var self = this;
  wrong.slice(0, GALLERY_MAX).forEach(function (j) {
    var item = el('button', {type: 'button', className: 'hx-gallery-item', 'data-observation': String(j), role: 'listitem',
      title: 'observation ' + j + ': ' + className(targets[j]) + ' predicted as ' + className(predicted[cp][j])},
      [spriteOf(j, 2), el('span', {text: className(targets[j]) + '→' + className(predicted[cp][j])})]);
    item.addEventListener('click', function (ev) { selectObservations([j], ev.shiftKey ? 'toggle' : 'replace'); });
    box.appendChild(item);
    self.items.push({element: item, observation: j});
  });
  this.updateSelection();
};

TableViews.prototype.updateSelection = function () {
  (this.items || []).forEach(function (it) {
    var on = state.selected[it.observation] === 1;
    it.element.classList.toggle('selected', on);
    it.element.setAttribute('aria-pressed', on ? 'true' : 'false');
  });
  if (this.pendingCell) {
    // the selection came from a cell: mark it (markCell records the selection's version)
    this.pickedCell = this.pendingCell;
    this.pendingCell = null;
    this.markCell();
  } else if (this.pickedCell && this.pickedVersion !== state.version.selection) {
    this.pickedCell = null;
    this.markCell();
  }
};
