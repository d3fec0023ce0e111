/**
 * The one error type of the grid stage: every problem with an input or output grid names the file,
 * so a batch log says which of hundreds of grids is bad and why.
 */

export class GridError extends Error {
  /** The file the problem is about. */
  readonly path: string;

  /**
   * @example
   * throw new GridError('/data/a.nc', 'no 2-D variable on lon/lat dimensions');
   * // message: "/data/a.nc: no 2-D variable on lon/lat dimensions"
   */
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(`${path}: ${problem}`, options);
    this.name = 'GridError';
    this.path = path;
  }
}

/** Re-throws `err` as a GridError about `path` (kept as is when it already is one). */
export function asGridError(path: string, err: unknown, what: string): GridError {
  if (err instanceof GridError) return err;
  // errors from other realms (jest VM contexts, workers) fail `instanceof Error`: read the message
  const message = (err as { message?: unknown } | null)?.message;
  const detail = typeof message === 'string' ? message : String(err);
  return new GridError(path, `${what}: ${detail}`, { cause: err });
}
