// Unit tests of the explorer's state module (run by scripts/test.sh: node --test src/test/js/).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const S = require(path.join(__dirname, '../../main/resources/org/hiddenactivity/report/explorer/state.js'));

// 6 observations, 3 classes, 2 checkpoints
const targets = [0, 1, 2, 0, 1, 2];
const predicted = [Int16Array.from([0, 1, 1, 2, 1, 2]), Int16Array.from([0, 1, 2, 0, 0, 2])];
const fresh = () => S.create(6, 3, targets, predicted);

test('progress is clamped: a frame timestamp before the start is 0, after the end 1', () => {
  assert.equal(S.progress(990, 1000, 700), 0);
  assert.equal(S.progress(1350, 1000, 700), 0.5);
  assert.equal(S.progress(5000, 1000, 700), 1);
  assert.equal(S.progress(1000, 1000, 0), 1);
});

test('between never leaves [0, max], whatever the progress', () => {
  for (const u of [-0.5, -0.01, 0, 0.3, 1, 1.7, NaN]) {
    const v = S.between(0, 1, u, 1);
    assert.ok(v >= 0 && v <= 1, `u=${u} gave ${v}`);
  }
  assert.equal(S.between(1, 0, -0.2, 1), 1);   // the case: before the start, still at the start
  assert.equal(S.between(0, 1, 1, 1), 1);
  assert.equal(S.ease(0.5), 0.5);
});

test('select replaces, adds and toggles, and ignores indices out of range', () => {
  const s = fresh();
  S.select(s, [4, 1], 'replace');
  assert.deepEqual(s.selectedList, [1, 4]);
  S.select(s, [2], 'add');
  assert.deepEqual(s.selectedList, [1, 2, 4]);
  S.select(s, [2], 'toggle');
  assert.deepEqual(s.selectedList, [1, 4]);
  S.select(s, [7, -1, 1.5, 3], 'replace');
  assert.deepEqual(s.selectedList, [3]);
  assert.equal(S.selectionText(s), 'observation #3 selected');
  S.select(s, [0, 5], 'add');
  assert.equal(S.selectionText(s), '3 observations selected');
  S.clearSelection(s);
  assert.equal(s.selectedCount, 0);
  assert.equal(S.selectionText(s), 'nothing selected');
});

test('every mutator bumps the version of what it changed, and only that', () => {
  const s = fresh();
  S.select(s, [1]);
  assert.deepEqual(s.version, {selection: 1, filter: 0, colour: 0});
  S.setClassFilter(s, 2, false);
  assert.deepEqual(s.version, {selection: 1, filter: 1, colour: 0});
  S.setColourMode(s, 'predicted');
  assert.deepEqual(s.version, {selection: 1, filter: 1, colour: 1});
  assert.equal(S.setColourMode(s, 'neuron'), false, 'no neuron chosen yet');
  assert.equal(s.colourMode, 'predicted');
});

test('filters: true class, predicted class, misclassified, prediction changed', () => {
  const s = fresh();
  assert.deepEqual(Array.from(S.visibleMask(s, 1)), [1, 1, 1, 1, 1, 1]);
  S.setClassFilter(s, 0, false);
  assert.deepEqual(Array.from(S.visibleMask(s, 1)), [0, 1, 1, 0, 1, 1]);
  S.setAllClasses(s, true);
  S.setFilterPredicted(s, 2);
  assert.deepEqual(Array.from(S.visibleMask(s, 0)), [0, 0, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(S.visibleMask(s, 1)), [0, 0, 1, 0, 0, 1]);
  S.setFilterPredicted(s, -1);
  S.setMisclassifiedOnly(s, true);
  assert.deepEqual(Array.from(S.visibleMask(s, 1)), [0, 0, 0, 0, 1, 0]);
  S.setMisclassifiedOnly(s, false);
  S.setChangedOnly(s, true);
  // predictions differ between the checkpoints for observations 2, 3 and 4
  assert.deepEqual(Array.from(S.visibleMask(s, 1)), [0, 0, 1, 1, 1, 0]);
});

test('colour keys: true class, predicted class at the checkpoint, right or wrong, neuron value', () => {
  const s = fresh();
  assert.equal(S.colourKey(s, 3, 0), 0);
  S.setColourMode(s, 'predicted');
  assert.equal(S.colourKey(s, 3, 0), 2);
  assert.equal(S.colourKey(s, 3, 1), 0);
  S.setColourMode(s, 'correct');
  assert.equal(S.colourKey(s, 3, 0), 0);
  assert.equal(S.colourKey(s, 3, 1), 1);
  s.neuronColour = {values: Float32Array.from([0, 0.5, 1, 2, -1, 0.25])};
  assert.ok(S.setColourMode(s, 'neuron'));
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(i => S.colourKey(s, i, 0)), [3, 3 + 128, 3 + 255, 3 + 255, 3, 3 + 64]);
});

test('ranges encode and decode, dropping malformed and out-of-range parts', () => {
  assert.equal(S.encodeRanges([1, 2, 3, 4, 9, 11, 12]), '1-4,9,11-12');
  assert.deepEqual(S.decodeRanges('1-4,9,11-12', 100), [1, 2, 3, 4, 9, 11, 12]);
  assert.deepEqual(S.decodeRanges('3,x,5-2,98-101,-1', 100), [3, 98, 99]);
  assert.deepEqual(S.decodeRanges('0-999999', 10, 4), [0, 1, 2, 3]);
});

test('the URL query round-trips selection, filters, colouring, steps, map and neurons', () => {
  const s = fresh();
  assert.equal(S.toQuery(s), '');
  S.select(s, [0, 1, 2, 5]);
  S.setClassFilter(s, 1, false);
  S.setFilterPredicted(s, 2);
  S.setMisclassifiedOnly(s, true);
  S.setColourMode(s, 'correct');
  s.steps = {layers: 2, epochs: 0};
  s.neuronMap = 0;
  s.neuronSelection = [7, 3, 4];
  const q = S.toQuery(s);
  const back = S.fromQuery('#explorer?' + q, 6, 3, 10);
  assert.deepEqual(back, {selection: [0, 1, 2, 5], hidden: [1], predicted: 2, misclassifiedOnly: true,
    colour: 'correct', steps: {epochs: 0, layers: 2}, map: 0, neurons: [3, 4, 7]});
});

test('a hand-edited URL cannot select what does not exist', () => {
  const back = S.fromQuery('explorer?sel=4-9&pred=7&colour=evil&map=x&neurons=1,50', 6, 3, 10);
  assert.deepEqual(back, {selection: [4, 5], neurons: [1]});
});

test('a finding link may select a whole true class (selclass), checked against the classes', () => {
  assert.deepEqual(S.fromQuery('explorer?selclass=2&step.layers=3', 6, 3, 0), {selectClass: 2, steps: {layers: 3}});
  assert.deepEqual(S.fromQuery('explorer?selclass=3', 6, 3, 0), {});
});

test('confidence and loss colour on the continuous scale, filter by range and survive the URL', () => {
  const s = fresh();
  assert.equal(S.setColourMode(s, 'confidence'), false, 'no scores yet: the mode is refused');
  const confidence = [[0.9, 0.5, 0.2, 1, 0.6, 0.3], [1, 0.95, 0.4, 0.7, 0.55, 0.99]];
  const loss = [[0.1, 0.7, 3, 0, 0.5, 9], [0, 0.05, 0.9, 0.36, 2, 0.01]];
  S.setScores(s, confidence, loss, 4);
  assert.equal(S.setColourMode(s, 'confidence'), true);
  assert.equal(S.colourKey(s, 2, 0), 3 + Math.round(0.2 * 255));
  assert.equal(S.colourKey(s, 2, 1), 3 + Math.round(0.4 * 255));
  S.setColourMode(s, 'loss');
  assert.equal(S.colourKey(s, 2, 0), 3 + Math.round(3 / 4 * 255));
  assert.equal(S.colourKey(s, 5, 0), 3 + 255, 'a loss above the cap takes the top colour');
  S.setConfidenceRange(s, 0.5, 0.95);
  assert.deepEqual(Array.from(S.visibleMask(s, 1)), [0, 1, 0, 1, 1, 0]);
  S.setLossRange(s, 0.3, NaN);
  assert.deepEqual(Array.from(S.visibleMask(s, 1)), [0, 0, 0, 1, 1, 0]);
  const q = S.toQuery(s);
  assert.match(q, /conf=0\.5~0\.95/);
  assert.match(q, /loss=0\.3~(&|$)/);
  assert.match(q, /colour=loss/);
  const back = S.fromQuery(q, 6, 3, 0);
  assert.deepEqual(back.confidenceRange, [0.5, 0.95]);
  assert.equal(back.lossRange[0], 0.3);
  assert.ok(Number.isNaN(back.lossRange[1]));
  assert.equal(back.colour, 'loss');
  const t = fresh();
  S.setScores(t, confidence, loss, 4);
  S.setConfidenceRange(t, back.confidenceRange[0], back.confidenceRange[1]);
  S.setLossRange(t, back.lossRange[0], back.lossRange[1]);
  assert.deepEqual(Array.from(S.visibleMask(t, 1)), Array.from(S.visibleMask(s, 1)));
  assert.deepEqual(S.fromQuery('conf=abc&loss=1~x', 6, 3, 0), {}, 'malformed ranges are dropped');
});

test('the neuron layer, the neighbours\' activations and a view\'s projection method survive the URL', () => {
  const s = fresh();
  s.neuronLayer = 2;
  s.neighbourSet = [1, 0];
  s.methods.layers = 'pca';
  const q = S.toQuery(s);
  assert.match(q, /nlayer=2/);
  assert.match(q, /near=1~0/);
  assert.match(q, /method\.layers=pca/);
  const back = S.fromQuery(q, 6, 3, 0);
  assert.equal(back.neuronLayer, 2);
  assert.deepEqual(back.near, [1, 0]);
  assert.deepEqual(back.methods, {layers: 'pca'});
  assert.deepEqual(S.fromQuery('near=1&method.layers=<b>&nlayer=x', 6, 3, 0), {}, 'malformed values are dropped');
  assert.equal(S.toQuery(fresh()), '', 'defaults leave the query empty');
});
