/**
 * Tests that need an outside tool (GDAL, GMT, Python with numpy/torch) or a shared data file: one way to
 * skip them where it is missing. Jest lists the skipped block, so a run says what it left out.
 */
import { spawnSync } from 'node:child_process';
import { describe, test } from '@jest/globals';

/** `describe` when `available`, `describe.skip` otherwise. @example describeWhen(haveGdal)('GDAL reads it', () => { ... }) */
export const describeWhen = (available: boolean): typeof describe => (available ? describe : (describe.skip as typeof describe));

/** `test` when `available`, `test.skip` otherwise. @example testWhen(haveGdal)('GDAL agrees', () => { ... }) */
export const testWhen = (available: boolean): typeof test => (available ? test : (test.skip as typeof test));

/** True when `cmd args` runs and exits 0. @example runs('python3', ['-c', 'import numpy']) */
export function runs(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
}

/** True when a command-line tool runs (gdalinfo, gmt, ogrinfo). @example describeWhen(hasTool('gmt'))('…', …) */
export const hasTool = (name: string): boolean => runs(name, ['--version']);
