import { adam } from '@aekit/core';
import { histogram, type ReportSection } from '@aekit/data';
import { denseAutoencoder, type Autoencoder, type History } from '@aekit/models';
import { digitGrid, epochLines, firstRows, fixed, flat, timed, type DemoContext } from './context.js';

const EPOCHS = 10;

/** One of the two runs: the model, its history and its code statistics. */
interface SparseRun {
  sparse: boolean;
  model: Autoencoder;
  history: History;
  seconds: number;
  testLoss: number;
  mean: number;
  zeroShare: number;
  codes: Float32Array | Float64Array;
}

/** Mean code activation, the share of exact zeros, and the codes themselves. */
function codeStatistics(model: Autoencoder, x: ReturnType<typeof flat>) {
  const codes = model.encode(x, { batchSize: 1000 }).values;
  let sum = 0;
  let zeros = 0;
  for (const v of codes) {
    sum += v;
    if (v === 0) zeros++;
  }
  return { mean: sum / codes.length, zeroShare: zeros / codes.length, codes };
}

/**
 * The sparse autoencoder of Keras's blog: a 32-unit relu code with an L1
 * activity penalty of 1e-4 (logged as its own term, `sparsity_loss`), beside
 * the same model without it: how much quieter the code gets, and at what cost
 * in reconstruction.
 */
export async function sparseSection(ctx: DemoContext): Promise<ReportSection[]> {
  const xTrain = flat(ctx.mnist.train.images);
  const xTest = flat(ctx.mnist.test.images);
  const runs: SparseRun[] = [];
  for (const sparse of [false, true]) {
    ctx.log(`${sparse ? 'Sparse' : 'Plain'} autoencoder 784-32-784, ${EPOCHS} epochs`);
    const model = denseAutoencoder({ inputDim: 784, codeDim: 32, seed: ctx.seed, ...(sparse ? { sparsity: { kind: 'l1', factor: 1e-4 } } : {}) });
    model.compile({ optimizer: adam(), loss: 'binaryCrossentropy' });
    const [history, seconds] = await timed(() => model.fit(xTrain, xTrain, { epochs: EPOCHS, batchSize: 256, seed: ctx.seed, ...epochLines(ctx, sparse ? 'sparse' : 'plain', EPOCHS) }));
    runs.push({ sparse, model, history, seconds, testLoss: model.evaluate(xTest, xTest, { batchSize: 1000 }), ...codeStatistics(model, xTest) });
  }
  const [plain, sparse] = runs;
  const activationRatio = sparse.mean / plain.mean;
  const lossRatio = sparse.testLoss / plain.testLoss;
  ctx.metrics['sparse code activation / plain'] = fixed(activationRatio, 3);
  ctx.checks.push(
    { name: 'sparse code activation', passed: activationRatio <= 0.6, detail: `${fixed(activationRatio, 3)} of the plain model's, at most 0.6` },
    { name: 'sparse reconstruction', passed: lossRatio <= 1.15, detail: `test loss ${fixed(lossRatio, 3)} of the plain model's, at most 1.15` },
  );

  const shown = firstRows(xTest, 10);
  ctx.files['sparse-reconstructions.png'] = digitGrid([shown, plain.model.predict(shown), sparse.model.predict(shown)]);
  const row = (r: SparseRun) => [
    r.sparse ? 'L1 1e-4 on the code' : 'no penalty',
    fixed(r.mean),
    `${(100 * r.zeroShare).toFixed(1)}%`,
    fixed(r.testLoss),
    r.sparse ? fixed(r.history.history.sparsity_loss.at(-1) as number, 5) : '',
    r.seconds.toFixed(0),
  ];
  return [
    {
      title: 'Sparse codes: an L1 activity penalty',
      text:
        `With the penalty the mean code activation is ${fixed(activationRatio, 2)} of the unpenalised model's ` +
        `(the bar: at most 0.6), at a test loss ${((lossRatio - 1) * 100).toFixed(1)}% ${lossRatio >= 1 ? 'higher' : 'lower'} (the bar: within 15%).`,
      table: {
        caption: `784-32-784, binary cross-entropy, ${EPOCHS} epochs of batch 256; statistics over the 10,000 test codes`,
        header: ['model', 'mean activation', 'exact zeros', 'test loss', 'sparsity_loss (last epoch)', 'seconds'],
        rows: [row(plain), row(sparse)],
      },
      figures: [
        {
          svg: histogram(
            [
              { name: 'no penalty', values: plain.codes },
              { name: 'L1 1e-4', values: sparse.codes },
            ],
            { title: 'Code activations of the test digits', xLabel: 'activation', density: true, width: 480, height: 300 },
          ),
          caption: 'How the 32 code units fire over the test digits, with and without the penalty',
        },
        { src: 'sparse-reconstructions.png', caption: 'Test digits (top), reconstructed without (middle) and with (bottom) the penalty' },
      ],
    },
  ];
}
