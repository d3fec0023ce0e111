/**
 * Every command the README and docs/ show in a `sh` block runs here, as a user would type it, or the doc
 * says why it cannot: a `# not run here: <reason>` line directly above it (or `# none of these run here:
 * <reason>` earlier in its block). An unmarked command that cannot run fails, so docs cannot drift from
 * the code unnoticed.
 *
 * Commands run in process through the CLI's `main`, from the repository root, in the order the files are
 * read (README.md, then docs/ sorted) and, within a file, top to bottom, so a `compare` can read what the
 * `detect` above it wrote. Paths under `out/` (and a pipeline's `${OUT}`) go to a temporary folder; logs
 * and the progress bar are off (environment layer). A command shown twice runs once.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { jest } from '@jest/globals';
import { main } from '../../src/cli/program.js';
import { tempDir } from '../support/temp-dir.js';
import { ROOT, commandKey, docCommands, markdownFiles, type DocCommand, type ShellWord } from './doc-commands.js';

/** Commands that write and have a default output folder: the docs must name one under out/. */
const WRITERS = new Set(['detect', 'compare', 'baseline', 'train', 'merge']);

const out = tempDir('doc-commands-');

/** `out/...` (relative to the repository root) → the same path under this test's temporary folder. */
const redirect = (value: string): string => (value === 'out' || value.startsWith('out/') ? join(out, value) : value);

/** Expands `*` and `?` in the last path segment, as a shell would (no match: the word stays as written). */
function expandGlob(pattern: string): string[] {
  if (/[*?]/.test(dirname(pattern))) throw new Error(`${pattern}: wildcards only in the last path segment are supported here`);
  const dir = dirname(pattern);
  const re = new RegExp(
    `^${pattern
      .slice(dir.length + 1)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  const base = isAbsolute(dir) ? dir : join(ROOT, dir);
  const hits = existsSync(base)
    ? readdirSync(base)
        .filter((n) => re.test(n))
        .sort()
    : [];
  return hits.length ? hits.map((n) => join(dir, n)) : [pattern];
}

/** Why the test cannot run this command as written, or null. */
function whyNotRunnable(c: DocCommand): string | null {
  if (c.unsupported) return `it uses ${c.unsupported}`;
  const words = c.words[0]?.value === 'npx' ? c.words.slice(1) : c.words;
  if (words[0]?.value !== 'seamount') return `it is not a seamount command (${words[0]?.value ?? 'empty'})`;
  const sub = words[1]?.value;
  if (sub && WRITERS.has(sub)) {
    const at = words.findIndex((w) => w.value === '--out' || w.value.startsWith('--out='));
    const value = at < 0 ? undefined : words[at].value.startsWith('--out=') ? words[at].value.slice(6) : words[at + 1]?.value;
    if (value === undefined || redirect(value) === value) return `it writes outside out/ (give --out out/...), which the test cannot redirect`;
  }
  return null;
}

/** The argv for `main` and the environment, with out/ redirected and globs expanded. */
function argvOf(c: DocCommand): { argv: string[]; env: Record<string, string> } {
  const words: ShellWord[] = c.words[0]?.value === 'npx' ? c.words.slice(1) : c.words;
  const args = words.slice(1).flatMap((w) => {
    if (w.value.startsWith('--out=')) return [`--out=${redirect(w.value.slice(6))}`];
    const v = redirect(w.value);
    return w.glob ? expandGlob(v) : [v];
  });
  const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, redirect(v)]));
  return { argv: ['node', 'seamount', ...args], env };
}

const QUIET_ENV = { SEAMOUNT_LOGGING__LEVEL: 'silent', SEAMOUNT_LOGGING__PROGRESS: 'off' };

/** Runs `main` with the command's environment, capturing stdout and stderr. */
async function runInProcess(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = new Map<string, string | undefined>();
  const all = { ...QUIET_ENV, OUT: join(out, 'out'), ...env };
  for (const [k, v] of Object.entries(all)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const outSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    for (const spy of [outSpy, errSpy, log, warn]) spy.mockRestore();
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const files = markdownFiles();
const commands = files.flatMap((f) => docCommands(f));
/** Each distinct command runs once; a second showing waits for the first. */
const runs = new Map<string, Promise<{ code: number; stdout: string; stderr: string }>>();

describe('the commands the README and docs/ show', () => {
  beforeAll(() => {
    // the docs' relative paths (../shared/data, pipelines/, data/) are relative to the repository root
    if (process.cwd() !== ROOT) process.chdir(ROOT);
  });

  it('are found (fenced sh blocks of README.md and docs/)', () => {
    expect(files).toContain('README.md');
    expect(commands.filter((c) => c.file === 'README.md' && !c.notRunHere).length).toBeGreaterThanOrEqual(7);
    // one example of every command in the README
    const shown = new Set(commands.filter((c) => c.file === 'README.md').map((c) => c.words[1]?.value));
    for (const cmd of ['detect', 'train', 'compare', 'baseline', 'run', 'info', 'merge']) expect({ cmd, shown: shown.has(cmd) }).toEqual({ cmd, shown: true });
  });

  it('npm start is the demo job the docs run', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node dist/cli/index.js run pipelines/demo.yaml --fresh');
    const demo = commands.filter((c) => commandKey(c) === 'seamount run pipelines/demo.yaml --fresh' && !c.notRunHere);
    expect(demo.length).toBeGreaterThan(0);
  });

  for (const c of commands) {
    const name = `${c.file}:${c.line}  ${c.text}`;
    if (c.notRunHere) {
      it.skip(`${name}  (not run here: ${c.notRunHere})`, () => undefined);
      continue;
    }
    it(name, async () => {
      const why = whyNotRunnable(c);
      if (why) {
        throw new Error(
          `${c.file}:${c.line}: "${c.text}" cannot run in this test because ${why}. Make it runnable, or put a line ` +
            '"# not run here: <reason>" directly above it in the doc.',
        );
      }
      const key = commandKey(c);
      let run = runs.get(key);
      if (!run) {
        const { argv, env } = argvOf(c);
        run = runInProcess(argv, env);
        runs.set(key, run);
      }
      const r = await run;
      if (r.code !== 0) throw new Error(`${c.file}:${c.line}: "${c.text}" exited ${r.code}:\n${r.stderr.slice(-2000)}`);
    }, 300_000);
  }
});
