import { adam, type Tensor } from '@aekit/core';
import { scatterPlot, type ReportSection } from '@aekit/data';
import { compressionReport, denseAutoencoder, fitPca, type Autoencoder, type Pca } from '@aekit/models';
import { epochLines, fixed, flat, timed, type DemoContext } from './context.js';

const CODE_SIZES = [2, 8, 32, 64];
const EPOCHS = 5;

/** The codecs of one code size: the autoencoder and PCA, fitted on the same training images. */
export interface CodecPair {
  k: number;
  autoencoder: Autoencoder;
  pca: Pca;
}

/**
 * The seed's "autoencoder versus PCA" comparison, measured: for code sizes 2,
 * 8, 32 and 64, a dense 784-128-k-128-784 autoencoder and PCA with k
 * components, both fitted on the 60,000 training images, and their
 * reconstruction error on the 10,000 test images. With k = 2, both maps of the
 * test digits, side by side. Returns the fitted pairs for the parts that reuse them.
 */
export async function versusPcaSection(ctx: DemoContext): Promise<{ sections: ReportSection[]; pairs: CodecPair[] }> {
  const xTrain = flat(ctx.mnist.train.images);
  const xTest = flat(ctx.mnist.test.images);
  const pairs: CodecPair[] = [];
  const rows: (string | number)[][] = [];
  for (const k of CODE_SIZES) {
    ctx.log(`Autoencoder 784-128-${k}-128-784 (${EPOCHS} epochs) and PCA-${k}`);
    const autoencoder = denseAutoencoder({ inputDim: 784, hidden: [128], codeDim: k, seed: ctx.seed }).compile({ optimizer: adam(), loss: 'mse' });
    const [, aeSeconds] = await timed(() => autoencoder.fit(xTrain, xTrain, { epochs: EPOCHS, batchSize: 256, seed: ctx.seed, ...epochLines(ctx, `AE-${k}`, EPOCHS) }));
    const [pca, pcaSeconds] = await timed(() => fitPca(xTrain, k));
    pairs.push({ k, autoencoder, pca });
    const ae = compressionReport(autoencoder, xTest);
    const linear = compressionReport(pca, xTest);
    rows.push([k, ae.codeBytes, `${ae.ratio.toFixed(1)}x`, fixed(linear.mse, 5), fixed(ae.mse, 5), fixed(linear.psnr, 2), fixed(ae.psnr, 2), ae.mse < linear.mse ? 'autoencoder' : 'PCA', `${pcaSeconds.toFixed(1)} / ${aeSeconds.toFixed(1)}`]);
  }
  const pair32 = pairs.find((p) => p.k === 32)!;
  ctx.metrics['test MSE at k = 32: PCA / autoencoder'] = `${fixed(compressionReport(pair32.pca, xTest).mse)} / ${fixed(compressionReport(pair32.autoencoder, xTest).mse)}`;

  const two = pairs[0];
  const map = (points: Tensor, title: string) => scatterPlot(points, ctx.mnist.test.labels, { title, legend: true, width: 460, height: 420 });
  return {
    pairs,
    sections: [
      {
        title: 'Reduce dimensions: the autoencoder against PCA',
        text:
          'Reconstruction error of the 10,000 test digits from codes of k floats. PCA is the best linear code of each size; ' +
          'the autoencoder, a dense 784-128-k-128-784 network trained for ' +
          `${EPOCHS} epochs, can bend its code to the data. A code is k float32 values, against 784 bytes for the image.`,
        table: {
          header: ['k', 'code bytes', 'smaller by', 'PCA MSE', 'AE MSE', 'PCA PSNR (dB)', 'AE PSNR (dB)', 'lower error', 'fit seconds (PCA / AE)'],
          rows,
        },
        figures: [
          { svg: map(two.autoencoder.encode(xTest, { batchSize: 1000 }), 'Autoencoder, 2-D code'), caption: 'The 10,000 test digits in the 2-D code of the autoencoder, coloured by label' },
          { svg: map(two.pca.transform(xTest), 'PCA, first two components'), caption: 'The same digits on the first two principal components' },
        ],
      },
    ],
  };
}
