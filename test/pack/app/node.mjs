// The Node side of the app: train and print the result as JSON.
import { train } from './train.js';

console.log(JSON.stringify(await train()));
