import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../shared/errors';
import { EventHub } from './event-hub';
import { requestTime } from './request-time';

// Payloads are opaque to the hub; these stand in for the DTOs.
const payload = (n: number) => ({ n }) as never;

test('the event hub fans each event out to every subscriber, even past one that throws', () => {
  const hub = new EventHub();
  const seen: string[] = [];
  hub.subscribeAll(() => {
    throw new Error('closed socket');
  });
  const all = hub.subscribeAll((name, p) => seen.push(`all:${name}:${JSON.stringify(p)}`));
  const one = hub.on('onGraphChanged', (p) => seen.push(`graph:${JSON.stringify(p)}`));
  assert.equal(hub.size, 3);
  hub.emit('onGraphChanged', payload(1));
  hub.emit('onIngestProgress', payload(2));
  assert.deepEqual(seen, ['all:onGraphChanged:{"n":1}', 'graph:{"n":1}', 'all:onIngestProgress:{"n":2}']);
  one.dispose();
  all.dispose();
  assert.equal(hub.size, 1);
  hub.emit('onGraphChanged', payload(3));
  assert.equal(seen.length, 3, 'disposed subscribers hear nothing more');
});

test('a subscriber that unsubscribes another while an event is delivered does not lose it for that event', () => {
  const hub = new EventHub();
  const seen: number[] = [];
  let second: { dispose(): void } | null = null;
  hub.subscribeAll(() => second?.dispose());
  second = hub.subscribeAll(() => seen.push(2));
  hub.emit('onGraphChanged', payload(1));
  assert.deepEqual(seen, [2], 'the listeners of one event are fixed when it is emitted');
  hub.emit('onGraphChanged', payload(2));
  assert.deepEqual(seen, [2]);
});

test('request times: epoch milliseconds or ISO-8601; anything else names the field', () => {
  assert.equal(requestTime(undefined, 'since'), undefined);
  assert.equal(requestTime('1700000000000', 'since'), 1_700_000_000_000);
  assert.equal(requestTime('0', 'since'), 0);
  assert.equal(requestTime('2026-01-01T00:00:00Z', 'until'), Date.UTC(2026, 0, 1));
  assert.throws(() => requestTime('yesterday', 'until'), (e: unknown) =>
    e instanceof AppError && e.code === 'INVALID_ARGUMENT' && e.message === 'until "yesterday" is neither an ISO-8601 time nor epoch milliseconds.');
  // Digits only are epoch ms, never a year: "2026" is 2026 ms after 1970.
  assert.equal(requestTime('2026', 'since'), 2026);
});
