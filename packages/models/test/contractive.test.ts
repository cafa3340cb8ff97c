import { describe, expect, it } from 'vitest';
import { activation, add, adam, biasActivation, lossByName, matmul, Random, Tensor, tensor, type ActivationName } from '@aekit/core';
import {
  ContractiveAutoencoder,
  contractiveAutoencoder,
  conv2d,
  dense,
  jacobianFrobeniusSquared,
  sequential,
} from '@aekit/models';
import { checkLayerGradient, randomTensor } from './helpers/gradient.js';

/** A float32 copy, for the models' float32 weights. */
const f32 = (t: Tensor) => new Tensor(Float32Array.from(t.values), t.shape);

/** The encoder h = s(x W + b) as the models compute it (fused kernel where there is one). */
function encode(x: Tensor, w: Tensor, b: Tensor, act: ActivationName): Tensor {
  return act === 'tanh' ? activation('tanh')(add(matmul(x, w), b)) : biasActivation(matmul(x, w), b, act);
}

/** ||J||_F^2 by brute force: the Jacobian of one sample's code by central differences, squared and summed. */
function numericJacobianNorm(x: number[], w: Tensor, b: Tensor, act: ActivationName, h = 1e-6): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const at = (d: number) => encode(tensor(Float64Array.from(x, (v, k) => (k === i ? v + d : v)), [1, x.length]), w, b, act).toArray();
    const [up, down] = [at(h), at(-h)];
    for (let j = 0; j < up.length; j++) total += ((up[j] - down[j]) / (2 * h)) ** 2;
  }
  return total;
}

describe('jacobianFrobeniusSquared', () => {
  it('matches a value computed by hand: one linear unit, W = [1, 2], is 1 + 4', () => {
    const w = tensor(Float64Array.from([1, 2]), [2, 1]);
    const h = tensor(Float64Array.from([0.3, -0.7]), [2, 1]); // two samples: s' = 1 for both
    expect(jacobianFrobeniusSquared(h, w, 'linear').item()).toBe(5);
    // sigmoid, h = 0.5 for both samples: s' = 0.25, so (1 + 4) / 16.
    expect(jacobianFrobeniusSquared(tensor(Float64Array.from([0.5, 0.5]), [2, 1]), w, 'sigmoid').item()).toBe(5 / 16);
    // relu: one sample active, one not: the batch mean is 5 / 2.
    expect(jacobianFrobeniusSquared(tensor(Float64Array.from([1.5, 0]), [2, 1]), w, 'relu').item()).toBe(2.5);
  });

  for (const act of ['sigmoid', 'tanh', 'relu', 'linear'] as const) {
    it(`equals the brute-force norm of the Jacobian of a ${act} layer`, () => {
      const x = randomTensor([3, 5], 1);
      const w = randomTensor([5, 4], 2);
      const b = randomTensor([4], 3);
      const closed = jacobianFrobeniusSquared(encode(x, w, b, act), w, act).item();
      let brute = 0;
      for (let n = 0; n < 3; n++) brute += numericJacobianNorm(Array.from(x.values.subarray(n * 5, n * 5 + 5)), w, b, act);
      expect(closed).toBeGreaterThan(0);
      expect(closed).toBeCloseTo(brute / 3, 6);
    });

    it(`has the finite-difference gradient in x, W and b (${act})`, () => {
      const f = (x: Tensor, w: Tensor, b: Tensor) => jacobianFrobeniusSquared(encode(x, w, b, act), w, act);
      // relu's derivative is piecewise constant; away from its kinks the law holds.
      const inputs = [randomTensor([3, 5], 4), randomTensor([5, 4], 5), randomTensor([4], 6)];
      if (act === 'linear' || act === 'relu') {
        // The penalty does not depend on x or b there (s' constant): check W alone, which it does depend on.
        checkLayerGradient((w: Tensor) => f(inputs[0], w, inputs[2]), [inputs[1]], 7);
      } else {
        checkLayerGradient(f, inputs, 7);
      }
    });
  }

  it('refuses an activation without a closed form, naming it and the supported ones', () => {
    const w = tensor([1, 2], [2, 1]);
    expect(() => jacobianFrobeniusSquared(tensor([0.5], [1, 1]), w, 'elu')).toThrow(/'elu' is not supported; supported: sigmoid, tanh, relu, linear/);
  });
});

describe('ContractiveAutoencoder', () => {
  it('adds lambda ||J||_F^2 to the loss, logged as contractive_loss, with the gradient of the whole objective', () => {
    const cae = contractiveAutoencoder({ inputDim: 6, codeDim: 3, lambda: 0.1, seed: 2 }).compile({ loss: 'mse' });
    const x = f32(randomTensor([4, 6], 3));
    const objective = cae.objective(x, x, lossByName('mse'), { training: true, rng: new Random(0) });
    expect(Object.keys(objective.terms)).toEqual(['reconstruction_loss', 'contractive_loss']);
    const code = cae.encode(x);
    const kernel = cae.encoder.layers[0].weights()[0][1];
    expect(objective.terms.contractive_loss.item()).toBeCloseTo(0.1 * jacobianFrobeniusSquared(code, kernel, 'sigmoid').item(), 6);
  });

  it('trains: both terms logged, the total their sum, and the code less sensitive than without the penalty', async () => {
    const rng = new Random(5);
    const x = tensor(Float32Array.from({ length: 256 * 12 }, () => rng.next()), [256, 12]);
    const train = async (lambda: number) => {
      const cae = contractiveAutoencoder({ inputDim: 12, codeDim: 6, lambda, seed: 1 }).compile({
        optimizer: adam({ learningRate: 0.01 }),
        loss: 'binaryCrossentropy',
      });
      const { history } = await cae.fit(x, x, { epochs: 5, batchSize: 32, verbose: 0, seed: 1 });
      return { history, norm: cae.jacobianNorm(x) };
    };
    const free = await train(0);
    const contracted = await train(0.05);
    const h = contracted.history;
    expect(Object.keys(h)).toEqual(['loss', 'reconstruction_loss', 'contractive_loss']);
    h.loss.forEach((total, e) => expect(total).toBeCloseTo(h.reconstruction_loss[e] + h.contractive_loss[e], 5));
    expect(h.contractive_loss[4]).toBeLessThan(h.contractive_loss[0]);
    expect(contracted.norm).toBeLessThan(0.5 * free.norm);
  });

  it('accepts images (flatten first) and reconstructs their shape', () => {
    const cae = contractiveAutoencoder({ inputShape: [4, 4, 1], codeDim: 3, seed: 1 });
    expect(cae.outputShape).toEqual([4, 4, 1]);
    expect(cae.predict(f32(randomTensor([2, 4, 4, 1], 1))).shape).toEqual([2, 4, 4, 1]);
  });

  it('refuses encoders it cannot differentiate in closed form, saying why', () => {
    const deep = sequential([dense(8, { activation: 'sigmoid' }), dense(3, { activation: 'sigmoid' })], { inputShape: [6] });
    expect(() => new ContractiveAutoencoder(deep, sequential([dense(6)]))).toThrow(/one Dense layer.*got \[Dense, Dense\]/);
    const conv = sequential([conv2d(2, 3)], { inputShape: [5, 5, 1] });
    expect(() => new ContractiveAutoencoder(conv, sequential([conv2d(1, 1)]))).toThrow(/got \[Conv2D\]/);
    expect(() => contractiveAutoencoder({ inputDim: 6, codeDim: 3, activation: 'elu' })).toThrow(/activation 'elu' is not supported/);
    expect(() => contractiveAutoencoder({ inputDim: 6, codeDim: 3, lambda: -1 })).toThrow(/lambda must be >= 0/);
    expect(() => contractiveAutoencoder({ codeDim: 3 })).toThrow(/inputDim or inputShape/);
  });

  it('has the gradient law through the whole objective, in every weight (penalty and reconstruction together)', () => {
    const cae = contractiveAutoencoder({ inputDim: 5, codeDim: 3, lambda: 0.5, seed: 4 });
    // float64 weights, so central differences are exact enough.
    const layers = [...cae.encoder.layers, ...cae.decoder.layers] as ReturnType<typeof dense>[];
    for (const layer of layers) {
      layer.kernel = new Tensor(Float64Array.from(layer.kernel!.values), layer.kernel!.shape, true);
      layer.bias = new Tensor(Float64Array.from(layer.bias!.values, (v, i) => v + 0.1 * (i + 1)), layer.bias!.shape, true);
    }
    const x = new Tensor(Float64Array.from(randomTensor([3, 5], 8).values, (v) => 1 / (1 + Math.exp(-v))), [3, 5]);
    const weights = layers.flatMap((l) => [l.kernel!, l.bias!]);
    checkLayerGradient(
      (...ws: Tensor[]) => {
        layers.forEach((l, k) => ((l.kernel = ws[2 * k]), (l.bias = ws[2 * k + 1])));
        return cae.objective(x, x, lossByName('binaryCrossentropy'), { training: true, rng: new Random(0) }).total;
      },
      weights,
      10,
    );
  });
});
