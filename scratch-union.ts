// scratch experiment (not committed): AE picks ∪ Gaussian-baseline picks vetted by the AE's error field
import { readFileSync, writeFileSync, readdirSync, mkdirSync, statSync } from 'node:fs';
import { openGrid } from './src/grid/index.js';
const [name, R, mode] = [process.argv[2], Number(process.argv[3] ?? 8), process.argv[4] ?? 'union'];
const regions = ['spac_west','spac_east','arabian_sea','hatteras_plain','mariana_trench','south_china_sea','japan_trench','gorda','philippine_sea'];
const KM = 111.195;
for (const r of regions) {
  const w = `out/accuracy/work/${r}`;
  const src = readdirSync(w).filter((d) => d.startsWith('detect-model-') && !d.endsWith('.log')).map((d) => `${w}/${d}`).find((d) => readFileSync(`${d}/run.json`, 'utf8').includes('"misfit": "relative"'))!;
  const run = JSON.parse(readFileSync(`${src}/run.json`, 'utf8'));
  const thr = run.threshold.threshold;
  const bdir = readdirSync(w).filter((d) => d.startsWith('baseline-') && !d.endsWith('.log')).map((d) => `${w}/${d}`).sort((a, b) => statSync(`${b}/run.json`).mtimeMs - statSync(`${a}/run.json`).mtimeMs)[0];
  const g = await openGrid(`${src}/error.tif`);
  const err = await g.read({ x0: 0, y0: 0, w: g.width, h: g.height });
  const minErr = (lon: number, lat: number) => {
    const c = (lon - g.lon0) / g.dLon, rr = (lat - g.lat0) / g.dLat;
    const cellKm = Math.abs(g.dLat) * KM;
    const n = Math.ceil(R / cellKm) + 1;
    let e = Infinity;
    for (let j = Math.round(rr) - n; j <= Math.round(rr) + n; j++) for (let i = Math.round(c) - n; i <= Math.round(c) + n; i++) {
      if (j < 0 || i < 0 || j >= g.height || i >= g.width) continue;
      const la = g.lat0 + j * g.dLat, lo = g.lon0 + i * g.dLon;
      const d = Math.hypot((lo - lon) * Math.cos((lat * Math.PI) / 180), la - lat) * KM;
      if (d <= R && err[j * g.width + i] < e) e = err[j * g.width + i];
    }
    return e;
  };
  const ae = JSON.parse(readFileSync(`/tmp/pv/base/${r}/seamounts.geojson`, 'utf8'));
  const bl = JSON.parse(readFileSync(`${bdir}/seamounts.geojson`, 'utf8'));
  const near = (a: number[], b: number[]) => Math.hypot((a[0] - b[0]) * Math.cos((a[1] * Math.PI) / 180), a[1] - b[1]) * KM;
  const minConf = Math.min(...ae.features.map((f: any) => f.properties.confidence), 1);
  const added: any[] = [];
  let vetted = 0;
  for (const f of bl.features) {
    const e = minErr(f.geometry.coordinates[0], f.geometry.coordinates[1]);
    if (!(e < thr)) continue;
    vetted++;
    if (ae.features.some((a: any) => near(a.geometry.coordinates, f.geometry.coordinates) < 12)) continue;
    added.push({ ...f, properties: { ...f.properties, confidence: minConf * 0.99 * f.properties.confidence } });
  }
  const feats = mode === 'vetted' ? bl.features.filter((f: any) => minErr(f.geometry.coordinates[0], f.geometry.coordinates[1]) < thr) : [...ae.features, ...added];
  const out = `/tmp/pv/${name}/${r}`;
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}/seamounts.geojson`, JSON.stringify({ ...ae, features: feats }));
  writeFileSync(`${out}/seamounts.csv`, 'id,confidence,height_m,radius_km,windows,reconstruction_error\n' + feats.map((f: any, k: number) => `${f.properties.id ?? k},${f.properties.confidence},${f.properties.height_m},${f.properties.radius_km},${f.properties.windows},${f.properties.reconstruction_error}`).join('\n') + '\n');
  writeFileSync(`${out}/cmd`, `${run.job.grid.path} ${run.job.region}`);
  console.log(r, 'ae', ae.features.length, 'baseline', bl.features.length, 'vetted', vetted, 'added', added.length);
  await g.close();
}
