// The page's entry, for Vite: start training; the test reads the promise.
import { train } from './train.js';

globalThis.aekitResult = train();
