import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CatalogueError, readCatalogue } from '../../src/catalogue/index.js';

const data = (name: string) => resolve(process.cwd(), '../shared/data/catalogues', name);
const KW = data('KWSMTSv01.txt');
const GEV = data('kw_gevorgian2023.xyhrdnc');

const tmp = mkdtempSync(join(tmpdir(), 'seamount-catalogue-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

const KW_HEADER = 'Longitude\tLatitude\tAzimuth\tMajor\tMinor\tHeight\tFAA\tVGG\tDepth\tCrustAge\tID';
const KW_PREAMBLE = ['Global Seamount Database, a test excerpt', 'Col 1: Longitude (-180/+180).', 'Col 2: Latitude (-90/+90).', ''].join('\n');

describe('readCatalogue on the shared catalogues', () => {
  it('reads every row of the Kim & Wessel census (24,365 after the Azores removal)', async () => {
    // count by awk: awk 'NR>17 && !/^[>#]/ && NF>0' KWSMTSv01.txt | wc -l  → 24365
    const kw = await readCatalogue(KW);
    expect(kw).toHaveLength(24365);
    expect(kw[0]).toEqual({
      id: 'KW-00001',
      lon: 0.21625,
      lat: -6.43136,
      heightM: 2870.6,
      radiusKm: Math.sqrt(34.1 * 13.0),
      baseDepthM: -3330.0,
      confidence: null,
      source: KW,
      line: 18,
    });
    expect(kw[kw.length - 1].id).toBe('KW-24643');
    expect(kw[kw.length - 1].line).toBe(24382);
    expect(new Set(kw.map((e) => e.id)).size).toBe(24365);
    expect(kw.every((e) => e.lon >= -180 && e.lon <= 180 && e.lat >= -90 && e.lat <= 90)).toBe(true);
    expect(kw.every((e) => e.heightM !== null && e.heightM > 0 && e.radiusKm !== null && e.radiusKm > 0)).toBe(true);
  });

  it('reads every row of the Gevorgian et al. (2023) xyhrdnc file (43,599)', async () => {
    const g = await readCatalogue(GEV);
    expect(g).toHaveLength(43599);
    const prefix = (p: string) => g.filter((e) => e.id.startsWith(p)).length;
    expect(prefix('KW-')).toBe(24366);
    expect(prefix('SIO-')).toBe(10668);
    expect(prefix('SIO2-')).toBe(8564);
    expect(g[0]).toMatchObject({
      id: 'KW-00006',
      lon: -0.508333333333,
      lat: -7.80833333333,
      heightM: 2200,
      radiusKm: 16.0116,
      baseDepthM: -4759.60449219,
      line: 1,
    });
    // the columns are where we think: their radius is 0.007278 × height everywhere
    expect(g.every((e) => Math.abs(e.radiusKm! - 0.007278 * e.heightM!) < 1e-3)).toBe(true);
  });

  it('reads KW Major/Minor as semi-axes: radii agree with Gevorgian et al. for the same seamounts', async () => {
    const kw = new Map((await readCatalogue(KW)).map((e) => [e.id, e]));
    const ratios = (await readCatalogue(GEV))
      .filter((e) => kw.has(e.id))
      .map((e) => kw.get(e.id)!.radiusKm! / e.radiusKm!)
      .sort((a, b) => a - b);
    expect(ratios.length).toBeGreaterThan(24000);
    const median = ratios[ratios.length >> 1];
    // semi-axes: ≈ 1.2; full axes would give ≈ 0.6
    expect(median).toBeGreaterThan(1.0);
    expect(median).toBeLessThan(1.4);
  });
});

describe('readCatalogue formats', () => {
  it('finds the KW header after free text, and skips >, # and blank lines', async () => {
    const path = file(
      'kw.txt',
      [
        KW_PREAMBLE,
        KW_HEADER,
        '> PA 2 seamounts',
        '-150.5\t20.25\t10\t8\t2\t1500\t50\t40\t-4000\t90\tKW-1',
        '# a comment',
        '',
        '190.0\t-20\t10\t9\t4\t800.5\t50\t40\t-4500\t90\tKW-2',
      ].join('\n'),
    );
    const e = await readCatalogue(path);
    expect(e.map((x) => x.id)).toEqual(['KW-1', 'KW-2']);
    expect(e[0]).toMatchObject({ lon: -150.5, lat: 20.25, heightM: 1500, radiusKm: 4, baseDepthM: -4000, line: 7 });
    expect(e[1]).toMatchObject({ lon: -170, radiusKm: 6, line: 10 });
  });

  it('reads CSV with other column names, quotes, CRLF and missing values', async () => {
    const path = file('c.csv', 'name,Latitude,Longitude,height_m,radius_km,confidence\r\n"A, the first",10.5,-20.25,1200,,0.9\r\nB,-5,340,NaN,3.5,\r\n');
    const e = await readCatalogue(path);
    expect(e).toEqual([
      { id: 'A, the first', lon: -20.25, lat: 10.5, heightM: 1200, radiusKm: null, baseDepthM: null, confidence: 0.9, source: path, line: 2 },
      { id: 'B', lon: -20, lat: -5, heightM: null, radiusKm: 3.5, baseDepthM: null, confidence: null, source: path, line: 3 },
    ]);
  });

  it('reads a GeoJSON FeatureCollection of points', async () => {
    const path = file(
      'p.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'x1', geometry: { type: 'Point', coordinates: [200, 10, -3000] }, properties: { Height: 900, radius_km: 5 } },
          { type: 'Feature', geometry: { type: 'Point', coordinates: [-10, -20] }, properties: null },
        ],
      }),
    );
    const e = await readCatalogue(path);
    expect(e).toHaveLength(2);
    expect(e[0]).toMatchObject({ id: 'x1', lon: -160, lat: 10, heightM: 900, radiusKm: 5, line: 1 });
    expect(e[1]).toMatchObject({ id: 'feature 2', lon: -10, lat: -20, heightM: null, line: 2 });
  });

  it('returns no entries for a header with no rows, or an empty FeatureCollection', async () => {
    expect(await readCatalogue(file('h.csv', 'id,lon,lat\n'))).toEqual([]);
    expect(await readCatalogue(file('e.geojson', '{"type":"FeatureCollection","features":[]}'))).toEqual([]);
  });
});

describe('readCatalogue errors', () => {
  it('lists the line numbers of malformed KW rows and names the file', async () => {
    const path = file(
      'bad-kw.txt',
      [
        KW_PREAMBLE,
        KW_HEADER,
        '-150.5\t20.25\t10\t8\t2\t1500\t50\t40\t-4000\t90\tKW-1',
        '-150.5\tabc\t10\t8\t2\t1500\t50\t40\t-4000\t90\tKW-2',
        '-150.5\t20.25\t10\t8\t2\t1500\t50\t40\t-4000\tKW-3',
        '-150.5\t95\t10\t8\t2\t1500\t50\t40\t-4000\t90\tKW-4',
      ].join('\n'),
    );
    const err = await readCatalogue(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogueError);
    const msg = (err as Error).message;
    expect(msg).toContain(path);
    expect(msg).toMatch(/3 unreadable rows/);
    expect(msg).toMatch(/line 7: latitude "abc"/);
    expect(msg).toMatch(/line 8: 10 fields where the header has 11/);
    expect(msg).toMatch(/line 9: latitude 95 outside/);
  });

  it('reports only the first five bad lines and how many more', async () => {
    const rows = Array.from({ length: 9 }, (_, i) => `x${i} 1 2 3 4 ID-${i} 0`);
    const err = await readCatalogue(file('bad.xyhrdnc', ['0 0 100 0.7 -3000 OK 1', ...rows].join('\n'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogueError);
    const msg = (err as Error).message;
    // x0 1 2 ... is not data-like (x0 not numeric) but the file was detected as xyhrdnc by its first row
    expect(msg).toMatch(/9 unreadable rows: line 2: longitude "x0"/);
    expect(msg).toMatch(/line 6:/);
    expect(msg).not.toMatch(/line 7:/);
    expect(msg).toMatch(/and 4 more/);
  });

  it('names xyhrdnc rows with the wrong number of fields', async () => {
    const path = file('short.xyhrdnc', '0 0 100 0.7 -3000 A 1\n1 1 100 0.7 -3000 B\n');
    await expect(readCatalogue(path)).rejects.toThrow(/short\.xyhrdnc: 1 unreadable row: line 2: 6 fields, expected 7/);
  });

  it('names non-Point GeoJSON features by number', async () => {
    const path = file(
      'bad.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} },
          {
            type: 'Feature',
            geometry: {
              type: 'LineString',
              coordinates: [
                [1, 2],
                [3, 4],
              ],
            },
            properties: {},
          },
          { type: 'Feature', geometry: { type: 'Point', coordinates: [10, 100] }, properties: {} },
        ],
      }),
    );
    await expect(readCatalogue(path)).rejects.toThrow(
      /bad\.geojson: 2 unreadable rows: feature 2: geometry is LineString.*feature 3: coordinates \[10, 100\] out of range/,
    );
  });

  it('refuses files it cannot recognise, saying why', async () => {
    await expect(readCatalogue(file('json.geojson', '{"type": "Feature"'))).rejects.toThrow(/json\.geojson: not valid JSON/);
    await expect(readCatalogue(file('noheader.csv', '1.5,2.5,300\n'))).rejects.toThrow(/noheader\.csv: .*comma-separated data with no header/);
    await expect(readCatalogue(file('five.txt', '1 2 3 4 5\n'))).rejects.toThrow(/five\.txt: .*line 1, has 5 fields/);
    await expect(readCatalogue(file('empty.txt', '\n\n'))).rejects.toThrow(/empty\.txt: .*no header line and no data rows/);
    await expect(readCatalogue(join(tmp, 'absent.txt'))).rejects.toThrow(/absent\.txt: cannot read it/);
  });
});
