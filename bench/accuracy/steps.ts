/**
 * Cached steps: each CLI run (train, detect, baseline) lives in a folder named by a hash of its command
 * line (and, unless told otherwise, of the built code in dist/), with a `.done.json` stamp written when it
 * succeeds. A rerun skips finished steps, so an interrupted harness resumes; a changed setting or build
 * gets a new folder and never reuses a stale result.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Marks where a step's output folder goes in its argument list (the folder's name depends on the rest). */
export const OUT_DIR = '<out>';

export interface StepSpec {
  /** Folder of the region the step belongs to, e.g. out/accuracy/work/gorda. */
  parent: string;
  /** Readable prefix of the step's folder name, e.g. "train-model". */
  label: string;
  /** Arguments after `node dist/cli/index.js`, with OUT_DIR where the step's folder goes. */
  args: string[];
  /** Files (relative to the step's folder) whose presence, with the stamp, says the step is complete. */
  outputs: string[];
}

export interface StepResult {
  dir: string;
  /** Wall time of the run that made the output, s (from the stamp when cached). */
  seconds: number;
  cached: boolean;
}

export interface StepRunner {
  run(step: StepSpec): Promise<StepResult>;
  /** The folder a step would use, without running it. */
  dirOf(step: StepSpec): string;
}

/** SHA-256 over every file under dir (paths and contents): what the CLI runs. */
export function codeFingerprint(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        h.update(path.relative(dir, p));
        h.update(readFileSync(p));
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return h.digest('hex');
}

export const shortHash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

export interface RunnerOptions {
  /** The CLI entry, e.g. dist/cli/index.js. */
  cli: string;
  /** Part of every step's key: the code fingerprint, or '' to reuse results across builds. */
  codeKey: string;
  /** Print the commands instead of running them. */
  dryRun?: boolean;
  log: (line: string) => void;
}

export function stepRunner(o: RunnerOptions): StepRunner {
  const dirOf = (s: StepSpec): string => path.join(s.parent, `${s.label}-${shortHash({ args: s.args, code: o.codeKey })}`);
  return {
    dirOf,
    async run(s) {
      const dir = dirOf(s);
      const stamp = path.join(dir, '.done.json');
      const args = s.args.map((a) => (a === OUT_DIR ? dir : a));
      const complete = (): boolean => existsSync(stamp) && s.outputs.every((f) => existsSync(path.join(dir, f)));
      if (complete()) {
        const seconds = (JSON.parse(readFileSync(stamp, 'utf8')) as { seconds: number }).seconds;
        o.log(`  ${s.label}: cached (${dir})`);
        return { dir, seconds, cached: true };
      }
      const line = ['node', o.cli, ...args].join(' ');
      if (o.dryRun) {
        o.log(`  ${line}`);
        return { dir, seconds: 0, cached: false };
      }
      mkdirSync(s.parent, { recursive: true });
      const t0 = performance.now();
      const logFile = `${dir}.log`;
      const code = await new Promise<number>((resolve, reject) => {
        const out = createWriteStream(logFile);
        out.write(`${line}\n`);
        const child = spawn(process.execPath, [o.cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.pipe(out, { end: false });
        child.stderr.pipe(out, { end: false });
        child.on('error', reject);
        child.on('close', (c) => {
          out.end();
          resolve(c ?? 1);
        });
      });
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) {
        const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
        throw new Error(`${s.label} failed (exit ${code}); log ${logFile}:\n${tail}`);
      }
      const missing = s.outputs.filter((f) => !existsSync(path.join(dir, f)));
      if (missing.length) throw new Error(`${s.label} finished without ${missing.join(', ')} in ${dir}`);
      const tmp = `${stamp}.tmp-${process.pid}`;
      writeFileSync(tmp, `${JSON.stringify({ command: line, seconds, finishedAt: new Date().toISOString() }, null, 2)}\n`);
      renameSync(tmp, stamp);
      o.log(`  ${s.label}: ${seconds.toFixed(1)} s (${dir}; command and log in ${path.basename(logFile)})`);
      return { dir, seconds, cached: false };
    },
  };
}
