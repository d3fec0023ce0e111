export { gaussianBaseline, peakProminenceBaseline, type BaselineOptions, type PeakOptions } from './pickers.js';
export { regionCells } from '../picking/region.js';
export { findHighpassPeaks, highpassBand, type HighpassBand, type HighpassPeak, type HighpassPeakOptions } from '../picking/highpass.js';
