// The page: controls, charts and canvases. All the computing happens in the
// worker (worker.ts); the page sends it requests and draws what comes back.
import { lossCurves, PALETTE } from '@aekit/data';
import { canvasToLatent, drawDigit, drawDigitRows, drawLatentMap, latentExtent } from './draw.js';
import { kindById, KINDS, type Kind, type KindId } from './kinds.js';
import type { FromWorker, LossHistory, ModelView, SavedModel, ToWorker, TrainSettings } from './protocol.js';
import { loadFromBrowser, modelFromFile, modelToFile, saveToBrowser } from './store.js';

type State = 'loading' | 'ready' | 'training' | 'paused' | 'trained' | 'error';

/**
 * The page's state for tests and the curious, as `window.__aekitDemo`: what
 * is shown, in numbers, so a test need not read it back from pixels.
 */
export interface DemoHook {
  state: State;
  /** The kind of the model shown (trained or loaded), else null. */
  kind: KindId | null;
  /** Epochs trained (or loaded with the model). */
  epochs: number;
  history: LossHistory;
  /** The reconstructions on the grid, [10, 784]. */
  reconstructions: number[];
  /** Dots on the latent map. */
  latentPoints: number;
  /** The walk's code and its decoded digit. */
  walk: { z: [number, number]; pixels: number[] } | null;
  /** Saves and loads finished, by kind. */
  saves: number;
  loads: number;
  /** The last error shown, or null. */
  error: string | null;
}

declare global {
  interface Window {
    __aekitDemo: DemoHook;
  }
}

const hook: DemoHook = { state: 'loading', kind: null, epochs: 0, history: {}, reconstructions: [], latentPoints: 0, walk: null, saves: 0, loads: 0, error: null };
window.__aekitDemo = hook;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  kind: $<HTMLSelectElement>('kind'),
  blurb: $('blurb'),
  trainSize: $<HTMLSelectElement>('train-size'),
  epochs: $<HTMLInputElement>('epochs'),
  batchSize: $<HTMLInputElement>('batch-size'),
  noiseField: $('noise-field'),
  noise: $<HTMLInputElement>('noise'),
  noiseValue: $<HTMLOutputElement>('noise-value'),
  train: $<HTMLButtonElement>('train'),
  pause: $<HTMLButtonElement>('pause'),
  stop: $<HTMLButtonElement>('stop'),
  progress: $<HTMLProgressElement>('progress'),
  status: $('status'),
  saveFile: $<HTMLButtonElement>('save-file'),
  saveBrowser: $<HTMLButtonElement>('save-browser'),
  loadFile: $<HTMLInputElement>('load-file'),
  loadFileLabel: $('load-file-label'),
  loadBrowser: $<HTMLButtonElement>('load-browser'),
  loss: $('loss'),
  rowLabels: $('row-labels'),
  reconstructions: $<HTMLCanvasElement>('reconstructions'),
  latent: $<HTMLCanvasElement>('latent'),
  latentHint: $('latent-hint'),
  legend: $('legend'),
  walkCard: $('walk-card'),
  walk: $<HTMLCanvasElement>('walk'),
  z1: $<HTMLInputElement>('z1'),
  z2: $<HTMLInputElement>('z2'),
  z1Value: $<HTMLOutputElement>('z1-value'),
  z2Value: $<HTMLOutputElement>('z2-value'),
  kernels: $('kernels'),
};

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

let display: Float32Array | null = null;
let testLabels: Uint8Array = new Uint8Array(0);
/** The kind of the model in the worker (null before the first training or load). */
let modelKind: Kind | null = null;
let lastView: ModelView | null = null;
/** The latent map's half-width, which the walk's sliders follow. */
let extent = 4;
let startedAt = 0;

function setState(state: State): void {
  hook.state = state;
  document.body.dataset.state = state;
  const busy = state === 'training' || state === 'paused';
  ui.train.disabled = !(state === 'ready' || state === 'trained');
  ui.pause.disabled = !busy;
  ui.pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
  ui.stop.disabled = !busy;
  const hasModel = modelKind !== null && state !== 'loading';
  ui.saveFile.disabled = ui.saveBrowser.disabled = !hasModel || state === 'training';
  ui.loadFile.disabled = ui.loadBrowser.disabled = busy || state === 'loading';
  ui.loadFileLabel.classList.toggle('disabled', ui.loadFile.disabled);
  for (const input of [ui.kind, ui.trainSize, ui.epochs, ui.batchSize]) input.disabled = busy;
}

const epochsText = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

function say(text: string): void {
  ui.status.textContent = text;
  ui.status.classList.remove('error');
}

function fail(message: string): void {
  hook.error = message;
  ui.status.textContent = message;
  ui.status.classList.add('error');
}

/** The picker's choice: its blurb, and the controls that only some kinds have. */
function showKind(kind: Kind): void {
  ui.blurb.textContent = kind.blurb;
  ui.noiseField.hidden = !kind.denoising;
}

function showLoss(history: LossHistory): void {
  if (Object.keys(history).length === 0 || (history.loss?.length ?? 0) === 0) return;
  ui.loss.innerHTML = lossCurves(history, { title: '', width: 560, height: 340 });
}

function showView(view: ModelView): void {
  lastView = view;
  hook.reconstructions = Array.from(view.reconstructions);
  drawGrid();
  hook.latentPoints = view.codes ? view.codes.length / 2 : 0;
  if (view.codes) setExtent(latentExtent(view.codes));
  drawMap();
}

/** The grid: the test digits, their noisy versions (denoising), the reconstructions. */
function drawGrid(): void {
  if (!display) return;
  const rows = [display];
  const labels = ['test digits'];
  if (lastView?.noisy) {
    rows.push(lastView.noisy);
    labels.push('with noise');
  }
  if (lastView) {
    rows.push(lastView.reconstructions);
    labels.push('reconstructed');
  }
  drawDigitRows(ui.reconstructions, rows, 10);
  ui.rowLabels.replaceChildren(...labels.map((text) => Object.assign(document.createElement('span'), { textContent: text })));
}

function walkZ(): [number, number] {
  return [Number(ui.z1.value), Number(ui.z2.value)];
}

/** The latent map and the walk, for a 2-D code: the model's, or before any model the picker's. */
function drawMap(): void {
  const latent2d = (modelKind ?? kindById(ui.kind.value)).latent2d;
  ui.latentHint.hidden = latent2d;
  ui.latent.hidden = ui.legend.hidden = ui.walkCard.hidden = !latent2d;
  if (latent2d) drawLatentMap(ui.latent, extent, lastView?.codes, testLabels, walkZ());
}

function setExtent(value: number): void {
  extent = value;
  for (const slider of [ui.z1, ui.z2]) {
    slider.min = String(-extent);
    slider.max = String(extent);
  }
}

// The walk: one decode in flight at a time; slider moves meanwhile collapse into the latest.
let decoding = false;
let pendingZ: [number, number] | null = null;
function requestDecode(): void {
  const z = walkZ();
  ui.z1Value.textContent = z[0].toFixed(2);
  ui.z2Value.textContent = z[1].toFixed(2);
  drawMap();
  if (!modelKind?.latent2d) return;
  if (decoding) {
    pendingZ = z;
    return;
  }
  decoding = true;
  send({ type: 'decode', z });
}

/** Waits for the worker's answer to an export or import. */
let answer: { resolve: (message: FromWorker) => void; reject: (error: Error) => void } | null = null;
function ask(message: ToWorker, transfer: Transferable[] = []): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    answer = { resolve, reject };
    send(message, transfer);
  });
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'loaded':
      display = message.display;
      testLabels = message.testLabels;
      ui.kernels.textContent = `kernels: ${message.kernels} WebAssembly`;
      drawGrid();
      drawMap();
      setState('ready');
      say('MNIST loaded. Pick a model and press Train.');
      return;
    case 'trainbegin':
      modelKind = kindById(message.kind);
      ui.progress.max = message.epochs * message.steps;
      ui.progress.value = 0;
      return;
    case 'progress':
      ui.progress.value = message.epoch * message.steps + message.step + 1;
      if (hook.state === 'training') say(`Epoch ${message.epoch + 1}, batch ${message.step + 1} of ${message.steps}: loss ${message.loss.toFixed(4)}`);
      return;
    case 'epoch': {
      hook.kind = modelKind?.id ?? null;
      hook.epochs = message.epoch + 1;
      hook.history = message.history;
      showLoss(message.history);
      showView(message.view);
      if (modelKind?.latent2d) requestDecode();
      return;
    }
    case 'trainend': {
      showView(message.view);
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      setState('trained');
      const epochs = epochsText(hook.epochs);
      // A stop takes effect between two batches: the weights have gone a little way into the next epoch.
      say(`${message.stopped ? `Stopped during epoch ${hook.epochs + 1}, after ${epochs}` : `Trained ${epochs}`} (${seconds} s). Save it, or train another.`);
      return;
    }
    case 'paused':
      if (hook.state !== 'training') return;
      setState('paused');
      say('Paused between two batches; press Resume to go on.');
      return;
    case 'resumed':
      if (hook.state === 'paused') setState('training');
      return;
    case 'view':
      showView(message.view);
      return;
    case 'decoded':
      drawDigit(ui.walk, message.image);
      hook.walk = { z: message.z, pixels: Array.from(message.image) };
      decoding = false;
      if (pendingZ) {
        pendingZ = null;
        requestDecode();
      }
      return;
    case 'exported':
    case 'imported':
      answer?.resolve(message);
      answer = null;
      return;
    case 'error':
      if (message.during === 'decode') decoding = false;
      if (answer && (message.during === 'export' || message.during === 'import')) {
        answer.reject(new Error(message.message));
        answer = null;
        return;
      }
      fail(message.message);
      if (message.during === 'load') setState('error');
      if (message.during === 'train') setState(modelKind ? 'trained' : 'ready');
      return;
  }
};

worker.onerror = (event) => {
  event.preventDefault();
  fail(`The training worker failed: ${event.message}`);
  setState('error');
};

ui.kind.append(...KINDS.map((k) => Object.assign(document.createElement('option'), { value: k.id, textContent: k.label })));
ui.kind.onchange = () => {
  showKind(kindById(ui.kind.value));
  drawMap();
};
showKind(kindById(ui.kind.value));

ui.train.onclick = () => {
  const settings: TrainSettings = {
    kind: ui.kind.value as KindId,
    trainSize: Number(ui.trainSize.value),
    epochs: Math.max(1, Math.round(Number(ui.epochs.value) || 1)),
    batchSize: Math.max(1, Math.round(Number(ui.batchSize.value) || 128)),
    noise: Number(ui.noise.value),
    seed: 42,
  };
  hook.history = {};
  hook.epochs = 0;
  hook.walk = null;
  hook.error = null;
  modelKind = kindById(settings.kind);
  lastView = null;
  ui.loss.replaceChildren(Object.assign(document.createElement('p'), { className: 'placeholder', textContent: 'The first epoch is under way…' }));
  drawGrid();
  drawMap();
  startedAt = performance.now();
  setState('training');
  say('Starting…');
  send({ type: 'train', settings });
};

ui.pause.onclick = () => send({ type: hook.state === 'paused' ? 'resume' : 'pause' });
ui.stop.onclick = () => {
  say('Stopping…');
  send({ type: 'stop' });
};

ui.noise.oninput = () => {
  ui.noiseValue.textContent = Number(ui.noise.value).toFixed(2);
  send({ type: 'noise', level: Number(ui.noise.value) });
};

ui.z1.oninput = ui.z2.oninput = requestDecode;
ui.latent.onclick = (event) => {
  const box = ui.latent.getBoundingClientRect();
  const scale = ui.latent.width / box.width;
  const [z1, z2] = canvasToLatent(ui.latent, extent, (event.clientX - box.left) * scale, (event.clientY - box.top) * scale);
  ui.z1.value = String(z1);
  ui.z2.value = String(z2);
  requestDecode();
};

async function exported(): Promise<SavedModel> {
  const reply = await ask({ type: 'export' });
  if (reply.type !== 'exported') throw new Error(`unexpected reply '${reply.type}' to an export`);
  return reply.saved;
}

/** Runs a save or load, showing its outcome (or its error) in the status line. */
async function action(run: () => Promise<string | undefined>): Promise<void> {
  try {
    ui.saveFile.disabled = ui.saveBrowser.disabled = ui.loadBrowser.disabled = true;
    const done = await run();
    if (done) say(done);
  } catch (error) {
    fail((error as Error).message);
  } finally {
    setState(hook.state);
  }
}

ui.saveFile.onclick = () =>
  action(async () => {
    const saved = await exported();
    const url = URL.createObjectURL(new Blob([modelToFile(saved)], { type: 'application/json' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: `aekit-${saved.kind}.json` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    hook.saves++;
    return `Saved as ${link.download}.`;
  });

ui.saveBrowser.onclick = () =>
  action(async () => {
    await saveToBrowser(await exported());
    hook.saves++;
    return 'Kept in this browser (IndexedDB). "Load from this browser" brings it back, even after a reload.';
  });

async function load(saved: SavedModel, from: string): Promise<string> {
  const reply = await ask({ type: 'import', saved }, [saved.artifacts.weightData]);
  if (reply.type !== 'imported') throw new Error(`unexpected reply '${reply.type}' to a load`);
  modelKind = kindById(reply.kind);
  ui.kind.value = reply.kind;
  showKind(modelKind);
  hook.kind = reply.kind;
  hook.history = reply.history;
  hook.epochs = reply.history.loss?.length ?? 0;
  ui.loss.replaceChildren();
  showLoss(reply.history);
  showView(reply.view);
  if (modelKind.latent2d) requestDecode();
  setState('trained');
  hook.loads++;
  return `Loaded a ${modelKind.label.toLowerCase()} trained ${epochsText(hook.epochs)}, from ${from}.`;
}

ui.loadFile.onchange = () => {
  const file = ui.loadFile.files?.[0];
  ui.loadFile.value = '';
  if (file) void action(async () => load(modelFromFile(await file.text(), file.name), file.name));
};

ui.loadBrowser.onclick = () =>
  action(async () => {
    const saved = await loadFromBrowser();
    if (!saved) throw new Error('Nothing kept in this browser yet: train a model and press "Keep in this browser".');
    return load(saved, 'this browser');
  });

ui.legend.replaceChildren(
  ...Array.from({ length: 10 }, (_, digit) => {
    const item = Object.assign(document.createElement('span'), { textContent: String(digit) });
    const swatch = document.createElement('i');
    swatch.style.background = PALETTE[digit];
    item.prepend(swatch);
    return item;
  }),
);

setState('loading');
send({ type: 'load', mnistUrl: new URL('mnist/', document.baseURI).href, trainLimit: 12_000, testLimit: 1000 });
