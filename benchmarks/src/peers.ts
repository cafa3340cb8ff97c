// TensorFlow.js, the peer every figure is measured against, set up in this
// process: its wasm backend (XNNPACK, SIMD, single-threaded in Node) and its
// plain-JavaScript cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The union package registers the gradients, which tfjs-core's Node bundle
// leaves out; training steps need them.
import '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export type TfBackend = 'wasm' | 'cpu';

let wasmPathSet = false;

/** Switches TensorFlow.js to `backend` and returns the module. */
export async function useTf(backend: TfBackend): Promise<typeof tf> {
  if (backend === 'wasm' && !wasmPathSet) {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`);
    wasmPathSet = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not start its ${backend} backend`);
  await tf.ready();
  return tf;
}
