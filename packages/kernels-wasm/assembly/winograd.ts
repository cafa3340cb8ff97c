// 3x3 stride-1 convolution and both its gradients by Winograd's minimal
// filtering, F(2x2, 3x3) and its transpose F(3x3, 2x2) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015).
//
// Each 2 x 2 block of outputs (a tile) is computed from the 4 x 4 input patch
// under it as Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, summed over input channels. The
// elementwise product summed over channels is, for each of the 16 positions ξ
// of the 4 x 4 transformed tile, a matrix product: M[ξ] (tiles x cOut) =
// V[ξ] (tiles x cIn) · U[ξ] (cIn x cOut). So the arithmetic is 16 gemms with
// 16 / (4 x 9) = 0.44 of im2col's multiply-adds, plus linear transforms of the
// input (Bᵀ d B), the filter (G g Gᵀ, once per call) and the output (Aᵀ m A),
// which are additions and halvings.
//
// The input gradient of a stride-1 3x3 convolution is itself one (over dy,
// with the filter turned 180 degrees, its channel axes swapped and the padding
// mirrored), so the same code serves conv2d, conv2dBackpropInput and hence
// Conv2DTranspose's forward. The filter gradient is the transposed algorithm
// (filterGradient below): same input transform, 16 gemms that sum over the
// tiles instead of the channels, 13.3 -> 14.8 ms against im2col's 25.2 at
// 14x14 32 -> 64 and 23.6 -> 18.0 at 7x7 64 -> 128.
//
// The tiles run in chunks whose transformed input V and product M stay in L2
// (see winogradTiles for the measurement), like conv.ts's im2col chunks. The
// transformed filter is written once per call straight into gemm's packed-B
// layout, so the chunks' gemms never repack it (7x7 64 -> 128: 16.7 -> 15.0 ms).
//
// Measured against im2col plus gemm (raw exports, best of 7 interleaved, batch
// 128, 3x3 same, 2-core EPYC, Node 20, SIMD128), forward / input gradient:
//   14x14 32 -> 64    24.6 / 25.7 ms  ->  13.3 / 13.8 ms  (1.85x)
//   7x7 64 -> 128     23.1 / 24.5 ms  ->  15.0 / 15.7 ms  (1.55x: the 4 x 4
//                                         tiles of a 7 x 7 map cover 8 x 8)
//   28x28 32 -> 32    53.2 / 56.9 ms  ->  34.5 / 34.4 ms  (1.6x)
// The transforms take about 2.3 ms of the 13.3 (input 1.2, output 1.1), the 16
// gemms (k = 32) run at 37 GFLOP/s. Larger tiles (F(4x4, 3x3), 6 x 6 patches)
// would cut the multiplies further but with coefficients up to 8 that cost
// float32 accuracy; F(2x2, 3x3)'s are 0, ±1 and ±1/2.
//
// Rounding: every output is an exact linear function of the same products as
// the direct sum, so it differs from it by rounding only; the transforms'
// coefficients are 0, ±1 and ±1/2, and the error bound the kernel law applies
// to this path is in test/helpers/conv-law.ts.

import { gemm, gemmPackedB, gemmScratchFloats, packedBFloats, packedBIndex } from './gemm';

/**
 * Whether a convolution kernel (mode 0, forward; 1, input gradient; 2, filter
 * gradient, as in conv.ts) runs here rather than as im2col plus gemm.
 */
export function winogradApplies(mode: i32, c: i32, f: i32, kh: i32, kw: i32, sh: i32, sw: i32): bool {
  if (kh != 3 || kw != 3 || sh != 1 || sw != 1 || (c & 3) != 0 || (f & 3) != 0) return false;
  // Whole vectors of channels on both sides keep the transforms branch-free.
  // With 4 output channels gemm's 8-wide panels are half padding and the 16
  // gemms lose to im2col (raw export, best of 7, batch 128: the input gradient
  // 14x14 4 <- 32 took 3.20 ms against 2.85, 4 <- 16 1.79 against 1.85);
  // from 8 up they win at every size measured, 4 input channels included
  // (forward 14x14 4 -> 16: 1.04 against 1.56 ms; 8 -> 8: 1.31 against 1.73).
  // The filter gradient won at every size tried, 4 -> 4 included (1.70
  // against 1.92 ms at 14x14; 32 -> 4 4.0 against 5.5).
  return mode == 2 || (mode == 0 ? f : c) >= 8;
}
const HALF: f32 = 0.5;

/** Floats of V and M per chunk; see winogradTiles. */
const CHUNK_FLOATS: i32 = 64 * 1024;

/**
 * Tiles per chunk. Forward and input gradient: as many as keep V and M (16
 * tiles (c + f) floats) near CHUNK_FLOATS, in whole 4-row panels; flat from 12
 * to 60 tiles at both benchmark layers (13.2-13.4 ms for 14x14 32 -> 64),
 * slower from 80 up, when V and M outgrow the 512 KB L2. Filter gradient: 40,
 * the best or within noise of it at every layer measured from 12 to 256 (14x14
 * 32 -> 64: 18.7 ms at 12, 14.8 at 40, 17.6-17.9 from 64 up; its gemms re-read
 * the 16 c f accumulators every chunk, which pulls the other way).
 */
export function winogradTiles(mode: i32, c: i32, f: i32): i32 {
  if (mode == 2) return 40;
  return max(4, (CHUNK_FLOATS / (16 * (c + f))) & ~3);
}

/** Floats of scratch winograd needs with chunks of `tiles` tiles. */
export function winogradScratchFloats(mode: i32, c: i32, f: i32, tiles: i32): i32 {
  if (mode == 2) return 16 * c * f + 16 * tiles * (c + f) + gemmScratchFloats(c, f, tiles);
  const cIn = mode == 0 ? c : f;
  const cOut = mode == 0 ? f : c;
  return 16 * packedBFloats(cOut, cIn) + 16 * tiles * (cIn + cOut) + gemmScratchFloats(tiles, cOut, cIn);
}

/**
 * One convolution kernel by Winograd over buffers in this module's memory, with
 * conv's modes and buffers: mode 0 writes y (n x oh x ow x f) from x (n x h x
 * w x c) and the filter (3 x 3 x c x f); mode 1 writes dx = x from dy = y and
 * the filter; mode 2 writes dFilter = filter from x and dy = y. Every element
 * of the output is written. `scratch` holds winogradScratchFloats(mode, c, f, tiles).
 */
export function winograd(
  mode: i32,
  n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32, f: i32,
  x: usize, filter: usize, y: usize, tiles: i32, scratch: usize,
): void {
  if (mode == 2) {
    filterGradient(n, h, w, c, oh, ow, padTop, padLeft, f, x, y, filter, tiles, scratch);
    return;
  }
  const flip = mode == 1;
  // The convolution actually run: input (hIn x wIn x cIn) to output (hOut x wOut x cOut).
  const src = flip ? y : x;
  const dst = flip ? x : y;
  const hIn = flip ? oh : h, wIn = flip ? ow : w, cIn = flip ? f : c;
  const hOut = flip ? h : oh, wOut = flip ? w : ow, cOut = flip ? c : f;
  // Output (oy, ox) of the forward pass reads input oy - padTop + ky; the input
  // gradient at (iy, ix) collects dy at iy + padTop - ky = iy - (2 - padTop) + (2 - ky).
  const top = flip ? 2 - padTop : padTop;
  const left = flip ? 2 - padLeft : padLeft;

  const u = scratch;
  const uStep = <usize>packedBFloats(cOut, cIn) << 2;
  const v = u + 16 * uStep;
  const m = v + ((<usize>(16 * tiles * cIn)) << 2);
  const gemmScratch = m + ((<usize>(16 * tiles * cOut)) << 2);
  transformFilter(flip, cIn, cOut, filter, u, uStep);

  const tilesY = (hOut + 1) >> 1;
  const tilesX = (wOut + 1) >> 1;
  const total = n * tilesY * tilesX;
  for (let t0 = 0; t0 < total; t0 += tiles) {
    const count = min(tiles, total - t0);
    transformInput(src, t0, count, tiles, tilesY, tilesX, hIn, wIn, cIn, top, left, v);
    for (let xi = 0; xi < 16; xi++) {
      const vXi = v + ((<usize>(xi * tiles * cIn)) << 2);
      const mXi = m + ((<usize>(xi * tiles * cOut)) << 2);
      gemmPackedB(false, count, cOut, cIn, vXi, u + <usize>xi * uStep, mXi, gemmScratch);
    }
    transformOutput(m, t0, count, tiles, tilesY, tilesX, hOut, wOut, cOut, dst);
  }
}

/**
 * U[ξ] = G g Gᵀ for each channel pair (ci, co), G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
 * written straight into gemm's packed-B layout (U[ξ] is k = cIn by n = cOut),
 * so the 16 gemms of every chunk skip packing it. Forward: g(ky, kx) =
 * filter[ky][kx][ci][co]. Input gradient: the filter (3 x 3 x cOut x cIn)
 * turned 180 degrees with its channel axes swapped. Once per call, scalar.
 */
function transformFilter(flip: bool, cIn: i32, cOut: i32, filter: usize, u: usize, uStep: usize): void {
  // The panels' padding columns (cOut up to a multiple of 8) must be zero.
  if (cOut & 7) memory.fill(u, 0, 16 * uStep);
  const plane = <usize>(cIn * cOut);
  for (let ci = 0; ci < cIn; ci++) {
    for (let co = 0; co < cOut; co++) {
      const at = flip ? filter + ((<usize>(co * cIn + ci)) << 2) : filter + ((<usize>(ci * cOut + co)) << 2);
      // G g: 4 x 3, row i a combination of the filter's rows.
      const r00 = tap(at, plane, flip, 0), r01 = tap(at, plane, flip, 1), r02 = tap(at, plane, flip, 2);
      const m0 = tap(at, plane, flip, 3), m1 = tap(at, plane, flip, 4), m2 = tap(at, plane, flip, 5);
      const r30 = tap(at, plane, flip, 6), r31 = tap(at, plane, flip, 7), r32 = tap(at, plane, flip, 8);
      const r10 = HALF * (r00 + m0 + r30), r11 = HALF * (r01 + m1 + r31), r12 = HALF * (r02 + m2 + r32);
      const r20 = HALF * (r00 - m0 + r30), r21 = HALF * (r01 - m1 + r31), r22 = HALF * (r02 - m2 + r32);
      const out = u + ((<usize>packedBIndex(cOut, cIn, ci, co)) << 2);
      storeRow(out, uStep, 0, r00, r01, r02);
      storeRow(out, uStep, 4, r10, r11, r12);
      storeRow(out, uStep, 8, r20, r21, r22);
      storeRow(out, uStep, 12, r30, r31, r32);
    }
  }
}

/** Tap k (ky 3 + kx) of the filter as the convolution run sees it: turned 180 degrees for the input gradient. */
@inline function tap(at: usize, plane: usize, flip: bool, k: i32): f32 {
  return load<f32>(at + ((<usize>(flip ? 8 - k : k) * plane) << 2));
}

/** Row `first / 4` of (G g) Gᵀ from row (a, b, c) of G g: U[first .. first + 3], `step` bytes apart. */
@inline function storeRow(out: usize, step: usize, first: i32, a: f32, b: f32, c: f32): void {
  const at = out + <usize>first * step;
  store<f32>(at, a);
  store<f32>(at + step, HALF * (a + b + c));
  store<f32>(at + 2 * step, HALF * (a - b + c));
  store<f32>(at + 3 * step, c);
}

// The tile the transforms below are at, as they walk a chunk: image tileB, tile
// row tileY, tile column tileX (tiles of 2 x 2 outputs, row-major, image after
// image). Module state, as conv.ts keeps its geometry, because a function
// cannot hand three values back.
let tileB: i32 = 0, tileY: i32 = 0, tileX: i32 = 0;

/** Points the tile cursor at tile t of grids of tilesY x tilesX tiles per image. */
@inline function seekTile(t: i32, tilesY: i32, tilesX: i32): void {
  const perImage = tilesY * tilesX;
  tileB = t / perImage;
  const rest = t - tileB * perImage;
  tileY = rest / tilesX;
  tileX = rest - tileY * tilesX;
}

/** Moves the tile cursor to the next tile. */
@inline function nextTile(tilesY: i32, tilesX: i32): void {
  if (++tileX == tilesX) {
    tileX = 0;
    if (++tileY == tilesY) {
      tileY = 0;
      tileB++;
    }
  }
}

/**
 * V[ξ][t][ci] = (Bᵀ d B)[ξ] for tiles [t0, t0 + count), d the 4 x 4 input
 * patch at (2 ty - top, 2 tx - left), zero outside the image;
 * Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]. Four channels per vector.
 */
function transformInput(
  x: usize, t0: i32, count: i32, stride: i32, tilesY: i32, tilesX: i32,
  h: i32, w: i32, c: i32, top: i32, left: i32, v: usize,
): void {
  seekTile(t0, tilesY, tilesX);
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const xiStep = (<usize>(stride * c)) << 2;
  for (let t = 0; t < count; t++) {
    const iy = 2 * tileY - top;
    const ix = 2 * tileX - left;
    const origin = x + <usize>(tileB * h + iy) * row + <usize>ix * pixel;
    const interior = iy >= 0 && iy + 3 < h && ix >= 0 && ix + 3 < w;
    // Which of the patch's rows and columns lie inside the image, as bits.
    let rows = 0, cols = 0;
    for (let i = 0; i < 4; i++) {
      if (iy + i >= 0 && iy + i < h) rows |= 1 << i;
      if (ix + i >= 0 && ix + i < w) cols |= 1 << i;
    }
    let out = v + ((<usize>(t * c)) << 2);
    for (let ci = 0; ci < c; ci += 4) {
      const p = origin + (<usize>ci << 2);
      let d00: v128, d01: v128, d02: v128, d03: v128, d10: v128, d11: v128, d12: v128, d13: v128;
      let d20: v128, d21: v128, d22: v128, d23: v128, d30: v128, d31: v128, d32: v128, d33: v128;
      if (interior) {
        d00 = v128.load(p); d01 = v128.load(p + pixel); d02 = v128.load(p + 2 * pixel); d03 = v128.load(p + 3 * pixel);
        const p1 = p + row, p2 = p + 2 * row, p3 = p + 3 * row;
        d10 = v128.load(p1); d11 = v128.load(p1 + pixel); d12 = v128.load(p1 + 2 * pixel); d13 = v128.load(p1 + 3 * pixel);
        d20 = v128.load(p2); d21 = v128.load(p2 + pixel); d22 = v128.load(p2 + 2 * pixel); d23 = v128.load(p2 + 3 * pixel);
        d30 = v128.load(p3); d31 = v128.load(p3 + pixel); d32 = v128.load(p3 + 2 * pixel); d33 = v128.load(p3 + 3 * pixel);
      } else {
        d00 = edgeLoad(p, 0, 0, rows, cols, row, pixel); d01 = edgeLoad(p, 0, 1, rows, cols, row, pixel);
        d02 = edgeLoad(p, 0, 2, rows, cols, row, pixel); d03 = edgeLoad(p, 0, 3, rows, cols, row, pixel);
        d10 = edgeLoad(p, 1, 0, rows, cols, row, pixel); d11 = edgeLoad(p, 1, 1, rows, cols, row, pixel);
        d12 = edgeLoad(p, 1, 2, rows, cols, row, pixel); d13 = edgeLoad(p, 1, 3, rows, cols, row, pixel);
        d20 = edgeLoad(p, 2, 0, rows, cols, row, pixel); d21 = edgeLoad(p, 2, 1, rows, cols, row, pixel);
        d22 = edgeLoad(p, 2, 2, rows, cols, row, pixel); d23 = edgeLoad(p, 2, 3, rows, cols, row, pixel);
        d30 = edgeLoad(p, 3, 0, rows, cols, row, pixel); d31 = edgeLoad(p, 3, 1, rows, cols, row, pixel);
        d32 = edgeLoad(p, 3, 2, rows, cols, row, pixel); d33 = edgeLoad(p, 3, 3, rows, cols, row, pixel);
      }
      // Bᵀ d: combinations of the patch's rows, column by column.
      const e00 = f32x4.sub(d00, d20), e01 = f32x4.sub(d01, d21), e02 = f32x4.sub(d02, d22), e03 = f32x4.sub(d03, d23);
      const e10 = f32x4.add(d10, d20), e11 = f32x4.add(d11, d21), e12 = f32x4.add(d12, d22), e13 = f32x4.add(d13, d23);
      const e20 = f32x4.sub(d20, d10), e21 = f32x4.sub(d21, d11), e22 = f32x4.sub(d22, d12), e23 = f32x4.sub(d23, d13);
      const e30 = f32x4.sub(d10, d30), e31 = f32x4.sub(d11, d31), e32 = f32x4.sub(d12, d32), e33 = f32x4.sub(d13, d33);
      // (Bᵀ d) B: the same combinations of its columns, stored at ξ = 4 row + column.
      storeInputRow(out, xiStep, 0, e00, e01, e02, e03);
      storeInputRow(out, xiStep, 4, e10, e11, e12, e13);
      storeInputRow(out, xiStep, 8, e20, e21, e22, e23);
      storeInputRow(out, xiStep, 12, e30, e31, e32, e33);
      out += 16;
    }
    nextTile(tilesY, tilesX);
  }
}

/** Four channels of patch pixel (r, s), or zero where it lies outside the image. */
@inline function edgeLoad(p: usize, r: i32, s: i32, rows: i32, cols: i32, row: usize, pixel: usize): v128 {
  return (rows >> r) & (cols >> s) & 1 ? v128.load(p + <usize>r * row + <usize>s * pixel) : f32x4.splat(0);
}

@inline function storeInputRow(out: usize, step: usize, first: i32, a: v128, b: v128, c: v128, d: v128): void {
  const at = out + <usize>first * step;
  v128.store(at, f32x4.sub(a, c));
  v128.store(at + step, f32x4.add(b, c));
  v128.store(at + 2 * step, f32x4.sub(c, b));
  v128.store(at + 3 * step, f32x4.sub(b, d));
}

/**
 * y = Aᵀ m A for tiles [t0, t0 + count), Aᵀ = [1 1 1 0; 0 1 -1 -1]: the 2 x 2
 * outputs of each tile from M[ξ][t][co], those inside the output stored.
 */
function transformOutput(
  m: usize, t0: i32, count: i32, stride: i32, tilesY: i32, tilesX: i32,
  h: i32, w: i32, c: i32, y: usize,
): void {
  seekTile(t0, tilesY, tilesX);
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const xiStep = (<usize>(stride * c)) << 2;
  for (let t = 0; t < count; t++) {
    const oy = 2 * tileY;
    const ox = 2 * tileX;
    const bottom = oy + 1 < h;
    const right = ox + 1 < w;
    let at = y + <usize>(tileB * h + oy) * row + <usize>ox * pixel;
    let src = m + ((<usize>(t * c)) << 2);
    for (let co = 0; co < c; co += 4) {
      // Aᵀ m: two combinations of the four rows, for each column.
      const o00 = sumRows(src, xiStep, 0), o01 = sumRows(src, xiStep, 1), o02 = sumRows(src, xiStep, 2), o03 = sumRows(src, xiStep, 3);
      const o10 = diffRows(src, xiStep, 0), o11 = diffRows(src, xiStep, 1), o12 = diffRows(src, xiStep, 2), o13 = diffRows(src, xiStep, 3);
      // (Aᵀ m) A: the same two combinations of the columns.
      v128.store(at, f32x4.add(f32x4.add(o00, o01), o02));
      if (right) v128.store(at + pixel, f32x4.sub(f32x4.sub(o01, o02), o03));
      if (bottom) {
        v128.store(at + row, f32x4.add(f32x4.add(o10, o11), o12));
        if (right) v128.store(at + row + pixel, f32x4.sub(f32x4.sub(o11, o12), o13));
      }
      at += 16;
      src += 16;
    }
    nextTile(tilesY, tilesX);
  }
}

/** Row 0 of Aᵀ m in column s: m[0][s] + m[1][s] + m[2][s]. */
@inline function sumRows(src: usize, step: usize, s: i32): v128 {
  return f32x4.add(f32x4.add(v128.load(src + <usize>s * step), v128.load(src + <usize>(4 + s) * step)), v128.load(src + <usize>(8 + s) * step));
}

/** Row 1 of Aᵀ m in column s: m[1][s] - m[2][s] - m[3][s]. */
@inline function diffRows(src: usize, step: usize, s: i32): v128 {
  return f32x4.sub(f32x4.sub(v128.load(src + <usize>(4 + s) * step), v128.load(src + <usize>(8 + s) * step)), v128.load(src + <usize>(12 + s) * step));
}

/**
 * The filter gradient of a 3x3 stride-1 convolution by F(3x3, 2x2), the
 * transpose of the forward algorithm: each 2 x 2 tile of dy and the 4 x 4 input
 * patch under it add Gᵀ [(A dy Aᵀ) ⊙ (Bᵀ d B)] G to the 3 x 3 filter gradient.
 * Summed over tiles in the transformed domain, that is 16 gemms W[ξ] (c x f)
 * += V[ξ]ᵀ D[ξ] with k = the tiles, and one output transform at the end.
 * Reads x (n x h x w x c) and dy (n x oh x ow x f), writes dFilter (3 x 3 x c x f).
 */
function filterGradient(
  n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32, f: i32,
  x: usize, dy: usize, dFilter: usize, tiles: i32, scratch: usize,
): void {
  const acc = scratch;
  const v = acc + ((<usize>(16 * c * f)) << 2);
  const d = v + ((<usize>(16 * tiles * c)) << 2);
  const gemmScratch = d + ((<usize>(16 * tiles * f)) << 2);
  const tilesY = (oh + 1) >> 1;
  const tilesX = (ow + 1) >> 1;
  const total = n * tilesY * tilesX;
  for (let t0 = 0; t0 < total; t0 += tiles) {
    const count = min(tiles, total - t0);
    transformInput(x, t0, count, tiles, tilesY, tilesX, h, w, c, padTop, padLeft, v);
    transformGradient(dy, t0, count, tiles, tilesY, tilesX, oh, ow, f, d);
    for (let xi = 0; xi < 16; xi++) {
      const vXi = v + ((<usize>(xi * tiles * c)) << 2);
      const dXi = d + ((<usize>(xi * tiles * f)) << 2);
      gemm(true, false, c, f, count, 1, vXi, dXi, t0 == 0 ? 0 : 1, acc + ((<usize>(xi * c * f)) << 2), gemmScratch);
    }
  }
  transformFilterGradient(acc, c * f, dFilter);
}

/**
 * D[ξ][t][co] = (A e Aᵀ)[ξ] for tiles [t0, t0 + count), e the tile's 2 x 2
 * block of dy (zero past the output's edge), A = [1 0; 1 1; 1 -1; 0 -1].
 */
function transformGradient(
  dy: usize, t0: i32, count: i32, stride: i32, tilesY: i32, tilesX: i32,
  h: i32, w: i32, c: i32, d: usize,
): void {
  seekTile(t0, tilesY, tilesX);
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const xiStep = (<usize>(stride * c)) << 2;
  const zero = f32x4.splat(0);
  for (let t = 0; t < count; t++) {
    const oy = 2 * tileY;
    const ox = 2 * tileX;
    const bottom = oy + 1 < h;
    const right = ox + 1 < w;
    const at = dy + <usize>(tileB * h + oy) * row + <usize>ox * pixel;
    let out = d + ((<usize>(t * c)) << 2);
    for (let co = 0; co < c; co += 4) {
      const p = at + (<usize>co << 2);
      const e00 = v128.load(p);
      const e01 = right ? v128.load(p + pixel) : zero;
      const e10 = bottom ? v128.load(p + row) : zero;
      const e11 = bottom && right ? v128.load(p + row + pixel) : zero;
      // A e: four combinations of the two rows, then the same of the two columns.
      storeGradientRow(out, xiStep, 0, e00, e01);
      storeGradientRow(out, xiStep, 4, f32x4.add(e00, e10), f32x4.add(e01, e11));
      storeGradientRow(out, xiStep, 8, f32x4.sub(e00, e10), f32x4.sub(e01, e11));
      storeGradientRow(out, xiStep, 12, f32x4.neg(e10), f32x4.neg(e11));
      out += 16;
    }
    nextTile(tilesY, tilesX);
  }
}

@inline function storeGradientRow(out: usize, step: usize, first: i32, a: v128, b: v128): void {
  const at = out + <usize>first * step;
  v128.store(at, a);
  v128.store(at + step, f32x4.add(a, b));
  v128.store(at + 2 * step, f32x4.sub(a, b));
  v128.store(at + 3 * step, f32x4.neg(b));
}

/**
 * dFilter[ky][kx] = (Gᵀ W G)[ky][kx] from the 16 accumulated W[ξ] (each `plane`
 * = c f floats), Gᵀ = [1 ½ ½ 0; 0 ½ -½ 0; 0 ½ ½ 1]. Four filters per vector.
 */
function transformFilterGradient(acc: usize, plane: i32, dFilter: usize): void {
  const step = <usize>plane << 2;
  const half = f32x4.splat(HALF);
  for (let i = 0; i < plane; i += 4) {
    const src = acc + (<usize>i << 2);
    const dst = dFilter + (<usize>i << 2);
    // Gᵀ W: three combinations of W's four rows, for each column s.
    for (let s = 0; s < 4; s++) {
      const m0 = v128.load(src + <usize>s * step), m1 = v128.load(src + <usize>(4 + s) * step);
      const m2 = v128.load(src + <usize>(8 + s) * step), m3 = v128.load(src + <usize>(12 + s) * step);
      const sum = f32x4.mul(half, f32x4.add(m1, m2));
      // Parked in the first three rows of W (each column read before it is written).
      v128.store(src + <usize>s * step, f32x4.add(m0, sum));
      v128.store(src + <usize>(4 + s) * step, f32x4.mul(half, f32x4.sub(m1, m2)));
      v128.store(src + <usize>(8 + s) * step, f32x4.add(sum, m3));
    }
    // (Gᵀ W) G: the same three combinations of its columns.
    for (let r = 0; r < 3; r++) {
      const at = src + <usize>(4 * r) * step;
      const m0 = v128.load(at), m1 = v128.load(at + step), m2 = v128.load(at + 2 * step), m3 = v128.load(at + 3 * step);
      const sum = f32x4.mul(half, f32x4.add(m1, m2));
      const out = dst + <usize>(3 * r) * step;
      v128.store(out, f32x4.add(m0, sum));
      v128.store(out + step, f32x4.mul(half, f32x4.sub(m1, m2)));
      v128.store(out + 2 * step, f32x4.add(sum, m3));
    }
  }
}
