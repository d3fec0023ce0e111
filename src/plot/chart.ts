/**
 * A line chart on a RasterCanvas: axes with ticks and labels, one polyline per series. Enough for a
 * precision–recall curve in a report; not a plotting library.
 */
import { RasterCanvas, type Rgba } from './canvas.js';

export interface ChartSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  colour: Rgba;
  /** Also draw a dot at each point (a lone point is otherwise invisible). */
  marker?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xRange: [number, number];
  yRange: [number, number];
  width?: number;
  height?: number;
  ticks?: number;
}

export function lineChart(series: ChartSeries[], o: ChartOptions): RasterCanvas {
  const width = o.width ?? 640;
  const height = o.height ?? 480;
  const c = new RasterCanvas(width, height);
  const left = 60;
  const right = width - 20;
  const top = 40;
  const bottom = height - 50;
  const px = (x: number) => left + ((x - o.xRange[0]) / (o.xRange[1] - o.xRange[0])) * (right - left);
  const py = (y: number) => bottom - ((y - o.yRange[0]) / (o.yRange[1] - o.yRange[0])) * (bottom - top);
  const ink: Rgba = [0, 0, 0];
  const grid: Rgba = [225, 225, 225];
  const ticks = o.ticks ?? 5;
  for (let i = 0; i <= ticks; i++) {
    const xv = o.xRange[0] + ((o.xRange[1] - o.xRange[0]) * i) / ticks;
    const yv = o.yRange[0] + ((o.yRange[1] - o.yRange[0]) * i) / ticks;
    c.line(px(xv), top, px(xv), bottom, grid);
    c.line(left, py(yv), right, py(yv), grid);
    const xt = formatTick(xv);
    const yt = formatTick(yv);
    c.text(px(xv) - RasterCanvas.textWidth(xt) / 2, bottom + 6, xt, ink);
    c.text(left - 6 - RasterCanvas.textWidth(yt), py(yv) - 3, yt, ink);
  }
  c.line(left, bottom, right, bottom, ink);
  c.line(left, top, left, bottom, ink);
  c.text((left + right) / 2 - RasterCanvas.textWidth(o.xLabel) / 2, bottom + 24, o.xLabel, ink);
  c.text(4, top - 14, o.yLabel, ink);
  c.text((left + right) / 2 - RasterCanvas.textWidth(o.title, 2) / 2, 8, o.title, ink, 2);
  series.forEach((s, k) => {
    for (let i = 1; i < s.x.length; i++) c.line(px(s.x[i - 1]), py(s.y[i - 1]), px(s.x[i]), py(s.y[i]), s.colour, 2);
    if (s.marker) for (let i = 0; i < s.x.length; i++) c.circle(px(s.x[i]), py(s.y[i]), 4, s.colour, true);
    const ly = top + 6 + k * 12;
    c.fillRect(right - 150, ly + 2, 14, 3, s.colour);
    c.text(right - 130, ly, s.label, ink);
  });
  return c;
}

function formatTick(v: number): string {
  if (Math.abs(v) >= 1000 || v === Math.round(v)) return String(Math.round(v * 100) / 100);
  return v.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}
