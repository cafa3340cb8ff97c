// The training worker: holds MNIST and the model, trains with aekit, and posts
// what the page draws. Training yields to the worker's event loop every few
// milliseconds, so pause, stop, the noise slider and the latent walk are
// answered between two batches, while the page itself never waits on it.
import { kernelsInfo, Random, Tensor } from '@aekit/core';
import { gaussianNoise, loadMnistFromUrl } from '@aekit/data';
import {
  fromArtifacts,
  toArtifacts,
  trainingEvents,
  VariationalAutoencoder,
  type Callback,
  type Model,
  type TrainingEvent,
} from '@aekit/models';
import { BUILDERS } from './builders.js';
import { kindById, type KindId } from './kinds.js';
import type { FromWorker, LossHistory, ModelView, SavedModel, ToWorker, TrainSettings } from './protocol.js';

// A dedicated worker's global scope has the postMessage and onmessage of the Worker it runs in.
const port = self as unknown as Worker;
const PIXELS = 784;
/** The noise on the display digits is drawn from this seed, so the same model always shows the same picture. */
const DISPLAY_NOISE_SEED = 7;
/** How long training may hold the worker before it lets messages in. */
const SLICE_MS = 20;

interface Digits {
  /** The first training digits, [trainLimit, 784]. */
  train: Float32Array;
  /** The test digits, [testLimit, 784]: validation loss and the latent map. */
  test: Float32Array;
  testLabels: Uint8Array;
  /** One test digit of each class, 0 to 9, [10, 784]: the reconstruction grid. */
  display: Float32Array;
}

let digits: Digits | null = null;
let model: Model | null = null;
let kind: KindId = 'dense';
let history: LossHistory = {};
let noise = 0.3;
let training = false;
let stopRequested = false;
let resume: (() => void) | null = null;
let paused: Promise<void> | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  port.postMessage(message, transfer);
}

/** Rows of 784 pixels as a batch shaped for the model ([n, 784] or [n, 28, 28, 1]). */
function batch(pixels: Float32Array, m: Model): Tensor {
  return new Tensor(pixels, [pixels.length / PIXELS, ...m.inputShape]);
}

/** A copy the worker can hand over (transfer) without losing its own. */
const own = (t: Tensor) => new Float32Array(t.values);

/** What the page draws of the current model. */
function view(): ModelView {
  if (!model || !digits) throw new Error('no model yet: train one or load one');
  const display = batch(digits.display, model);
  const noisy = kindById(kind).denoising ? gaussianNoise(display, noise, new Random(DISPLAY_NOISE_SEED)) : undefined;
  const result: ModelView = { reconstructions: own(model.predict(noisy ?? display)) };
  if (noisy) result.noisy = own(noisy);
  if (model instanceof VariationalAutoencoder && model.latentDim === 2) result.codes = own(model.encode(batch(digits.test, model)).mean);
  return result;
}

/** The view's arrays, handed over to the page rather than copied. */
const buffers = (v: ModelView): Transferable[] => [v.noisy, v.reconstructions, v.codes].filter((a) => a !== undefined).map((a) => a.buffer);

/** Resolves at the next turn of the event loop, without setTimeout's 4 ms clamp. */
function nextTurn(): Promise<void> {
  return new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      done();
    };
    channel.port2.postMessage(null);
  });
}

/** Thrown from a callback to end `fit` at once (stopTraining would wait for the epoch's end). */
const STOP = Symbol('stop');

/** Pause, stop and a breath for the event loop, between two batches. */
function control(): Callback {
  let last = performance.now();
  return {
    async onBatchEnd() {
      if (performance.now() - last > SLICE_MS) {
        await nextTurn();
        last = performance.now();
      }
      while (paused && !stopRequested) await paused;
      if (stopRequested) throw STOP;
    },
  };
}

async function train(settings: TrainSettings): Promise<void> {
  if (!digits) throw new Error('MNIST is not loaded yet');
  const trainSize = Math.min(settings.trainSize, digits.train.length / PIXELS);
  kind = settings.kind;
  noise = settings.noise;
  history = {};
  model = null;
  const m = BUILDERS[kind](settings.seed, () => noise);
  const x = batch(digits.train.subarray(0, trainSize * PIXELS), m);
  const validation = batch(digits.test, m);

  // fit's progress as DOM events, forwarded to the page (trainingEvents' use in a worker).
  const events = trainingEvents();
  let lastProgress = 0;
  events.target.addEventListener('trainbegin', (e) => {
    const { epochs, steps } = (e as TrainingEvent<'trainbegin'>).detail;
    post({ type: 'trainbegin', kind, epochs, steps });
  });
  events.target.addEventListener('batchend', (e) => {
    const { epoch, step, steps, logs } = (e as TrainingEvent<'batchend'>).detail;
    // Ten updates a second are plenty for a progress bar.
    if (performance.now() - lastProgress < 100 && step !== steps - 1) return;
    lastProgress = performance.now();
    post({ type: 'progress', epoch, step, steps, loss: logs.loss });
  });
  events.target.addEventListener('epochend', (e) => {
    const { epoch, logs } = (e as TrainingEvent<'epochend'>).detail;
    for (const [term, value] of Object.entries(logs)) (history[term] ??= []).push(value);
    const v = view();
    post({ type: 'epoch', epoch, history, view: v }, buffers(v));
  });

  model = m;
  training = true;
  stopRequested = false;
  let stopped = false;
  try {
    await m.fit(x, x, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      validationData: [validation, validation],
      seed: settings.seed,
      verbose: 0,
      callbacks: [events, control()],
    });
  } catch (error) {
    if (error !== STOP) throw error;
    stopped = true;
  } finally {
    training = false;
    setPaused(false);
  }
  const v = view();
  post({ type: 'trainend', stopped, view: v }, buffers(v));
}

function setPaused(on: boolean): void {
  if (on && !paused) paused = new Promise((done) => (resume = done));
  if (!on && paused) {
    resume?.();
    paused = null;
    resume = null;
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'load': {
      const mnist = await loadMnistFromUrl(message.mnistUrl, { trainLimit: message.trainLimit, testLimit: message.testLimit });
      const test = mnist.test.images.values as Float32Array;
      const display = new Float32Array(10 * PIXELS);
      const displayLabels: number[] = [];
      for (let digit = 0; digit < 10; digit++) {
        const i = mnist.test.labels.indexOf(digit);
        display.set(test.subarray(i * PIXELS, (i + 1) * PIXELS), digit * PIXELS);
        displayLabels.push(digit);
      }
      digits = { train: mnist.train.images.values as Float32Array, test, testLabels: mnist.test.labels, display };
      post({ type: 'loaded', display: display.slice(), displayLabels, testLabels: mnist.test.labels.slice(), kernels: kernelsInfo().tier });
      return;
    }
    case 'train':
      if (training) throw new Error('already training: stop first');
      return train(message.settings);
    case 'pause':
      if (training) setPaused(true);
      post({ type: 'paused' });
      return;
    case 'resume':
      setPaused(false);
      post({ type: 'resumed' });
      return;
    case 'stop':
      stopRequested = true;
      setPaused(false);
      return;
    case 'noise':
      noise = message.level;
      if (model && kindById(kind).denoising) {
        const v = view();
        post({ type: 'view', view: v }, buffers(v));
      }
      return;
    case 'decode': {
      if (!(model instanceof VariationalAutoencoder)) return;
      const image = own(model.decode(new Tensor(new Float32Array(message.z), [1, 2])));
      post({ type: 'decoded', z: message.z, image }, [image.buffer]);
      return;
    }
    case 'export': {
      if (!model) throw new Error('no model to save yet: train one first');
      const saved: SavedModel = { kind, history, artifacts: toArtifacts(model) };
      post({ type: 'exported', saved }, [saved.artifacts.weightData]);
      return;
    }
    case 'import': {
      if (training) throw new Error('stop training before loading a model');
      const { saved } = message;
      const loaded = fromArtifacts(saved.artifacts);
      const isVae = loaded instanceof VariationalAutoencoder;
      if (isVae !== kindById(saved.kind).latent2d) {
        throw new Error(`the saved model says it is a '${saved.kind}' but holds a ${saved.artifacts.modelTopology.className}`);
      }
      model = loaded;
      kind = saved.kind;
      history = saved.history;
      const v = view();
      post({ type: 'imported', kind, history, view: v }, buffers(v));
      return;
    }
  }
}

port.onmessage = (event: MessageEvent<ToWorker>) => {
  const during = event.data.type;
  handle(event.data).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error), during }));
};
