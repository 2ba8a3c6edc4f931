/*
 * The explorer's state and the pure functions over it: selection, filters, colouring, the step of each view,
 * animation progress (clamped) and the URL form of the state. No DOM here, so that `node --test` checks it
 * (src/test/js/); in the page it is window.HavState.
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.HavState = api;
  }
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  function clamp(v, lo, hi) {
    if (!(v >= lo)) { return lo; }    // NaN goes to lo too
    return v > hi ? hi : v;
  }

  /** Cubic ease-in-out of u, u clamped to [0, 1]. */
  function ease(u) {
    u = clamp(u, 0, 1);
    return u < 0.5 ? 4 * u * u * u : 1 - Math.pow(-2 * u + 2, 3) / 2;
  }

  /**
   * Progress in [0, 1] of a move that started at `start` and lasts `ms`, at time `now`. A requestAnimationFrame
   * timestamp may precede the performance.now() taken in the click that started the move: that is 0, not negative.
   */
  function progress(now, start, ms) {
    if (!(ms > 0)) { return 1; }
    return clamp((now - start) / ms, 0, 1);
  }

  /** The eased position between `from` and `to` at progress u, kept inside [0, max]. */
  function between(from, to, u, max) {
    return clamp(from + (to - from) * ease(u), 0, max);
  }

  /**
   * A fresh state for n observations of `classes` classes. `predicted` holds one Int array per checkpoint.
   * Every mutator bumps a version (selection, filter, colour) so that views redraw only what changed.
   */
  function create(n, classes, targets, predicted) {
    return {
      n: n, classes: classes, targets: targets, predicted: predicted,
      selected: new Uint8Array(n), selectedList: [], selectedCount: 0,
      filterTrue: new Uint8Array(classes).fill(1), filterPredicted: -1, misclassifiedOnly: false, changedOnly: false,
      colourMode: 'true',          // 'true' | 'predicted' | 'correct' | 'confidence' | 'loss' | 'neuron'
      neuronColour: null, neuronSelection: [],
      confidence: null, loss: null, lossCap: 1,    // per checkpoint: p(predicted class), -ln p(true class)
      confidenceRange: [0, 1], lossRange: [0, Infinity],
      steps: {}, methods: {}, neuronMap: null, neuronLayer: null, neighbourSet: null,
      version: {selection: 0, filter: 0, colour: 0}
    };
  }

  /**
   * The class probabilities' summaries, one array per checkpoint: confidence = p(predicted class), loss =
   * -ln p(true class). The loss colour scale ends at lossCap (larger losses get the top colour).
   */
  function setScores(s, confidence, loss, lossCap) {
    s.confidence = confidence;
    s.loss = loss;
    s.lossCap = lossCap > 0 ? lossCap : 1;
    s.version.colour++;
  }

  /** Shows only observations whose confidence lies in [lo, hi] (inclusive); NaN bounds are the full range. */
  function setConfidenceRange(s, lo, hi) {
    s.confidenceRange = [lo >= 0 ? lo : 0, hi <= 1 ? hi : 1];
    s.version.filter++;
  }

  /** Shows only observations whose loss lies in [lo, hi] (inclusive); NaN bounds are the full range. */
  function setLossRange(s, lo, hi) {
    s.lossRange = [lo >= 0 ? lo : 0, hi >= 0 ? hi : Infinity];
    s.version.filter++;
  }

  function rebuildList(s) {
    var list = [];
    for (var i = 0; i < s.n; i++) { if (s.selected[i]) { list.push(i); } }
    s.selectedList = list;
    s.selectedCount = list.length;
    s.version.selection++;
  }

  /**
   * Selects `list`: mode 'replace' (the default), 'add' (shift) or 'toggle' (shift on one selected point removes
   * it). Indices outside 0..n-1 are ignored.
   */
  function select(s, list, mode) {
    if (mode !== 'add' && mode !== 'toggle') { s.selected.fill(0); }
    for (var k = 0; k < list.length; k++) {
      var i = list[k];
      if (i >= 0 && i < s.n && i === Math.floor(i)) {
        s.selected[i] = mode === 'toggle' && list.length === 1 && s.selected[i] ? 0 : 1;
      }
    }
    rebuildList(s);
  }

  function clearSelection(s) { select(s, [], 'replace'); }

  /** The text that says what is selected. */
  function selectionText(s) {
    return s.selectedCount === 0 ? 'nothing selected'
      : s.selectedCount === 1 ? 'observation #' + s.selectedList[0] + ' selected'
      : s.selectedCount + ' observations selected';
  }

  function setClassFilter(s, c, on) {
    if (c >= 0 && c < s.classes) { s.filterTrue[c] = on ? 1 : 0; s.version.filter++; }
  }

  function setAllClasses(s, on) { s.filterTrue.fill(on ? 1 : 0); s.version.filter++; }

  function setFilterPredicted(s, c) { s.filterPredicted = c >= 0 && c < s.classes ? c : -1; s.version.filter++; }

  function setMisclassifiedOnly(s, on) { s.misclassifiedOnly = !!on; s.version.filter++; }

  function setChangedOnly(s, on) { s.changedOnly = !!on; s.version.filter++; }

  /** True when observation i's prediction differs between the first and the last checkpoint. */
  function predictionChanged(s, i) {
    var p = s.predicted;
    return p.length > 1 && p[0][i] !== p[p.length - 1][i];
  }

  /** Whether observation i passes the filters in a view of checkpoint cp. */
  function isVisible(s, i, cp) {
    if (!s.filterTrue[s.targets[i]]) { return false; }
    var p = s.predicted[cp][i];
    if (s.filterPredicted >= 0 && p !== s.filterPredicted) { return false; }
    if (s.misclassifiedOnly && p === s.targets[i]) { return false; }
    if (s.changedOnly && !predictionChanged(s, i)) { return false; }
    if (s.confidence) {
      var c = s.confidence[cp][i];
      if (c < s.confidenceRange[0] || c > s.confidenceRange[1]) { return false; }
      var l = s.loss[cp][i];
      if (l < s.lossRange[0] || l > s.lossRange[1]) { return false; }
    }
    return true;
  }

  /** Observations passing the filters at checkpoint cp, as a Uint8Array mask. */
  function visibleMask(s, cp) {
    var m = new Uint8Array(s.n);
    for (var i = 0; i < s.n; i++) { m[i] = isVisible(s, i, cp) ? 1 : 0; }
    return m;
  }

  var COLOUR_MODES = ['true', 'predicted', 'correct', 'confidence', 'loss', 'neuron'];

  function setColourMode(s, mode) {
    if (COLOUR_MODES.indexOf(mode) < 0 || (mode === 'neuron' && !s.neuronColour)
      || ((mode === 'confidence' || mode === 'loss') && !s.confidence)) { return false; }
    s.colourMode = mode;
    s.version.colour++;
    return true;
  }

  /**
   * The colour key of observation i at checkpoint cp: a class index 0..classes-1 ('true', 'predicted'), 0/1 for
   * wrong/right ('correct'), or classes + 0..255 for a value on the continuous scale ('neuron', 'confidence', and
   * 'loss' from 0 to lossCap).
   */
  function colourKey(s, i, cp) {
    if (s.colourMode === 'confidence' && s.confidence) {
      return s.classes + Math.round(clamp(s.confidence[cp][i], 0, 1) * 255);
    }
    if (s.colourMode === 'loss' && s.loss) {
      return s.classes + Math.round(clamp(s.loss[cp][i] / s.lossCap, 0, 1) * 255);
    }
    if (s.colourMode === 'neuron' && s.neuronColour) {
      var v = s.neuronColour.values[i];
      return s.classes + Math.round(clamp(v, 0, 1) * 255);
    }
    if (s.colourMode === 'predicted') { return s.predicted[cp][i]; }
    if (s.colourMode === 'correct') { return s.predicted[cp][i] === s.targets[i] ? 1 : 0; }
    return s.targets[i];
  }

  // ------------------------------------------------------------------ URL state

  /** "1-4,9" for [1, 2, 3, 4, 9] (sorted, unique). */
  function encodeRanges(list) {
    var out = [];
    for (var k = 0; k < list.length; k++) {
      var a = list[k];
      var b = a;
      while (k + 1 < list.length && list[k + 1] === b + 1) { b = list[++k]; }
      out.push(a === b ? String(a) : a + '-' + b);
    }
    return out.join(',');
  }

  /** The integers of "1-4,9" that lie in [0, max), at most `limit` of them; malformed parts are skipped. */
  function decodeRanges(text, max, limit) {
    var out = [];
    limit = limit || max;
    String(text || '').split(',').forEach(function (part) {
      var m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
      if (!m) { return; }
      var a = parseInt(m[1], 10);
      var b = m[2] === undefined ? a : parseInt(m[2], 10);
      for (var i = a; i <= b && i < max && out.length < limit; i++) { out.push(i); }
    });
    return out;
  }

  /**
   * The state as the query of a URL fragment (#explorer?...): selection, filters, colouring, steps of the views,
   * neuron map and chosen neurons. Defaults are left out, so a fresh view has an empty query.
   */
  function toQuery(s) {
    var q = [];
    if (s.selectedCount > 0) { q.push('sel=' + encodeRanges(s.selectedList)); }
    var off = [];
    for (var c = 0; c < s.classes; c++) { if (!s.filterTrue[c]) { off.push(c); } }
    if (off.length) { q.push('hide=' + encodeRanges(off)); }
    if (s.filterPredicted >= 0) { q.push('pred=' + s.filterPredicted); }
    if (s.misclassifiedOnly) { q.push('wrong=1'); }
    if (s.changedOnly) { q.push('changed=1'); }
    if (s.confidenceRange[0] > 0 || s.confidenceRange[1] < 1) { q.push('conf=' + s.confidenceRange[0] + '~' + s.confidenceRange[1]); }
    if (s.lossRange[0] > 0 || s.lossRange[1] < Infinity) {
      q.push('loss=' + s.lossRange[0] + '~' + (s.lossRange[1] < Infinity ? s.lossRange[1] : ''));
    }
    if (s.colourMode !== 'true') { q.push('colour=' + s.colourMode); }
    Object.keys(s.steps).sort().forEach(function (id) {
      if (s.steps[id] !== null && s.steps[id] !== undefined) { q.push('step.' + encodeURIComponent(id) + '=' + s.steps[id]); }
    });
    Object.keys(s.methods).sort().forEach(function (id) {
      if (s.methods[id]) { q.push('method.' + encodeURIComponent(id) + '=' + encodeURIComponent(s.methods[id])); }
    });
    if (s.neuronLayer !== null && s.neuronLayer !== undefined) { q.push('nlayer=' + s.neuronLayer); }
    if (s.neuronMap !== null && s.neuronMap !== undefined) { q.push('map=' + s.neuronMap); }
    if (s.neighbourSet) { q.push('near=' + s.neighbourSet[0] + '~' + s.neighbourSet[1]); }
    if (s.neuronSelection.length) { q.push('neurons=' + encodeRanges(s.neuronSelection.slice().sort(function (a, b) { return a - b; }))); }
    return q.join('&');
  }

  /**
   * Parses a query written by toQuery (or a finding's link: selclass=C selects true class C) into plain values, checked against n observations, `classes` classes and
   * `units` neurons; anything malformed or out of range is dropped rather than trusted.
   */
  function fromQuery(text, n, classes, units) {
    var out = {};
    String(text || '').replace(/^[#?]*(explorer)?\??/, '').split('&').forEach(function (pair) {
      if (!pair) { return; }
      var eq = pair.indexOf('=');
      var key = decodeURIComponent(eq < 0 ? pair : pair.substring(0, eq));
      var value = eq < 0 ? '' : decodeURIComponent(pair.substring(eq + 1));
      var int = /^\d+$/.test(value) ? parseInt(value, 10) : -1;
      if (key === 'sel') { out.selection = decodeRanges(value, n); }
      else if (key === 'hide') { out.hidden = decodeRanges(value, classes); }
      else if (key === 'pred' && int >= 0 && int < classes) { out.predicted = int; }
      else if (key === 'wrong') { out.misclassifiedOnly = value === '1'; }
      else if (key === 'changed') { out.changedOnly = value === '1'; }
      else if (key === 'colour' && COLOUR_MODES.indexOf(value) >= 0) { out.colour = value; }
      else if ((key === 'conf' || key === 'loss') && /^[0-9.]*~[0-9.]*$/.test(value)) {
        var ends = value.split('~').map(function (t) { return t === '' ? NaN : parseFloat(t); });
        out[key === 'conf' ? 'confidenceRange' : 'lossRange'] = ends;
      }
      else if (key.indexOf('step.') === 0 && int >= 0) { (out.steps = out.steps || {})[key.substring(5)] = int; }
      else if (key === 'map' && int >= 0) { out.map = int; }
      else if (key.indexOf('method.') === 0 && /^[a-z0-9_-]+$/.test(value)) { (out.methods = out.methods || {})[key.substring(7)] = value; }
      else if (key === 'nlayer' && int >= 0) { out.neuronLayer = int; }
      else if (key === 'near' && /^\d+~\d+$/.test(value)) { out.near = value.split('~').map(Number); }
      else if (key === 'neurons') { out.neurons = decodeRanges(value, units || 0); }
      else if (key === 'selclass' && int >= 0 && int < classes) { out.selectClass = int; }
    });
    return out;
  }

  return {
    clamp: clamp, ease: ease, progress: progress, between: between, create: create, select: select,
    clearSelection: clearSelection, selectionText: selectionText, setClassFilter: setClassFilter,
    setAllClasses: setAllClasses, setFilterPredicted: setFilterPredicted, setMisclassifiedOnly: setMisclassifiedOnly,
    setChangedOnly: setChangedOnly, predictionChanged: predictionChanged, isVisible: isVisible,
    visibleMask: visibleMask, setScores: setScores, setConfidenceRange: setConfidenceRange, setLossRange: setLossRange,
    setColourMode: setColourMode, colourKey: colourKey, encodeRanges: encodeRanges,
    decodeRanges: decodeRanges, toQuery: toQuery, fromQuery: fromQuery
  };
});
