import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorScale, CARD, CHIPS, edgePath, placeAnchors } from './column-anchors';

test('a card hangs centred under its node; each row\'s port is at the row\'s middle on both sides', () => {
  // Node at (400, 100), 26 px tall, zoom 1: card 216 wide from x 292, top at 100 + 13 + 6 = 119.
  const { boxes, ports } = placeAnchors([{ id: 'n', x: 400, y: 100, h: 26, w: 120, kind: 'card', rows: ['a', 'b'] }], 1);
  assert.deepEqual(boxes, [{ id: 'n', kind: 'card', left: 292, top: 119, scale: 1, width: CARD.width }]);
  assert.deepEqual(ports.get('a'), { lx: 292, rx: 508, y: 119 + CARD.head + 10 });
  assert.deepEqual(ports.get('b'), { lx: 292, rx: 508, y: 119 + CARD.head + 30 });
});

test('zoomed out, chips shrink with the zoom down to 0.6 and a card to 0.85 (it stays readable)', () => {
  assert.deepEqual([anchorScale(0.1, 'chips'), anchorScale(0.7, 'chips'), anchorScale(3, 'chips')], [0.6, 0.7, 1]);
  assert.deepEqual([anchorScale(0.1, 'card'), anchorScale(0.9, 'card'), anchorScale(3, 'card')], [0.85, 0.9, 1]);
  const { boxes } = placeAnchors([{ id: 'n', x: 0, y: 0, h: 10, w: 50, kind: 'card', rows: [] }], 0.2);
  assert.equal(boxes[0]!.scale, 0.85);
  assert.equal(boxes[0]!.left, -(CARD.width * 0.85) / 2);
});

test('a chip line spans its node, sits over the node\'s bottom edge, and every chip on it shares its two ports', () => {
  // Node 150 px wide and 20 px tall at (100, 50), zoom 0.8 → scale 0.8: width 150 / 0.8 = 187.5 CSS px,
  // 150 px on screen, left 25; line 16 × 0.8 = 12.8 px tall centred on the bottom edge (y 60): top 53.6.
  const { boxes, ports } = placeAnchors([{ id: 'm', x: 100, y: 50, h: 20, w: 150, kind: 'chips', rows: ['x', 'y'] }], 0.8);
  assert.deepEqual(boxes[0], { id: 'm', kind: 'chips', left: 25, top: 53.6, scale: 0.8, width: 187.5 });
  assert.deepEqual(ports.get('x'), { lx: 25, rx: 175, y: 60 });
  assert.deepEqual(ports.get('y'), ports.get('x'));
  // A tiny node still gets a readable line; a huge one a bounded line.
  const small = placeAnchors([{ id: 's', x: 0, y: 0, h: 10, w: 10, kind: 'chips', rows: [] }], 1).boxes[0]!;
  const big = placeAnchors([{ id: 'b', x: 0, y: 0, h: 10, w: 900, kind: 'chips', rows: [] }], 1).boxes[0]!;
  assert.deepEqual([small.width, big.width], [CHIPS.minWidth, CHIPS.maxWidth]);
});

test('a column in a card and in a chip list keeps the card\'s port', () => {
  const { ports } = placeAnchors([
    { id: 'n', x: 0, y: 0, h: 20, w: 100, kind: 'card', rows: ['c'] },
    { id: 'n2', x: 500, y: 0, h: 20, w: 100, kind: 'chips', rows: ['c'] },
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
