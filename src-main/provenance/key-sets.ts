/**
 * Compact sets for the keys an ingest session keeps for everything it has ever ingested (line
 * hashes, run ids, artifact names, code and environment hashes). As JavaScript strings in a
 * `Set` these took about 70 bytes a key and grew with the log: over a 1 GB log they were a
 * fifth of the heap. Here a key takes 8 bytes (a fingerprint) or 20 (a SHA-1 digest) in a
 * typed array, open addressing with linear probing.
 */

const MAX_LOAD = 0.7;

/**
 * Strings by 64-bit fingerprint. `mightHave` never misses a key that was added, and says yes to
 * another key with a chance of about n / 2^64: use it only where a wrong yes costs a lookup
 * (the store asks the DB, finds nothing and treats the key as new), never where it would drop
 * data.
 */
export class FingerprintSet {
  /** Two 32-bit halves a slot; (0, 0) is an empty slot (a key that hashes to it is moved to (0, 1)). */
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    const cap = powerOfTwoAtLeast(capacity / MAX_LOAD);
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  add(key: string): void {
    fingerprint(key, null);
    this.insert(fpHigh, fpLow);
  }

  mightHave(key: string): boolean {
    fingerprint(key, null);
    return this.find(fpHigh, fpLow);
  }

  /** The pair (a, b) as one key, distinct from any other pair (the parts are hashed with their lengths). */
  addPair(a: string, b: string): void {
    fingerprint(a, b);
    this.insert(fpHigh, fpLow);
  }

  mightHavePair(a: string, b: string): boolean {
    fingerprint(a, b);
    return this.find(fpHigh, fpLow);
  }

  private find(hi: number, lo: number): boolean {
    const s = this.slots;
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      const h = s[i * 2]!;
      const l = s[i * 2 + 1]!;
      if (h === hi && l === lo) return true;
      if (h === 0 && l === 0) return false;
    }
  }

  private insert(hi: number, lo: number): void {
    if (this.size + 1 > (this.mask + 1) * MAX_LOAD) this.grow();
    const s = this.slots;
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      const h = s[i * 2]!;
      const l = s[i * 2 + 1]!;
      if (h === hi && l === lo) return;
      if (h === 0 && l === 0) {
        s[i * 2] = hi;
        s[i * 2 + 1] = lo;
        this.size++;
        return;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}

/**
 * SHA-1 digests, given as their base64 text (28 characters, as `events.hash` stores them), kept
 * as 20 bytes and answered exactly: no false answer either way (the ingest's line dedup).
 */
export class DigestSet {
  /** Five 32-bit words a slot. */
  private slots: Int32Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    const cap = powerOfTwoAtLeast(capacity / MAX_LOAD);
    this.slots = new Int32Array(cap * 5);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  has(base64: string): boolean {
    return this.slotOf(wordsOf(base64)) >= 0;
  }

  /** Adds a digest; false when it was there already. */
  add(base64: string): boolean {
    const w = wordsOf(base64);
    if (this.slotOf(w) >= 0) return false;
    if (this.size + 1 > (this.mask + 1) * MAX_LOAD) this.grow();
    this.put(w);
    return true;
  }

  /** The slot holding `w`, or -1. */
  private slotOf(w: Int32Array): number {
    const s = this.slots;
    for (let i = w[0]! & this.mask; ; i = (i + 1) & this.mask) {
      if (this.used[i] === 0) return -1;
      const o = i * 5;
      if (s[o] === w[0] && s[o + 1] === w[1] && s[o + 2] === w[2] && s[o + 3] === w[3] && s[o + 4] === w[4]) return i;
    }
  }

  private put(w: Int32Array): void {
    let i = w[0]! & this.mask;
    while (this.used[i] !== 0) i = (i + 1) & this.mask;
    this.slots.set(w, i * 5);
    this.used[i] = 1;
    this.size++;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldUsed = this.used;
    this.slots = new Int32Array(oldSlots.length * 2);
    this.used = new Uint8Array(oldUsed.length * 2);
    this.mask = this.used.length - 1;
    this.size = 0;
    for (let i = 0; i < oldUsed.length; i++) if (oldUsed[i] !== 0) this.put(oldSlots.subarray(i * 5, i * 5 + 5));
  }
}

/** Base64 alphabet value of each character code (-1: not base64). */
const BASE64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
/** 21 bytes: seven groups of four characters; the last byte is the padding's. */
const digestBytes = new Uint8Array(24);
const words = new Int32Array(digestBytes.buffer, 0, 5);

/** True for the base64 text of 20 bytes (what `crypto.hash('sha1', …, 'base64')` returns). */
export function isSha1Base64(text: string): boolean {
  return decodeDigest(text);
}

/** Decodes a SHA-1's base64 text into `words`, without allocating (this runs once a line). */
function wordsOf(base64: string): Int32Array {
  if (!decodeDigest(base64)) throw new Error(`not the base64 text of a SHA-1 digest: ${JSON.stringify(base64.slice(0, 40))}`);
  return words;
}

/** Decodes into `digestBytes`; false when `base64` is not the canonical base64 of 20 bytes. */
function decodeDigest(base64: string): boolean {
  if (base64.length !== 28 || base64.charCodeAt(27) !== 61 /* = */) return false;
  for (let g = 0; g < 7; g++) {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = g * 4 + k === 27 ? 0 : BASE64[base64.charCodeAt(g * 4 + k)] ?? -1;
      if (c < 0) return false;
      v = (v << 6) | c;
    }
    digestBytes[g * 3] = v >>> 16;
    digestBytes[g * 3 + 1] = (v >>> 8) & 0xff;
    digestBytes[g * 3 + 2] = v & 0xff;
  }
  // The last character carries two bits past the 20 bytes; canonical base64 leaves them 0.
  return digestBytes[20] === 0;
}

function powerOfTwoAtLeast(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

// The fingerprint of the last `fingerprint` call (module scratch: no object a lookup).
let fpHigh = 0;
let fpLow = 0;

/**
 * Two 32-bit hashes of the UTF-16 code units (FNV-1a and a multiply-xorshift with another
 * constant), then mixed. A pair hashes the first part's length between the parts, so ("ab", "c")
 * and ("a", "bc") differ.
 */
function fingerprint(a: string, b: string | null): void {
  let h = 0x811c9dc5;
  let l = 0x9747b28c;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    l = Math.imul(l ^ c, 0x5bd1e995);
    l ^= l >>> 13;
  }
  if (b !== null) {
    h = Math.imul(h ^ (a.length + 0x10000), 0x01000193);
    l = Math.imul(l ^ (a.length + 0x10000), 0x5bd1e995);
    l ^= l >>> 13;
    for (let i = 0; i < b.length; i++) {
      const c = b.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      l = Math.imul(l ^ c, 0x5bd1e995);
      l ^= l >>> 13;
    }
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  l = Math.imul(l ^ (l >>> 15), 0x2c1b3c6d);
  l = Math.imul(l ^ (l >>> 12), 0x297a2d39);
  l ^= l >>> 15;
  if (h === 0 && l === 0) l = 1;
  fpHigh = h;
  fpLow = l;
}
