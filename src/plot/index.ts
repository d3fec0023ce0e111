export * from './canvas.js';
export * from './colormap.js';
export * from './chart.js';
