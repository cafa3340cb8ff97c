// NHWC convolution, its input gradient and its filter gradient, in WebAssembly
// SIMD128 (and relaxed SIMD, through gemm), as im2col / col2im plus the packed
// gemm of gemm.ts, run in chunks of output rows.
//
// Why this shape (measured on the 2-core EPYC, Node 20, SIMD128, best of 5,
// at the benchmark layer: batch 128, 14x14, 3x3 same, 32 -> 64 channels,
// 0.92 GFLOP for each of the three kernels):
// - The arithmetic is all in gemm: y = im2col(x) W (m = output positions,
//   n = f, k = kh kw c), dcols = dy Wᵀ then col2im, dW = im2col(x)ᵀ dy. Every
//   transpose is absorbed by gemm's packing, so the three are one kernel.
// - im2col and col2im run on a chunk of output rows at a time, into a buffer
//   that stays in L2, instead of over the whole batch: the full im2col matrix of
//   the benchmark layer (batch 128, 14x14, 3x3x32) is 29 MB, written once and
//   read back from DRAM; a chunk is written and consumed from cache. This is
//   the cheap cousin of packing straight from NHWC into gemm's packed-A
//   layout (DESIGN.md: 3-6% better than im2col): it keeps gemm untouched.
//   Forward / input gradient / filter gradient in ms, by the chunk's im2col
//   block (src/wasm.ts chooses the rows, convTuning.targetFloats):
//     8 K floats (32 KB)    30.3 / 31.8 / 34.2
//     32 K floats (128 KB)  27.6 / 29.3 / 28.7
//     64 K floats (256 KB)  28.2 / 28.6 / 28.5   <- kept: ~33 GFLOP/s each
//     128 K floats (512 KB) 27.2 / 28.6 / 41.0
//     whole batch (29 MB)   32.3 / 37.2 / 63.6
//   The filter gradient suffers most from a big block: its gemm reads the
//   block transposed (k = rows), and then beta = 1 re-reads a 73 KB dW.
//   The machine is shared and noisy (second rounds ran up to 2x slower);
//   these are the first, quietest round. Smaller chunks lose to the per-chunk
//   repacking of the filter inside gemm.
// - The copies move runs of c contiguous channels (v128 while 4 fit, then
//   scalars); rows over the padding are zero-filled, so gemm sees no branches.

import { gemm, gemmScratchFloats } from './gemm';

@inline function roundUp4(x: i32): i32 {
  return (x + 3) & ~3;
}

/** Floats of scratch a conv kernel call needs with chunks of `rows` output positions. */
export function convScratchFloats(mode: i32, rows: i32, kLen: i32, f: i32): i32 {
  // mode 0: forward (gemm rows x f x kLen), 1: input gradient (rows x kLen x f),
  // 2: filter gradient (kLen x f x rows).
  const g = mode == 0 ? gemmScratchFloats(rows, f, kLen) : mode == 1 ? gemmScratchFloats(rows, kLen, f) : gemmScratchFloats(kLen, f, rows);
  return roundUp4(rows * kLen) + g;
}

/** Copies `count` floats from src to dst. */
@inline function copyRun(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[i] += src[i] for `count` floats. */
@inline function addRun(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const d = dst + (<usize>i << 2);
    v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>i << 2))));
  }
  for (; i < count; i++) {
    const d = dst + (<usize>i << 2);
    store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 2)));
  }
}

@inline function zeroRun(dst: usize, count: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), z);
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/**
 * The geometry, kept in globals for the duration of one call: AssemblyScript
 * has no structs by value, and a dozen parameters through every helper would
 * cost more than it says.
 */
let gH: i32 = 0, gW: i32 = 0, gC: i32 = 0, gKh: i32 = 0, gKw: i32 = 0, gSh: i32 = 0, gSw: i32 = 0;
let gOh: i32 = 0, gOw: i32 = 0, gPadTop: i32 = 0, gPadLeft: i32 = 0;

function setGeometry(h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32): void {
  gH = h; gW = w; gC = c; gKh = kh; gKw = kw; gSh = sh; gSw = sw;
  gOh = oh; gOw = ow; gPadTop = padTop; gPadLeft = padLeft;
}

/** im2col of output positions [r0, r0 + rows) of image x into `cols` (rows x kh kw c). */
function im2colRows(x: usize, r0: i32, rows: i32, cols: usize): void {
  const c = gC, kw = gKw, kh = gKh, w = gW, h = gH;
  const tapBytes = <usize>c << 2;
  const plane = gOh * gOw;
  let b = r0 / plane;
  let rem = r0 - b * plane;
  let oy = rem / gOw;
  let ox = rem - oy * gOw;
  let dst = cols;
  for (let r = 0; r < rows; r++) {
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * gSh + ky - gPadTop;
      if (iy < 0 || iy >= h) {
        zeroRun(dst, kw * c);
        dst += <usize>(kw * c) << 2;
        continue;
      }
      const rowBase = x + ((<usize>(b * h + iy) * w) << 2) * c;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * gSw + kx - gPadLeft;
        if (ix < 0 || ix >= w) zeroRun(dst, c);
        else copyRun(dst, rowBase + <usize>ix * tapBytes, c);
        dst += tapBytes;
      }
    }
    if (++ox == gOw) {
      ox = 0;
      if (++oy == gOh) {
        oy = 0;
        b++;
      }
    }
  }
}

/** col2im, the adjoint of im2colRows: adds each row of `cols` back onto the input positions it came from. */
function col2imRows(cols: usize, r0: i32, rows: i32, dx: usize): void {
  const c = gC, kw = gKw, kh = gKh, w = gW, h = gH;
  const tapBytes = <usize>c << 2;
  const plane = gOh * gOw;
  let b = r0 / plane;
  let rem = r0 - b * plane;
  let oy = rem / gOw;
  let ox = rem - oy * gOw;
  let src = cols;
  for (let r = 0; r < rows; r++) {
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * gSh + ky - gPadTop;
      if (iy < 0 || iy >= h) {
        src += <usize>(kw * c) << 2;
        continue;
      }
      const rowBase = dx + ((<usize>(b * h + iy) * w) << 2) * c;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * gSw + kx - gPadLeft;
        if (ix >= 0 && ix < w) addRun(rowBase + <usize>ix * tapBytes, src, c);
        src += tapBytes;
      }
    }
    if (++ox == gOw) {
      ox = 0;
      if (++oy == gOh) {
        oy = 0;
        b++;
      }
    }
  }
}

/**
 * One convolution kernel over buffers in this module's memory: mode 0 is the
 * forward pass (reads x and filter, writes y), 1 the input gradient (reads dy
 * = y and filter, writes dx = x), 2 the filter gradient (reads x and dy = y,
 * writes dFilter = filter). `scratch` holds convScratchFloats(mode, chunk, kh kw c, f)
 * floats, 16-byte aligned.
 */
export function conv(
  mode: i32,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32, f: i32,
  x: usize, filter: usize, y: usize, chunk: i32, scratch: usize,
): void {
  setGeometry(h, w, c, kh, kw, sh, sw, oh, ow, padTop, padLeft);
  const kLen = kh * kw * c;
  const total = n * oh * ow;
  const cols = scratch;
  const gemmScratch = scratch + (<usize>roundUp4(chunk * kLen) << 2);
  if (mode == 1) zeroRun(x, n * h * w * c);
  for (let r0 = 0; r0 < total; r0 += chunk) {
    const rows = min(chunk, total - r0);
    const yRows = y + ((<usize>r0 * f) << 2);
    if (mode == 0) {
      im2colRows(x, r0, rows, cols);
      gemm(false, false, rows, f, kLen, 1, cols, filter, 0, yRows, gemmScratch);
    } else if (mode == 1) {
      gemm(false, true, rows, kLen, f, 1, yRows, filter, 0, cols, gemmScratch);
      col2imRows(cols, r0, rows, x);
    } else {
      im2colRows(x, r0, rows, cols);
      gemm(true, false, kLen, f, rows, 1, cols, yRows, r0 == 0 ? 0 : 1, filter, gemmScratch);
    }
  }
}
