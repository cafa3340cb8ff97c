import type { Tensor } from '@aekit/core';
import type { ReportSection } from '@aekit/data';
import { pickPerClass, selectRows, trainSoftmaxClassifier } from '@aekit/models';
import { fixed, flat, type DemoContext } from './context.js';
import type { CodecPair } from './versus-pca.js';

const LABELS_PER_CLASS = 100;
const DRAWS = 3;

/**
 * Pre-training: the encoder learned its code from the 60,000 unlabelled
 * training images; a softmax regression then learns the digits from only 100
 * labelled images per class, on raw pixels, on PCA codes and on the
 * autoencoder's codes of the same size. Test accuracy, over three draws of the labelled images.
 */
export function pretrainingSection(ctx: DemoContext, pair: CodecPair): ReportSection[] {
  ctx.log(`Pre-training: softmax regression on ${LABELS_PER_CLASS} labels per class`);
  const { train, test } = ctx.mnist;
  const features: [string, Tensor, Tensor][] = [
    ['raw pixels (784)', flat(train.images), flat(test.images)],
    [`PCA codes (${pair.k})`, pair.pca.encode(flat(train.images)), pair.pca.encode(flat(test.images))],
    [`autoencoder codes (${pair.k})`, pair.autoencoder.encode(flat(train.images), { batchSize: 1000 }), pair.autoencoder.encode(flat(test.images), { batchSize: 1000 })],
  ];
  const rows = features.map(([name, xTrain, xTest]) => {
    const accuracies = Array.from({ length: DRAWS }, (_, draw) => {
      const seed = ctx.seed + draw;
      const few = pickPerClass(train.labels, LABELS_PER_CLASS, { seed });
      const classifier = trainSoftmaxClassifier(selectRows(xTrain, few), Array.from(few, (i) => train.labels[i]), { epochs: 100, seed });
      return classifier.accuracy(xTest, test.labels);
    });
    const mean = accuracies.reduce((a, b) => a + b, 0) / DRAWS;
    return [name, fixed(mean), accuracies.map((a) => fixed(a)).join(', ')];
  });
  ctx.metrics[`accuracy from ${LABELS_PER_CLASS} labels/class: raw / PCA / AE`] = rows.map((r) => r[1]).join(' / ');
  return [
    {
      title: 'Pre-train on unlabelled data, then learn from a few labels',
      text:
        `The codes were fitted on all 60,000 training images without their labels; a softmax regression then sees ` +
        `${LABELS_PER_CLASS} labelled images per class (${DRAWS} random draws) and is scored on the 10,000 test images.`,
      table: { header: ['features', 'mean test accuracy', 'each draw'], rows },
    },
  ];
}
