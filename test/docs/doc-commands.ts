/**
 * The shell commands the README and docs/ show, read from their fenced `sh` blocks: what
 * test/docs/commands.test.ts runs and test/cli/help.test.ts looks up.
 *
 * A block line is a command unless it is blank or a comment; a line ending in `\` continues on the next.
 * `# not run here: <reason>` marks the command directly below it as one that cannot run in the tests;
 * `# none of these run here: <reason>` marks every command after it in its block.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Languages of the fenced blocks whose lines are shell commands. */
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

/** One word of a command line after quote removal; `glob` when it holds an unquoted `*` or `?`. */
export interface ShellWord {
  value: string;
  glob: boolean;
}

export interface DocCommand {
  /** Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the command's first line. */
  line: number;
  /** The command as written, continuation lines joined, a trailing comment left out. */
  text: string;
  /** Leading `NAME=value` words. */
  env: Record<string, string>;
  /** The words after them. */
  words: ShellWord[];
  /** Why it is not run here, when the doc marks it so. */
  notRunHere: string | null;
  /** Why the tests could not run it even if it were not marked (a pipe, a variable, ...), or null. */
  unsupported: string | null;
}

/** README.md, then every Markdown file under docs/, sorted (repository-relative paths). */
export function markdownFiles(root = ROOT): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []))
      .sort();
  return ['README.md', ...walk('docs')];
}

/** The fenced blocks of a Markdown text: language, first body line (1-based) and body lines. */
export function fencedBlocks(text: string): Array<{ lang: string; line: number; body: string[] }> {
  const lines = text.split('\n');
  const out: Array<{ lang: string; line: number; body: string[] }> = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j].trim().startsWith(fence) && lines[j].trim().replace(/[`~]/g, '') === '')) body.push(lines[j++]);
    out.push({ lang: open[3].toLowerCase(), line: i + 2, body });
    i = j;
  }
  return out;
}

/**
 * Splits a command line into words as a POSIX shell would for the simple commands docs show: quotes and
 * backslashes removed, a `#` that starts a word begins a comment. Reports what it does not support.
 */
export function shellWords(line: string): { words: ShellWord[]; commentAt: number | null; unsupported: string | null } {
  const words: ShellWord[] = [];
  let unsupported: string | null = null;
  let cur = '';
  let inWord = false;
  let glob = false;
  const end = () => {
    if (inWord) words.push({ value: cur, glob });
    cur = '';
    inWord = false;
    glob = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return { words, commentAt: null, unsupported: 'an unclosed quote' };
      cur += line.slice(i + 1, close);
      inWord = true;
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) cur += line[++j];
        else {
          if (line[j] === '$' || line[j] === '`') unsupported ??= 'a shell variable or substitution';
          cur += line[j];
        }
      }
      if (j >= line.length) return { words, commentAt: null, unsupported: 'an unclosed quote' };
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      end();
    } else if (c === '#' && !inWord) {
      end();
      return { words, commentAt: i, unsupported };
    } else {
      if ('|&;<>()'.includes(c)) unsupported ??= `the shell operator "${c}"`;
      if (c === '$' || c === '`') unsupported ??= 'a shell variable or substitution';
      if (c === '*' || c === '?') glob = true;
      cur += c;
      inWord = true;
    }
  }
  end();
  return { words, commentAt: null, unsupported };
}

const NOT_RUN_HERE = /^#\s*not run here:\s*(\S.*)$/;
const NONE_RUN_HERE = /^#\s*none of these run here:\s*(\S.*)$/;

/** The commands of one Markdown file's shell blocks. */
export function docCommands(file: string, root = ROOT): DocCommand[] {
  const out: DocCommand[] = [];
  for (const block of fencedBlocks(readFileSync(join(root, file), 'utf8'))) {
    if (!SHELL_LANGUAGES.has(block.lang)) continue;
    let pending: string | null = null;
    let blockReason: string | null = null;
    for (let k = 0; k < block.body.length; k++) {
      const first = k;
      const trimmed = block.body[k].trim();
      if (trimmed === '') {
        pending = null;
        continue;
      }
      if (trimmed.startsWith('#')) {
        const none = NONE_RUN_HERE.exec(trimmed);
        const one = NOT_RUN_HERE.exec(trimmed);
        if (none) blockReason = none[1];
        pending = one ? one[1] : null;
        continue;
      }
      let text = block.body[k].replace(/^\s*\$\s+/, '');
      while (/\\\s*$/.test(text) && k + 1 < block.body.length) text = `${text.replace(/\\\s*$/, '')} ${block.body[++k].trim()}`;
      const parsed = shellWords(text);
      const words = [...parsed.words];
      const env: Record<string, string> = {};
      while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].value)) {
        const w = words.shift() as ShellWord;
        const eq = w.value.indexOf('=');
        env[w.value.slice(0, eq)] = w.value.slice(eq + 1);
      }
      out.push({
        file: relative(root, join(root, file)),
        line: block.line + first,
        text: (parsed.commentAt === null ? text : text.slice(0, parsed.commentAt)).trim(),
        env,
        words,
        notRunHere: pending ?? blockReason,
        unsupported: parsed.unsupported,
      });
      pending = null;
    }
  }
  return out;
}

/** The words of a command as one comparable string: `NAME=value ... word word`. */
export const commandKey = (c: Pick<DocCommand, 'env' | 'words'>): string =>
  [...Object.entries(c.env).map(([k, v]) => `${k}=${v}`), ...c.words.map((w) => w.value)].join(' ');
