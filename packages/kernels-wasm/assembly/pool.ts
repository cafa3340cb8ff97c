// Max pooling with its argmax, its backward, and nearest upsampling with its
// backward, over NHWC buffers in this module's memory. The channels of a pixel
// are contiguous, so every loop runs 4 channels to a vector.
//
// Why in WebAssembly: in TypeScript, max pooling's window walk (a callback per
// covered input) was about 10% of the seed convolutional autoencoder's
// training step, and its backward re-ran the forward to find the argmax.

/**
 * y[b, oy, ox, ch] = max over the window of x, and argmax the flat index into x
 * of the element that won (the first on a tie; a NaN wins outright so it is
 * never hidden). Positions over the padding never win: they are not inputs.
 */
export function maxPool(
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32,
  x: usize, y: usize, argmax: usize,
): void {
  const lane = i32x4(0, 1, 2, 3);
  let out: usize = 0; // element index of the output pixel's first channel
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = max(oy * sh - padTop, 0);
      const y1 = min(oy * sh - padTop + kh, h);
      for (let ox = 0; ox < ow; ox++, out += <usize>c) {
        const x0 = max(ox * sw - padLeft, 0);
        const x1 = min(ox * sw - padLeft + kw, w);
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let best = f32x4.splat(-Infinity);
          let where = i32x4.splat(-1);
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const at = ((b * h + iy) * w + ix) * c + ch;
              const v = v128.load(x + (<usize>at << 2));
              // v wins where it is greater, or where it is NaN and the best so far is not.
              const wins = v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
              best = v128.bitselect(v, best, wins);
              where = v128.bitselect(i32x4.add(i32x4.splat(at), lane), where, wins);
            }
          }
          v128.store(y + ((out + <usize>ch) << 2), best);
          v128.store(argmax + ((out + <usize>ch) << 2), where);
        }
        for (; ch < c; ch++) {
          let best: f32 = -Infinity;
          let where: i32 = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const at = ((b * h + iy) * w + ix) * c + ch;
              const v = load<f32>(x + (<usize>at << 2));
              if (v > best || (v != v && best == best)) {
                best = v;
                where = at;
              }
            }
          }
          store<f32>(y + ((out + <usize>ch) << 2), best);
          store<i32>(argmax + ((out + <usize>ch) << 2), where);
        }
      }
    }
  }
}

/**
 * dx = 0, then dx[argmax[i]] += dy[i] for the `count` outputs: each window's
 * cotangent goes to its winner (-1, no winner, adds nothing). Returns the
 * first i whose argmax lies past dx, or -1: such an entry is skipped, never
 * written outside dx, and the caller reports it.
 */
export function maxPoolBackprop(count: i32, xSize: i32, dy: usize, argmax: usize, dx: usize): i32 {
  memory.fill(dx, 0, <usize>xSize << 2);
  let bad = -1;
  for (let i = 0; i < count; i++) {
    const at = load<i32>(argmax + (<usize>i << 2));
    if (<u32>at >= <u32>xSize) {
      if (at >= 0 && bad < 0) bad = i;
      continue;
    }
    const d = dx + (<usize>at << 2);
    store<f32>(d, load<f32>(d) + load<f32>(dy + (<usize>i << 2)));
  }
  return bad;
}

/** Copies or adds `c` contiguous floats. */
@inline function run(dst: usize, src: usize, c: i32, accumulate: bool): void {
  let i = 0;
  for (; i + 4 <= c; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(src + o);
    v128.store(dst + o, accumulate ? f32x4.add(v128.load(dst + o), v) : v);
  }
  for (; i < c; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, accumulate ? load<f32>(dst + o) + load<f32>(src + o) : load<f32>(src + o));
  }
}

/**
 * Nearest upsampling by (fy, fx): y[b, Y, X] = x[b, Y / fy, X / fx] (forward),
 * or its adjoint, dx[b, y, x] = the sum of dy over the fy x fx block
 * (backward, `backward` = 1). `x` is n x h x w x c, `y` n x h fy x w fx x c.
 */
export function upSample(n: i32, h: i32, w: i32, c: i32, fy: i32, fx: i32, x: usize, y: usize, backward: i32): void {
  const pixel = <usize>c << 2;
  if (backward) memory.fill(x, 0, <usize>(n * h * w) * pixel);
  let o = y;
  for (let b = 0; b < n; b++) {
    for (let Y = 0; Y < h * fy; Y++) {
      const row = x + <usize>((b * h + Y / fy) * w) * pixel;
      for (let X = 0; X < w; X++) {
        const src = row + <usize>X * pixel;
        for (let k = 0; k < fx; k++, o += pixel) {
          if (backward) run(src, o, c, true);
          else run(o, src, c, false);
        }
      }
    }
  }
}
