/**
 * bench/accuracy/random_catalogue.py writes the random positions a control model trains on (docs/accuracy.md#how-accuracy-is-measured):
 * the file must be a catalogue our reader takes, with the asked number of positions inside each box, spread
 * uniformly in area, the same for a seed. Needs /usr/bin/python3 with numpy; skipped without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCatalogue } from '../../src/catalogue/index.js';
import { describeWhen } from '../support/skip.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(process.cwd(), 'bench/accuracy/random_catalogue.py');
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

function run(args: string[]) {
  return spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8' });
}

describeWhen(hasNumpy)('random_catalogue.py', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'random-catalogue-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes the asked positions inside each box, as a catalogue our reader takes', async () => {
    const out = path.join(work, 'random.xyhrdnc');
    const r = run(['--box=-118/-107/-49/-42:3000', '--box=128/134/28/33:500', '--out', out]);
    expect(r.status).toBe(0);
    const entries = await readCatalogue(out);
    expect(entries).toHaveLength(3500);
    const first = entries.slice(0, 3000);
    const second = entries.slice(3000);
    for (const e of first) expect(e.lon >= -118 && e.lon <= -107 && e.lat >= -49 && e.lat <= -42).toBe(true);
    for (const e of second) expect(e.lon >= 128 && e.lon <= 134 && e.lat >= 28 && e.lat <= 33).toBe(true);
    expect(new Set(entries.map((e) => e.id)).size).toBe(3500);
  });

  it('spreads positions uniformly in area, not in latitude', async () => {
    // 0..80°N: half the area lies south of asin(sin 80° / 2) = 29.5°N (uniform latitude would put 37 % there)
    const out = path.join(work, 'area.xyhrdnc');
    expect(run(['--box=0/10/0/80:4000', '--out', out]).status).toBe(0);
    const entries = await readCatalogue(out);
    const midLat = (Math.asin(Math.sin((80 * Math.PI) / 180) / 2) * 180) / Math.PI;
    const south = entries.filter((e) => e.lat < midLat).length / entries.length;
    expect(Math.abs(south - 0.5)).toBeLessThan(0.03); // binomial sd 0.008
  });

  it('gives the same positions for a seed and others for another seed', () => {
    const a = path.join(work, 'a.xyhrdnc');
    const b = path.join(work, 'b.xyhrdnc');
    const c = path.join(work, 'c.xyhrdnc');
    expect(run(['--box=0/10/0/10:50', '--out', a]).status).toBe(0);
    expect(run(['--box=0/10/0/10:50', '--out', b]).status).toBe(0);
    expect(run(['--box=0/10/0/10:50', '--seed', '2', '--out', c]).status).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).not.toBe(readFileSync(c, 'utf8'));
  });

  it('refuses a bad box with a message naming it, and writes nothing', () => {
    const dir = mkdtempSync(path.join(work, 'bad-'));
    const out = path.join(dir, 'bad.xyhrdnc');
    const r = run(['--box=10/0/0/10:50', '--out', out]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--box 10/0/0/10:50');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
