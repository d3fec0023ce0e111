/** Locations inside the installed package (config, default model, demo grid), found from this file. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The folder holding seamount-detect's package.json, whether run from dist/ or from src/ (tests). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config', 'default.yaml'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('seamount-detect: cannot find the package root (config/default.yaml)');
    dir = parent;
  }
}

export const defaultConfigPath = (): string => join(packageRoot(), 'config', 'default.yaml');
export const defaultModelDir = (): string => join(packageRoot(), 'data', 'models', 'default');
export const demoGridPath = (): string => join(packageRoot(), 'data', 'demo', 'demo_grid.tif');
