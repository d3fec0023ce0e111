import { medianRows, type ModelBenchRow } from '../../bench/model.js';

const row = (implementation: string, threads: number, train: number | null, score: number | null): ModelBenchRow => ({
  samples: 32,
  implementation,
  backend: implementation === 'pytorch' ? 'torch' : 'wasm',
  threads,
  trainSamplesPerSec: train,
  scoreWindowsPerSec: score,
});

describe('model benchmark rounds → medians', () => {
  test('each configuration gets the median of its rounds and their spread, in the first round order', () => {
    const rounds = [
      [row('ours', 1, 100, 1000), row('ours', 2, 150, 1900), row('pytorch', 1, 400, 2000)],
      [row('ours', 1, 300, 1200), row('ours', 2, 160, 1500), row('pytorch', 1, 100, 2600)],
      [row('ours', 1, 200, 900), row('ours', 2, 140, 1700), row('pytorch', 1, 350, 2100)],
    ];
    const m = medianRows(rounds);
    expect(m.map((r) => `${r.implementation}/${r.threads}`)).toEqual(['ours/1', 'ours/2', 'pytorch/1']);
    expect(m[0]).toMatchObject({ trainSamplesPerSec: 200, scoreWindowsPerSec: 1000, spread: { train: [100, 300], score: [900, 1200] } });
    expect(m[1]).toMatchObject({ trainSamplesPerSec: 150, scoreWindowsPerSec: 1700 });
    // an outlier round does not move the median
    expect(m[2]).toMatchObject({ trainSamplesPerSec: 350, scoreWindowsPerSec: 2100, spread: { train: [100, 400] } });
  });

  test('an even number of rounds averages the middle two; configurations missing from later rounds use what they have', () => {
    const rounds = [[row('ours', 1, 100, 10), row('cpu-only-first-round', 1, 3, 5)], [row('ours', 1, 200, 30)]];
    const m = medianRows(rounds);
    expect(m[0]).toMatchObject({ trainSamplesPerSec: 150, scoreWindowsPerSec: 20 });
    expect(m[1]).toMatchObject({ trainSamplesPerSec: 3, scoreWindowsPerSec: 5, spread: { train: [3, 3] } });
  });

  test('failed measurements (null) are left out, and a configuration with none stays null', () => {
    const m = medianRows([[row('pytorch', 2, null, null)], [row('pytorch', 2, null, 50)]]);
    expect(m[0].trainSamplesPerSec).toBeNull();
    expect(m[0].scoreWindowsPerSec).toBe(50);
  });

  test('one round: the rows as they are, without a spread', () => {
    const m = medianRows([[row('ours', 1, 100, 10)]]);
    expect(m[0]).toEqual(row('ours', 1, 100, 10));
  });
});
