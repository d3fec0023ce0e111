/**
 * The import graph of src/, and the layering rule it must follow (DESIGN.md, src/types.ts): a stage
 * depends only on the stages before it and on the floor below them all. Used by
 * test/architecture/layers.test.ts, which runs in `npm test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The folders of src/ from the bottom up. A file may import from its own folder and from folders
 * earlier in this list, never from later ones. `types.ts` and `base/` are the floor.
 */
export const LAYERS: readonly string[] = [
  'types.ts',
  'base',
  'plot',
  'config',
  'grid',
  'tiling',
  'engine',
  'ranking',
  'model',
  'scoring',
  'picking',
  'catalogue',
  'evaluation',
  'baseline',
  'pipeline',
  'cli',
];

export interface ImportEdge {
  /** Importing file, relative to src/, with `/` separators. */
  from: string;
  /** Imported file or folder, relative to src/ (may start with `../` when it lies outside src/). */
  to: string;
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import (static, type-only, re-export, dynamic) of the .ts files under `srcDir`. */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of tsFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec?.startsWith('.')) continue;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      edges.push({ from: relative(srcDir, file).split('\\').join('/'), to: relative(srcDir, target).split('\\').join('/') });
    }
  }
  return edges;
}

/** The layer of a path relative to src/: its first segment (`types.ts` for the shared types). */
export const layerOf = (path: string): string => path.split('/')[0];

/** Edges that break the rule: upward, into an unlisted folder, or out of src/. */
export function layerViolations(edges: readonly ImportEdge[], layers: readonly string[] = LAYERS): string[] {
  const rank = new Map(layers.map((l, i) => [l, i]));
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = rank.get(layerOf(from));
    const b = rank.get(layerOf(to));
    if (to.startsWith('..')) out.push(`${from} → ${to}: imports from outside src/`);
    else if (a === undefined) out.push(`${from}: folder ${layerOf(from)} is not in LAYERS`);
    else if (b === undefined) out.push(`${from} → ${to}: folder ${layerOf(to)} is not in LAYERS`);
    else if (b > a) out.push(`${from} → ${to}: ${layerOf(from)} may not import from ${layerOf(to)}, a later stage`);
  }
  return out;
}

/** Import cycles between files (type-only imports included), each as the files on it. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  // Tarjan's strongly connected components
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
