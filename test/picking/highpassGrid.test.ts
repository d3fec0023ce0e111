/**
 * The surface the uphill walk climbs (issue 15): the high-passed relief, so a small seamount on a regional
 * slope keeps its windows instead of losing them up the slope.
 */
import { SyntheticGrid } from '../../src/grid/synthetic.js';
import { SummitClimber } from '../../src/picking/climb.js';
import { HighpassGrid } from '../../src/picking/highpassGrid.js';
import { materialise } from './fixtures.js';

const seamount = { lon: -20, lat: 30, heightM: 400, radiusKm: 9 };

/** 1′ grid, 4° × 3°, sea floor rising 40 m per km to the east (a continental rise), one small seamount. */
async function slope() {
  return materialise(new SyntheticGrid({ width: 241, height: 181, lon0: -22, dLon: 1 / 60, lat0: 31.5, dLat: -1 / 60, baseDepthM: -4500, slopeMPerKm: [40, 0], seamounts: [seamount] }));
}

describe('HighpassGrid', () => {
  it('gives the same values whatever the band size, and removes the regional slope', async () => {
    const grid = await slope();
    const a = new HighpassGrid(grid, { highpassKm: 100, bandRows: 256 });
    const b = new HighpassGrid(grid, { highpassKm: 100, bandRows: 37 });
    const win = { x0: 60, y0: 50, w: 120, h: 80 };
    const va = await a.read(win);
    expect(await b.read(win)).toEqual(va);
    // away from the seamount and the edges, the high-passed relief is near zero although depth varies by 4 km
    const far = await a.read({ x0: 30, y0: 20, w: 1, h: 1 });
    expect(Math.abs(far[0])).toBeLessThan(60);
  });

  it('lets a walk from the flank of the seamount stop at its summit, where raw depth walks on up the slope', async () => {
    const grid = await slope();
    const start = { lon: seamount.lon + 0.07, lat: seamount.lat + 0.01 }; // ~7 km east, on the flank facing up the slope
    const opts = { stepKm: 3.7, limitKm: 20 };
    const onRelief = await new SummitClimber(new HighpassGrid(grid, { highpassKm: 100 }), opts).climb(start.lon, start.lat);
    expect(onRelief).not.toBeNull();
    const lon = grid.lon0 + (onRelief?.x ?? 0) * grid.dLon;
    const lat = grid.lat0 + (onRelief?.y ?? 0) * grid.dLat;
    expect(Math.abs(lon - seamount.lon)).toBeLessThan(0.05);
    expect(Math.abs(lat - seamount.lat)).toBeLessThan(0.05);
    // on raw depth the slope wins: the walk leaves the seamount (no summit within reach)
    expect(await new SummitClimber(grid, opts).climb(start.lon, start.lat)).toBeNull();
  });
});
