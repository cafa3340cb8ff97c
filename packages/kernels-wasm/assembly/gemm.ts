// Single-precision GEMM, C = alpha * op(A) * op(B) + beta * C, row-major, in
// WebAssembly SIMD128 (and, from the same source, relaxed SIMD).
//
// The shape is the classic GotoBLAS/BLIS one:
// - B is packed, one KC-deep slab at a time, into NR = 8 column micro-panels
//   (p-major: the 8 values of row p of the panel are contiguous), and A, one
//   MC x KC block at a time, into MR = 4 row micro-panels (the 4 values of
//   column p contiguous). Transposition is absorbed by the packing loops, so
//   every transpose flag runs the same inner kernel over the same layout. The
//   packing is vectorised: a transposed read goes through 4 x 4 in-register
//   transposes (f32x4.shuffle), a contiguous one is a v128 copy. Scalar packing
//   cost 15-20% at the dense autoencoder's n = 64 shapes (256x64x784 went from
//   29 to 34 GFLOP/s, the transA weight gradient 784x64x256 from 27 to 34).
// - The micro-kernel keeps a 4 x 8 tile of C in 8 v128 accumulators. Per step
//   of k it loads two vectors of B and broadcasts the panel's 4 values of A
//   (v128.load32_splat, which V8 turns into vbroadcastss: a load, no shuffle
//   unit), then 8 multiplies and 8 adds. Its loop runs eight steps a pass with
//   a test after each (see kernel4x8 for why the tests): V8's per-iteration
//   stack check, the pointers' increments and their zero-extensions are paid
//   once per eight steps, and the steps' loads use constant offsets. Against
//   the previous kernel, one step a pass rotating one loaded A vector with
//   three shuffles (30 instructions a step), raw export, best of 20-779
//   interleaved calls, GFLOP/s, with four steps a pass: 512^3 39.5 -> 43.3,
//   1024^3 38.5 -> 41.9, 256x64 . 64x784 39.9 -> 43.4, 256x784 . 784x64
//   40.6 -> 43.1, the transA weight gradient 40.6 -> 43.1 (relaxed build
//   48.6 -> 48.5, 45.0 -> 48.4, 46.2 -> 47.7); eight steps a pass then gained
//   1.5-5% more in two interleaved runs (512^3 44.0-44.3 -> 45.0-46.0,
//   1024^3 42.7-43.5 -> 45.0-45.1, 256x784 . 784x64 43.7-43.8 -> 45.3,
//   transA 44.3-44.4 -> 45.8-46.0). The pass ends on B's pointer against an
//   end pointer, not a counter (one add fewer: +7% when it was introduced).
//   What is left per step is 6 loads, 16 multiplies and adds and an eighth of
//   the pass's scalar work, against the 128-bit peak of two f32x4.mul and two
//   f32x4.add a cycle (16 flops x the 3.3-3.6 GHz that benchmarks/ measures):
//   about 80% of it. KC and MC were measured again with this kernel (KC 256,
//   384, 512 x MC 64, 120, 240): all within 2%, so 256 x 120 stay.
//   Why not 5 x 8: V8 11 (Node 20) issues every load of a basic block before
//   its arithmetic (TurboFan's machine code, --print-wasm-code), so a 5 x 8
//   step holds 10 accumulators + 2 B + 5 A + 1 product = 18 vectors against 15
//   allocatable xmm registers (xmm15 is V8's scratch) and spills two
//   accumulators every step: 19-22 GFLOP/s at 512^3 against 35 for 4 x 8 in
//   the same interleaved run. 4 x 8 needs 15 (8 + 2 B + 4 A + 1 product).
//   2 x 16 (also 15 vectors) measured 37 at 512^3 but 26-27 at the n = 64
//   shapes. A pre-splatted A panel (four vectors a step) ran as fast but
//   packing four times the bytes cost 20% at n = 64.
// - The same source builds a second tier with relaxed SIMD, where the k step
//   uses f32x4.relaxed_madd (see madd below). With FMA the 4 x 8 step holds 14
//   vectors (no product temporaries) and runs 48.6 GFLOP/s at 512^3, 50 at
//   1024^3, against 39.8 for the plain build in the same interleaved run
//   (Node 20 with --experimental-wasm-relaxed-simd). The 6 x 8 and 5 x 8
//   tiles DESIGN.md suggests for it measured 23 and 21: the loads-first
//   schedule needs 20 and 17 vectors and spills.
// - Edge tiles (m % 4, n % 8) run the same kernel on zero-padded panels and
//   write through a small temporary, so the hot loop has no bounds checks.
// - Blocking, measured (best of 8 interleaved rounds, GFLOP/s at 512^3 /
//   256x64x784 / 784x64x256 transA / 1024^3): KC 192..512 x MC 64..200 all
//   land within 35.2-36.8, inside run-to-run noise, because the 8 KB B
//   micro-panel (KC = 256) stays in L1 and the 120 KB packed A block in the
//   1 MB L2 either way. KC = 256, MC = 120 are kept. Equal k slabs (784 as
//   4 x 196 instead of 3 x 256 + 16) measured no better either.
// - No warm-up call at load: the first 512^3 call costs about 11 ms against 7
//   once V8 has tiered the module up (the kernel is its own function, so it
//   switches to optimised code within that call), and a warm-up that removes
//   the difference (twenty 64^3 calls) itself costs 5 ms.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 120;

/** Floats of scratch one gemm call needs for its packed panels and edge tile. */
export function gemmScratchFloats(m: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  const mc = min(m, MC);
  return roundUp(n, NR) * kc + roundUp(mc, MR) * kc + MR * NR;
}

@inline function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/**
 * Packs rows [pc, pc + kc) of op(B) into NR-wide panels at `dst`, zero-padding
 * the last panel. op(B)[p][j] is b[p * n + j], or b[j * k + p] when transposed.
 */
function packB(transB: bool, n: i32, k: i32, pc: i32, kc: i32, b: usize, dst: usize): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const nr = min(NR, n - j0);
    if (!transB && nr == NR) {
      // Two vector copies per row: the common case of a plain B.
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(pc + p) * n + j0) << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += NR << 2;
      }
      continue;
    }
    let p = 0;
    if (transB && nr == NR) {
      // B stored n x k: each of the 8 columns of the panel is a contiguous run
      // of k values; read 4 of them per column and transpose two 4 x 4 blocks.
      const src = b + ((<usize>j0 * k + pc) << 2);
      const ld = <usize>k << 2;
      for (; p + 4 <= kc; p += 4) {
        const s = src + (<usize>p << 2);
        transpose4x4Store(s, ld, dst, NR << 2);
        transpose4x4Store(s + 4 * ld, ld, dst + 16, NR << 2);
        dst += 4 * (NR << 2);
      }
    }
    for (; p < kc; p++) {
      for (let j = 0; j < NR; j++) {
        let v: f32 = 0;
        if (j < nr) {
          const col = j0 + j;
          const row = pc + p;
          v = transB ? load<f32>(b + ((<usize>col * k + row) << 2)) : load<f32>(b + ((<usize>row * n + col) << 2));
        }
        store<f32>(dst, v);
        dst += 4;
      }
    }
  }
}

/**
 * Packs the block rows [ic, ic + mc) x columns [pc, pc + kc) of op(A) into
 * MR-tall panels at `dst`, zero-padding the last panel. op(A)[i][p] is
 * a[i * k + p], or a[p * m + i] when transposed.
 */
function packA(transA: bool, m: i32, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, a: usize, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    let p = 0;
    if (mr == MR) {
      if (transA) {
        // A stored k x m: the 4 values of one column p are contiguous, one vector copy.
        let src = a + ((<usize>pc * m + ic + i0) << 2);
        const ld = <usize>m << 2;
        for (; p < kc; p++) {
          v128.store(dst, v128.load(src));
          src += ld;
          dst += MR << 2;
        }
      } else {
        // A stored m x k: 4 rows, 4 values of k at a time, transposed in registers.
        const src = a + ((<usize>(ic + i0) * k + pc) << 2);
        const ld = <usize>k << 2;
        for (; p + 4 <= kc; p += 4) {
          transpose4x4Store(src + (<usize>p << 2), ld, dst, MR << 2);
          dst += 4 * (MR << 2);
        }
      }
    }
    for (; p < kc; p++) {
      for (let i = 0; i < MR; i++) {
        let v: f32 = 0;
        if (i < mr) {
          const row = ic + i0 + i;
          const col = pc + p;
          v = transA ? load<f32>(a + ((<usize>col * m + row) << 2)) : load<f32>(a + ((<usize>row * k + col) << 2));
        }
        store<f32>(dst, v);
        dst += 4;
      }
    }
  }
}

/**
 * Reads a 4 x 4 block (rows `ld` bytes apart at `src`) and stores its
 * transpose: column j of the block becomes 4 contiguous floats at dst + j * step.
 */
@inline function transpose4x4Store(src: usize, ld: usize, dst: usize, step: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + ld);
  const r2 = v128.load(src + 2 * ld);
  const r3 = v128.load(src + 3 * ld);
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + step, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * step, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/**
 * The 4 x 8 micro-kernel (see the header): tile = alpha * (packed A panel)(packed B panel) + beta * tile,
 * with the tile at `c`, rows `ldc` bytes apart. beta == 0 never reads the tile.
 *
 * Eight steps of k a pass, each followed by a test: TurboFan issues all of a
 * basic block's loads first, and several steps' loads in one block would
 * spill; a branch between steps ends the block, so each step holds only its
 * own 6 loads. The tests are exact: after step q (from 1) the pass stops if
 * that step was the last (pb == end - 32 q). The eight steps are written out:
 * AssemblyScript has no macros, and an inlined function cannot update the
 * eight accumulators.
 */
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pb + (<usize>kc << 5);
  const stop1 = end - 32, stop2 = end - 64, stop3 = end - 96, stop4 = end - 128, stop5 = end - 160, stop6 = end - 192, stop7 = end - 224;
  while (true) {
    let b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a0 = v128.load32_splat(pa), a1 = v128.load32_splat(pa, 4), a2 = v128.load32_splat(pa, 8), a3 = v128.load32_splat(pa, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (pb == stop1) break;
    const p1 = pa + 16;
    b0 = v128.load(pb, 32); b1 = v128.load(pb, 48);
    a0 = v128.load32_splat(p1); a1 = v128.load32_splat(p1, 4); a2 = v128.load32_splat(p1, 8); a3 = v128.load32_splat(p1, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (pb == stop2) break;
    const p2 = pa + 32;
    b0 = v128.load(pb, 64); b1 = v128.load(pb, 80);
    a0 = v128.load32_splat(p2); a1 = v128.load32_splat(p2, 4); a2 = v128.load32_splat(p2, 8); a3 = v128.load32_splat(p2, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (pb == stop3) break;
    const p3 = pa + 48;
    b0 = v128.load(pb, 96); b1 = v128.load(pb, 112);
    a0 = v128.load32_splat(p3); a1 = v128.load32_splat(p3, 4); a2 = v128.load32_splat(p3, 8); a3 = v128.load32_splat(p3, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (pb == stop4) break;
    const p4 = pa + 64;
    b0 = v128.load(pb, 128); b1 = v128.load(pb, 144);
    a0 = v128.load32_splat(p4); a1 = v128.load32_splat(p4, 4); a2 = v128.load32_splat(p4, 8); a3 = v128.load32_splat(p4, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (pb == stop5) break;
    const p5 = pa + 80;
    b0 = v128.load(pb, 160); b1 = v128.load(pb, 176);
    a0 = v128.load32_splat(p5); a1 = v128.load32_splat(p5, 4); a2 = v128.load32_splat(p5, 8); a3 = v128.load32_splat(p5, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (pb == stop6) break;
    const p6 = pa + 96;
    b0 = v128.load(pb, 192); b1 = v128.load(pb, 208);
    a0 = v128.load32_splat(p6); a1 = v128.load32_splat(p6, 4); a2 = v128.load32_splat(p6, 8); a3 = v128.load32_splat(p6, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (pb == stop7) break;
    const p7 = pa + 112;
    b0 = v128.load(pb, 224); b1 = v128.load(pb, 240);
    a0 = v128.load32_splat(p7); a1 = v128.load32_splat(p7, 4); a2 = v128.load32_splat(p7, 8); a3 = v128.load32_splat(p7, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    pa += 8 * (MR << 2);
    pb += 8 * (NR << 2);
    if (pb == end) break;
  }
  const va = f32x4.splat(alpha);
  if (beta == 0) {
    v128.store(c, f32x4.mul(va, c00));
    v128.store(c, f32x4.mul(va, c01), 16);
    c += ldc;
    v128.store(c, f32x4.mul(va, c10));
    v128.store(c, f32x4.mul(va, c11), 16);
    c += ldc;
    v128.store(c, f32x4.mul(va, c20));
    v128.store(c, f32x4.mul(va, c21), 16);
    c += ldc;
    v128.store(c, f32x4.mul(va, c30));
    v128.store(c, f32x4.mul(va, c31), 16);
  } else {
    const vb = f32x4.splat(beta);
    storeScaled(c, va, c00, c01, vb);
    storeScaled(c + ldc, va, c10, c11, vb);
    storeScaled(c + 2 * ldc, va, c20, c21, vb);
    storeScaled(c + 3 * ldc, va, c30, c31, vb);
  }
}

/**
 * a * b + c. The relaxed-simd build fuses it (f32x4.relaxed_madd, an FMA on
 * x64 and arm64: one rounding instead of two, half the arithmetic
 * instructions); the plain build multiplies then adds. The choice is a
 * compile-time constant, so each build has only its own instructions.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function storeScaled(c: usize, va: v128, lo: v128, hi: v128, vb: v128): void {
  v128.store(c, f32x4.add(f32x4.mul(va, lo), f32x4.mul(vb, v128.load(c))));
  v128.store(c, f32x4.add(f32x4.mul(va, hi), f32x4.mul(vb, v128.load(c, 16))), 16);
}

/**
 * C = alpha * op(A) * op(B) + beta * C over buffers in this module's memory;
 * `scratch` must hold gemmScratchFloats(m, n, k) floats, 16-byte aligned.
 */
export function gemm(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  beta: f32,
  c: usize,
  scratch: usize,
): void {
  blockedGemm(transA, transB, false, m, n, k, alpha, a, b, beta, c, scratch);
}

/**
 * gemm with B already packed, all of it (see packedBIndex), by a caller that
 * multiplies many A by the same B: winograd.ts writes its transformed filter
 * straight into this layout. C = op(A) * B, rows of C n apart; `scratch` as for gemm.
 */
export function gemmPackedB(transA: bool, m: i32, n: i32, k: i32, a: usize, packedB: usize, c: usize, scratch: usize): void {
  blockedGemm(transA, false, true, m, n, k, 1, a, packedB, 0, c, scratch);
}

/** Floats of a whole packed B (k x n): every KC slab, each in NR-wide zero-padded panels. */
export function packedBFloats(n: i32, k: i32): i32 {
  return roundUp(n, NR) * k;
}

/** Where op(B)[p][j] lives in a whole packed B (k x n), in floats: slab, then panel, then row p of the panel. */
@inline export function packedBIndex(n: i32, k: i32, p: i32, j: i32): i32 {
  const pc = p - p % KC;
  const kc = min(KC, k - pc);
  return roundUp(n, NR) * pc + (j & ~(NR - 1)) * kc + (p - pc) * NR + (j & (NR - 1));
}

function blockedGemm(
  transA: bool,
  transB: bool,
  prepacked: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  beta: f32,
  c: usize,
  scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const ldc = <usize>n << 2;
  if (k <= 0) {
    // An empty product: C = beta * C (and beta == 0 clears, NaN included).
    for (let i = 0; i < m * n; i++) {
      const ptr = c + (<usize>i << 2);
      store<f32>(ptr, beta == 0 ? 0 : beta * load<f32>(ptr));
    }
    return;
  }
  const packedA = scratch + ((<usize>roundUp(n, NR) * min(k, KC)) << 2);
  const edge = packedA + ((<usize>roundUp(min(m, MC), MR) * min(k, KC)) << 2);
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    // After the first slab, C already holds alpha * (the partial product) + beta * C.
    const betaBlock: f32 = pc == 0 ? beta : 1;
    let packedB = scratch;
    if (prepacked) packedB = b + ((<usize>roundUp(n, NR) * pc) << 2);
    else packB(transB, n, k, pc, kc, b, packedB);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      packA(transA, m, k, ic, mc, pc, kc, a, packedA);
      for (let j0 = 0; j0 < n; j0 += NR) {
        const nr = min(NR, n - j0);
        const pb = packedB + ((<usize>j0 * kc) << 2);
        for (let i0 = 0; i0 < mc; i0 += MR) {
          const mr = min(MR, mc - i0);
          const pa = packedA + ((<usize>i0 * kc) << 2);
          const tile = c + ((<usize>(ic + i0) * n + j0) << 2);
          if (mr == MR && nr == NR) {
            kernel4x8(kc, pa, pb, tile, ldc, alpha, betaBlock);
          } else {
            kernel4x8(kc, pa, pb, edge, NR << 2, 1, 0);
            for (let i = 0; i < mr; i++) {
              for (let j = 0; j < nr; j++) {
                const dst = tile + ((<usize>i * n + j) << 2);
                const v = alpha * load<f32>(edge + ((<usize>(i * NR + j)) << 2));
                store<f32>(dst, betaBlock == 0 ? v : v + betaBlock * load<f32>(dst));
              }
            }
          }
        }
      }
    }
  }
}
