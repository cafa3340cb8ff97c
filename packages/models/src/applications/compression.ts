import { formatShape, type Tensor } from '@aekit/core';

/** Anything that maps samples to codes and back: an `Autoencoder`, a fitted `Pca`. */
export interface Codec {
  encode(x: Tensor): Tensor;
  decode(z: Tensor): Tensor;
}

/** Options for {@link compressionReport}. */
export interface CompressionReportOptions {
  /** Bytes of one original value: 1 for 8-bit pixels (MNIST as stored, the default), 4 for float32 data. */
  originalBytesPerValue?: number;
  /** Bytes of one code value: 4 for float32 codes (the default), 2 for float16, 1 if quantized to bytes. */
  codeBytesPerValue?: number;
  /** Parameters a receiver needs to decode (the decoder's weights), to state the fixed cost too. */
  decoderParameters?: number;
}

/** The trade-off of storing codes instead of data, measured on a set of samples. */
export interface CompressionReport {
  samples: number;
  /** Values per sample: the original and the code. */
  originalSize: number;
  codeSize: number;
  /** Bytes per sample. */
  originalBytes: number;
  codeBytes: number;
  /** originalBytes / codeBytes: how many times smaller a code is. */
  ratio: number;
  /** Bytes of the decoder's parameters as float32 (a one-off cost), when given. */
  decoderBytes?: number;
  /** The samples after which the decoder has paid for itself: decoderBytes / (originalBytes − codeBytes). */
  breakEvenSamples?: number;
  /** Mean squared error of decode(encode(x)) against x, over every value. */
  mse: number;
  /** The same as PSNR in dB, for data in [0, 1]. */
  psnr: number;
}

/**
 * What storing `x` as codes costs and saves: bytes per sample of the original
 * and of the code, their ratio, the decoder's one-off size when given, and the
 * reconstruction error. A ratio means nothing without its error, so both come together.
 *
 * @example
 * const report = compressionReport(autoencoder, xTest, { decoderParameters: autoencoder.decoder.countParams() });
 * // MNIST, 784-128-32-128-784: { originalBytes: 784, codeBytes: 128, ratio: 6.125, mse: 0.0106, psnr: 19.7, ... }
 */
export function compressionReport(codec: Codec, x: Tensor, options: CompressionReportOptions = {}): CompressionReport {
  if (x.rank < 2 || x.shape[0] === 0) throw new RangeError(`compressionReport: expected a non-empty batch, [n, ...features], got shape ${formatShape(x.shape)}`);
  const originalBytesPerValue = options.originalBytesPerValue ?? 1;
  const codeBytesPerValue = options.codeBytesPerValue ?? 4;
  for (const [name, value] of [['originalBytesPerValue', originalBytesPerValue], ['codeBytesPerValue', codeBytesPerValue]] as const) {
    if (!(value > 0)) throw new RangeError(`compressionReport: ${name} must be > 0, got ${value}`);
  }
  const n = x.shape[0];
  const codes = codec.encode(x);
  if (codes.shape[0] !== n) throw new RangeError(`compressionReport: ${n} samples gave ${codes.shape[0]} codes (shape ${formatShape(codes.shape)})`);
  const reconstruction = codec.decode(codes);
  if (reconstruction.size !== x.size) {
    throw new RangeError(`compressionReport: the reconstruction has shape ${formatShape(reconstruction.shape)}, not the ${x.size / n} values per sample of ${formatShape(x.shape)}`);
  }
  const originalSize = x.size / n;
  const codeSize = codes.size / n;
  const originalBytes = originalSize * originalBytesPerValue;
  const codeBytes = codeSize * codeBytesPerValue;
  const av = x.values;
  const bv = reconstruction.values;
  let sum = 0;
  for (let i = 0; i < av.length; i++) sum += (av[i] - bv[i]) ** 2;
  const report: CompressionReport = {
    samples: n,
    originalSize,
    codeSize,
    originalBytes,
    codeBytes,
    ratio: originalBytes / codeBytes,
    mse: sum / av.length,
    psnr: 10 * Math.log10(1 / (sum / av.length)),
  };
  if (options.decoderParameters !== undefined) {
    report.decoderBytes = options.decoderParameters * 4;
    report.breakEvenSamples = originalBytes > codeBytes ? Math.ceil(report.decoderBytes / (originalBytes - codeBytes)) : Infinity;
  }
  return report;
}
