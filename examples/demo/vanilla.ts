import { adam } from '@aekit/core';
import type { ReportSection } from '@aekit/data';
import { compressionReport, denseAutoencoder } from '@aekit/models';
import { digitGrid, epochLines, firstRows, fixed, flat, lossFigure, timed, type DemoContext } from './context.js';

const EPOCHS = 10;

/**
 * The seed's first autoencoder: 784 -> 64 (relu) -> 784 (sigmoid), MSE, Adam,
 * batch 256, 10 epochs on the 60,000 training images, validated on the 10,000
 * test images. Shows its reconstructions and what its code costs and saves.
 */
export async function vanillaSection(ctx: DemoContext): Promise<ReportSection[]> {
  ctx.log('Vanilla autoencoder 784-64-784, 10 epochs');
  const xTrain = flat(ctx.mnist.train.images);
  const xTest = flat(ctx.mnist.test.images);
  const model = denseAutoencoder({ inputDim: 784, codeDim: 64, seed: ctx.seed }).compile({ optimizer: adam(), loss: 'mse' });
  const [history, seconds] = await timed(() =>
    model.fit(xTrain, xTrain, { epochs: EPOCHS, batchSize: 256, validationData: [xTest, xTest], seed: ctx.seed, ...epochLines(ctx, 'vanilla', EPOCHS) }),
  );
  const valMse = history.history.val_loss.at(-1) as number;
  ctx.metrics['vanilla val MSE (10 epochs)'] = fixed(valMse);
  ctx.checks.push({ name: 'vanilla validation MSE', passed: valMse <= 0.0055, detail: `${fixed(valMse)}, at most 0.0055` });

  const shown = firstRows(xTest, 10);
  ctx.files['vanilla-reconstructions.png'] = digitGrid([shown, model.predict(shown)]);
  const compression = compressionReport(model, xTest, { decoderParameters: model.decoder.countParams() });
  return [
    {
      title: 'Compress and reconstruct: the vanilla autoencoder',
      text:
        `A 64-float code per 784-pixel digit, learned in ${seconds.toFixed(0)} s (10 epochs over 60,000 images). ` +
        `Validation MSE ${fixed(valMse)} (the Keras tutorial reports 0.0051 with the same model).\n\n` +
        `Stored as float32, a code takes ${compression.codeBytes} bytes against the ${compression.originalBytes}-byte image: ` +
        `${compression.ratio.toFixed(2)} times smaller at a PSNR of ${compression.psnr.toFixed(1)} dB; the decoder's ` +
        `${(compression.decoderBytes! / 1024).toFixed(0)} KiB pay for themselves after ${Math.ceil(compression.breakEvenSamples!)} images.`,
      figures: [
        { src: 'vanilla-reconstructions.png', caption: 'Test digits (top) and their reconstructions from 64 floats (bottom)' },
        lossFigure(history, 'Vanilla autoencoder: MSE per epoch'),
      ],
    },
  ];
}
