/**
 * The surface the uphill walk climbs (issue 15): the high-passed relief, so a small seamount on a regional
 * slope keeps its windows instead of losing them up the slope.
 */
import { SyntheticGrid } from '../support/synthetic-grid.js';
import { SummitClimber } from '../../src/picking/climb.js';
import { highpassBand } from '../../src/picking/highpass.js';
import { HighpassGrid } from '../../src/picking/highpass-grid.js';
import { materialise } from '../support/memory-grid.js';

const seamount = { lon: -20, lat: 30, heightM: 400, radiusKm: 9 };

/** 1′ grid, 4° × 3°, sea floor rising 40 m per km to the east (a continental rise), one small seamount. */
async function slope() {
  return materialise(
    new SyntheticGrid({
      width: 241,
      height: 181,
      lon0: -22,
      dLon: 1 / 60,
      lat0: 31.5,
      dLat: -1 / 60,
      baseDepthM: -4500,
      slopeMPerKm: [40, 0],
      seamounts: [seamount],
    }),
  );
}

describe('HighpassGrid', () => {
  it('gives the same values whatever the tile size, equal to one pass over whole rows, and removes the regional slope', async () => {
    const grid = await slope();
    const a = new HighpassGrid(grid, { highpassKm: 100, tileSize: 256 });
    const b = new HighpassGrid(grid, { highpassKm: 100, tileSize: 37 });
    const win = { x0: 60, y0: 50, w: 120, h: 80 };
    const va = await a.read(win);
    expect(await b.read(win)).toEqual(va);
    const whole = await highpassBand(grid, { x0: 0, x1: grid.width - 1, y0: 0, y1: grid.height - 1 }, 0, grid.height - 1, { highpassKm: 100, peakRadiusKm: 0 });
    const fromWhole = new Float32Array(win.w * win.h);
    for (let j = 0; j < win.h; j++)
      fromWhole.set(whole.highpass.subarray((win.y0 + j) * grid.width + win.x0, (win.y0 + j) * grid.width + win.x0 + win.w), j * win.w);
    expect(va).toEqual(fromWhole);
    // and reads only around what is asked: a corner read computes one tile of 37
    const reads: number[] = [];
    const spy = {
      ...grid,
      read: (w: { w: number; h: number; x0: number; y0: number }) => {
        reads.push(w.w * w.h);
        return grid.read(w);
      },
    } as typeof grid;
    await new HighpassGrid(spy, { highpassKm: 100, tileSize: 37 }).read({ x0: 0, y0: 0, w: 5, h: 5 });
    expect(Math.max(...reads)).toBeLessThan((grid.width * grid.height) / 2);
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
