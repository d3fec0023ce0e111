/**
 * A bounded cache of pending or settled values, least recently used out first: the tile caches of
 * picking (raw cells, high-passed relief) keep a fixed number of tiles whatever the job's size. A value
 * whose promise rejects is dropped, so a failed read is retried.
 *
 * @example
 * const tiles = new PromiseLru<number, Float32Array>(64);
 * const tile = await tiles.get(key, () => grid.read(win));
 */
export class PromiseLru<K, V> {
  private readonly entries = new Map<K, Promise<V>>();

  constructor(private readonly max: number) {}

  /** The cached value of `key`, or `make()`'s, remembered (and the oldest dropped past `max`). */
  get(key: K, make: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      // refresh its place in the order: a Map iterates oldest first
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const p = make();
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key));
    while (this.entries.size > Math.max(1, this.max)) this.entries.delete(this.entries.keys().next().value as K);
    return p;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
