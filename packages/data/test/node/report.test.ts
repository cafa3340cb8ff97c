import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/node/report.js';
import { encodePng } from '../../src/png.js';

const dir = mkdtempSync(join(tmpdir(), 'aekit-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReport', () => {
  it('writes the extra files and report.html, leaving no temporary file', async () => {
    const png = encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array([128]) });
    const out = join(dir, 'run');
    const page = await writeReport(out, { title: 'Run', sections: [{ title: 'Grid', figures: [{ src: 'figures/grid.png' }] }] }, { 'figures/grid.png': png, 'history.csv': 'epoch,loss\n1,0.5\n' });
    expect(page).toBe(join(out, 'report.html'));
    expect(readFileSync(page, 'utf8')).toContain('<img src="figures/grid.png"');
    expect(new Uint8Array(readFileSync(join(out, 'figures', 'grid.png')))).toEqual(png);
    expect(readFileSync(join(out, 'history.csv'), 'utf8')).toBe('epoch,loss\n1,0.5\n');
    expect(readdirSync(out).sort()).toEqual(['figures', 'history.csv', 'report.html']);
  });

  it('writes a finished HTML string as is', async () => {
    const page = await writeReport(join(dir, 'plain'), '<!doctype html><title>x</title>');
    expect(readFileSync(page, 'utf8')).toBe('<!doctype html><title>x</title>');
  });

  it('refuses file paths outside the folder, writing nothing', async () => {
    for (const name of ['../escape.png', '/tmp/abs.png', 'a/../../b.png', 'report.html']) {
      await expect(writeReport(join(dir, 'bad'), 'x', { [name]: 'x' })).rejects.toThrow(`writeReport: file ${JSON.stringify(name)} must be a path inside the report folder`);
    }
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
