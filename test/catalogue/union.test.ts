import { unionById, type CatalogueEntry } from '../../src/catalogue/index.js';

const entry = (id: string, source: string, lon: number): CatalogueEntry => ({
  id,
  source,
  lon,
  lat: 0,
  heightM: null,
  radiusKm: null,
  baseDepthM: null,
  confidence: null,
  line: 1,
});

describe('unionById', () => {
  it('keeps one entry per id, as the first catalogue lists it, in input order', () => {
    const u = unionById([entry('KW-1', 'kw.txt', 1), entry('KW-2', 'kw.txt', 2), entry('KW-1', 'gev.txt', 1.01), entry('G-9', 'gev.txt', 3)]);
    expect(u.map((e) => [e.id, e.source])).toEqual([
      ['KW-1', 'kw.txt'],
      ['KW-2', 'kw.txt'],
      ['G-9', 'gev.txt'],
    ]);
  });

  it('tells entries named by their line apart by their file', () => {
    const u = unionById([entry('line 3', 'a.csv', 1), entry('line 3', 'b.csv', 2), entry('line 3', 'a.csv', 1)]);
    expect(u.map((e) => e.source)).toEqual(['a.csv', 'b.csv']);
  });
});
