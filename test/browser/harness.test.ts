import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, type BrowserPage } from './harness.js';

/** The harness itself: what the browser tests rely on must hold, or they could pass for the wrong reason. */
let root: string;
let dir: string;
let page: BrowserPage;

beforeAll(async () => {
  // Serves root/served; root/secret.txt must stay out of reach.
  root = await mkdtemp(join(tmpdir(), 'aekit-harness-'));
  dir = join(root, 'served');
  await mkdir(dir);
  await writeFile(join(root, 'secret.txt'), 'not for the page');
  // The smallest valid WebAssembly module: magic number and version.
  await writeFile(join(dir, 'empty.wasm'), new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  await writeFile(
    join(dir, 'probe.js'),
    `import { twice } from 'probe-dep';
     export const double = (x) => twice(x);
     // instantiateStreaming refuses a response not served as application/wasm.
     export async function streamWasm() {
       const { instance } = await WebAssembly.instantiateStreaming(fetch('/files/empty.wasm'));
       return Object.keys(instance.exports).length;
     }
     export function complain() { console.error('something went wrong'); }
     export function fail() { throw new Error('failed in the page'); }`,
  );
  await writeFile(join(dir, 'dep.js'), 'export const twice = (x) => 2 * x;');
  page = await openPage({ mounts: { '/files/': dir }, importMap: { 'probe-dep': '/files/dep.js' } });
}, 60_000);

afterAll(async () => {
  await page?.close();
  await rm(root, { recursive: true, force: true });
});

const call = <T>(name: string, ...args: unknown[]) => page.call<T>('/files/probe.js', name, ...args);

describe('the browser test harness', () => {
  it('serves ES modules resolved through the import map and returns results', async () => {
    expect(await call<number>('double', 21)).toBe(42);
    expect(page.errors).toEqual([]);
  });

  it('serves .wasm as application/wasm', async () => {
    expect(await call<number>('streamWasm')).toBe(0);
  });

  it('refuses paths outside the mounted directories', async () => {
    // From Node: a browser would normalize the dots away before sending.
    const status = (path: string) =>
      new Promise<number>((done, fail) => get(new URL(page.url), { path }, (res) => done(res.resume().statusCode ?? 0)).on('error', fail));
    expect(await status('/files/dep.js')).toBe(200);
    expect(await status('/files/../secret.txt')).toBe(404);
    expect(await status('/files/..%2fsecret.txt')).toBe(404);
    expect(await status('/elsewhere.js')).toBe(404);
  });

  it("rejects with the page's error message", async () => {
    await expect(call('fail')).rejects.toThrow(/failed in the page/);
  });

  it('collects console errors', async () => {
    await call('complain');
    expect(page.errors).toEqual(['console.error: something went wrong']);
    page.errors.length = 0;
  });

  it('closes twice without complaint', async () => {
    const second = await openPage({ mounts: {} });
    await second.close();
    await expect(second.close()).resolves.toBeUndefined();
  });
});
