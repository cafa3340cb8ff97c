// Served beside the demo page by demo.test.ts, to show the policy is in force
// where the demo runs: in the page, and in a worker started from the page's origin.
// (A test's own page.evaluate cannot show it: DevTools evaluation bypasses the policy.)
export function evalBlocked() {
  try {
    new Function('return 1');
    return false;
  } catch {
    return true;
  }
}

export function evalBlockedInWorker() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./csp-probe-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(`probe worker failed: ${event.message}`));
  });
}
