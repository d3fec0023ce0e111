/**
 * One seamount of a catalogue (a reference census or our own picks read back), whatever the file
 * format, and the error every reader throws.
 */

export interface CatalogueEntry {
  /** The catalogue's own id (`KW-00001`, `SIO2-08566`, `SMT-000001`), or `line <n>` when the file has none. */
  id: string;
  /** Degrees east, wrapped into −180..180. */
  lon: number;
  lat: number;
  /** Height above the surrounding sea floor, m; null when the file does not say. */
  heightM: number | null;
  /**
   * Basal radius, km. KW: sqrt(Major × Minor), Major and Minor being the basal ellipse's semi-axes
   * (see read-table.ts for why they are semi-axes); Gevorgian: their radius column.
   */
  radiusKm: number | null;
  /** Regional depth at the base, m (negative below sea level). */
  baseDepthM: number | null;
  /** 0..1, higher = more seamount-like (our picks); null for reference catalogues. */
  confidence: number | null;
  /** The file this entry came from. */
  source: string;
  /** 1-based line of the file (GeoJSON: 1-based feature number). */
  line: number;
}

/** A catalogue file that cannot be read; the message names the file and, where known, the lines. */
export class CatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueError';
  }
}

/** Collects row problems so a reader can report the first few line numbers at once. */
export class RowProblems {
  private readonly items: Array<{ line: number; why: string }> = [];
  count = 0;

  add(line: number, why: string): void {
    this.count++;
    if (this.items.length < 5) this.items.push({ line, why });
  }

  /** Throws a CatalogueError naming the file and the first problem lines, when there were any. */
  throwIfAny(path: string, unit = 'line'): void {
    if (this.count === 0) return;
    const first = this.items.map((p) => `${unit} ${p.line}: ${p.why}`).join('; ');
    const more = this.count > this.items.length ? ` (and ${this.count - this.items.length} more)` : '';
    throw new CatalogueError(`${path}: ${this.count} unreadable row${this.count > 1 ? 's' : ''}: ${first}${more}`);
  }
}
