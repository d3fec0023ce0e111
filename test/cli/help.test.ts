/**
 * `seamount <command> --help` ends with two or three real examples, names the page that documents the
 * command, and that page shows each example (test/docs/commands.test.ts runs it there, or the page says
 * why it cannot run here) and every option the help lists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { buildProgram, main } from '../../src/cli/program.js';
import { ROOT, commandKey, docCommands, shellWords } from '../docs/doc-commands.js';

/** What `seamount <command> --help` prints, and its exit code. */
async function help(command: string): Promise<{ code: number; text: string }> {
  let text = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += chunk.toString();
    return true;
  });
  try {
    return { code: await main(['node', 'seamount', command, '--help']), text };
  } finally {
    spy.mockRestore();
  }
}

/** The example lines at the end of a help text (after "Examples:"), without their `$ ` prompt. */
function examplesOf(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  const at = lines.findIndex((l) => l.trim() === 'Examples:');
  return at < 0
    ? []
    : lines
        .slice(at + 1)
        .filter((l) => l.trim() !== '')
        .map((l) => l.trim().replace(/^\$\s+/, ''));
}

const names = buildProgram().commands.map((c) => c.name());

test('every command has help to check', () => {
  expect(names).toEqual(expect.arrayContaining(['detect', 'train', 'compare', 'baseline', 'run', 'info', 'merge']));
});

describe.each(names)('seamount %s --help', (name) => {
  const page = `docs/commands/${name}.md`;
  let text = '';

  beforeAll(async () => {
    const r = await help(name);
    expect(r.code).toBe(0);
    text = r.text;
  });

  it('ends with two or three examples of this command', () => {
    const lines = text.trimEnd().split('\n');
    const at = lines.findIndex((l) => l.trim() === 'Examples:');
    expect(at).toBeGreaterThan(0);
    const examples = lines.slice(at + 1).filter((l) => l.trim() !== '');
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(3);
    for (const line of examples) {
      expect(line).toMatch(/^ {2}\$ /);
      const { words } = shellWords(line.trim().replace(/^\$\s+/, ''));
      const command = words.filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value));
      expect([command[0]?.value, command[1]?.value]).toEqual(['seamount', name]);
    }
  });

  it(`names its page, ${page}, which shows each example`, () => {
    expect(text).toContain(`Documentation: ${page}`);
    expect(existsSync(join(ROOT, page))).toBe(true);
    const shown = new Set(docCommands(page).map(commandKey));
    for (const example of examplesOf(text)) {
      const { words } = shellWords(example);
      const env: Record<string, string> = {};
      while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].value)) {
        const w = words.shift()?.value ?? '';
        env[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
      }
      const key = commandKey({ env, words });
      expect({ example, onPage: shown.has(key) }).toEqual({ example, onPage: true });
    }
  });

  it('has every option it lists documented on its page or in common-options.md', () => {
    const docs = readFileSync(join(ROOT, page), 'utf8') + readFileSync(join(ROOT, 'docs/commands/common-options.md'), 'utf8');
    const options = [...text.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]).filter((o) => o !== '--help');
    expect(options.length).toBeGreaterThan(0);
    for (const option of options) expect({ option, documented: docs.includes(`\`${option}`) }).toEqual({ option, documented: true });
  });
});
