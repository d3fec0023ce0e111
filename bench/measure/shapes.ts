/**
 * The radial shapes `gmt grdseamount` plants (GMT 6.4, src/potential/grdseamount.c), written out so the
 * benchmark knows the truth of what it planted beyond the table it gave GMT: volume, flank slope and
 * plateau. A shape is h · g(ρ) with ρ = sqrt((u/a)² + (v/b)²) the normalised elliptical radius (a, b
 * the semi-axes, u along the major axis) and g(ρ) = 0 beyond ρ = 1:
 *
 * - Gaussian (`g`): exp(−4.5 (ρ² − F²)): 3 σ at ρ = 1, where it is still 1.1 % of h; GMT 6.4 does not
 *   cut it there (a circular one reaches past 1.1 r0), so the volume is counted within ρ ≤ 1 as ours is;
 * - cone (`c`): (1 − ρ) / (1 − F);   parabolic (`p`): (1 − ρ²) / (1 − F²);
 * - polynomial (`o`): (1 − ρ²)³ / (1 + ρ³) (GMT implements no flattening for it);
 * - flat-topped (`-F`): g = 1 for ρ < F, so F is the plateau's radius over the basal radius (the
 *   flatness of Smith 1988).
 *
 * The cross-check against GMT's own grid is bench/measure/run.ts's `--check-shapes`.
 */
const { atan, cos, exp, sin, sqrt, PI } = Math;

export type ShapeCode = 'g' | 'c' | 'p' | 'o';

export const SHAPE_NAMES: Record<ShapeCode, string> = { g: 'Gaussian', c: 'cone', p: 'parabolic', o: 'polynomial' };

/**
 * g(ρ) of a shape with flattening F (0 ≤ F < 1), 0..1.
 *
 * @example shapeProfile('c', 0.5, 0) // 0.5
 */
export function shapeProfile(shape: ShapeCode, rho: number, flattening: number): number {
  const f = shape === 'o' ? 0 : flattening;
  if (rho < f) return 1;
  if (shape === 'g') return exp(-4.5 * (rho * rho - f * f));
  if (rho >= 1) return 0;
  switch (shape) {
    case 'c':
      return (1 - rho) / (1 - f);
    case 'p':
      return (1 - rho * rho) / (1 - f * f);
    case 'o':
      return ((1 + rho) * (1 - rho)) ** 3 / (1 + rho ** 3);
  }
}

/** dg/dρ by a central difference (the shapes are smooth except at ρ = F and, for the cone, ρ = 0). */
function profileSlope(shape: ShapeCode, rho: number, flattening: number): number {
  const d = 1e-5;
  return (shapeProfile(shape, rho + d, flattening) - shapeProfile(shape, rho - d, flattening)) / (2 * d);
}

/** What a planted seamount is, beyond its table row: the truths the measurement is judged against. */
export interface ShapeTruth {
  /** Volume above the base, km³. */
  volumeKm3: number;
  /** Mean of the flank slope over the flank (plateau edge to basal ellipse, by area), degrees. */
  flankSlopeDeg: number;
  /** Plateau radius / basal radius (GMT's F; 0 for the polynomial, which GMT does not flatten). */
  flatness: number;
  /** Plateau area, km² (π a b F²). */
  plateauAreaKm2: number;
}

/**
 * Volume, mean flank slope and plateau of a planted seamount (numerical integration over the ellipse).
 *
 * @example shapeTruth('c', 1000, 10, 10, 0).volumeKm3 // ≈ π·10²·1/3 = 104.7
 */
export function shapeTruth(shape: ShapeCode, heightM: number, majorKm: number, minorKm: number, flattening: number): ShapeTruth {
  const f = shape === 'o' ? 0 : flattening;
  const nRho = 2000;
  let integral = 0; // ∫ g(ρ) 2πρ dρ over the unit disc
  for (let k = 0; k < nRho; k++) {
    const rho = (k + 0.5) / nRho;
    integral += (shapeProfile(shape, rho, f) * 2 * PI * rho) / nRho;
  }
  const volumeKm3 = (heightM / 1000) * majorKm * minorKm * integral;
  // slope: |∇h| = h |g'(ρ)| |∇ρ|, |∇ρ| = sqrt(cos²φ / a² + sin²φ / b²) at u = aρ cos φ, v = bρ sin φ
  const nPhi = 90;
  const nFlank = 400;
  let sum = 0;
  let weight = 0;
  for (let k = 0; k < nFlank; k++) {
    const rho = f + ((k + 0.5) / nFlank) * (1 - f);
    const g1 = Math.abs(profileSlope(shape, rho, f));
    for (let m = 0; m < nPhi; m++) {
      const phi = ((m + 0.5) / nPhi) * 2 * PI;
      const gradRho = sqrt((cos(phi) / majorKm) ** 2 + (sin(phi) / minorKm) ** 2);
      sum += atan((heightM * g1 * gradRho) / 1000) * rho;
      weight += rho;
    }
  }
  return { volumeKm3, flankSlopeDeg: ((sum / weight) * 180) / PI, flatness: f, plateauAreaKm2: PI * majorKm * minorKm * f * f };
}
