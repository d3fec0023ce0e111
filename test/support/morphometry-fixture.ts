/**
 * The morphometry fields every Seamount carries since issue 28 (volume, slope, plateau, class, shape,
 * uncertainties), with plausible values for a 3 km tall Gaussian seamount: for test fixtures that build
 * Seamount records by hand.
 */
import type { Seamount } from '../../src/types.js';

export type MorphometryFields = Pick<
  Seamount,
  'volumeKm3' | 'flankSlopeDeg' | 'plateauAreaKm2' | 'plateauShare' | 'flatTopped' | 'heightSdM' | 'radiusSdKm' | 'profileShape' | 'seamountClass'
>;

export const MORPHOMETRY: MorphometryFields = {
  volumeKm3: 318.4567,
  flankSlopeDeg: 9.8765,
  plateauAreaKm2: 0,
  plateauShare: 0,
  flatTopped: false,
  heightSdM: 24.56,
  radiusSdKm: 0.4567,
  profileShape: 'gaussian',
  seamountClass: 'seamount',
};
