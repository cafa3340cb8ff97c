// See csp-probe.js: reports whether this worker may compile strings.
import { evalBlocked } from './csp-probe.js';

postMessage(evalBlocked());
