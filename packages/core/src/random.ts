/**
 * The one seeded random generator: xoshiro128** seeded through splitmix32.
 * Initializers, noise, dropout, shuffling and sampling all draw from a `Random`,
 * so the same seed gives the same weights and the same run. Nothing calls `Math.random`.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second value of the last Box-Muller pair, or NaN when none is waiting. */
  private spareNormal = Number.NaN;

  /** @param seed an integer (a fraction is truncated); equal seeds give equal streams. */
  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new RangeError(`Random: the seed must be a finite number, got ${seed}`);
    // The seed's low and high 32-bit words each drive a splitmix32 sequence; its
    // first output is a bijection of its input, so distinct integer seeds give
    // distinct states, and nearby seeds unrelated streams.
    const low = splitmix32(seed >>> 0);
    const high = splitmix32(Math.floor(seed / 0x100000000) >>> 0);
    this.s0 = low();
    this.s1 = high();
    this.s2 = low();
    this.s3 = high();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1), with 32 random bits. */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** A uniform float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** A normal deviate (Box-Muller). */
  normal(mean = 0, std = 1): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = Number.NaN;
      return mean + std * z;
    }
    // 1 - next() lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`Random.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random ordering of 0..n-1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /** A new generator seeded from this one: an independent stream for one consumer. */
  fork(): Random {
    return new Random(this.nextUint32() + this.nextUint32() * 0x100000000);
  }
}

/** A splitmix32 sequence starting from `state`. */
function splitmix32(state: number): () => number {
  let x = state;
  return () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
