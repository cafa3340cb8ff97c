// What the machine can do at best, so every GFLOP/s figure can also be read as
// a fraction of the 128-bit SIMD peak.
import { cpus } from 'node:os';

/**
 * Single-precision flops per cycle of 128-bit WebAssembly SIMD without fused
 * multiply-add on Zen 3 (and most current x86 cores): two f32x4.mul and two
 * f32x4.add issue per cycle on separate pipes, 4 lanes, so 2 x 4 x 2 = 16.
 */
export const SIMD128_FLOPS_PER_CYCLE = 16;

/**
 * A tiny hand-assembled WebAssembly function: a loop of four dependent integer
 * operations (add, xor, add, xor), one cycle each, so iterations x 4 per second
 * is the clock the core actually runs at (turbo included), in GHz.
 */
const clockProbe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type: (i32) -> i32
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x07, 0x09, 0x01, 0x05, 0x63, 0x6c, 0x6f, 0x63, 0x6b, 0x00, 0x00, // export "clock"
  0x0a, 0x24, 0x01, 0x22, 0x01, 0x01, 0x7f, // code: one body, one i32 local (x)
  0x03, 0x40, // loop
  0x20, 0x01, 0x20, 0x00, 0x6a, // x + n
  0x41, 0x03, 0x73, // ^ 3
  0x41, 0x01, 0x6a, // + 1
  0x41, 0x05, 0x73, // ^ 5
  0x21, 0x01, // -> x
  0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, // n -= 1; br_if n != 0
  0x0b, // end loop
  0x20, 0x01, 0x0b, // return x
]);

/** Measures the running clock in GHz: the best of a few runs of the dependent-operation probe. */
export function measureClockGhz(): number {
  const { clock } = new WebAssembly.Instance(new WebAssembly.Module(clockProbe)).exports as { clock(n: number): number };
  const n = 50_000_000;
  clock(1_000_000); // let V8 tier the loop up
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const t = performance.now();
    clock(n);
    best = Math.min(best, performance.now() - t);
  }
  return (4 * n) / (best * 1e6);
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  clockGhz: number;
  /** SIMD128 mul + add peak per core at the measured clock, GFLOP/s. */
  simd128PeakGflops: number;
}

export function machineInfo(): MachineInfo {
  const clockGhz = measureClockGhz();
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    node: process.version,
    clockGhz,
    simd128PeakGflops: SIMD128_FLOPS_PER_CYCLE * clockGhz,
  };
}
