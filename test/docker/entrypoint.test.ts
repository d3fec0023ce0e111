/**
 * No Docker engine runs here, so the image is tested by running what it runs: the entry script with
 * the built app, as the image's default command (the demo pipeline) does; and the Dockerfile is checked
 * for the promises the README makes (non-root, pipelines and default model inside, two targets).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../pipeline/fixtures.js';

const ROOT = resolve(process.cwd());
const ENTRY = join(ROOT, 'docker/entrypoint.sh');

describe('docker entry script', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first');
  });

  it('runs the demo pipeline by default, from any working folder, as the image does, afresh', () => {
    const work = tempDir('entry-');
    const env = { ...process.env, APP_DIR: ROOT, OUT: join(work, 'out'), SEAMOUNT_LOGGING__LEVEL: 'warn', SEAMOUNT_LOGGING__PROGRESS: 'off' };
    // a job an older image (here: another stride) left in out/demo/detect, which a resume would refuse
    const older = spawnSync('sh', [ENTRY], { cwd: work, env: { ...env, SEAMOUNT_WINDOW__STRIDE_KM: '8' }, encoding: 'utf8' });
    expect(older.status).toBe(0);
    const r = spawnSync('sh', [ENTRY], { cwd: work, env, encoding: 'utf8' });
    expect(r.stderr).toMatch(/pipeline demo: ran detect, baseline, compare-with-baseline/);
    expect(r.status).toBe(0);
    const fc = JSON.parse(readFileSync(join(work, 'out/demo/detect/seamounts.geojson'), 'utf8'));
    expect(fc.features.length).toBeGreaterThan(10);
    expect(existsSync(join(work, 'out/demo/compare-with-baseline/report.md'))).toBe(true);
  }, 240_000);

  it('passes a command line through and exits non-zero with a message on errors', () => {
    const ok = spawnSync('sh', [ENTRY, '--version'], { env: { ...process.env, APP_DIR: ROOT }, encoding: 'utf8' });
    expect(ok.stdout).toMatch(/^seamount-detect \d+\.\d+\.\d+/);
    const bad = spawnSync('sh', [ENTRY, 'detect', '/nonexistent/grid.nc'], { env: { ...process.env, APP_DIR: ROOT }, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/seamount: error: .*\/nonexistent\/grid\.nc/);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = text
    .split(/^FROM /m)
    .slice(1)
    .map((s) => ({ head: s.split('\n')[0], body: s }));

  it('has cpu and gpu targets that run as a non-root user through the entry script', () => {
    for (const target of ['cpu', 'gpu']) {
      const stage = stages.find((s) => new RegExp(`AS ${target}$`).test(s.head.trim()));
      expect(stage).toBeDefined();
      const users = [...stage!.body.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
      expect(users.length).toBeGreaterThan(0);
      expect(users[users.length - 1]).not.toMatch(/^(root|0)$/);
      expect(stage!.body).toMatch(/ENTRYPOINT \["seamount-entrypoint"\]/);
      for (const inside of ['pipelines', 'data', 'config', 'dist']) expect(stage!.body).toMatch(new RegExp(`COPY .*\\b${inside}\\b`));
    }
    expect(text).toMatch(/tfjs-node-gpu@4\.22\.0/);
  });

  it('copies only files that exist in the repository', () => {
    const sources = [...text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) expect(existsSync(join(ROOT, src))).toBe(true);
  });
});
