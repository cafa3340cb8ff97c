// The messages between the page (main.ts) and the training worker (worker.ts).
import type { ModelArtifacts } from '@aekit/models';
import type { KindId } from './kinds.js';

/** Loss terms by epoch, as `History.history` holds them. */
export type LossHistory = Record<string, number[]>;

/** A trained model as the page saves it: the kind, its history and aekit's artifacts. */
export interface SavedModel {
  kind: KindId;
  history: LossHistory;
  artifacts: ModelArtifacts;
}

export interface TrainSettings {
  kind: KindId;
  /** Training digits, the first of MNIST's training split. */
  trainSize: number;
  epochs: number;
  batchSize: number;
  /** The denoising models' Gaussian noise factor at the start (the slider may change it). */
  noise: number;
  seed: number;
}

/** What the page draws of the model after each epoch (and after a load or a noise change). */
export interface ModelView {
  /** The display digits as the model sees them: with noise for the denoising kinds, else absent. */
  noisy?: Float32Array;
  /** The model's reconstructions of the display digits, [n, 784]. */
  reconstructions: Float32Array;
  /** The 2-D codes (posterior means) of the test digits, [m, 2], for a 2-D code. */
  codes?: Float32Array;
}

export type ToWorker =
  | { type: 'load'; mnistUrl: string; trainLimit: number; testLimit: number }
  | { type: 'train'; settings: TrainSettings }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'noise'; level: number }
  | { type: 'decode'; z: [number, number] }
  | { type: 'export' }
  | { type: 'import'; saved: SavedModel };

export type FromWorker =
  | { type: 'loaded'; display: Float32Array; displayLabels: number[]; testLabels: Uint8Array; kernels: string }
  | { type: 'trainbegin'; kind: KindId; epochs: number; steps: number }
  | { type: 'progress'; epoch: number; step: number; steps: number; loss: number }
  | { type: 'epoch'; epoch: number; history: LossHistory; view: ModelView }
  /** With the view of the final weights: a stop mid-epoch leaves them past the last epoch's view. */
  | { type: 'trainend'; stopped: boolean; view: ModelView }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'view'; view: ModelView }
  | { type: 'decoded'; z: [number, number]; image: Float32Array }
  | { type: 'exported'; saved: SavedModel }
  | { type: 'imported'; kind: KindId; history: LossHistory; view: ModelView }
  | { type: 'error'; message: string; during: ToWorker['type'] };
