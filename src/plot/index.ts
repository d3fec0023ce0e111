export * from './canvas.js';
export * from './colormap.js';
export * from './chart.js';
export * from './map-key.js';
