import { adam, Random, Tensor } from '@aekit/core';
import { scatterPlot, type ReportSection } from '@aekit/data';
import { denseVariationalAutoencoder, sliceRows } from '@aekit/models';
import { digitGrid, epochLines, fixed, flat, lossFigure, timed, type DemoContext } from './context.js';

const EPOCHS = 10;
/** The decoded manifold: a side x side grid of codes over [-SPAN, SPAN]^2. */
const SIDE = 15;
const SPAN = 2;

/** The samples of `x` in groups of `perRow`, one grid row each. */
function chunks(x: Tensor, perRow: number): Tensor[] {
  const n = x.shape[0];
  return Array.from({ length: Math.ceil(n / perRow) }, (_, r) => sliceRows(x, r * perRow, Math.min((r + 1) * perRow, n)));
}

/**
 * The variational autoencoder of Keras's example with a 2-D code
 * (784-512-2-512-784, Bernoulli decoder, reconstruction + KL, batch 128): new
 * digits from the prior, a walk between two test digits, the decoded manifold
 * over a grid of codes, and the map of the test digits' posterior means.
 */
export async function variationalSection(ctx: DemoContext): Promise<ReportSection[]> {
  ctx.log(`Variational autoencoder 784-512-2-512-784, ${EPOCHS} epochs`);
  const xTrain = flat(ctx.mnist.train.images);
  const xTest = flat(ctx.mnist.test.images);
  const vae = denseVariationalAutoencoder({ inputDim: 784, latentDim: 2, hidden: [512], seed: ctx.seed }).compile({ optimizer: adam(), loss: 'binaryCrossentropy' });
  const [history, seconds] = await timed(() =>
    vae.fit(xTrain, xTrain, { epochs: EPOCHS, batchSize: 128, validationData: [xTest, xTest], seed: ctx.seed, ...epochLines(ctx, 'VAE', EPOCHS) }),
  );
  // With binary cross-entropy and beta 1 the objective is the negative ELBO per image.
  const negativeElbo = vae.evaluate(xTest, xTest, { batchSize: 1000 });
  ctx.metrics['VAE (2-D code) test negative ELBO, nats'] = fixed(negativeElbo, 1);

  ctx.files['vae-samples.png'] = digitGrid(chunks(vae.sample(40, new Random(ctx.seed)), 10));
  const labels = ctx.mnist.test.labels;
  const one = (i: number) => sliceRows(xTest, i, i + 1);
  const walks = [
    [0, labels.findIndex((l) => l !== labels[0])],
    [2, labels.findIndex((l, i) => i > 2 && l !== labels[2] && l !== labels[0])],
  ];
  ctx.files['vae-interpolation.png'] = digitGrid(walks.map(([a, b]) => vae.interpolate(one(a), one(b), 12)));
  const codes = new Float32Array(SIDE * SIDE * 2);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      codes[2 * (r * SIDE + c)] = -SPAN + (2 * SPAN * c) / (SIDE - 1);
      codes[2 * (r * SIDE + c) + 1] = SPAN - (2 * SPAN * r) / (SIDE - 1);
    }
  }
  ctx.files['vae-manifold.png'] = digitGrid(chunks(vae.decode(new Tensor(codes, [SIDE * SIDE, 2])), SIDE), 1);
  const { mean } = vae.encode(xTest, { batchSize: 1000 });
  return [
    {
      title: 'Generate: the variational autoencoder',
      text:
        `Trained for ${EPOCHS} epochs in ${seconds.toFixed(0)} s; test negative ELBO ${fixed(negativeElbo, 1)} nats per image ` +
        '(with only two latent dimensions; the 20-dimensional model of `pnpm --filter @aekit/examples variational-autoencoder` reaches the 108-nat bar). ' +
        'The loss curves show both terms apart: reconstruction and KL.',
      figures: [
        { src: 'vae-samples.png', caption: 'New digits: codes drawn from the prior N(0, I), decoded' },
        { src: 'vae-interpolation.png', caption: 'Walking the straight line between the codes of two test digits' },
        { src: 'vae-manifold.png', caption: `The decoded manifold: a ${SIDE}x${SIDE} grid of codes over [-${SPAN}, ${SPAN}]^2` },
        { svg: scatterPlot(mean, labels, { title: 'VAE posterior means', legend: true, width: 460, height: 420 }), caption: 'The test digits at their posterior means, coloured by label' },
        lossFigure(history, 'VAE: loss terms per epoch'),
      ],
    },
  ];
}
