import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePipeline, stageKind } from '../../src/pipeline/pipeline-file.js';
import { packageRoot } from '../../src/config/paths.js';
import { loadConfig } from '../../src/config/index.js';

const root = packageRoot();

describe('pipeline files', () => {
  const files = readdirSync(join(root, 'pipelines')).filter((f) => f.endsWith('.yaml'));

  it('ships demo, ocean-basin and retrain', () => {
    expect(files).toEqual(expect.arrayContaining(['demo.yaml', 'ocean-basin.yaml', 'retrain.yaml']));
  });

  it.each(files)('%s validates, and so does the configuration of every stage', (file) => {
    const p = parsePipeline(readFileSync(join(root, 'pipelines', file), 'utf8'), file, {});
    expect(p.stages.length).toBeGreaterThan(0);
    for (const s of p.stages) {
      expect(['detect', 'merge', 'compare', 'baseline', 'train']).toContain(stageKind(s));
      loadConfig({
        baseLayers: [
          ['pipeline', p.config ?? {}],
          ['stage', s.config ?? {}],
        ],
      });
    }
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test is about ${VAR} in pipeline files
  it('substitutes ${VAR}, ${VAR:-default} and nested defaults', () => {
    const text = `name: t\nworkdir: \${OUT:-out}/t\nstages:\n  - name: d\n    detect:\n      grid: \${GRID}\n      model: \${MODEL:-\${PACKAGE_ROOT}/data/models/default}\n      out: \${OUT:-out}/d\n`;
    const p = parsePipeline(text, 't.yaml', { GRID: '/data/g.nc' });
    expect(p.workdir).toBe('out/t');
    expect(p.stages[0].detect?.grid).toBe('/data/g.nc');
    expect(p.stages[0].detect?.model).toBe(join(root, 'data/models/default'));
    expect(parsePipeline(text, 't.yaml', { GRID: 'g', MODEL: '/m' }).stages[0].detect?.model).toBe('/m');
    expect(() => parsePipeline(text, 't.yaml', {})).toThrow(/t\.yaml: \$\{GRID\} is not set/);
  });

  it('takes one reference catalogue for compare, or a list judged as their union', () => {
    const stage = (catalogue: string) =>
      parsePipeline(`name: t\nworkdir: w\nstages:\n  - name: c\n    compare: { picks: p, catalogue: ${catalogue}, out: o }\n`, 't.yaml', {}).stages[0].compare
        ?.catalogue;
    expect(stage('kw.txt')).toBe('kw.txt');
    expect(stage('[kw.txt, gev.xyhrdnc]')).toEqual(['kw.txt', 'gev.xyhrdnc']);
    expect(() => stage('[]')).toThrow(/t\.yaml: invalid pipeline[\s\S]*catalogue/);
  });

  it('names the file and the problem for bad pipelines', () => {
    const bad = (body: string) => () => parsePipeline(body, 'bad.yaml', {});
    expect(bad('name: x\nworkdir: w\nstages: []\n')).toThrow(/bad\.yaml: invalid pipeline[\s\S]*stages/);
    expect(bad('name: x\nworkdir: w\nstages:\n  - name: a\n    detect: { grid: g, out: o }\n    compare: { picks: p, catalogue: c, out: o }\n')).toThrow(
      /exactly one of detect/,
    );
    expect(bad('name: x\nworkdir: w\nstages:\n  - name: a\n    detect: { grid: g, out: o, gird: 1 }\n')).toThrow(/gird/);
    expect(bad('name: x\nworkdir: w\nstages:\n  - name: a\n    detect: { grid: g, out: o }\n  - name: a\n    detect: { grid: g, out: o }\n')).toThrow(
      /duplicate stage name/,
    );
    expect(bad('name: [x\n')).toThrow(/bad\.yaml: not valid YAML/);
  });
});
