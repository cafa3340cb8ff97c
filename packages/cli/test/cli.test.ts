import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';

/** Runs the CLI in-process, capturing what it prints. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const root = mkdtempSync(join(tmpdir(), 'aekit-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A tiny data set: the first 512 training and 200 test images, one epoch.
const tiny = ['--epochs', '1', '--train-limit', '512', '--test-limit', '200', '--quiet'];

describe('aekit', () => {
  it('prints an overview and exits 2 without a command, 0 with --help', async () => {
    const bare = await cli();
    expect(bare.code).toBe(2);
    expect(bare.out).toMatch(/Commands:\n {2}train/);
    expect((await cli('--help')).code).toBe(0);
  });

  it('rejects an unknown command or option in one line with exit code 2', async () => {
    const unknown = await cli('fit');
    expect(unknown).toMatchObject({ code: 2, err: "aekit: unknown command 'fit'; known: train, eval, anomaly, sample, report (see aekit --help)" });
    const badOption = await cli('train', '--epochs', 'many');
    expect(badOption).toMatchObject({ code: 2, err: "aekit train: --epochs must be an integer; got 'many'" });
    const badModel = await cli('train', '--model', 'gan');
    expect(badModel.code).toBe(2);
    expect(badModel.err).toMatch(/^aekit train: --model must be one of dense, .*; got 'gan'$/);
  });

  it('prints each command’s help with its options', async () => {
    for (const command of ['train', 'eval', 'anomaly', 'sample', 'report']) {
      const help = await cli(command, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: aekit ${command} [options]`);
    }
  });

  it('says which file is missing when a run folder is not one', async () => {
    const missing = await cli('report', '--run', join(root, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^aekit report: .*nowhere[/\\]config\.json not found/);
    const damaged = join(root, 'damaged');
    await cli('train', '--model', 'dense', ...tiny, '--out', damaged);
    writeFileSync(join(damaged, 'config.json'), '{ not json');
    const broken = await cli('eval', '--run', damaged);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/config\.json is not valid JSON/);
  });

  it('trains a model into a run folder, evaluates it and rebuilds its report', async () => {
    const run = join(root, 'dense');
    const trained = await cli('train', '--model', 'dense', ...tiny, '--out', run);
    expect(trained).toMatchObject({ code: 0, err: '' });
    for (const file of ['config.json', 'model/model.json', 'model/weights.bin', 'history.json', 'history.csv', 'metrics.json', 'loss.svg', 'reconstructions.png', 'latent.svg', 'summary.txt', 'report.html']) {
      expect(existsSync(join(run, file)), file).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model: 'dense', epochs: 1, codeDim: 64, seed: 42, trainLimit: 512, testLimit: 200 });
    const csv = readFileSync(join(run, 'history.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[0]).toMatch(/^epoch,loss,val_loss/);
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(metrics.test_loss).toBeGreaterThan(0);
    expect(metrics.psnr).toBeGreaterThan(5);

    const evaluated = await cli('eval', '--run', run);
    expect(evaluated.code).toBe(0);
    // The saved model scores exactly what the trained one did.
    expect(evaluated.out).toContain(`test_loss: ${metrics.test_loss.toFixed(4)}`);

    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('reconstructions.png');
    expect((await cli('report', '--run', run)).code).toBe(0);
    expect((await cli('sample', '--run', run)).code).toBe(2);
  });

  it('trains the same weights twice from the same seed', async () => {
    const a = join(root, 'seed-a');
    const b = join(root, 'seed-b');
    await cli('train', '--model', 'dense', ...tiny, '--out', a);
    await cli('train', '--model', 'dense', ...tiny, '--out', b);
    expect(readFileSync(join(a, 'model/weights.bin')).equals(readFileSync(join(b, 'model/weights.bin')))).toBe(true);
  });

  it('trains the convolutional denoising model: noisy inputs in its figures, denoising scored against the noise', async () => {
    const run = join(root, 'conv-denoising');
    expect(await cli('train', '--model', 'conv-denoising', ...tiny, '--train-limit', '256', '--out', run)).toMatchObject({ code: 0, err: '' });
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config.codeDim).toBe(4 * 4 * 128);
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['psnr', 'ssim', 'noisy_psnr', 'noisy_ssim']));
    expect((await cli('eval', '--run', run)).code).toBe(0);
    const refused = await cli('train', '--model', 'conv', '--code-dim', '8');
    expect(refused).toMatchObject({ code: 2, err: 'aekit train: --code-dim does not apply to --model conv: its architecture fixes the code' });
  });

  it('samples from a variational run', async () => {
    const run = join(root, 'vae');
    expect((await cli('train', '--model', 'vae', ...tiny, '--out', run)).code).toBe(0);
    const sampled = await cli('sample', '--run', run, '--seed', '3');
    expect(sampled.code).toBe(0);
    expect(existsSync(join(run, 'samples.png'))).toBe(true);
    expect(existsSync(join(run, 'interpolation.png'))).toBe(true);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('samples.png');
  });

  it('scores one-class anomalies beside PCA', async () => {
    const run = join(root, 'anomaly');
    const result = await cli('anomaly', '--normal', '1', '--epochs', '10', '--code-dim', '8', '--out', run);
    expect(result).toMatchObject({ code: 0, err: '' });
    const report = JSON.parse(readFileSync(join(run, 'anomaly.json'), 'utf8'));
    // Ones are the easiest class to tell apart: both scorers rank far better than chance.
    expect(report.autoencoder.auroc).toBeGreaterThan(0.8);
    expect(report.pca.auroc).toBeGreaterThan(0.8);
    expect(result.out).toMatch(/autoencoder +AUROC 0\.\d{4}/);
  });

  it('runs as the aekit bin with an exit code and no stack trace', () => {
    const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(execFileSync(process.execPath, [bin, 'train', '--help'], { encoding: 'utf8' })).toContain('Usage: aekit train');
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [bin, 'eval', '--run', join(root, 'none')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      ({ status, stderr } = error as { status: number; stderr: string });
    }
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
