import { PromiseLru } from '../../src/base/lru.js';

describe('PromiseLru', () => {
  it('keeps at most max entries, dropping the least recently used', async () => {
    const lru = new PromiseLru<number, string>(2);
    let made = 0;
    const make = (v: string) => () => {
      made++;
      return Promise.resolve(v);
    };
    expect(await lru.get(1, make('a'))).toBe('a');
    expect(await lru.get(2, make('b'))).toBe('b');
    expect(await lru.get(1, make('x'))).toBe('a'); // hit: 1 is now the most recent
    expect(await lru.get(3, make('c'))).toBe('c'); // drops 2
    expect(lru.size).toBe(2);
    expect(await lru.get(2, make('b2'))).toBe('b2');
    expect(made).toBe(4);
  });
  it('forgets a rejected value so the next get retries', async () => {
    const lru = new PromiseLru<string, number>(4);
    await expect(lru.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 0));
    expect(await lru.get('k', () => Promise.resolve(7))).toBe(7);
  });
});
