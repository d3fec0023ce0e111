import { matchOneToOne, type Match } from '../../src/evaluation/index.js';
import { KM_PER_DEG, greatCircleKm } from '../../src/base/geodesy.js';

const p = (lon: number, lat: number) => ({ lon, lat });

/** Reference implementation: every pair by brute force, same sort, same greedy acceptance. */
function bruteForceMatch(picks: Array<{ lon: number; lat: number }>, refs: Array<{ lon: number; lat: number }>, tol: number): Match[] {
  const pairs: Match[] = [];
  picks.forEach((a, i) =>
    refs.forEach((b, j) => {
      const d = greatCircleKm(a.lon, a.lat, b.lon, b.lat);
      if (d <= tol) pairs.push({ pick: i, ref: j, distanceKm: d });
    }),
  );
  pairs.sort((a, b) => a.distanceKm - b.distanceKm || a.pick - b.pick || a.ref - b.ref);
  const usedP = new Set<number>();
  const usedR = new Set<number>();
  return pairs.filter((m) => {
    if (usedP.has(m.pick) || usedR.has(m.ref)) return false;
    usedP.add(m.pick);
    usedR.add(m.ref);
    return true;
  });
}

describe('matchOneToOne', () => {
  it('gives a reference to the nearer of two competing picks only', () => {
    const picks = [p(0, 0.1), p(0, 0.05)];
    const m = matchOneToOne(picks, [p(0, 0)], 25);
    expect(m).toHaveLength(1);
    expect(m[0].pick).toBe(1);
    expect(m[0].ref).toBe(0);
    expect(m[0].distanceKm).toBeCloseTo(0.05 * KM_PER_DEG, 6);
  });

  it('matches nearest pairs first (greedy), not the assignment with most matches', () => {
    // P0 is nearer R1 than R0; taking P0–R1 first leaves P1 with nothing within the tolerance
    const picks = [p(0.5, 0), p(1.45, 0)];
    const refs = [p(0, 0), p(0.9, 0)];
    const tol = 0.6 * KM_PER_DEG;
    const m = matchOneToOne(picks, refs, tol);
    expect(m.map((x) => [x.pick, x.ref])).toEqual([[0, 1]]);
  });

  it('breaks exact distance ties by pick index, then reference index', () => {
    const a = p(0, 0.1);
    const b = p(0, -0.1);
    expect(greatCircleKm(a.lon, a.lat, 0, 0)).toBe(greatCircleKm(b.lon, b.lat, 0, 0));
    expect(matchOneToOne([a, b], [p(0, 0)], 25).map((x) => x.pick)).toEqual([0]);
    expect(matchOneToOne([b, a], [p(0, 0)], 25).map((x) => x.pick)).toEqual([0]);
    // one pick equidistant from two references: the lower reference index wins
    expect(matchOneToOne([p(0, 0)], [p(0.1, 0), p(-0.1, 0)], 25).map((x) => x.ref)).toEqual([0]);
    expect(matchOneToOne([p(0, 0)], [p(-0.1, 0), p(0.1, 0)], 25).map((x) => x.ref)).toEqual([0]);
  });

  it('matches across the antimeridian in either longitude convention', () => {
    const m = matchOneToOne([p(179.9, -15)], [p(-179.9, -15)], 25);
    expect(m).toHaveLength(1);
    expect(m[0].distanceKm).toBeCloseTo(greatCircleKm(179.9, -15, -179.9, -15), 9);
    expect(m[0].distanceKm).toBeLessThan(25);
    // 0..360 convention on one side
    expect(matchOneToOne([p(180.1, 0)], [p(179.95, 0)], 25)).toHaveLength(1);
    expect(matchOneToOne([p(-179.95, 10)], [p(179.95, 10)], 25)).toHaveLength(1);
    // too far apart at this tolerance
    expect(matchOneToOne([p(179.9, 0)], [p(-179.9, 0)], 20)).toHaveLength(0);
  });

  it('counts a pair exactly at the tolerance as a match, and one just beyond as none', () => {
    const d = greatCircleKm(0.2, 0.1, 0, 0);
    expect(matchOneToOne([p(0.2, 0.1)], [p(0, 0)], d)).toHaveLength(1);
    expect(matchOneToOne([p(0.2, 0.1)], [p(0, 0)], d * (1 - 1e-12))).toHaveLength(0);
    // the same at high latitude and across the antimeridian
    const d2 = greatCircleKm(179.8, 70, -179.9, 70.05);
    expect(matchOneToOne([p(179.8, 70)], [p(-179.9, 70.05)], d2)).toHaveLength(1);
    expect(matchOneToOne([p(179.8, 70)], [p(-179.9, 70.05)], d2 * (1 - 1e-12))).toHaveLength(0);
  });

  it('handles empty inputs', () => {
    expect(matchOneToOne([], [p(0, 0)], 25)).toEqual([]);
    expect(matchOneToOne([p(0, 0)], [], 25)).toEqual([]);
  });

  it('agrees with a brute-force matcher on random points near the antimeridian and the poles', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cloud = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const zone = i % 3;
        if (zone === 0) return p(178 + rand() * 4, rand() * 10 - 5); // 178..182: beyond 180 exercises the wrap
        if (zone === 1) return p(rand() * 360 - 180, 85 + rand() * 5); // near the pole
        return p(rand() * 6 - 3, rand() * 6 - 3);
      });
    const picks = cloud(600);
    const refs = cloud(500);
    const got = matchOneToOne(picks, refs, 60);
    const want = bruteForceMatch(picks, refs, 60);
    expect(got.length).toBeGreaterThan(100);
    expect(got).toEqual(want);
    // one-to-one
    expect(new Set(got.map((m) => m.pick)).size).toBe(got.length);
    expect(new Set(got.map((m) => m.ref)).size).toBe(got.length);
  });
});
