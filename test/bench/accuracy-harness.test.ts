/**
 * The leave-region-out harness's bookkeeping (bench/accuracy): which grids a fold trains on, and the
 * cached steps that let an interrupted run resume without reusing a result of other settings.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CatalogueEntry } from '../../src/catalogue/index.js';
import { allRegions, trainingGrids, type RegionDef } from '../../bench/accuracy/regions.js';
import { halfCounts, halves, MIN_HALF_SEAMOUNTS, outsideBoxes } from '../../bench/accuracy/retrain.js';
import { OUT_DIR, stepRunner } from '../../bench/accuracy/steps.js';

describe('training grids of a fold', () => {
  const regions: RegionDef[] = [
    { name: 'west', grids: ['a.nc'], box: '0/1/0/1' },
    { name: 'east', grids: ['a.nc'], box: '1/2/0/1' },
    { name: 'b', grids: ['b.nc'] },
    { name: 'tiles', grids: ['t1.tif', 't2.tif'] },
  ];

  it('leaves out the held-out grids, but keeps a grid another region shares (its part excluded by box)', () => {
    expect(trainingGrids(regions, regions[0])).toEqual(['a.nc', 'b.nc', 't1.tif', 't2.tif']);
    expect(trainingGrids(regions, regions[2])).toEqual(['a.nc', 't1.tif', 't2.tif']);
    expect(trainingGrids(regions, regions[3])).toEqual(['a.nc', 'b.nc']);
  });

  it('never trains on a region marked untrainable, but still holds it out', () => {
    const withCoarse: RegionDef[] = [...regions, { name: 'coarse', grids: ['c5m.nc'], trainable: false }];
    expect(trainingGrids(withCoarse, withCoarse[0])).toEqual(['a.nc', 'b.nc', 't1.tif', 't2.tif']);
    expect(trainingGrids(withCoarse, withCoarse[4])).toEqual(['a.nc', 'b.nc', 't1.tif', 't2.tif']);
    expect(allRegions().find((r) => r.name === 'hawaii_5m')?.trainable).toBe(false);
  });

  it('knows every shared region, the tiles as one group', () => {
    const all = allRegions();
    expect(all.map((r) => r.name)).toEqual(expect.arrayContaining(['spac_west', 'spac_east', 'gorda', 'japan_trench', 'gebco_tiles', 'hawaii_5m']));
    expect(all).toHaveLength(11);
  });
});

describe('cached steps', () => {
  let work: string;
  let cli: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'accuracy-steps-'));
    cli = path.join(work, 'fake-cli.mjs');
    // writes its arguments into OUT/out.txt and counts its runs
    writeFileSync(
      cli,
      `import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
       const args = process.argv.slice(2); const out = args[args.indexOf('--out') + 1];
       if (args.includes('--fail')) process.exit(3);
       mkdirSync(out, { recursive: true }); writeFileSync(out + '/out.txt', args.join(' '));
       appendFileSync(${JSON.stringify(path.join(work, 'runs.txt'))}, 'x');`,
    );
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const runs = (): number => readFileSync(path.join(work, 'runs.txt'), 'utf8').length;

  it('runs a step once, then finds it done; other arguments or another build run again', async () => {
    const r = stepRunner({ cli, codeKey: 'build-1', log: () => {} });
    const step = { parent: path.join(work, 'region'), label: 'detect', args: ['detect', 'g.nc', '--out', OUT_DIR], outputs: ['out.txt'] };
    const first = await r.run(step);
    expect(first.cached).toBe(false);
    expect(readFileSync(path.join(first.dir, 'out.txt'), 'utf8')).toBe(`detect g.nc --out ${first.dir}`);
    const again = await r.run(step);
    expect(again).toMatchObject({ cached: true, dir: first.dir });
    expect(runs()).toBe(1);
    const other = await r.run({ ...step, args: ['detect', 'g.nc', '--set', 'x=1', '--out', OUT_DIR] });
    expect(other.dir).not.toBe(first.dir);
    const rebuilt = await stepRunner({ cli, codeKey: 'build-2', log: () => {} }).run(step);
    expect(rebuilt.cached).toBe(false);
    expect(runs()).toBe(3);
  });

  it('reruns a step whose stamp is missing (interrupted) and reports a failing one with its log', async () => {
    const r = stepRunner({ cli, codeKey: 'k', log: () => {} });
    const step = { parent: path.join(work, 'region'), label: 'train', args: ['train', '--out', OUT_DIR], outputs: ['out.txt'] };
    const done = await r.run(step);
    rmSync(path.join(done.dir, '.done.json'));
    expect((await r.run(step)).cached).toBe(false);
    await expect(r.run({ ...step, args: ['train', '--fail', '--out', OUT_DIR] })).rejects.toThrow(/train failed \(exit 3\)/);
  });
});

describe('the retraining experiment', () => {
  const box = { west: -118, east: -112.5, south: -49, north: -42 };
  const at = (lat: number, n: number, prefix: string): CatalogueEntry[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${lat}-${i}`, lon: -115 + i * 0.01, lat, heightM: null, radiusKm: null }) as CatalogueEntry);

  it('cuts a box across its longer side: spac_33 west (taller than wide) at the middle latitude', () => {
    const [south, north] = halves(box);
    expect(south).toEqual({ ...box, north: -45.5 });
    expect(north).toEqual({ ...box, south: -45.5 });
    // the excluded strips around the half trained on cover the rest of the box
    expect(outsideBoxes(box, south)).toEqual([{ west: -118, east: -112.5, south: -45.5, north: -42 }]);
  });

  it(`runs a set of labels only where each half holds at least ${MIN_HALF_SEAMOUNTS} of its seamounts`, () => {
    const both = [...at(-47, 44, 'S'), ...at(-44, 14, 'N')];
    expect(halfCounts(both, halves(box))).toEqual({ counts: [44, 14], enough: true });
    // Gorda's case: one half holds 6 of KW's seamounts, so the fine-tune on KW's labels alone is left out
    expect(halfCounts([...at(-47, 22, 'S'), ...at(-44, MIN_HALF_SEAMOUNTS - 4, 'N')], halves(box))).toEqual({ counts: [22, 6], enough: false });
    expect(halfCounts(at(-60, 30, 'X'), halves(box)).counts).toEqual([0, 0]);
  });
});
