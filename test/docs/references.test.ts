/**
 * Every reference from code or docs to a page or a section resolves: `docs/ranking.md`,
 * `docs/ranking.md#the-cut`, Markdown links (`[the cut](ranking.md#the-cut)`, `(#outputs)`, images), and
 * prose like "(README, Limits)" or "README, Accuracy: Ranking". Searched: src/**\/*.ts,
 * config/default.yaml, README.md and docs/**\/*.md. Anchors are GitHub's (lower case, punctuation dropped,
 * spaces to hyphens, -1, -2 for repeats). Code and configuration cite docs/ pages, not README sections.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { ROOT, fencedBlocks, markdownFiles } from './doc-commands.js';

/** GitHub's anchor for a heading's text. */
function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Markdown text with fenced blocks blanked out (line numbers kept). */
function withoutFences(text: string): string {
  const lines = text.split('\n');
  for (const b of fencedBlocks(text)) for (let i = b.line - 2; i <= b.line - 1 + b.body.length && i < lines.length; i++) lines[i] = '';
  return lines.join('\n');
}

interface Heading {
  text: string;
  level: number;
  anchor: string;
}

const headingCache = new Map<string, Heading[]>();

/** The headings of a Markdown file with their anchors (and `<a id>` / `<a name>` targets as level 0). */
function headings(file: string): Heading[] {
  const cached = headingCache.get(file);
  if (cached) return cached;
  const seen = new Map<string, number>();
  const out: Heading[] = [];
  const text = withoutFences(readFileSync(join(ROOT, file), 'utf8'));
  for (const line of text.split('\n')) {
    const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) {
      const base = githubSlug(m[2]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.push({ text: m[2], level: m[1].length, anchor: n ? `${base}-${n}` : base });
    }
    for (const a of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.push({ text: a[1], level: 0, anchor: a[1] });
  }
  headingCache.set(file, out);
  return out;
}

interface Reference {
  /** Where it was found: file:line. */
  at: string;
  /** As written. */
  text: string;
  /** Why it does not resolve, or null. */
  broken: string | null;
  /** A README section named in prose ("README, Limits"). */
  readmeSection: boolean;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** Does `target` (repository-relative, optionally `#anchor`) exist? */
function resolveTarget(target: string): string | null {
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? null : target.slice(hash + 1);
  if (path.startsWith('..')) return `${path} lies outside the repository`;
  if (!existsSync(join(ROOT, path))) return `${path} does not exist`;
  if (anchor !== null) {
    if (!path.endsWith('.md') || statSync(join(ROOT, path)).isDirectory()) return null;
    if (!headings(path).some((h) => h.anchor === anchor)) return `${path} has no heading with anchor #${anchor}`;
  }
  return null;
}

/** "README, Limits", "README, Accuracy: Ranking", "the README's \"Outputs\"", "README Accuracy". */
const README_PROSE =
  /(?<![\w/.])README(?:'s)?,?\s+(?:["“]([^"”\n]+)["”]|([A-Z][\w&-]*(?: [A-Z][\w&-]*)*))(?:\s*:\s*([A-Z][\w-]*(?: [\w-]+)*?)(?=[)"”,.;\n]|$))?/g;
/** `docs/ranking.md`, `docs/ranking.md#the-cut`, `README.md#limits` (repository-relative). */
const DOC_PATH = /(?<![\w/.-])((?:docs\/[\w./-]+|README)\.md(?:#[\w-]+)?)/g;
/** `[text](target)` and `![alt](target)` in Markdown. */
const MD_LINK = /\]\(([^)\s]+)\)/g;

function readmeSectionBroken(names: string[]): string | null {
  const hs = headings('README.md');
  for (const name of names) {
    const want = name
      .replace(/\s+section$/i, '')
      .trim()
      .toLowerCase();
    if (!hs.some((h) => githubSlug(h.text) === githubSlug(want))) return `README.md has no section "${name}"`;
  }
  return null;
}

/** Every reference in one file. */
function referencesIn(file: string): Reference[] {
  const raw = readFileSync(join(ROOT, file), 'utf8');
  const isMarkdown = file.endsWith('.md');
  const text = isMarkdown ? withoutFences(raw) : raw;
  const out: Reference[] = [];
  const add = (index: number, written: string, broken: string | null, readmeSection = false) =>
    out.push({ at: `${file}:${lineOf(text, index)}`, text: written, broken, readmeSection });

  for (const m of text.matchAll(DOC_PATH)) {
    // a Markdown link target is resolved relative to its file below
    if (isMarkdown && text[(m.index ?? 0) - 1] === '(' && text[(m.index ?? 0) - 2] === ']') continue;
    add(m.index ?? 0, m[1], resolveTarget(m[1]));
  }
  for (const m of text.matchAll(README_PROSE)) {
    const names = [m[1] ?? m[2], m[3]].filter((s): s is string => Boolean(s));
    add(m.index ?? 0, m[0], readmeSectionBroken(names), true);
  }
  if (isMarkdown) {
    for (const m of text.matchAll(MD_LINK)) {
      const target = m[1];
      if (/^[a-z][\w+.-]*:/i.test(target)) continue; // https:, mailto:
      const resolved = target.startsWith('#') ? `${file}${target}` : normalize(join(dirname(file), target)).replace(/\\/g, '/');
      add(m.index ?? 0, target, resolveTarget(resolved));
    }
  }
  return out;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(ROOT, join(ROOT, dir, e.name))] : [],
  );

const codeFiles = [...sourceFiles('src').sort(), 'config/default.yaml'];
const docFiles = markdownFiles();

describe('references to pages and sections', () => {
  it('makes GitHub anchors', () => {
    expect(githubSlug('The ledger: `candidates.geojson`')).toBe('the-ledger-candidatesgeojson');
    expect(githubSlug("2026-12-01: ETOPO5's data, not the 5′ cells")).toBe('2026-12-01-etopo5s-data-not-the-5-cells');
    expect(githubSlug('Remote grids (HTTPS and S3)')).toBe('remote-grids-https-and-s3');
    expect(githubSlug('Scaling out: resume, shards, merge')).toBe('scaling-out-resume-shards-merge');
  });

  it('finds the kinds of reference it checks', () => {
    const found = (s: string) => [...s.matchAll(README_PROSE)].map((m) => [m[1] ?? m[2], m[3]].filter(Boolean).join(': '));
    expect(found('compare with `seamount baseline` (README, Limits)')).toEqual(['Limits']);
    expect(found('(README, Accuracy: Ranking).')).toEqual(['Accuracy: Ranking']);
    expect(found('see the README\'s "Outputs")')).toEqual(['Outputs']);
    expect(found('--block-mean, README Accuracy): at 5′')).toEqual(['Accuracy']);
    expect(found('README.md and docs/')).toEqual([]);
    expect([...'see docs/ranking.md#the-cut and docs/limits.md.'.matchAll(DOC_PATH)].map((m) => m[1])).toEqual(['docs/ranking.md#the-cut', 'docs/limits.md']);
  });

  it('finds references in code, the configuration and the docs', () => {
    const all = [...codeFiles, ...docFiles].flatMap(referencesIn);
    expect(all.filter((r) => r.at.startsWith('src/')).length).toBeGreaterThan(0);
    expect(all.filter((r) => r.at.startsWith('README.md')).length).toBeGreaterThan(10);
  });

  it.each(codeFiles)('%s cites docs/ pages, not README sections', (file) => {
    const prose = referencesIn(file).filter((r) => r.readmeSection);
    expect(prose.map((r) => `${r.at}: "${r.text}": cite a docs/ page (docs/<page>.md#<anchor>) instead`)).toEqual([]);
  });

  it.each([...codeFiles, ...docFiles])('%s: every page, file and heading it cites exists', (file) => {
    const broken = referencesIn(file).filter((r) => r.broken);
    expect(broken.map((r) => `${r.at}: ${r.text}: ${r.broken}`)).toEqual([]);
  });
});
