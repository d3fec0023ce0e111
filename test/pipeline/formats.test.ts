/**
 * Issue 16: the same grid gives the same catalogue in every run and every format, even with another job
 * running alongside. spac_33 is stored south-up in its netCDF-3 and netCDF-4 files and north-up in its COG.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backgroundDetect, runCli, sharedGrid, tempDir } from './fixtures.js';

const FORMATS = ['spac_33.nc3.nc', 'spac_33.nc4.nc', 'spac_33.cog.tif'];

/** The catalogue's features, without the metadata line that names the input file. */
const features = (geojson: string): string => geojson.slice(geojson.indexOf('"features"'));

describe('detect on spac_33 in three formats', () => {
  it('writes byte-identical catalogues every run, with another detect alongside', async () => {
    const dir = tempDir('formats-');
    const load = backgroundDetect(sharedGrid('regions_1m/japan_trench_etopo1.tif'), join(dir, 'load'));
    const outputs: Array<{ format: string; geojson: string; csv: string }> = [];
    try {
      for (let run = 0; run < 2; run++) {
        for (const f of FORMATS) {
          const out = join(dir, `${f}-${run}`);
          const r = await runCli(['detect', sharedGrid(f), '--out', out, '--no-progress', '--log-level', 'warn', '--set', 'output.png=false']);
          expect(r.stderr).toMatch(/found \d+ seamounts in/);
          expect(r.status).toBe(0);
          outputs.push({
            format: f,
            geojson: readFileSync(join(out, 'seamounts.geojson'), 'utf8').replaceAll(out, 'OUT'),
            csv: readFileSync(join(out, 'seamounts.csv'), 'utf8'),
          });
        }
      }
    } finally {
      expect(await load.stop()).toBeGreaterThanOrEqual(1);
    }
    const [first] = outputs;
    expect(first.csv.split('\n').length).toBeGreaterThan(100);
    for (const o of outputs) {
      expect(o.csv).toBe(first.csv);
      expect(features(o.geojson)).toBe(features(first.geojson));
      // whole file, metadata included, between the two runs of one format
      expect(o.geojson).toBe(outputs.find((p) => p.format === o.format)?.geojson);
    }
  }, 600_000);
});
