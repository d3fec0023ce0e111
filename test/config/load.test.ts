import { tempDir } from '../support/temp-dir.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseRegion } from '../../src/config/index.js';

const tmp = tempDir('seamount-config-');
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('loadConfig', () => {
  it('loads the shipped defaults and they validate', () => {
    const c = loadConfig();
    expect(c.window.samples).toBeGreaterThan(0);
    expect(c.compare.toleranceKm).toBe(25);
  });

  it('merges file < env < flags', () => {
    const f = file('a.yaml', 'seed: 7\nscoring:\n  batchSize: 64\nwindow:\n  strideKm: 20\n');
    const c = loadConfig({
      file: f,
      env: { SEAMOUNT_SCORING__BATCH_SIZE: '32', SEAMOUNT_SCORING__BACKEND: 'cpu', SEAMOUNT_SHARD: '1/2' },
      overrides: { window: { strideKm: 30 } },
    });
    expect(c.seed).toBe(7);
    expect(c.scoring.batchSize).toBe(32);
    expect(c.scoring.backend).toBe('cpu');
    expect(c.window.strideKm).toBe(30);
    expect(c.window.samples).toBe(loadConfig().window.samples);
  });

  it('rejects unknown keys with the file and the key named', () => {
    const f = file('b.yaml', 'window:\n  sizeKmm: 100\n');
    expect(() => loadConfig({ file: f })).toThrow(ConfigError);
    expect(() => loadConfig({ file: f })).toThrow(/b\.yaml[\s\S]*window[\s\S]*sizeKmm/);
  });

  it('rejects out-of-range values', () => {
    const f = file('c.yaml', 'window:\n  sizeKm: -5\n');
    expect(() => loadConfig({ file: f })).toThrow(/window\.sizeKm/);
    expect(() => loadConfig({ overrides: { plan: { maxLandFraction: 2 } } })).toThrow(/command-line options[\s\S]*plan\.maxLandFraction/);
  });

  it("takes the ranker's features by name (train checks the names), and refuses a list naming one twice or none", () => {
    expect(loadConfig().training.ranker.features.length).toBeGreaterThan(0);
    const c = loadConfig({ overrides: { training: { ranker: { features: ['log_height', 'fit_r2'] } } } });
    expect(c.training.ranker.features).toEqual(['log_height', 'fit_r2']);
    const f = file('e.yaml', 'training:\n  ranker:\n    features: [log_height, log_height]\n');
    expect(() => loadConfig({ file: f })).toThrow(/e\.yaml[\s\S]*training\.ranker\.features[\s\S]*named twice/);
    expect(() => loadConfig({ overrides: { training: { ranker: { features: [] } } } })).toThrow(/training\.ranker\.features/);
  });

  it('rejects a bad environment key and a file that is not YAML', () => {
    expect(() => loadConfig({ env: { SEAMOUNT_SCORING__NOPE: '1' } })).toThrow(/SEAMOUNT_SCORING__NOPE/);
    const f = file('d.yaml', 'window: [1, 2\n');
    expect(() => loadConfig({ file: f })).toThrow(/d\.yaml: not valid YAML/);
    expect(() => loadConfig({ file: join(tmp, 'missing.yaml') })).toThrow(/missing\.yaml: cannot read/);
  });
});

describe('parseRegion', () => {
  it('parses W/E/S/N and antimeridian boxes', () => {
    expect(parseRegion('-118/-107/-49/-42')).toEqual({ west: -118, east: -107, south: -49, north: -42 });
    expect(parseRegion('170/-170/-20/-10').west).toBe(170);
  });
  it('rejects malformed text', () => {
    expect(() => parseRegion('1/2/3')).toThrow(/W\/E\/S\/N/);
    expect(() => parseRegion('0/10/5/1')).toThrow(/south/);
    expect(() => parseRegion('a/10/1/5')).toThrow(/W\/E\/S\/N/);
  });
});
