/** docs/configuration.md cannot drift: it must be what config/default.yaml makes, and name every setting. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { configReferenceMarkdown, parseConfigDocs } from '../../src/config/reference.js';

const ROOT = join(import.meta.dirname, '..', '..');
const yaml = readFileSync(join(ROOT, 'config', 'default.yaml'), 'utf8');

/** Dotted paths of every leaf of the configuration (lists are leaves). */
function leaves(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('the configuration reference', () => {
  it('is up to date with config/default.yaml (run `npm run docs:config` after editing it)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8')).toBe(configReferenceMarkdown(yaml));
  });

  it('documents every setting of the schema, with a meaning', () => {
    const documented = new Map(
      parseConfigDocs(yaml)
        .flatMap((s) => s.settings)
        .map((k) => [k.path, k]),
    );
    for (const path of leaves(loadConfig() as unknown as Record<string, unknown>)) {
      expect({ path, documented: documented.has(path) }).toEqual({ path, documented: true });
      expect({ path, comment: (documented.get(path)?.comment ?? '').length > 3 }).toEqual({ path, comment: true });
    }
  });

  it('reads sections, nested keys, defaults and continued comments', () => {
    const docs = parseConfigDocs(
      [
        '# About the grid.',
        'grid:',
        '  cacheMB: 128   # memory, MB',
        '                 # kept between reads',
        '  # the sub-section',
        '  sub:',
        '    k: [1, 2]  # a list',
        '',
        'seed: 42  # seed',
      ].join('\n'),
    );
    expect(docs.map((s) => s.name)).toEqual(['grid', 'seed']);
    expect(docs[0].description).toBe('About the grid.');
    expect(docs[0].settings).toEqual([
      { path: 'grid.cacheMB', defaultText: '128', comment: 'memory, MB kept between reads' },
      { path: 'grid.sub', defaultText: '', comment: 'the sub-section' },
      { path: 'grid.sub.k', defaultText: '[1, 2]', comment: 'a list' },
    ]);
    expect(docs[1].settings).toEqual([{ path: 'seed', defaultText: '42', comment: 'seed' }]);
  });
});
