import type { Callback } from './callbacks.js';
import type { Logs } from './history.js';

/** What each training event carries in its `detail`; logs are copies a listener may keep. */
export interface TrainingEventDetails {
  trainbegin: { epochs: number; steps: number };
  epochbegin: { epoch: number; epochs: number; steps: number };
  batchend: { epoch: number; step: number; steps: number; logs: Logs };
  epochend: { epoch: number; epochs: number; logs: Logs };
  trainend: { logs: Logs };
}

/** The name of a training event. */
export type TrainingEventType = keyof TrainingEventDetails;

/** A typed `CustomEvent` of one training event. */
export type TrainingEvent<K extends TrainingEventType = TrainingEventType> = CustomEvent<TrainingEventDetails[K]>;

/**
 * A callback that turns `fit`'s progress into DOM events on `target`:
 * `trainbegin`, `epochbegin`, `batchend`, `epochend` and `trainend`, each a
 * `CustomEvent` whose `detail` carries the epoch, the step and the logs (see
 * `TrainingEventDetails`). Works wherever `EventTarget` does: a web page, a Web
 * Worker (forward the details with `postMessage`), Node 20.
 *
 * @example
 * const events = trainingEvents();
 * events.target.addEventListener('epochend', (e) => {
 *   const { epoch, logs } = (e as TrainingEvent<'epochend'>).detail;
 *   chart.push(epoch, logs.loss);
 * });
 * await model.fit(x, x, { epochs: 10, verbose: 0, callbacks: [events] });
 */
export function trainingEvents<T extends EventTarget = EventTarget>(target?: T): Callback & { readonly target: T } {
  const on = target ?? (new EventTarget() as T);
  let epochs = 0;
  let steps = 0;
  let epochNow = 0;
  const dispatch = <K extends TrainingEventType>(type: K, detail: TrainingEventDetails[K]) => {
    on.dispatchEvent(new CustomEvent(type, { detail }));
  };
  return {
    target: on,
    setParams(params) {
      epochs = params.epochs;
      steps = params.steps;
    },
    onTrainBegin() {
      dispatch('trainbegin', { epochs, steps });
    },
    onEpochBegin(epoch) {
      epochNow = epoch;
      dispatch('epochbegin', { epoch, epochs, steps });
    },
    onBatchEnd(step, logs) {
      dispatch('batchend', { epoch: epochNow, step, steps, logs: { ...logs } });
    },
    onEpochEnd(epoch, logs) {
      dispatch('epochend', { epoch, epochs, logs: { ...logs } });
    },
    onTrainEnd(logs) {
      dispatch('trainend', { logs: { ...logs } });
    },
  };
}
