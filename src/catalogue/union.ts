/**
 * Several catalogues as one reference: a seamount two catalogues list under one id (Gevorgian et al. 2023
 * re-measured Kim & Wessel's and kept their ids) counts once, as listed by the first catalogue given.
 */
import type { CatalogueEntry } from './entry.js';

/**
 * The union of catalogue entries, one per id, in input order. Entries without an id of their own (named by
 * their line, `line N`) are told apart by their source file as well.
 *
 * @example
 * unionById([{ id: 'KW-1', source: 'kw.txt', … }, { id: 'KW-1', source: 'gev.txt', … }, { id: 'G-7', … }])
 * // the first KW-1 and G-7
 */
export function unionById(entries: readonly CatalogueEntry[]): CatalogueEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = e.id.startsWith('line ') ? `${e.source}:${e.id}` : e.id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
