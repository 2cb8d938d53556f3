import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorScale, CARD, CHIPS, edgePath, placeAnchors } from './column-anchors';

test('a card hangs centred under its node; each row\'s port is at the row\'s middle on both sides', () => {
  // Node at (400, 100), 26 px tall, zoom 1: card 216 wide from x 292, top at 100 + 13 + 6 = 119.
  const { boxes, ports } = placeAnchors([{ id: 'n', x: 400, y: 100, h: 26, kind: 'card', rows: ['a', 'b'] }], 1);
  assert.deepEqual(boxes, [{ id: 'n', kind: 'card', left: 292, top: 119, scale: 1 }]);
  assert.deepEqual(ports.get('a'), { lx: 292, rx: 508, y: 119 + CARD.head + 10 });
  assert.deepEqual(ports.get('b'), { lx: 292, rx: 508, y: 119 + CARD.head + 30 });
});

test('zoomed out, chips shrink with the zoom down to 0.6 and a card to 0.85 (it stays readable), rows with them', () => {
  assert.deepEqual([anchorScale(0.1, 'chips'), anchorScale(0.7, 'chips'), anchorScale(3, 'chips')], [0.6, 0.7, 1]);
  assert.deepEqual([anchorScale(0.1, 'card'), anchorScale(0.9, 'card'), anchorScale(3, 'card')], [0.85, 0.9, 1]);
  const { boxes, ports } = placeAnchors([{ id: 'm', x: 100, y: 50, h: 13, kind: 'chips', rows: ['x', 'y'] }], 0.5);
  // width 140 × 0.6 = 84 → left 58; top 50 + 6.5 + 6 × 0.6 = 60.1; rows 18 × 0.6 = 10.8 px apart.
  assert.equal(boxes[0]!.left, 58);
  assert.equal(boxes[0]!.scale, 0.6);
  assert.ok(Math.abs(boxes[0]!.top - 60.1) < 1e-9);
  const y = ports.get('y')!;
  assert.deepEqual([y.lx, y.rx], [58, 58 + CHIPS.width * 0.6]);
  assert.ok(Math.abs(y.y - (60.1 + 10.8 + 5.4)) < 1e-9);
});

test('a column in a card and in a chip list keeps the card\'s port', () => {
  const { ports } = placeAnchors([
    { id: 'n', x: 0, y: 0, h: 20, kind: 'card', rows: ['c'] },
    { id: 'n2', x: 500, y: 0, h: 20, kind: 'chips', rows: ['c'] },
  ], 1);
  assert.equal(ports.get('c')!.lx, -CARD.width / 2);
});

test('an edge leaves the source row on the side facing the target and enters the target on the side facing back', () => {
  assert.equal(edgePath({ lx: 0, rx: 100, y: 10 }, { lx: 300, rx: 400, y: 50 }), 'M100,10 C200,10 200,50 300,50');
  // Target to the left: out of the source's left side, into the target's right side.
  assert.equal(edgePath({ lx: 300, rx: 400, y: 50 }, { lx: 0, rx: 100, y: 10 }), 'M300,50 C200,50 200,10 100,10');
  // Overlapping across (one above the other): right side to right side, bowing out by at least 40 px.
  assert.equal(edgePath({ lx: 0, rx: 100, y: 0 }, { lx: 20, rx: 120, y: 80 }), 'M100,0 C140,0 160,80 120,80');
});
