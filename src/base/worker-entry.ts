/**
 * Where a worker thread's module is, for piscina: next to the calling module. Compiled, that is a `.js`
 * file in dist/; run from TypeScript sources (jest, tsx), the `.ts` file loaded through tsx, resolved by
 * absolute path so the working folder does not matter.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  filename: string;
  execArgv: string[] | undefined;
}

/** @example workerEntry(import.meta.url, 'worker') // { filename: '/app/dist/tiling/worker.js', execArgv: undefined } */
export function workerEntry(callerUrl: string, moduleName: string): WorkerEntry {
  if (callerUrl.endsWith('.ts')) {
    const tsxLoader = pathToFileURL(createRequire(callerUrl).resolve('tsx')).href;
    return { filename: fileURLToPath(new URL(`./${moduleName}.ts`, callerUrl)), execArgv: ['--import', tsxLoader] };
  }
  return { filename: fileURLToPath(new URL(`./${moduleName}.js`, callerUrl)), execArgv: undefined };
}
