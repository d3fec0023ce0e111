/** The layering rule of src/ (DESIGN.md): imports run downward only, and no file imports itself round a cycle. */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LAYERS, importCycles, importEdges, layerViolations } from '../support/import-graph.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

describe('import direction', () => {
  const edges = importEdges(SRC);

  it('reads the import graph', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: 'cli/detect.ts', to: 'pipeline/detect.ts' });
  });

  it('every folder of src/ has a place in the layer order', () => {
    for (const layer of LAYERS) if (layer !== 'evaluation') expect(existsSync(join(SRC, layer))).toBe(true);
  });

  it('no stage imports from a later stage', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('no import cycles between files', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('the check fails on an upward import', () => {
    const upward = [
      { from: 'pipeline/detect.ts', to: 'grid/open.ts' },
      { from: 'grid/open.ts', to: 'pipeline/detect.ts' },
    ];
    expect(layerViolations(upward)).toEqual(['grid/open.ts → pipeline/detect.ts: grid may not import from pipeline, a later stage']);
    expect(
      importCycles([
        { from: 'a.ts', to: 'b.ts' },
        { from: 'b.ts', to: 'a.ts' },
      ]),
    ).toEqual([['a.ts', 'b.ts']]);
  });
});
