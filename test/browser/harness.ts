// A headless Chromium page served by a throwaway static server, for the tests
// that check aekit's numerics in a real browser rather than assume them.
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The flags CI runs Chromium with: headless, no sandbox (root in a container), nothing phoning home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The Chromium executable: AEKIT_CHROMIUM, else `chromium` on PATH (scripts/ensure-chromium.mjs installs it). */
export function findChromium(): string {
  if (process.env.AEKIT_CHROMIUM) return process.env.AEKIT_CHROMIUM;
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error('the browser tests need Chromium: run `node scripts/ensure-chromium.mjs` (or `npm run setup`), or set AEKIT_CHROMIUM');
  }
  return found.stdout.trim();
}

export interface PageOptions {
  /** URL path prefixes (`/kernels/`) mapped to the directories served under them. */
  mounts: Record<string, string>;
  /** The page's import map (`imports` only), for bare specifiers in unbundled modules. */
  importMap?: Record<string, string>;
  /**
   * Extra headers of every response, e.g. a `Content-Security-Policy`: on the
   * page, and on the scripts it starts as workers, which obey their own response's policy.
   */
  headers?: Record<string, string>;
  /** The page's HTML, served at `/` instead of a blank page (a built app's index.html). */
  html?: string;
}

export interface BrowserPage {
  /** The page's URL, at the root of the server. */
  readonly url: string;
  /** Console errors, uncaught page errors and failed requests, in order. Tests expect it to stay empty. */
  readonly errors: string[];
  /**
   * Imports `module` (a URL path) in the page and awaits its export `name`
   * called with `args` (JSON values); returns the result. A throw in
   * the page rejects with the page's message.
   */
  call<T>(module: string, name: string, ...args: unknown[]): Promise<T>;
  /** The Playwright page, for tests that click, type and wait. */
  readonly page: Page;
  /** Closes the page, the browser and the server; safe to call twice. */
  close(): Promise<void>;
}

/** Serves `mounts` on a random free port of 127.0.0.1 (`/` is the page itself), every response with `headers`. */
async function serve(mounts: Record<string, string>, html: string, headers: Record<string, string> = {}): Promise<Server> {
  const roots = Object.entries(mounts).map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : `${prefix}/`, resolve(dir)] as const);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') {
      res.writeHead(200, { ...headers, 'content-type': MIME['.html'], 'cache-control': 'no-store' });
      return res.end(html);
    }
    // An empty icon from the page's own origin: a 404 would log an error, and a
    // data: icon would break a Content-Security-Policy of default-src 'self'.
    if (path === '/favicon.ico') {
      res.writeHead(204, { ...headers, 'cache-control': 'no-store' });
      return res.end();
    }
    const mount = roots.find(([prefix]) => path.startsWith(prefix));
    const file = mount && resolve(join(mount[1], path.slice(mount[0].length)));
    // Refuse anything outside the mounted directory (`..` in the path).
    if (!mount || !file || !(file === mount[1] || file.startsWith(mount[1] + sep))) return send(404, 'text/plain', `not served: ${path}`);
    stat(file).then(
      (info) => {
        if (!info.isFile()) return send(404, 'text/plain', `not a file: ${path}`);
        res.writeHead(200, {
          ...headers,
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'content-length': info.size,
          'cache-control': 'no-store',
        });
        createReadStream(file).pipe(res);
      },
      () => send(404, 'text/plain', `no such file: ${path}`),
    );
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  return server;
}

function pageHtml(importMap: Record<string, string> | undefined): string {
  const map = importMap ? `<script type="importmap">${JSON.stringify({ imports: importMap })}</script>` : '';
  return `<!doctype html><html><head><meta charset="utf-8">${map}</head><body></body></html>`;
}

/**
 * Opens a blank page in headless Chromium, served with `options.mounts` and
 * its import map. Everything started is stopped by `close()`, and already
 * stopped if opening fails.
 *
 * @example
 * ```ts
 * const page = await openPage({ mounts: { '/dist/': distDir } });
 * try {
 *   expect(await page.call('/dist/entry.js', 'run', 42)).toBe(43);
 *   expect(page.errors).toEqual([]);
 * } finally {
 *   await page.close();
 * }
 * ```
 */
export async function openPage(options: PageOptions): Promise<BrowserPage> {
  const errors: string[] = [];
  let server: Server | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    // Each step runs even if an earlier one fails; the browser first, so it stops fetching.
    const b = browser;
    const s = server;
    browser = undefined;
    server = undefined;
    await b?.close().catch(() => undefined);
    if (s) await new Promise<void>((done) => s.close(() => done()));
  };
  try {
    server = await serve(options.mounts, options.html ?? pageHtml(options.importMap), options.headers);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
    const page: Page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.goto(url);
    return {
      url,
      errors,
      page,
      // A string, not a function: vitest rewrites `import()` in test code, and
      // this one must run in the page.
      call: <T>(module: string, name: string, ...args: unknown[]) =>
        page.evaluate(
          `(async () => {
            const exports = await import(${JSON.stringify(module)});
            if (typeof exports[${JSON.stringify(name)}] !== 'function') throw new Error(${JSON.stringify(`${module} exports no function ${name}`)});
            return exports[${JSON.stringify(name)}](...${JSON.stringify(args)});
          })()`,
        ) as Promise<T>,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
