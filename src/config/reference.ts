/**
 * The configuration reference (docs/configuration.md) made from config/default.yaml, the one source of
 * every setting's default and meaning: its comments are the documentation, so the reference cannot drift
 * from what runs (test/config/reference.test.ts fails when docs/configuration.md is stale, and when a
 * setting of the schema has no row). The file follows one layout, which this reader relies on:
 *
 *   # section description (comment lines at column 0 before a top-level key)
 *   section:
 *     key: value          # meaning, unit
 *                         # continuation lines in the comment column
 *     # sub-section description (indented comment lines before a nested mapping)
 *     sub:
 *       key: value        # meaning
 */

/** One setting: its dotted path, default as written in the file, and its comment. */
export interface SettingDoc {
  path: string;
  defaultText: string;
  comment: string;
}

/** A top-level section (or a top-level setting) with its description and settings. */
export interface SectionDoc {
  name: string;
  description: string;
  settings: SettingDoc[];
}

const KEY_LINE = /^(\s*)([A-Za-z][\w]*):(?:\s+([^#]*?))?\s*(?:#\s?(.*))?$/;
const COMMENT_LINE = /^(\s*)#\s?(.*)$/;

/**
 * Reads the sections, settings, defaults and comments of a configuration file in default.yaml's layout.
 *
 * @example parseConfigDocs('seed: 42  # random seed\n')[0].settings[0] // { path: 'seed', defaultText: '42', comment: 'random seed' }
 */
export function parseConfigDocs(yamlText: string): SectionDoc[] {
  const lines = yamlText.split('\n');
  const sections: SectionDoc[] = [];
  let pending: string[] = [];
  const stack: Array<{ indent: number; name: string }> = [];
  let last: SettingDoc | null = null;
  let lastCommentColumn = -1;
  for (const line of lines) {
    if (line.trim() === '') {
      pending = [];
      last = null;
      continue;
    }
    const c = COMMENT_LINE.exec(line);
    if (c) {
      // a comment aligned with the previous setting's comment continues it; otherwise it describes what follows
      if (last && line.indexOf('#') === lastCommentColumn) last.comment = `${last.comment} ${c[2].trim()}`.trim();
      else {
        pending.push(c[2].trim());
        last = null;
      }
      continue;
    }
    const k = KEY_LINE.exec(line);
    if (!k) continue;
    const indent = k[1].length;
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const path = [...stack.map((s) => s.name), k[2]].join('.');
    const value = (k[3] ?? '').trim();
    const comment = [...pending, (k[4] ?? '').trim()].filter(Boolean).join(' ');
    pending = [];
    if (indent === 0) {
      sections.push({ name: k[2], description: value === '' ? comment : '', settings: [] });
    }
    const section = sections[sections.length - 1];
    if (value === '') {
      // a mapping: its comment describes a sub-section (top-level ones were taken above)
      stack.push({ indent, name: k[2] });
      if (indent > 0 && comment) section.settings.push({ path, defaultText: '', comment });
      last = null;
      continue;
    }
    last = { path, defaultText: value, comment };
    lastCommentColumn = k[4] === undefined ? -1 : line.indexOf('#', k[1].length + k[2].length + 1 + value.length);
    section.settings.push(last);
  }
  return sections;
}

/** Escapes a table cell. */
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * docs/configuration.md from the text of config/default.yaml.
 *
 * @example configReferenceMarkdown(readFileSync('config/default.yaml', 'utf8'))
 */
export function configReferenceMarkdown(yamlText: string): string {
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from config/default.yaml by `npm run docs:config`; edit that file, not this one. -->',
    '',
    'Every setting, its default and its meaning, from `config/default.yaml` (the one source of both). Override',
    'with `--config FILE` (a YAML file holding only the keys you change), then environment variables',
    '(`SEAMOUNT_<SECTION>__<KEY>`, e.g. `SEAMOUNT_SCORING__BACKEND=wasm`; values are YAML), then',
    '`--set section.key=value` on any command. Unknown keys and out-of-range values are errors that name the',
    'layer they came from.',
    '',
  ];
  for (const s of parseConfigDocs(yamlText)) {
    out.push(`## \`${s.name}\``, '');
    if (s.description) out.push(s.description, '');
    if (s.settings.length === 0) continue;
    out.push('| setting | default | meaning |', '| --- | --- | --- |');
    for (const k of s.settings) out.push(`| \`${k.path}\` | ${k.defaultText ? `\`${cell(k.defaultText)}\`` : ''} | ${cell(k.comment)} |`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
