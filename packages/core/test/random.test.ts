import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '@aekit/core';

describe('Random', () => {
  it('gives equal streams for equal seeds and different ones otherwise', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        // -1 and 0 once shared a state: the high word of the seed was folded into the low one.
        const a = new Random(seed), b = new Random(seed), c = new Random(seed + 1);
        const xs = Array.from({ length: 8 }, () => a.nextUint32());
        expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(xs);
        expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(xs);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps the high word of the seed apart from the low one', () => {
    expect(new Random(-1).nextUint32()).not.toBe(new Random(0).nextUint32());
    expect(new Random(2 ** 32).nextUint32()).not.toBe(new Random(0).nextUint32());
  });

  it('draws uniforms in [0, 1) with the right mean and normals with the right moments', () => {
    const rng = new Random(7);
    const n = 100_000;
    let su = 0, sn = 0, sn2 = 0, outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(outside).toBe(0);
    // Five standard errors: a wrong distribution fails, a right one passes all but never.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('draws integers in range and permutations of every index', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 50 }), (seed, n) => {
        const rng = new Random(seed);
        const k = rng.int(n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        expect([...rng.permutation(n)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it('refuses a seed that is not finite', () => {
    expect(() => new Random(Number.NaN)).toThrow(/seed must be a finite number/);
  });
});
