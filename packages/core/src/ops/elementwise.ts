import { kernelsFor } from '../backend.js';
import { broadcastShapes, formatShape, sameShape } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { expand } from './expand.js';
import { apply, type OpDef } from './primitive.js';

// ---------------------------------------------------------------------------
// Shared forward loops. Rare unary ops map through a small function; the ops
// that dominate training keep their own loops, which V8 compiles tight (a shared
// loop calling many different functions does not inline them).

function mapUnary(x: Tensor, f: (v: number) => number): Tensor {
  const xs = x.values;
  const out = allocate(x.dtype, xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = f(xs[i]);
  return new Tensor(out, x.shape);
}

function checkBinary(op: string, a: Tensor, b: Tensor): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new RangeError(`${op}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ (broadcast with expand first)`);
  }
  if (a.dtype !== b.dtype) throw new TypeError(`${op}: dtypes ${a.dtype} and ${b.dtype} differ`);
}

/** Broadcasts two operands to a common shape through explicit `expand` ops. */
function broadcastPair(op: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (sameShape(a.shape, b.shape)) return [a, b];
  const shape = broadcastShapes(op, a.shape, b.shape);
  return [expand(a, shape), expand(b, shape)];
}

// ---------------------------------------------------------------------------
// Binary primitives over equal shapes.

const addDef: OpDef<[Tensor, Tensor]> = {
  forward([a, b]) {
    checkBinary('add', a, b);
    const x = a.values, y = b.values, out = allocate(a.dtype, x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] + y[i];
    return new Tensor(out, a.shape);
  },
  // d(a+b) = da + db
  vjp: (dy) => [dy, dy],
};

const subDef: OpDef<[Tensor, Tensor]> = {
  forward([a, b]) {
    checkBinary('sub', a, b);
    const x = a.values, y = b.values, out = allocate(a.dtype, x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] - y[i];
    return new Tensor(out, a.shape);
  },
  // d(a-b) = da - db
  vjp: (dy, [, b]) => [dy, b.requiresGrad ? neg(dy) : null],
};

const mulDef: OpDef<[Tensor, Tensor]> = {
  forward([a, b]) {
    checkBinary('mul', a, b);
    const x = a.values, y = b.values, out = allocate(a.dtype, x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] * y[i];
    return new Tensor(out, a.shape);
  },
  // d(ab) = b da + a db
  vjp: (dy, [a, b]) => [a.requiresGrad ? mul(dy, b) : null, b.requiresGrad ? mul(dy, a) : null],
};

const divDef: OpDef<[Tensor, Tensor]> = {
  forward([a, b]) {
    checkBinary('div', a, b);
    const x = a.values, y = b.values, out = allocate(a.dtype, x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] / y[i];
    return new Tensor(out, a.shape);
  },
  // d(a/b) = da / b - (a/b) db / b
  vjp: (dy, [, b], out) => [div(dy, b), neg(div(mul(dy, out), b))],
};

// ---------------------------------------------------------------------------
// Unary primitives.

const negDef: OpDef<[Tensor]> = {
  forward: ([x]) => mapUnary(x, (v) => -v),
  // d(-x) = -dx
  vjp: (dy) => [neg(dy)],
};

const expDef: OpDef<[Tensor]> = {
  forward: ([x]) => mapUnary(x, Math.exp),
  // d/dx e^x = e^x
  vjp: (dy, _x, out) => [mul(dy, out)],
};

const logDef: OpDef<[Tensor]> = {
  forward: ([x]) => mapUnary(x, Math.log),
  // d/dx log x = 1/x
  vjp: (dy, [x]) => [div(dy, x)],
};

const log1pDef: OpDef<[Tensor]> = {
  forward: ([x]) => mapUnary(x, Math.log1p),
  // d/dx log(1+x) = 1/(1+x)
  vjp: (dy, [x]) => [div(dy, addScalar(x, 1))],
};

const absDef: OpDef<[Tensor]> = {
  forward: ([x]) => mapUnary(x, Math.abs),
  // d/dx |x| = sign(x), with the subgradient 0 at 0
  vjp: (dy, [x]) => [mul(dy, mapUnary(x, Math.sign))],
};

/**
 * A primitive rather than the composite 1/(1+e^-x) for numerical stability:
 * the composite's backward multiplies 0 by e^-x = Infinity (NaN) for x below
 * about -88 in float32, while y(1-y) stays finite everywhere.
 */
const sigmoidDef: OpDef<[Tensor]> = {
  // The kernel splits by sign so exp never overflows; on float32 it is a SIMD
  // polynomial exp in WebAssembly (Math.exp in a loop was 3.5 ms of the dense
  // autoencoder's 14 ms step).
  forward([x]) {
    const out = allocate(x.dtype, x.size);
    kernelsFor(x.dtype).biasActivation('sigmoid', 1, x.size, x.values, null, out);
    return new Tensor(out, x.shape);
  },
  // d/dx sigmoid(x) = y (1 - y)
  vjp: (dy, _x, y) => {
    const out = allocate(y.dtype, y.size);
    kernelsFor(y.dtype).biasActivationGrad('sigmoid', 1, y.size, y.values, dy.values, out, null);
    return [new Tensor(out, y.shape)];
  },
};

const sqrtDef: OpDef<[Tensor]> = {
  forward: ([x]) => mapUnary(x, Math.sqrt),
  // d/dx sqrt x = 1 / (2 sqrt x)
  vjp: (dy, _x, out) => [div(mulScalar(dy, 0.5), out)],
};

const powScalarDef: OpDef<[Tensor], number> = {
  forward: ([x], c) => mapUnary(x, (v) => v ** c),
  // d/dx x^c = c x^(c-1)
  vjp: (dy, [x], _out, c) => [mul(dy, mulScalar(powScalar(x, c - 1), c))],
};

/**
 * A primitive for numerical stability: the composite max(x, 0) + log1p(e^-|x|)
 * never overflows, but its kinks' subgradients give slope 0 at x = 0 where the
 * true slope is 1/2 (and binary cross-entropy from logits inherits the error).
 */
const softplusDef: OpDef<[Tensor]> = {
  forward([x]) {
    const xs = x.values, out = allocate(x.dtype, xs.length);
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      out[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return new Tensor(out, x.shape);
  },
  // d/dx log(1 + e^x) = sigmoid(x)
  vjp: (dy, [x]) => [mul(dy, sigmoid(x))],
};

// ---------------------------------------------------------------------------
// Primitives with a constant operand: no tensor is broadcast for a scalar.

const addScalarDef: OpDef<[Tensor], number> = {
  forward([x], c) {
    const xs = x.values, out = allocate(x.dtype, xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[i] + c;
    return new Tensor(out, x.shape);
  },
  // d(x+c) = dx
  vjp: (dy) => [dy],
};

const mulScalarDef: OpDef<[Tensor], number> = {
  forward([x], c) {
    const xs = x.values, out = allocate(x.dtype, xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[i] * c;
    return new Tensor(out, x.shape);
  },
  // d(cx) = c dx
  vjp: (dy, _x, _out, c) => [mulScalar(dy, c)],
};

/**
 * `dy` where the clip lets x through, 0 elsewhere. At a tie (x = c) max passes
 * nothing and min passes everything: then relu'(0) = 0, and leakyRelu'(0) and
 * elu'(0) equal alpha, the subgradients TensorFlow uses.
 */
function clipGradient(dy: Tensor, x: Tensor, c: number, kind: 'max' | 'min'): Tensor {
  const xs = x.values, g = dy.values, out = allocate(x.dtype, xs.length);
  if (kind === 'max') for (let i = 0; i < xs.length; i++) out[i] = xs[i] > c ? g[i] : 0;
  else for (let i = 0; i < xs.length; i++) out[i] = xs[i] <= c ? g[i] : 0;
  return new Tensor(out, x.shape);
}

const maximumScalarDef: OpDef<[Tensor], number> = {
  forward([x], c) {
    const xs = x.values, out = allocate(x.dtype, xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[i] > c ? xs[i] : c;
    return new Tensor(out, x.shape);
  },
  // d max(x, c) = dx where x > c, else 0 (the subgradient 0 at the kink)
  vjp: (dy, [x], _out, c) => [clipGradient(dy, x, c, 'max')],
};

const minimumScalarDef: OpDef<[Tensor], number> = {
  forward([x], c) {
    const xs = x.values, out = allocate(x.dtype, xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[i] < c ? xs[i] : c;
    return new Tensor(out, x.shape);
  },
  // d min(x, c) = dx where x <= c, else 0
  vjp: (dy, [x], _out, c) => [clipGradient(dy, x, c, 'min')],
};

export const elementwisePrimitives = {
  add: addDef,
  sub: subDef,
  mul: mulDef,
  div: divDef,
  neg: negDef,
  exp: expDef,
  log: logDef,
  log1p: log1pDef,
  abs: absDef,
  sigmoid: sigmoidDef,
  softplus: softplusDef,
  sqrt: sqrtDef,
  powScalar: powScalarDef,
  addScalar: addScalarDef,
  mulScalar: mulScalarDef,
  maximumScalar: maximumScalarDef,
  minimumScalar: minimumScalarDef,
};

// ---------------------------------------------------------------------------
// The public functions. Binary ops broadcast through explicit `expand` ops and
// take a number for either operand.

/** Elementwise `a + b`, broadcasting. */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === 'number') return typeof a === 'number' ? scalarError('add') : addScalar(a, b);
  if (typeof a === 'number') return addScalar(b, a);
  return apply('add', addDef, broadcastPair('add', a, b), undefined);
}

/** Elementwise `a - b`, broadcasting. */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === 'number') return typeof a === 'number' ? scalarError('sub') : addScalar(a, -b);
  if (typeof a === 'number') return addScalar(neg(b), a);
  return apply('sub', subDef, broadcastPair('sub', a, b), undefined);
}

/** Elementwise `a * b`, broadcasting. */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === 'number') return typeof a === 'number' ? scalarError('mul') : mulScalar(a, b);
  if (typeof a === 'number') return mulScalar(b, a);
  return apply('mul', mulDef, broadcastPair('mul', a, b), undefined);
}

/** Elementwise `a / b`, broadcasting. */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === 'number') return typeof a === 'number' ? scalarError('div') : mulScalar(a, 1 / b);
  if (typeof a === 'number') {
    const ones = new Tensor(allocate(b.dtype, b.size).fill(a), b.shape);
    return apply('div', divDef, [ones, b], undefined);
  }
  return apply('div', divDef, broadcastPair('div', a, b), undefined);
}

function scalarError(op: string): never {
  throw new TypeError(`${op}: at least one operand must be a Tensor`);
}

/** Elementwise `-x`. */
export const neg = (x: Tensor): Tensor => apply('neg', negDef, [x], undefined);
/** Elementwise `e^x`. */
export const exp = (x: Tensor): Tensor => apply('exp', expDef, [x], undefined);
/** Elementwise natural logarithm (defined for x > 0). */
export const log = (x: Tensor): Tensor => apply('log', logDef, [x], undefined);
/** Elementwise `log(1 + x)`, accurate for small x. */
export const log1p = (x: Tensor): Tensor => apply('log1p', log1pDef, [x], undefined);
/** Elementwise `|x|`. */
export const abs = (x: Tensor): Tensor => apply('abs', absDef, [x], undefined);
/** Elementwise logistic function `1 / (1 + e^-x)`, stable for any x. */
export const sigmoid = (x: Tensor): Tensor => apply('sigmoid', sigmoidDef, [x], undefined);
/** Elementwise `log(1 + e^x)`, without overflow for any x. */
export const softplus = (x: Tensor): Tensor => apply('softplus', softplusDef, [x], undefined);
/** Elementwise square root (defined for x >= 0). */
export const sqrt = (x: Tensor): Tensor => apply('sqrt', sqrtDef, [x], undefined);
/** Elementwise `x^c` for a constant exponent c. */
export const powScalar = (x: Tensor, c: number): Tensor => apply('powScalar', powScalarDef, [x], c);
/** Elementwise `x²`. */
export const square = (x: Tensor): Tensor => mul(x, x);
/** `x + c` for a constant c. */
export const addScalar = (x: Tensor, c: number): Tensor => apply('addScalar', addScalarDef, [x], c);
/** `c * x` for a constant c. */
export const mulScalar = (x: Tensor, c: number): Tensor => apply('mulScalar', mulScalarDef, [x], c);
/** Elementwise `max(x, c)` for a constant c (a lower clip). */
export const maximumScalar = (x: Tensor, c: number): Tensor => apply('maximumScalar', maximumScalarDef, [x], c);
/** Elementwise `min(x, c)` for a constant c (an upper clip). */
export const minimumScalar = (x: Tensor, c: number): Tensor => apply('minimumScalar', minimumScalarDef, [x], c);

// ---------------------------------------------------------------------------
// Comparisons: masks of 1 and 0 that carry no gradient (they are piecewise
// constant), broadcasting like the arithmetic ops.

function compare(op: string, a: Tensor, b: Tensor | number, test: (x: number, y: number) => boolean): Tensor {
  const [x, y] = typeof b === 'number' ? [a, null] : broadcastPair(op, a, b);
  const xs = x.values, out = allocate(x.dtype, xs.length);
  if (y === null) {
    const c = b as number;
    for (let i = 0; i < xs.length; i++) out[i] = test(xs[i], c) ? 1 : 0;
  } else {
    const ys = y.values;
    for (let i = 0; i < xs.length; i++) out[i] = test(xs[i], ys[i]) ? 1 : 0;
  }
  return new Tensor(out, x.shape);
}

/** 1 where `a > b`, else 0; not differentiable. */
export const greater = (a: Tensor, b: Tensor | number): Tensor => compare('greater', a, b, (x, y) => x > y);
/** 1 where `a < b`, else 0; not differentiable. */
export const less = (a: Tensor, b: Tensor | number): Tensor => compare('less', a, b, (x, y) => x < y);
/** 1 where `a == b`, else 0; not differentiable. */
export const equal = (a: Tensor, b: Tensor | number): Tensor => compare('equal', a, b, (x, y) => x === y);
