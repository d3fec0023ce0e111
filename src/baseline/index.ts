export { gaussianBaseline, peakProminenceBaseline, passesGuards, type BaselineOptions, type PeakOptions, type BaselineResult } from './pickers.js';
export { regionCells } from '../picking/region.js';
export { findHighpassPeaks, highpassBand, type HighpassBand, type HighpassPeak, type HighpassPeakOptions } from '../picking/highpass.js';
