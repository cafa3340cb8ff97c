// The elementwise work of a training step, fused into single passes over
// buffers in this module's memory: a layer's bias plus activation and its
// backward (with the bias gradient's column sum), the mean squared error and
// its gradient, and Adam's update of one parameter.
//
// Why (the dense autoencoder's step, 784-64-784, batch 256, Node 20): in
// JavaScript, sigmoid's Math.exp alone took about 3.5 ms of a 14 ms step, and
// the bias add, the activation backward passes, the bias-gradient reduction,
// the MSE pair and Adam another 4 ms. Here each is one SIMD pass; the
// operands' copies in and out of this memory cost far less than the loops.

/** Activation codes, as the TypeScript side passes them. */
const LINEAR: i32 = 0;
const RELU: i32 = 1;
const SIGMOID: i32 = 2;

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * e^z for z <= 0, lane by lane: z = n ln2 + r with |r| <= ln2 / 2 (ln2 split in
 * two so n ln2 is exact), e^r by Cephes' degree-5 minimax polynomial for
 * (e^r - 1 - r) / r² (about 1 ulp), times 2^n built in the exponent bits.
 * z is clamped at -87 so 2^n stays a normal float: below that the result is
 * e^-87 (1.6e-38) instead of a denormal or zero.
 * Written for V8's instruction selection: pmax is one maxps where max is a
 * NaN-careful sequence (a NaN z still gives NaN: pmax keeps its first operand
 * when the comparison fails), and n is rounded by adding 1.5 * 2^23, whose
 * low mantissa bits then hold n as an integer, instead of floor plus a
 * saturating conversion. Together: 0.63 -> 0.27 ms for 200k sigmoids.
 */
@inline function expNonPositive(z: v128): v128 {
  z = f32x4.pmax(z, f32x4.splat(-87.0));
  const magic = f32x4.splat(12582912.0);
  const t = madd(z, f32x4.splat(1.44269504088896341), magic);
  const n = f32x4.sub(t, magic);
  let r = madd(n, f32x4.splat(-0.693359375), z);
  r = madd(n, f32x4.splat(2.12194440e-4), r);
  // Estrin's scheme: three dependent steps instead of Horner's five.
  const r2 = f32x4.mul(r, r);
  const p01 = madd(f32x4.splat(1.9875691500e-4), r, f32x4.splat(1.3981999507e-3));
  const p23 = madd(f32x4.splat(8.3334519073e-3), r, f32x4.splat(4.1665795894e-2));
  const p45 = madd(f32x4.splat(1.6666665459e-1), r, f32x4.splat(5.0000001201e-1));
  const p = madd(madd(p01, r2, p23), r2, p45);
  const er = f32x4.add(madd(p, r2, r), f32x4.splat(1));
  // The bits of t are 0x4B400000 + n; 2^n is (n + 127) << 23.
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(er, scale);
}

/** 1 / (1 + e^-x), as e / (1 + e) with e = e^-|x| so nothing overflows. NaN stays NaN. */
@inline function sigmoid4(x: v128): v128 {
  const e = expNonPositive(v128.or(x, f32x4.splat(-0.0))); // -|x|: one or with the sign bit
  const num = v128.bitselect(f32x4.splat(1), e, f32x4.ge(x, f32x4.splat(0)));
  return f32x4.div(num, f32x4.add(f32x4.splat(1), e));
}

@inline function activate4(act: i32, x: v128): v128 {
  if (act == RELU) return f32x4.max(x, f32x4.splat(0)); // NaN propagates, as in the reference
  if (act == SIGMOID) return sigmoid4(x);
  return x;
}

/** One lane through the vector code, for the tail of a row. */
@inline function activate1(act: i32, x: f32): f32 {
  return f32x4.extract_lane(activate4(act, f32x4.splat(x)), 0);
}

/**
 * y = act(x + bias) over a rows x cols matrix, the bias (cols floats; 0 for
 * none) added to every row. act: 0 linear, 1 relu, 2 sigmoid.
 */
export function biasActivation(act: i32, rows: i32, cols: i32, x: usize, bias: usize, y: usize): void {
  // One specialised loop per activation: the inlined body sees act as a constant.
  if (act == RELU) biasActivationLoop(RELU, rows, cols, x, bias, y);
  else if (act == SIGMOID) biasActivationLoop(SIGMOID, rows, cols, x, bias, y);
  else biasActivationLoop(LINEAR, rows, cols, x, bias, y);
}

@inline function biasActivationLoop(act: i32, rows: i32, cols: i32, x: usize, bias: usize, y: usize): void {
  for (let i = 0; i < rows; i++) {
    const row = <usize>i * cols << 2;
    let j = 0;
    // The sigmoid runs four independent vectors a step: it is bound by the
    // latency of its chain of dependent operations (about 20 deep), which four
    // chains in flight hide where one could not. 200k sigmoids, raw export,
    // best of 300: 0.31 ms one vector a step, 0.24 two, 0.20 four. (The same
    // loop for relu and linear, which are bound by memory, made V8 allocate
    // the sigmoid's registers worse: 0.28.)
    if (act == SIGMOID) {
      for (; j + 16 <= cols; j += 16) {
        const o = row + (<usize>j << 2);
        const b = bias + (<usize>j << 2);
        let v0 = v128.load(x + o);
        let v1 = v128.load(x + o, 16);
        let v2 = v128.load(x + o, 32);
        let v3 = v128.load(x + o, 48);
        if (bias) {
          v0 = f32x4.add(v0, v128.load(b));
          v1 = f32x4.add(v1, v128.load(b, 16));
          v2 = f32x4.add(v2, v128.load(b, 32));
          v3 = f32x4.add(v3, v128.load(b, 48));
        }
        v128.store(y + o, sigmoid4(v0));
        v128.store(y + o, sigmoid4(v1), 16);
        v128.store(y + o, sigmoid4(v2), 32);
        v128.store(y + o, sigmoid4(v3), 48);
      }
    }
    for (; j + 4 <= cols; j += 4) {
      const o = row + (<usize>j << 2);
      let v = v128.load(x + o);
      if (bias) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
      v128.store(y + o, activate4(act, v));
    }
    for (; j < cols; j++) {
      const o = row + (<usize>j << 2);
      let v = load<f32>(x + o);
      if (bias) v += load<f32>(bias + (<usize>j << 2));
      store<f32>(y + o, activate1(act, v));
    }
  }
}

/** dy times the activation's derivative, written from its output y. */
@inline function derivative4(act: i32, y: v128, dy: v128): v128 {
  if (act == RELU) return v128.and(dy, f32x4.gt(y, f32x4.splat(0)));
  if (act == SIGMOID) return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y)));
  return dy;
}

/**
 * The backward of biasActivation from its output: dx = dy * act'(y), and, when
 * dBias is not 0, dBias[j] = sum over rows of dx[i][j] (a column reduction,
 * row by row, so dBias stays in L1).
 */
export function biasActivationGrad(act: i32, rows: i32, cols: i32, y: usize, dy: usize, dx: usize, dBias: usize): void {
  if (dBias) memory.fill(dBias, 0, <usize>cols << 2);
  if (act == RELU) biasActivationGradLoop(RELU, rows, cols, y, dy, dx, dBias);
  else if (act == SIGMOID) biasActivationGradLoop(SIGMOID, rows, cols, y, dy, dx, dBias);
  else biasActivationGradLoop(LINEAR, rows, cols, y, dy, dx, dBias);
}

@inline function biasActivationGradLoop(act: i32, rows: i32, cols: i32, y: usize, dy: usize, dx: usize, dBias: usize): void {
  for (let i = 0; i < rows; i++) {
    const row = <usize>i * cols << 2;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = row + (<usize>j << 2);
      const g = derivative4(act, v128.load(y + o), v128.load(dy + o));
      v128.store(dx + o, g);
      if (dBias) {
        const b = dBias + (<usize>j << 2);
        v128.store(b, f32x4.add(v128.load(b), g));
      }
    }
    for (; j < cols; j++) {
      const o = row + (<usize>j << 2);
      const g = f32x4.extract_lane(derivative4(act, f32x4.splat(load<f32>(y + o)), f32x4.splat(load<f32>(dy + o))), 0);
      store<f32>(dx + o, g);
      if (dBias) {
        const b = dBias + (<usize>j << 2);
        store<f32>(b, load<f32>(b) + g);
      }
    }
  }
}

/**
 * sum((p - t)²) over n floats, accumulated in float64 (two f64x2 lanes per
 * vector) so a long sum loses nothing to float32 rounding; when dp is not 0,
 * also dp = scale * (p - t) in the same pass (the gradient, for training).
 */
export function squaredErrorSum(n: i32, p: usize, t: usize, scale: f32, dp: usize): f64 {
  const s = f32x4.splat(scale);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.sub(v128.load(p + o), v128.load(t + o));
    if (dp) v128.store(dp + o, f32x4.mul(s, d));
    const d2 = f32x4.mul(d, d);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(d2));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<u32>(d2, d2, 2, 3, 0, 1)));
  }
  const both = f64x2.add(lo, hi);
  let total = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(p + o) - load<f32>(t + o);
    if (dp) store<f32>(dp + o, scale * d);
    total += <f64>(d * d);
  }
  return total;
}

/** dp = scale * (p - t) over n floats: the gradient of a scaled squared error. */
export function squaredErrorGrad(n: i32, p: usize, t: usize, scale: f32, dp: usize): void {
  const s = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dp + o, f32x4.mul(s, f32x4.sub(v128.load(p + o), v128.load(t + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dp + o, scale * (load<f32>(p + o) - load<f32>(t + o)));
  }
}

/**
 * Adam's update of one parameter in place, in Keras's form (the bias
 * correction folded into alpha): m += (g - m)(1 - beta1), v += (g² - v)(1 - beta2),
 * w -= alpha m / (sqrt(v) + epsilon). A decay (AdamW's weightDecay * lr)
 * first shrinks the weights, w -= w * decay, in the same pass: applied apart,
 * it made every step copy the weights out of this memory and back.
 */
export function adam(n: i32, w: usize, g: usize, m: usize, v: usize, alpha: f32, beta1: f32, beta2: f32, epsilon: f32, decay: f32): void {
  // One specialised loop each: without decay the weights are not touched before the update (an infinite one stays infinite).
  if (decay == 0) adamLoop(false, n, w, g, m, v, alpha, beta1, beta2, epsilon, 0);
  else adamLoop(true, n, w, g, m, v, alpha, beta1, beta2, epsilon, decay);
}

@inline function adamLoop(decays: bool, n: i32, w: usize, g: usize, m: usize, v: usize, alpha: f32, beta1: f32, beta2: f32, epsilon: f32, decay: f32): void {
  const a = f32x4.splat(alpha);
  const c1 = f32x4.splat(1 - beta1);
  const c2 = f32x4.splat(1 - beta2);
  const eps = f32x4.splat(epsilon);
  const d = f32x4.splat(decay);
  let i = 0;
  // Two vectors a step keep two square roots and divisions in flight: 100k
  // floats, raw export, best of 2,000: 0.078 -> 0.068 ms.
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    adam4(decays, w + o, g + o, m + o, v + o, a, c1, c2, eps, d);
    adam4(decays, w + o + 16, g + o + 16, m + o + 16, v + o + 16, a, c1, c2, eps, d);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    adam4(decays, w + o, g + o, m + o, v + o, a, c1, c2, eps, d);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) + (gi - load<f32>(m + o)) * (1 - beta1);
    const vi = load<f32>(v + o) + (gi * gi - load<f32>(v + o)) * (1 - beta2);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    let wi = load<f32>(w + o);
    if (decays) wi -= wi * decay;
    store<f32>(w + o, wi - (alpha * mi) / (sqrt<f32>(vi) + epsilon));
  }
}

/** Adam on four lanes at w, g, m, v (see adam). */
@inline function adam4(decays: bool, w: usize, g: usize, m: usize, v: usize, a: v128, c1: v128, c2: v128, eps: v128, d: v128): void {
  const gi = v128.load(g);
  let mi = v128.load(m);
  let vi = v128.load(v);
  mi = madd(f32x4.sub(gi, mi), c1, mi);
  vi = madd(f32x4.sub(f32x4.mul(gi, gi), vi), c2, vi);
  v128.store(m, mi);
  v128.store(v, vi);
  const step = f32x4.div(f32x4.mul(a, mi), f32x4.add(f32x4.sqrt(vi), eps));
  let wi = v128.load(w);
  if (decays) wi = f32x4.sub(wi, f32x4.mul(wi, d));
  v128.store(w, f32x4.sub(wi, step));
}

/**
 * logPositive's constants, read from memory inside the loop: V8 builds each
 * v128.const from two 64-bit immediates (three instructions, every time it is
 * used), where a splatting load from this table is one. Binary cross-entropy,
 * two logs a vector, is bound by instruction count: 0.86 -> 0.70 ms for 200k
 * (measured A/B on the raw exports). The sigmoid's exp, bound by its chain of
 * dependent operations instead, measured slower with the loads (0.29 -> 0.33)
 * and keeps its constants inline.
 */
const LOG_CONSTANTS = memory.data<f32>([0.707106781186547524, 1, 7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1, -2.12194440e-4, -0.5, 0.693359375]);

/** Constant i of LOG_CONSTANTS in every lane. */
@inline function logConstant(i: i32): v128 {
  return v128.load32_splat(LOG_CONSTANTS + (<usize>i << 2));
}

/**
 * log x for positive normal floats, lane by lane (Cephes' logf): x = m 2^e
 * with m in [sqrt(1/2), sqrt 2), log m by a degree-8 polynomial in m - 1
 * (about 1 ulp), plus e ln2 split in two. Only called on [epsilon, 1] (or
 * NaN, passed on), so no denormal, zero or infinity needs care.
 */
@inline function logPositive(x: v128): v128 {
  // The exponent field minus 126 puts the mantissa in [0.5, 1).
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126)));
  let m = v128.or(v128.and(x, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  // Below sqrt(1/2), double m and take one from e, so m - 1 lies in [-0.29, 0.41].
  const small = f32x4.lt(m, logConstant(0));
  e = f32x4.sub(e, v128.and(small, logConstant(1)));
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), logConstant(1));
  const z = f32x4.mul(m, m);
  // Estrin's scheme (four dependent steps instead of Horner's eight): the
  // chain of dependent multiply-adds, not their number, bounds this loop.
  const z4 = f32x4.mul(z, z);
  const p01 = madd(logConstant(2), m, logConstant(3));
  const p23 = madd(logConstant(4), m, logConstant(5));
  const p45 = madd(logConstant(6), m, logConstant(7));
  const p67 = madd(logConstant(8), m, logConstant(9));
  const q = madd(madd(p01, z, p23), z4, madd(p45, z, p67));
  const p = madd(q, m, logConstant(10));
  let y = f32x4.mul(f32x4.mul(m, z), p);
  y = madd(e, logConstant(11), y);
  y = madd(z, logConstant(12), y);
  const result = madd(e, logConstant(13), f32x4.add(m, y));
  return v128.bitselect(x, result, f32x4.ne(x, x)); // NaN in, NaN out
}

/**
 * Binary cross-entropy summed over n floats, -sum(t log q + (1 - t) log(1 - q))
 * with q = p clipped to [epsilon, 1 - epsilon], accumulated in float64; when
 * dp is not 0, also its gradient times scale, dp = scale ((1 - t) / (1 - q) - t / q)
 * where the clip lets p through (epsilon < p <= 1 - epsilon) and 0 elsewhere.
 */
export function binaryCrossentropySum(n: i32, p: usize, t: usize, epsilon: f32, scale: f32, dp: usize): f64 {
  const lo = f32x4.splat(epsilon);
  const hi = f32x4.splat(1 - epsilon);
  const one = f32x4.splat(1);
  const s = f32x4.splat(scale);
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o);
    const tv = v128.load(t + o);
    // The clip lets a NaN through, so a NaN prediction gives a NaN loss, never a
    // finite one: pmax(a, b) is a < b ? b : a, pmin(a, b) is b < a ? b : a, each
    // keeping a NaN first operand, and each one instruction where min and max are
    // NaN-careful sequences in V8.
    const q = f32x4.pmin(f32x4.pmax(pv, lo), hi);
    const r = f32x4.sub(one, q);
    const lr = logPositive(r);
    const term = madd(tv, f32x4.sub(logPositive(q), lr), lr);
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(term));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<u32>(term, term, 2, 3, 0, 1)));
    if (dp) {
      // (1 - t) / (1 - q) - t / q over one division: (q - t) / (q (1 - q)).
      const g = f32x4.div(f32x4.sub(q, tv), f32x4.mul(q, r));
      const through = v128.and(f32x4.gt(pv, lo), f32x4.le(pv, hi));
      v128.store(dp + o, v128.and(f32x4.mul(s, g), through));
    }
  }
  const both = f64x2.add(acc0, acc1);
  let total = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    total += tailTerm(load<f32>(p + o), load<f32>(t + o), epsilon, scale, dp ? dp + o : 0);
  }
  return -total;
}

/** One element of binaryCrossentropySum (its log-likelihood term, not negated), writing its gradient when dp is not 0. */
function tailTerm(p: f32, t: f32, epsilon: f32, scale: f32, dp: usize): f64 {
  const q = min(max(p, epsilon), 1 - epsilon);
  const r: f32 = 1 - q;
  const lq = f32x4.extract_lane(logPositive(f32x4.splat(q)), 0);
  const lr = f32x4.extract_lane(logPositive(f32x4.splat(r)), 0);
  if (dp) store<f32>(dp, p > epsilon && p <= 1 - epsilon ? scale * ((q - t) / (q * r)) : 0);
  return <f64>(t * (lq - lr) + lr);
}
