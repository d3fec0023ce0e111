/** Versions of the software that made an output, for manifests and model provenance. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';

export interface SoftwareVersions {
  seamountDetect: string;
  node: string;
  tfjs: string;
  backend: string | null;
}

let cached: Omit<SoftwareVersions, 'backend'> | undefined;

async function packageVersion(dir: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function softwareVersions(): Promise<SoftwareVersions> {
  if (!cached) {
    const root = packageRoot();
    cached = {
      seamountDetect: await packageVersion(root),
      node: process.version,
      tfjs: await packageVersion(join(root, 'node_modules', '@tensorflow', 'tfjs-core')),
    };
  }
  const tf = await import('@tensorflow/tfjs');
  return { ...cached, backend: tf.getBackend() ?? null };
}
