/**
 * Issue 28, item 5: the morphometry columns are a function of the grid's values alone — a rerun (a fresh
 * grid object, another read order, a cached reader) writes the same bytes, new columns included.
 */
import { gaussianBaseline } from '../../src/baseline/index.js';
import { seamountsToCsv, seamountsToGeoJson, featureCollectionText, CSV_COLUMNS } from '../../src/catalogue/write.js';
import { exportRecord } from '../../src/catalogue/export-fields.js';
import { CachedGrid } from '../../src/picking/cached-grid.js';
import { measureSeamount } from '../../src/picking/measure.js';
import { loadConfig } from '../../src/config/index.js';
import { SyntheticGrid, type PlantedSeamount } from '../support/synthetic-grid.js';

const planted: PlantedSeamount[] = [
  { lon: -112.6, lat: -44.6, heightM: 1800, radiusKm: 14 },
  { lon: -111.7, lat: -44.9, heightM: 2200, radiusKm: 16, flatTopFraction: 0.6 },
  { lon: -112.2, lat: -45.5, heightM: 700, radiusKm: 8, aspect: 0.6, azimuthDeg: 40 },
];
const fresh = () =>
  new SyntheticGrid({
    width: 181,
    height: 151,
    lon0: -113.5,
    dLon: 1 / 60,
    lat0: -44,
    dLat: -1 / 60,
    baseDepthM: -4300,
    slopeMPerKm: [1, -1.5],
    fabric: { amplitudeM: 35, wavelengthKm: 9 },
    seamounts: planted,
  });

describe('reruns', () => {
  it('give byte-identical GeoJSON and CSV from the baseline, issue 28 columns filled in', async () => {
    const config = loadConfig().baseline;
    const a = (await gaussianBaseline(fresh(), null, config)).seamounts;
    const b = (await gaussianBaseline(new CachedGrid(fresh()), null, config)).seamounts;
    expect(a.length).toBeGreaterThanOrEqual(3);
    expect(featureCollectionText(seamountsToGeoJson(b))).toBe(featureCollectionText(seamountsToGeoJson(a)));
    expect(seamountsToCsv(b)).toBe(seamountsToCsv(a));
    for (const s of a) {
      const r = exportRecord(s);
      expect(['seamount', 'knoll', 'hill', 'guyot', 'island']).toContain(r.class);
      expect(['gaussian', 'cone', 'parabolic', 'polynomial']).toContain(r.shape);
      for (const k of ['volume_km3', 'flank_slope_deg', 'plateau_share', 'height_sd_m', 'radius_sd_km'] as const) expect(typeof r[k]).toBe('number');
    }
    expect(CSV_COLUMNS).toContain('volume_km3');
    // the flat-topped one is a guyot
    const guyot = a.find((s) => Math.abs(s.lon - planted[1].lon) < 0.05 && Math.abs(s.lat - planted[1].lat) < 0.05);
    expect(guyot?.seamountClass).toBe('guyot');
    expect(guyot?.flatTopped).toBe(true);
  });

  it('give the same measurement, bit for bit, whatever was measured before', async () => {
    const grid = new CachedGrid(fresh());
    const opts = { measureRadiusKm: 30, highpassKm: 100, searchRadiusKm: 2.8 };
    const first = await measureSeamount(grid, planted[2].lon, planted[2].lat, opts);
    await measureSeamount(grid, planted[0].lon, planted[0].lat, opts);
    const again = await measureSeamount(grid, planted[2].lon, planted[2].lat, opts);
    const alone = await measureSeamount(fresh(), planted[2].lon, planted[2].lat, opts);
    expect(again).toEqual(first);
    expect(alone).toEqual(first);
  });
});
