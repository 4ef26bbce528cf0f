import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NumberMap } from '../../src/core/numbermap.ts';
import { seededRng } from './helpers/seeded.ts';

describe('NumberMap', () => {
  it('agrees with a Map over random 32-bit keys, negative ones and shard collisions included', () => {
    const r = seededRng(12);
    const mine = new NumberMap<number>();
    const ref = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      // Keys from a small range too, so that sets, gets and deletes meet the same keys often.
      const k = r() < 0.5 ? (Math.floor(r() * 2 ** 32) | 0) : Math.floor(r() * 300) * 64 - 9000;
      const op = r();
      if (op < 0.5) {
        mine.set(k, i);
        ref.set(k, i);
      } else if (op < 0.7) assert.equal(mine.delete(k), ref.delete(k));
      else assert.equal(mine.get(k), ref.get(k));
    }
    for (const [k, v] of ref) assert.equal(mine.get(k), v);
    assert.equal(mine.get(-1), ref.get(-1));
  });
});
