// The autoencoders the page offers: what the page needs to know of each. The
// models themselves are built in the worker (builders.ts), so the page's own
// bundle carries none of the training code.

export type KindId = 'dense' | 'sparse' | 'denoising-dense' | 'denoising-conv' | 'vae';

export interface Kind {
  id: KindId;
  label: string;
  /** One line under the picker: what the model is and what to watch. */
  blurb: string;
  /** Trained on corrupted digits: the page shows the noise slider and the noisy inputs. */
  denoising: boolean;
  /** The code is 2-D: the page draws the latent map and offers the walk through it. */
  latent2d: boolean;
}

export const KINDS: readonly Kind[] = [
  {
    id: 'dense',
    label: 'Dense autoencoder',
    blurb: '784 → 32 → 784, the simplest autoencoder: one dense layer squeezes each digit into 32 numbers.',
    denoising: false,
    latent2d: false,
  },
  {
    id: 'denoising-dense',
    label: 'Denoising autoencoder (dense)',
    blurb: '784 → 128 → 32 → 128 → 784, shown noisy digits and asked for the clean ones. Move the noise slider.',
    denoising: true,
    latent2d: false,
  },
  {
    id: 'denoising-conv',
    label: 'Denoising autoencoder (convolutional)',
    blurb: 'Convolutions of 16 and 32 filters down to a 7×7×32 code, transposed convolutions back up. Slower, sharper.',
    denoising: true,
    latent2d: false,
  },
  {
    id: 'vae',
    label: 'Variational autoencoder, 2-D code',
    blurb: '784 → 256 → a 2-D Gaussian code → 256 → 784. Watch the digits sort themselves on the map, then walk it.',
    denoising: false,
    latent2d: true,
  },
  {
    id: 'sparse',
    label: 'Sparse autoencoder',
    blurb: '784 → 64 → 784 with an L1 penalty on the code, so only a few units fire for each digit.',
    denoising: false,
    latent2d: false,
  },
];

export function kindById(id: string): Kind {
  const kind = KINDS.find((k) => k.id === id);
  if (!kind) throw new RangeError(`unknown model kind '${id}'; known: ${KINDS.map((k) => k.id).join(', ')}`);
  return kind;
}
