/**
 * `readCatalogue`: recognises a catalogue's format from its content (not its name) and reads it.
 */
import { readFile } from 'node:fs/promises';
import { CatalogueError, type CatalogueEntry } from './entry.js';
import { parseGeoJsonCatalogue } from './geojson.js';
import { headerColumns, isSkippable, looksLikeData, readHeaderTable, readXyhrdnc, splitWhitespace, unknownFormat } from './read-table.js';

/** Entries plus the GeoJSON `seamount_detect` metadata (null for other formats). */
export interface CatalogueFile {
  entries: CatalogueEntry[];
  meta: Record<string, unknown> | null;
}

async function readText(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    throw new CatalogueError(`${path}: cannot read it (${(err as Error).message})`);
  }
}

/**
 * Parses catalogue text. Formats, tried in this order:
 * - GeoJSON: the text starts with `{`;
 * - a table with a header line naming longitude and latitude columns (the KW census with its
 *   free-text preamble, CSV, whitespace tables); free text before the header is skipped;
 * - `xyhrdnc`: no header, 7 whitespace-separated fields.
 * Everywhere, blank lines and lines starting with `#` or `>` are skipped.
 */
export function parseCatalogue(path: string, text: string): CatalogueFile {
  if (text.trimStart().startsWith('{')) return parseGeoJsonCatalogue(path, text);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isSkippable(line)) continue;
    const header = headerColumns(line);
    if (header) return { entries: readHeaderTable(path, lines, i, header), meta: null };
    if (!looksLikeData(line)) continue; // free-text preamble (the KW file has 15 lines of it)
    if (line.includes(',')) throw unknownFormat(path, `line ${i + 1} is comma-separated data with no header line before it`);
    const fields = splitWhitespace(line).length;
    if (fields === 7) return { entries: readXyhrdnc(path, lines), meta: null };
    throw unknownFormat(path, `the first data row, line ${i + 1}, has ${fields} fields and no header line names them`);
  }
  throw unknownFormat(path, 'no header line and no data rows found');
}

/**
 * Reads a seamount catalogue: KW text (by its header line), xyhrdnc, GeoJSON or CSV.
 * Unreadable rows make it throw a CatalogueError naming the file and the first few lines.
 *
 * @example
 * const kw = await readCatalogue('../shared/data/catalogues/KWSMTSv01.txt');
 * kw[0]; // { id: 'KW-00001', lon: 0.21625, lat: -6.43136, heightM: 2870.6, radiusKm: 21.05..., ... }
 */
export async function readCatalogue(path: string): Promise<CatalogueEntry[]> {
  return parseCatalogue(path, await readText(path)).entries;
}

/** Like readCatalogue, also returning the GeoJSON `seamount_detect` metadata of our own picks. */
export async function readCatalogueFile(path: string): Promise<CatalogueFile> {
  return parseCatalogue(path, await readText(path));
}
