/** Every exported function of src/pipeline/ and src/cli/ (the jobs and the command line) has a doc comment. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const EXPORTED_FUNCTION = /^export (?:async )?function (\w+)|^export const (\w+) = (?:async )?(?:\(|<)/;

/** Exported functions whose declaration is not directly under a `/** … *\/` comment, as `file: name`. */
function undocumentedExports(file: string, text: string): string[] {
  const out: string[] = [];
  let previous = '';
  for (const line of text.split('\n')) {
    const m = EXPORTED_FUNCTION.exec(line);
    if (m && !/\*\/\s*$/.test(previous)) out.push(`${file}: ${m[1] ?? m[2]}`);
    if (line.trim() !== '') previous = line;
  }
  return out;
}

describe('doc comments', () => {
  it('document every exported function of src/pipeline/ and src/cli/', () => {
    const missing: string[] = [];
    for (const folder of ['pipeline', 'cli']) {
      for (const name of readdirSync(join(SRC, folder)).filter((f) => f.endsWith('.ts'))) {
        missing.push(...undocumentedExports(`${folder}/${name}`, readFileSync(join(SRC, folder, name), 'utf8')));
      }
    }
    expect(missing).toEqual([]);
  });

  it('the check fails on an undocumented export', () => {
    expect(undocumentedExports('x.ts', '/** Yes. */\nexport function a() {}\n\nexport const b = () => 1;\n')).toEqual(['x.ts: b']);
  });
});
