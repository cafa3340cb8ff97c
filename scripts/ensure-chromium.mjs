// Makes sure a Chromium is installed for the browser tests (test/browser), which
// drive it with playwright-core. Idempotent: does nothing when one is found.
// Where none is, installs Debian's `chromium` package with apt-get when running
// as root (CI, containers); otherwise says what to do and exits non-zero.
//
// A Chromium or Chrome elsewhere can be named with AEKIT_CHROMIUM=/path/to/it.
import { spawnSync } from 'node:child_process';

/** The Chromium the tests will use, or undefined. Mirrors test/browser/harness.ts. */
function findChromium() {
  if (process.env.AEKIT_CHROMIUM) return process.env.AEKIT_CHROMIUM;
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  console.error(
    'ensure-chromium: the browser tests need Chromium. Install it (Debian/Ubuntu: `apt-get install chromium`) ' +
      'or point AEKIT_CHROMIUM at a Chromium or Chrome executable, then run `npm run setup` again.',
  );
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`\`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}`);
}

let chromium = findChromium();
if (chromium === undefined) {
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (process.platform !== 'linux' || !hasAptGet) fail('no `chromium` on PATH, and no apt-get to install it with.');
  if (process.getuid?.() !== 0) fail('no `chromium` on PATH; installing it with apt-get needs root.');
  console.log('ensure-chromium: installing Debian\'s chromium with apt-get (once)...');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  chromium = findChromium();
  if (chromium === undefined) fail('apt-get installed chromium, yet `chromium` is still not on PATH.');
}

const version = spawnSync(chromium, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) fail(`${chromium} --version failed: ${(version.stderr || version.error?.message || '').trim()}`);
console.log(`ensure-chromium: ${version.stdout.trim()} (${chromium})`);
