import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createContext, runInContext } from 'node:vm';
import { chromium } from 'playwright-core';
import { build, createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, findChromium, openPage } from '../browser/harness.js';

/**
 * Issue 7's "installed as users install it": each package is packed with
 * `pnpm pack` (so `workspace:*` becomes a version), the four tarballs are
 * installed together with npm into a fresh project outside the workspace, and
 * test/pack/app/train.js trains a small dense autoencoder from there: in Node
 * (network cut off), and as a Vite app built with no plugin and no
 * configuration, run where code generation from strings is forbidden (what a
 * strict Content-Security-Policy does). Then in Chromium: a page with an import
 * map and no bundler, the Vite dev server's page, and the built Vite app served
 * with a strict Content-Security-Policy. tsc checks the shipped declarations.
 *
 * Packs the built dist/ of each package: `npm test` builds first.
 */
const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['kernels-wasm', 'core', 'data', 'models'] as const;

/** A temporary project with the tarballs installed; `remove()` deletes all of it. */
interface PackedProject {
  readonly dir: string;
  /** The unpacked tarballs, by package name (kernels-wasm, core, ...). */
  readonly unpacked: Record<string, string>;
  remove(): Promise<void>;
}

/** Packs the packages, installs the tarballs into a fresh project made from test/pack/app, and unpacks each tarball beside it. */
async function packAndInstall(): Promise<PackedProject> {
  const work = await mkdtemp(join(tmpdir(), 'aekit-pack-'));
  const remove = () => rm(work, { recursive: true, force: true });
  try {
    const tarballs = join(work, 'tarballs');
    await mkdir(tarballs);
    const unpacked: Record<string, string> = {};
    for (const name of PACKAGES) {
      const dir = join(repo, 'packages', name);
      if (!existsSync(join(dir, 'dist/index.js'))) throw new Error(`packages/${name}/dist is missing: run \`pnpm -r run build\` first`);
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
      const tarball = stdout.trim().split('\n').at(-1)!;
      unpacked[name] = join(work, 'unpacked', name);
      await mkdir(unpacked[name], { recursive: true });
      await run('tar', ['-xzf', tarball, '-C', unpacked[name], '--strip-components=1']);
    }
    const dir = join(work, 'app');
    await cp(fileURLToPath(new URL('./app', import.meta.url)), dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'aekit-pack-app', private: true, type: 'module' }, null, 2));
    const files = (await readdir(tarballs)).map((file) => join(tarballs, file));
    // As a user would (with the registry for ndarray, fflate, ...); --prefer-offline only reuses npm's own cache.
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...files], { cwd: dir, timeout: 120_000 });
    return { dir, unpacked, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

interface TrainResult {
  tier: string;
  losses: number[];
  corner: number;
  pngSignature: number[];
}

/** What every run of train.js must show: real kernels, a falling loss, a readable view, a PNG. */
function expectTrained(result: TrainResult): void {
  expect(result.tier).not.toBe('reference');
  expect(result.losses).toHaveLength(12);
  expect(result.losses.every(Number.isFinite)).toBe(true);
  // A 3-factor signal through a 4-unit code: the loss ends near a third of its first epoch (0.31 at seed 7); half leaves room.
  expect(result.losses.at(-1)!).toBeLessThan(0.5 * result.losses[0]);
  expect(result.corner).toBeGreaterThan(0);
  expect(result.corner).toBeLessThan(1);
  expect(result.pngSignature).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
}

let project: PackedProject;

beforeAll(async () => {
  project = await packAndInstall();
}, 180_000);

afterAll(async () => {
  await project?.remove();
});

describe('the packed packages, installed with npm outside the workspace', () => {
  it('carry their build, types and WebAssembly, with versions for workspace:* and no install step', async () => {
    const manifests = Object.fromEntries(
      await Promise.all(PACKAGES.map(async (name) => [name, JSON.parse(await readFile(join(project.unpacked[name], 'package.json'), 'utf8'))] as const)),
    );
    for (const name of PACKAGES) {
      const manifest = manifests[name];
      expect(manifest.name).toBe(`@aekit/${name}`);
      for (const [dep, range] of Object.entries<string>(manifest.dependencies ?? {})) {
        expect(range, `${name} -> ${dep}`).not.toMatch(/^workspace:/);
        if (dep.startsWith('@aekit/')) expect(range, `${name} -> ${dep}`).toBe(manifests[dep.slice('@aekit/'.length)].version);
      }
      for (const script of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[script], `${name} ${script}`).toBeUndefined();
      expect(existsSync(join(project.unpacked[name], 'binding.gyp'))).toBe(false);
      // Every file the exports map names is in the tarball.
      const targets = Object.values<Record<string, string>>(manifest.exports).flatMap((entry) => Object.values(entry));
      for (const target of targets) expect(existsSync(join(project.unpacked[name], target)), `${name}: ${target}`).toBe(true);
    }
    // The kernels travel inlined as base64 in the JavaScript: no .wasm to locate or fetch.
    const generated = join(project.unpacked['kernels-wasm'], 'dist/generated');
    const modules = await readdir(generated).then((files) => files.filter((f) => f.endsWith('.js')));
    expect(modules.length).toBeGreaterThan(0);
    for (const file of modules) {
      const base64 = /'([A-Za-z0-9+/=]{100,})'/.exec(await readFile(join(generated, file), 'utf8'))?.[1];
      expect(Buffer.from(base64 ?? '', 'base64').subarray(0, 4), file).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d])); // "\0asm"
    }
  });

  it('pull in nothing with an install script', async () => {
    const withScripts: string[] = [];
    const visit = async (modules: string): Promise<void> => {
      for (const entry of await readdir(modules, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        const dir = join(modules, entry.name);
        if (entry.name.startsWith('@')) {
          await visit(dir);
          continue;
        }
        const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
        if (['preinstall', 'install', 'postinstall'].some((s) => manifest.scripts?.[s]) || existsSync(join(dir, 'binding.gyp'))) withScripts.push(entry.name);
        if (existsSync(join(dir, 'node_modules'))) await visit(join(dir, 'node_modules'));
      }
    };
    await visit(join(project.dir, 'node_modules'));
    expect(withScripts).toEqual([]);
  });

  it('give a TypeScript user strict types through the exports map', async () => {
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    // skipLibCheck off: the shipped declarations themselves must compile.
    const flags = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom'];
    const result = await run('node', [tsc, ...flags, 'types.ts'], { cwd: project.dir, timeout: 60_000 }).catch((error) => error as { stdout: string; code: number });
    expect(result.stdout.trim()).toBe('');
  });

  it('train a dense autoencoder in a Node project, with the network cut off', async () => {
    const { stdout } = await run('node', ['--import', './no-network.mjs', 'node.mjs'], { cwd: project.dir, timeout: 60_000 });
    expectTrained(JSON.parse(stdout) as TrainResult);
  });

  it('train in a Vite app built with no plugin and no configuration, where eval and new Function are forbidden', async () => {
    const outDir = join(project.dir, 'dist');
    await build({ root: project.dir, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const assets = await readdir(join(outDir, 'assets'));
    // One chunk: the kernels are inlined, so nothing else (no .wasm) is emitted.
    expect(assets.filter((f) => !f.endsWith('.js'))).toEqual([]);
    const scripts = assets.filter((f) => f.endsWith('.js'));
    expect(scripts).toHaveLength(1);
    const code = await readFile(join(outDir, 'assets', scripts[0]), 'utf8');
    expect(code).not.toMatch(/\bimport\s*[{(*\w]|\bexport\s*[{*]|from\s*["']node:/);
    // What a page gives the bundle, in a context that refuses to compile strings
    // (CSP's script-src 'self' 'wasm-unsafe-eval'). The stub document is one
    // that supports modulepreload, so Vite's polyfill stands aside as in Chromium.
    const context = createContext(
      { WebAssembly, atob, TextEncoder, TextDecoder, setTimeout, clearTimeout, performance, console, document: { createElement: () => ({ relList: { supports: () => true } }) } },
      { codeGeneration: { strings: false, wasm: true } },
    );
    runInContext(code, context);
    expect(() => runInContext('new Function("return 1")', context)).toThrow(/Code generation from strings disallowed/);
    expectTrained(await (context.aekitResult as Promise<TrainResult>));
  });
});

/**
 * What a page without a bundler writes: one entry per package, pointing at the
 * ESM files npm installed. @aekit/core needs no entry for ndarray at run time
 * (its view classes are compiled ahead of time), so no CommonJS is loaded.
 */
const IMPORT_MAP: Record<string, string> = {
  '@aekit/kernels-wasm': '/node_modules/@aekit/kernels-wasm/dist/index.js',
  '@aekit/core': '/node_modules/@aekit/core/dist/index.js',
  '@aekit/data': '/node_modules/@aekit/data/dist/index.js',
  '@aekit/models': '/node_modules/@aekit/models/dist/index.js',
  // @aekit/data's PNG encoder and inflate, and fast-png's own dependency.
  'fast-png': '/node_modules/fast-png/lib/index.js',
  fflate: '/node_modules/fflate/esm/browser.js',
  iobuffer: '/node_modules/iobuffer/lib/iobuffer.js',
};

/** The strict policy of issue 7: no 'unsafe-eval', no inline script; WebAssembly allowed. */
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

describe('the installed packages in Chromium', () => {
  it('train in a plain page: <script type="module"> with an import map, no bundler', async () => {
    const page = await openPage({ mounts: { '/node_modules/': join(project.dir, 'node_modules'), '/app/': project.dir }, importMap: IMPORT_MAP });
    try {
      expectTrained(await page.call<TrainResult>('/app/train.js', 'train'));
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("train in the Vite dev server's page (dependencies pre-bundled by Vite, no configuration)", async () => {
    const server = await createServer({ root: project.dir, configFile: false, logLevel: 'silent', server: { host: '127.0.0.1', port: 0 } });
    const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
    try {
      await server.listen();
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('response', (response) => response.status() >= 400 && errors.push(`HTTP ${response.status()}: ${response.url()}`));
      await page.goto(server.resolvedUrls!.local[0]);
      await page.waitForFunction('globalThis.aekitResult !== undefined', undefined, { timeout: 60_000 });
      expectTrained(await page.evaluate<TrainResult>('globalThis.aekitResult'));
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('train as the built Vite app in a page served with a strict Content-Security-Policy', async () => {
    const outDir = join(project.dir, 'dist-csp');
    await build({ root: project.dir, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(await readFile(join(outDir, 'index.html'), 'utf8'))?.[1];
    expect(entry).toMatch(/^\/assets\/.+\.js$/);
    // A module of our own starts the app's entry and hands back its result; it also probes the policy.
    const probe = join(project.dir, 'probe');
    await mkdir(probe);
    await writeFile(
      join(probe, 'probe.js'),
      `export async function result(entry) { await import(entry); return await globalThis.aekitResult; }
       export function evalBlocked() { try { new Function('return 1'); return false; } catch { return true; } }`,
    );
    const page = await openPage({ mounts: { '/assets/': join(outDir, 'assets'), '/probe/': probe }, headers: { 'Content-Security-Policy': STRICT_CSP } });
    try {
      expectTrained(await page.call<TrainResult>('/probe/probe.js', 'result', entry));
      expect(page.errors).toEqual([]);
      // The policy was in force all along: the page may not compile strings.
      expect(await page.call<boolean>('/probe/probe.js', 'evalBlocked')).toBe(true);
    } finally {
      await page.close();
    }
  });
});
