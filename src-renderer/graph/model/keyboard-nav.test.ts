import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestTo, nextByArrow } from './keyboard-nav';

//        up
//  left  mid  right
//        down      far (not connected)
const pos = new Map([
  ['mid', { x: 0, y: 0 }],
  ['left', { x: -200, y: 10 }],
  ['right', { x: 200, y: -20 }],
  ['up', { x: 10, y: -100 }],
  ['down', { x: -5, y: 100 }],
  ['far', { x: 120, y: 0 }],
]);
const edges = ['left', 'right', 'up', 'down'].map((n) => ({ source: 'mid', target: n }));

test('each arrow walks to the connected node lying in its direction', () => {
  assert.equal(nextByArrow('mid', 'ArrowRight', pos, edges), 'right');
  assert.equal(nextByArrow('mid', 'ArrowLeft', pos, edges), 'left');
  assert.equal(nextByArrow('mid', 'ArrowUp', pos, edges), 'up');
  assert.equal(nextByArrow('mid', 'ArrowDown', pos, edges), 'down');
  assert.equal(nextByArrow('right', 'ArrowRight', pos, edges), null, 'nothing connected further right');
});

test('with nothing selected the nearest node to the centre starts', () => {
  assert.equal(nearestTo({ x: 110, y: 5 }, pos), 'far');
});
