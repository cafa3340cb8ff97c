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
// - One input channel (the seed's first layer, 28x28 1 -> 32, kLen = 9) runs
//   its forward direct instead (convForwardDirect): raw export, best of 7
//   interleaved rounds, 5.7-9.5 ms for im2col plus gemm against 3.2-3.3 ms
//   direct (18 GFLOP/s). The same kernel with three channels (27 taps through
//   the scalar gather) measured 10.5 ms against 9.6 for im2col plus gemm, so
//   only c = 1 takes it.
//   Its gradients at stride 1 run direct too (convBackpropInputDirect,
//   convBackpropFilterDirect: 7.8 -> 4.3 and 7.0 -> 4.4 ms at that layer).
// - 3x3 stride-1 convolutions with whole vectors of channels skip this file
//   for all three kernels (winogradApplies has the rule): src/wasm.ts sends
//   them to winograd.ts, which does 0.44 of the multiply-adds (1.3-1.85x
//   faster at the seed's layers).

import { gemm, gemmScratchFloats } from './gemm';

/** Output positions per direct micro-kernel call (gemm's MR). */
const MR: i32 = 4;

/**
 * Whether the forward pass runs direct (below) rather than as im2col plus gemm:
 * for a short reduction (kh kw c), where gemm's packing and per-tile overhead
 * outweigh its arithmetic. See convForwardDirect for the measurement.
 */
@inline function useDirect(c: i32, kLen: i32): bool {
  return c == 1 && kLen <= DIRECT_MAX_KLEN;
}
const DIRECT_MAX_KLEN: i32 = 64;

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function roundUp4(x: i32): i32 {
  return (x + 3) & ~3;
}

/** Floats of scratch a conv kernel call needs with chunks of `rows` output positions. */
export function convScratchFloats(mode: i32, rows: i32, kLen: i32, f: i32): i32 {
  // mode 0: forward (gemm rows x f x kLen), 1: input gradient (rows x kLen x f),
  // 2: filter gradient (kLen x f x rows).
  const g = mode == 0 ? gemmScratchFloats(rows, f, kLen) : mode == 1 ? gemmScratchFloats(rows, kLen, f) : gemmScratchFloats(kLen, f, rows);
  // The direct forward (one input channel) needs only MR kLen of it.
  return max(roundUp4(rows * kLen) + g, roundUp4(MR * kLen));
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
/**
 * Whether gatherTaps may read a few floats before and after the input (masked
 * off afterwards): only when those addresses lie inside this memory, so a
 * read never traps.
 */
let gEdgeVectors = false;
/** Lane numbers, for the edge masks of gatherTaps. */
const LANE_INDEX: v128 = i32x4(0, 1, 2, 3);

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
  if (mode == 0 && useDirect(c, kLen)) {
    // The edge loads reach padLeft floats before a row and at most
    // ow + kw + MR past the start of the last one.
    const before = <usize>padLeft << 2;
    const after = (<usize>(n * h * w + ow + kw + MR) << 2) + x;
    gEdgeVectors = x >= before && after <= (<usize>memory.size() << 16);
    convForwardDirect(n * oh * ow, kLen, f, x, filter, y, scratch);
    return;
  }
  if (mode != 0 && useDirectGradients(c, sh, sw, f)) {
    if (mode == 1) convBackpropInputDirect(n, f, x, filter, y);
    else convBackpropFilterDirect(n, f, x, filter, y);
    return;
  }
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

/**
 * The taps of output positions [r0, r0 + rows) (rows <= 4) into `block`, tap-major:
 * block[t * 4 + p] is tap t (ky, kx, channel) of position p, 0 over the padding
 * and for p >= rows. With one channel and stride 1, four positions on one output
 * row inside the image horizontally read each (ky, kx) tap as one vector.
 */
function gatherTaps(x: usize, r0: i32, rows: i32, block: usize): void {
  const c = gC, kw = gKw, kh = gKh, w = gW, h = gH;
  const plane = gOh * gOw;
  const b = r0 / plane;
  const rem = r0 - b * plane;
  const oy = rem / gOw;
  const ox = rem - oy * gOw;
  // Whether every tap of the four positions lies inside the row horizontally.
  const interior = ox - gPadLeft >= 0 && ox + MR - 1 + kw - 1 - gPadLeft < w;
  if (c == 1 && gSw == 1 && rows == MR && ox + MR <= gOw && (interior || gEdgeVectors)) {
    let dst = block;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * gSh + ky - gPadTop;
      if (iy < 0 || iy >= h) {
        for (let kx = 0; kx < kw; kx++) {
          v128.store(dst, f32x4.splat(0));
          dst += MR << 2;
        }
        continue;
      }
      const src = x + ((<usize>((b * h + iy) * w + ox - gPadLeft)) << 2);
      if (interior) {
        for (let kx = 0; kx < kw; kx++) {
          v128.store(dst, v128.load(src + (<usize>kx << 2)));
          dst += MR << 2;
        }
        continue;
      }
      // At the left or right edge of a row: the same vector loads (the floats
      // beside the row stand in for the padding), with the lanes outside the
      // image zeroed. This was the scalar path below for 2 of every 7 blocks
      // of a 28-wide row: 2.97 -> 2.02 ms for the seed's 28x28 1 -> 32 layer
      // (raw export, best of 7 interleaved rounds).
      for (let kx = 0; kx < kw; kx++) {
        const ix = i32x4.add(i32x4.splat(ox - gPadLeft + kx), LANE_INDEX);
        const valid = v128.and(i32x4.ge_s(ix, i32x4.splat(0)), i32x4.lt_s(ix, i32x4.splat(w)));
        v128.store(dst, v128.and(v128.load(src + (<usize>kx << 2)), valid));
        dst += MR << 2;
      }
    }
    return;
  }
  const kLen = kh * kw * c;
  for (let p = 0; p < MR; p++) {
    let dst = block + (<usize>p << 2);
    if (p >= rows) {
      for (let t = 0; t < kLen; t++) store<f32>(dst + (<usize>t << 4), 0);
      continue;
    }
    const r = r0 + p;
    const pb = r / plane;
    const prem = r - pb * plane;
    const poy = prem / gOw;
    const pox = prem - poy * gOw;
    for (let ky = 0; ky < kh; ky++) {
      const iy = poy * gSh + ky - gPadTop;
      for (let kx = 0; kx < kw; kx++) {
        const ix = pox * gSw + kx - gPadLeft;
        const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
        const src = x + ((<usize>((pb * h + iy) * w + ix) * c) << 2);
        for (let ch = 0; ch < c; ch++) {
          store<f32>(dst, inside ? load<f32>(src + (<usize>ch << 2)) : 0);
          dst += MR << 2;
        }
      }
    }
  }
}

/**
 * Four output positions by eight filters: y[p][j] = sum over t of block[t][p] w[t][j],
 * w read in place (rows `ldw` bytes apart), the first `rows` positions stored.
 */
@inline function direct4x8(kLen: i32, a: usize, w: usize, ldw: usize, y: usize, ldy: usize, rows: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = a + (<usize>kLen << 4);
  while (a < end) {
    const b0 = v128.load(w);
    const b1 = v128.load(w, 16);
    let s = v128.load32_splat(a);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a, 4);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a, 8);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a, 12);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    a += MR << 2;
    w += ldw;
  }
  v128.store(y, c00);
  v128.store(y, c01, 16);
  if (rows < 2) return;
  y += ldy;
  v128.store(y, c10);
  v128.store(y, c11, 16);
  if (rows < 3) return;
  y += ldy;
  v128.store(y, c20);
  v128.store(y, c21, 16);
  if (rows < 4) return;
  y += ldy;
  v128.store(y, c30);
  v128.store(y, c31, 16);
}

/** As direct4x8 for the last filters (fewer than eight), one at a time. */
function directColumn(kLen: i32, a: usize, w: usize, ldw: usize, y: usize, ldy: usize, rows: i32): void {
  let acc = f32x4.splat(0);
  const end = a + (<usize>kLen << 4);
  while (a < end) {
    acc = madd(v128.load(a), f32x4.splat(load<f32>(w)), acc);
    a += MR << 2;
    w += ldw;
  }
  store<f32>(y, f32x4.extract_lane(acc, 0));
  if (rows > 1) store<f32>(y + ldy, f32x4.extract_lane(acc, 1));
  if (rows > 2) store<f32>(y + 2 * ldy, f32x4.extract_lane(acc, 2));
  if (rows > 3) store<f32>(y + 3 * ldy, f32x4.extract_lane(acc, 3));
}

/**
 * The forward pass without im2col or packing, for a short reduction (kLen = kh kw c
 * up to DIRECT_MAX_KLEN): per four output positions, their taps gathered into a
 * 4 x kLen block in L1 (`block`, MR kLen floats), then gemm's 4 x 8 micro-kernel
 * over the filter read in place. With kLen = 9 (one input channel) im2col plus gemm
 * spent more on the im2col copies, packing and per-tile overhead than on the
 * arithmetic (see the measurement at the top of this file).
 */
function convForwardDirect(total: i32, kLen: i32, f: i32, x: usize, filter: usize, y: usize, block: usize): void {
  const ldw = <usize>f << 2;
  for (let r0 = 0; r0 < total; r0 += MR) {
    const rows = min(MR, total - r0);
    gatherTaps(x, r0, rows, block);
    const yRow = y + ((<usize>r0 * f) << 2);
    let j = 0;
    for (; j + 8 <= f; j += 8) direct4x8(kLen, block, filter + (<usize>j << 2), ldw, yRow + (<usize>j << 2), ldw, rows);
    for (; j < f; j++) directColumn(kLen, block, filter + (<usize>j << 2), ldw, yRow + (<usize>j << 2), ldw, rows);
  }
}

/**
 * Whether the gradients run direct (the two functions below) rather than as
 * im2col or col2im plus gemm: one input channel, stride 1, whole vectors of
 * filters. With one channel im2col moves one float per tap, and gemm's 8-wide
 * panels see a reduction or a width of kh kw = 9 (the seed's 28x28 1 -> 32
 * layer, batch 128, with copies: input gradient 7.8 ms, filter gradient 7.0,
 * against 2.9 for the direct forward; see the measurements below).
 */
// Measured on the seed's 28x28 1 -> 32 layer (batch 128, raw export, best of
// 30 interleaved; pnpm bench conv with copies in parentheses): input gradient
// 7.0 -> 2.7 ms (7.8 -> 4.3), filter gradient 6.3-7.0 -> 2.9 ms (7.0 -> 4.4).
// Tried for the input gradient, slower: one pixel at a time only (3.2-3.5 ms),
// and blockOfFour with its second vector of filters behind a branch so V8
// would not hoist its loads (3.7). Then, for three taps a row (any 3 x k
// kernel: kw == 3), blockOfFourThreeTaps: 2.94-3.23 -> 2.08-2.24 ms (best of
// 30 interleaved, /tmp harness); see there why.
@inline function useDirectGradients(c: i32, sh: i32, sw: i32, f: i32): bool {
  return c == 1 && sh == 1 && sw == 1 && (f & 3) == 0;
}

/**
 * dx of a one-channel stride-1 convolution: each input pixel is the sum over
 * its valid taps (ky, kx) of dy[iy + padTop - ky][ix + padLeft - kx] .
 * filter[ky][kx] (f floats each). Four neighbouring pixels of a row share
 * each filter vector: with three taps a row, blockOfFourThreeTaps, which also
 * shares each dy vector and takes the row's end pixels; with other widths,
 * blockOfFour, where every tap lies inside. The pixels left over go one at a
 * time (onePixel).
 */
function convBackpropInputDirect(n: i32, f: i32, dx: usize, filter: usize, dy: usize): void {
  const h = gH, w = gW, kh = gKh, kw = gKw, oh = gOh, ow = gOw;
  const pixel = <usize>f << 2;
  // Columns whose kw taps all lie inside the row: kxLo == 0 and kxHi == kw below.
  const first = max(0, kw - 1 - gPadLeft), last = min(w, ow - gPadLeft);
  for (let b = 0; b < n; b++) {
    for (let iy = 0; iy < h; iy++) {
      // Taps whose output row oy = iy + padTop - ky lies in [0, oh).
      const kyLo = max(0, iy + gPadTop - oh + 1), kyHi = min(kh, iy + gPadTop + 1);
      const dyRow = dy + <usize>((b * oh + iy + gPadTop - kyLo) * ow) * pixel;
      const kRow = filter + <usize>(kyLo * kw) * pixel;
      const out = dx + (<usize>((b * h + iy) * w) << 2);
      for (let ix = 0; ix < w; ix++) {
        const g = dyRow + <usize>(ix + gPadLeft) * pixel, o = out + (<usize>ix << 2);
        if (kw == 3) {
          // The block reads dy pixels lo .. lo + 5: the middle four must lie in the row, the two ends need not.
          const lo = ix + gPadLeft - 2;
          if (ix + 4 <= w && lo >= -1 && lo + 4 < ow) {
            threeTapBlock(g, kRow, kyHi - kyLo, pixel, o, lo < 0, lo + 5 >= ow);
            ix += 3;
            continue;
          }
        } else if (ix >= first && ix + 4 <= last) {
          blockOfFour(g, kRow, kyHi - kyLo, pixel, o);
          ix += 3;
          continue;
        }
        const kxLo = max(0, ix + gPadLeft - ow + 1), kxHi = min(kw, ix + gPadLeft + 1);
        const g0 = dyRow + <usize>(ix + gPadLeft - kxLo) * pixel;
        onePixel(g0, kRow + <usize>kxLo * pixel, kyHi - kyLo, kxHi - kxLo, pixel, o);
      }
    }
  }
}

/**
 * One pixel of convBackpropInputDirect: `rows` rows of `taps` taps from the
 * first valid one (dy at g0, filter at k0); the next tap of a row is one dy
 * pixel left, the next row one dy row up. Eight accumulators take the
 * vectors in turn, enough independent add chains to keep both adders busy.
 */
function onePixel(g0: usize, k0: usize, rows: i32, taps: i32, pixel: usize, out: usize): void {
  const rowStep = <usize>gOw * pixel;
  const filterRow = <usize>gKw * pixel;
  const tapBytes = <usize>taps * pixel;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let v: usize = 0; v < pixel; v += 128) {
    const wide = v + 128 <= pixel;
    let gRow = g0 + v, kRow = k0 + v;
    for (let r = 0; r < rows; r++) {
      let g = gRow, k = kRow;
      const kEnd = kRow + tapBytes;
      while (k < kEnd) {
        if (wide) {
          a0 = madd(v128.load(g), v128.load(k), a0);
          a1 = madd(v128.load(g, 16), v128.load(k, 16), a1);
          a2 = madd(v128.load(g, 32), v128.load(k, 32), a2);
          a3 = madd(v128.load(g, 48), v128.load(k, 48), a3);
          a4 = madd(v128.load(g, 64), v128.load(k, 64), a4);
          a5 = madd(v128.load(g, 80), v128.load(k, 80), a5);
          a6 = madd(v128.load(g, 96), v128.load(k, 96), a6);
          a7 = madd(v128.load(g, 112), v128.load(k, 112), a7);
        } else {
          // The last filters, fewer than 32, a vector at a time.
          for (let u: usize = 0; v + u < pixel; u += 16) a0 = madd(v128.load(g + u), v128.load(k + u), a0);
        }
        g -= pixel;
        k += pixel;
      }
      gRow -= rowStep;
      kRow += filterRow;
    }
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  store<f32>(out, f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
}

/**
 * Four neighbouring pixels of convBackpropInputDirect, every tap of each row
 * inside: dy for pixel j of tap (ky, kx) is pixel j of the run starting at
 * g0 - kx pixels, ky dy rows up, so each filter vector is loaded once for four
 * pixels. Two accumulators per pixel (even and odd vectors); the four sums are
 * reduced across lanes together and stored as one vector (one channel: the
 * four pixels are contiguous in dx).
 */
function blockOfFour(g0: usize, k0: usize, rows: i32, pixel: usize, out: usize): void {
  const rowStep = <usize>gOw * pixel;
  const tapBytes = <usize>gKw * pixel;
  let p0 = f32x4.splat(0), q0 = p0, p1 = p0, q1 = p0, p2 = p0, q2 = p0, p3 = p0, q3 = p0;
  let gRow = g0, k = k0;
  for (let r = 0; r < rows; r++) {
    let g = gRow;
    const kEnd = k + tapBytes;
    while (k < kEnd) {
      // One tap: f floats of filter against four consecutive dy pixels.
      let u: usize = 0;
      for (; u + 32 <= pixel; u += 32) {
        const ka = v128.load(k + u), kb = v128.load(k + u, 16);
        const d = g + u;
        p0 = madd(v128.load(d), ka, p0);
        q0 = madd(v128.load(d, 16), kb, q0);
        p1 = madd(v128.load(d + pixel), ka, p1);
        q1 = madd(v128.load(d + pixel, 16), kb, q1);
        p2 = madd(v128.load(d + 2 * pixel), ka, p2);
        q2 = madd(v128.load(d + 2 * pixel, 16), kb, q2);
        p3 = madd(v128.load(d + 3 * pixel), ka, p3);
        q3 = madd(v128.load(d + 3 * pixel, 16), kb, q3);
      }
      if (u < pixel) {
        // An odd last vector of filters (f = 4 mod 8).
        const ka = v128.load(k + u);
        const d = g + u;
        p0 = madd(v128.load(d), ka, p0);
        p1 = madd(v128.load(d + pixel), ka, p1);
        p2 = madd(v128.load(d + 2 * pixel), ka, p2);
        p3 = madd(v128.load(d + 3 * pixel), ka, p3);
      }
      g -= pixel;
      k += pixel;
    }
    gRow -= rowStep;
  }
  storeLaneSums(out, f32x4.add(p0, q0), f32x4.add(p1, q1), f32x4.add(p2, q2), f32x4.add(p3, q3));
}

/** blockOfFourThreeTaps, compiled once for each edge case so that the hot loop has no branch. */
function threeTapBlock(g0: usize, k0: usize, rows: i32, pixel: usize, out: usize, left: bool, right: bool): void {
  if (left) {
    if (right) blockOfFourThreeTaps(g0, k0, rows, pixel, out, true, true);
    else blockOfFourThreeTaps(g0, k0, rows, pixel, out, true, false);
  } else if (right) blockOfFourThreeTaps(g0, k0, rows, pixel, out, false, true);
  else blockOfFourThreeTaps(g0, k0, rows, pixel, out, false, false);
}

/**
 * Four neighbouring pixels of convBackpropInputDirect when a filter row has
 * three taps: pixel j of tap kx reads dy pixel j - kx + 2 of the six starting
 * at g0 - 2 pixels (e0..e5), so each step loads three filter vectors and six
 * dy vectors for twelve products, where blockOfFour loads two and eight for
 * eight. Each pixel's three products are summed before its accumulator, so
 * the loop carries one add per pixel. e0 (read only by pixel 0's last tap)
 * and e5 (pixel 3's first) may lie past the row's ends: `left` and `right`
 * drop those products, so the row's end pixels take the block too instead of
 * onePixel. Against blockOfFour on the seed's 28x28 1 -> 32 layer (raw export,
 * best of 30 interleaved): 2.94-3.23 -> 2.24-2.47 ms for sharing the dy loads,
 * -> 2.08 for the end pixels. Nine loads and four accumulators fit V8's 15
 * registers with its loads-first schedule; blocks of three pixels with two
 * vectors of filters, or six with one, measured no better than blockOfFour
 * (2.84, 2.87 ms), and constant load offsets for f = 32 gained nothing (2.21
 * against 2.23).
 */
@inline function blockOfFourThreeTaps(g0: usize, k0: usize, rows: i32, pixel: usize, out: usize, left: bool, right: bool): void {
  const rowStep = <usize>gOw * pixel;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let gRow = g0 - 2 * pixel, kRow = k0;
  for (let r = 0; r < rows; r++) {
    for (let u: usize = 0; u < pixel; u += 16) {
      const k = kRow + u;
      const w0 = v128.load(k), w1 = v128.load(k + pixel), w2 = v128.load(k + 2 * pixel);
      const d = gRow + u;
      const e1 = v128.load(d + pixel), e2 = v128.load(d + 2 * pixel), e3 = v128.load(d + 3 * pixel), e4 = v128.load(d + 4 * pixel);
      const inner0 = madd(e1, w1, f32x4.mul(e2, w0)); // pixel 0's taps inside the row
      const inner3 = madd(e4, w1, f32x4.mul(e3, w2));
      a0 = f32x4.add(a0, left ? inner0 : madd(v128.load(d), w2, inner0));
      a1 = f32x4.add(a1, madd(e1, w2, madd(e2, w1, f32x4.mul(e3, w0))));
      a2 = f32x4.add(a2, madd(e2, w2, madd(e3, w1, f32x4.mul(e4, w0))));
      a3 = f32x4.add(a3, right ? inner3 : madd(v128.load(d + 5 * pixel), w0, inner3));
    }
    gRow -= rowStep;
    kRow += 3 * pixel;
  }
  storeLaneSums(out, a0, a1, a2, a3);
}

/** The lane sums of s0..s3, stored as one vector: two rounds of pairwise adds. */
@inline function storeLaneSums(out: usize, s0: v128, s1: v128, s2: v128, s3: v128): void {
  const t01 = f32x4.add(f32x4.shuffle(s0, s1, 0, 4, 2, 6), f32x4.shuffle(s0, s1, 1, 5, 3, 7)); // s0 01 s1 01 s0 23 s1 23
  const t23 = f32x4.add(f32x4.shuffle(s2, s3, 0, 4, 2, 6), f32x4.shuffle(s2, s3, 1, 5, 3, 7));
  v128.store(out, f32x4.add(f32x4.shuffle(t01, t23, 0, 1, 4, 5), f32x4.shuffle(t01, t23, 2, 3, 6, 7)));
}

/** Output rows per chunk of convBackpropFilterDirect: about this many floats of dy, which then stay in L2. */
const FILTER_CHUNK_FLOATS: i32 = 32 * 1024;

/**
 * dFilter of a one-channel stride-1 convolution: for each tap (ky, kx), the
 * sum over output positions of x[oy + ky - padTop][ox + kx - padLeft] . dy[oy][ox]
 * (f floats), in chunks of output rows so that the nine passes over a chunk of
 * dy read it from cache. 16 filters at a time stay in four accumulators: with
 * 32 in eight, V8's loads-first schedule (see gemm.ts) holds 9 loaded vectors
 * beside the 8 accumulators and spills (28x28 1 -> 32, batch 128: 3.06 ms
 * against 2.88, raw export, best of 30). A filter row of three taps goes
 * through threeTapsFilterRow instead.
 */
function convBackpropFilterDirect(n: i32, f: i32, x: usize, dFilter: usize, dy: usize): void {
  const w = gW, kh = gKh, kw = gKw, oh = gOh, ow = gOw;
  const pixel = <usize>f << 2;
  const vectors = f >> 2;
  zeroRun(dFilter, kh * kw * f);
  const rows = n * oh;
  const chunk = max(1, FILTER_CHUNK_FLOATS / (ow * f));
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = min(rows, r0 + chunk);
    for (let ky = 0; ky < kh; ky++) {
      if (kw == 3) {
        const tapRow = dFilter + <usize>(ky * 3) * pixel;
        let v = 0;
        for (; v + 2 <= vectors; v += 2) threeTapsFilterRow(x, dy, tapRow, r0, r1, ky, <usize>v << 4, pixel, true);
        if (v < vectors) threeTapsFilterRow(x, dy, tapRow, r0, r1, ky, <usize>v << 4, pixel, false);
        continue;
      }
      for (let kx = 0; kx < kw; kx++) {
        // Output columns whose input column ox + kx - padLeft lies in [0, w).
        const oxLo = max(0, gPadLeft - kx), oxHi = min(ow, w + gPadLeft - kx);
        const tap = dFilter + <usize>(ky * kw + kx) * pixel;
        let v = 0;
        for (; v + 4 <= vectors; v += 4) oneTapFilterVectors(x, dy, tap, r0, r1, ky, kx, oxLo, oxHi, <usize>v << 4, pixel, true);
        for (; v < vectors; v++) oneTapFilterVectors(x, dy, tap, r0, r1, ky, kx, oxLo, oxHi, <usize>v << 4, pixel, false);
      }
    }
  }
}

/**
 * Tap (ky, kx) of convBackpropFilterDirect for four vectors of filters
 * (`four`) or one, at byte offset vb: the sum over output rows [r0, r1) and
 * columns [oxLo, oxHi) of the input under the tap times dy, added to the tap.
 */
@inline function oneTapFilterVectors(
  x: usize, dy: usize, tap: usize, r0: i32, r1: i32, ky: i32, kx: i32, oxLo: i32, oxHi: i32, vb: usize, pixel: usize, four: bool,
): void {
  const h = gH, w = gW, oh = gOh, ow = gOw;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  for (let r = r0; r < r1; r++) {
    const b = r / oh;
    const iy = r - b * oh + ky - gPadTop;
    if (iy < 0 || iy >= h) continue;
    let xp = x + ((<usize>((b * h + iy) * w + oxLo + kx - gPadLeft)) << 2);
    let g = dy + (<usize>(r * ow + oxLo)) * pixel + vb;
    const end = xp + (<usize>(oxHi - oxLo) << 2);
    while (xp < end) {
      const s = v128.load32_splat(xp);
      a0 = madd(s, v128.load(g), a0);
      if (four) {
        a1 = madd(s, v128.load(g, 16), a1);
        a2 = madd(s, v128.load(g, 32), a2);
        a3 = madd(s, v128.load(g, 48), a3);
      }
      xp += 4;
      g += pixel;
    }
  }
  const t = tap + vb;
  v128.store(t, f32x4.add(v128.load(t), a0));
  if (four) {
    v128.store(t, f32x4.add(v128.load(t, 16), a1), 16);
    v128.store(t, f32x4.add(v128.load(t, 32), a2), 32);
    v128.store(t, f32x4.add(v128.load(t, 48), a3), 48);
  }
}

/**
 * The three taps of filter row ky at once, for one or two vectors of filters
 * (`pair`) at byte offset vb: along an output row, tap kx of output column ox
 * reads input column ox + kx - padLeft, so the three inputs slide by one
 * column a step and each step loads one new input (zero past the row's ends)
 * and one or two dy vectors for three or six products, where the tap-by-tap
 * loop loads an input and four dy vectors for four. The sums run in the same
 * order as that loop's, so the result is the same to the bit. Seed's 28x28
 * 1 -> 32 layer, raw export, best of 30 interleaved: 3.04-3.26 -> 2.41-2.57
 * ms; three vectors at a time (nine accumulators) spill, 3.51.
 */
@inline function threeTapsFilterRow(x: usize, dy: usize, tapRow: usize, r0: i32, r1: i32, ky: i32, vb: usize, pixel: usize, pair: bool): void {
  const h = gH, w = gW, oh = gOh, ow = gOw, padLeft = gPadLeft;
  const zero = f32x4.splat(0);
  let a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero;
  for (let r = r0; r < r1; r++) {
    const b = r / oh;
    const iy = r - b * oh + ky - gPadTop;
    if (iy < 0 || iy >= h) continue;
    const xRow = x + (<usize>((b * h + iy) * w) << 2);
    let g = dy + <usize>(r * ow) * pixel + vb;
    // s0, s1, s2: input columns ox - padLeft, + 1, + 2 splatted (zero outside [0, w): one unsigned test).
    let s0 = <u32>(-padLeft) < <u32>w ? v128.load32_splat(xRow - (<usize>padLeft << 2)) : zero;
    let s1 = <u32>(1 - padLeft) < <u32>w ? v128.load32_splat(xRow + (<usize>(1 - padLeft) << 2)) : zero;
    for (let ox = 0; ox < ow; ox++) {
      const next = ox + 2 - padLeft;
      const s2 = <u32>next < <u32>w ? v128.load32_splat(xRow + (<usize>next << 2)) : zero;
      const d0 = v128.load(g);
      a00 = madd(s0, d0, a00);
      a10 = madd(s1, d0, a10);
      a20 = madd(s2, d0, a20);
      if (pair) {
        const d1 = v128.load(g, 16);
        a01 = madd(s0, d1, a01);
        a11 = madd(s1, d1, a11);
        a21 = madd(s2, d1, a21);
      }
      s0 = s1;
      s1 = s2;
      g += pixel;
    }
  }
  let t = tapRow + vb;
  v128.store(t, f32x4.add(v128.load(t), a00));
  if (pair) v128.store(t, f32x4.add(v128.load(t, 16), a01), 16);
  t += pixel;
  v128.store(t, f32x4.add(v128.load(t), a10));
  if (pair) v128.store(t, f32x4.add(v128.load(t, 16), a11), 16);
  t += pixel;
  v128.store(t, f32x4.add(v128.load(t), a20));
  if (pair) v128.store(t, f32x4.add(v128.load(t, 16), a21), 16);
}
