import { loadConfig } from '../../src/config/index.js';
import { assertSameWindowSpec, cellSamples, windowSpecDifferences, windowSpecFromConfig } from '../../src/tiling/index.js';

describe('WindowSpec', () => {
  const config = loadConfig();
  const spec = windowSpecFromConfig(config.window);

  test('is the window config without the stride (the stride places windows, it does not change them)', () => {
    expect(spec).toEqual({
      sizeKm: config.window.sizeKm,
      samples: config.window.samples,
      projection: 'laea',
      interpolation: 'bilinear',
      antiAlias: config.window.antiAlias,
      taper: config.window.taper,
      taperStart: config.window.taperStart,
      normalisation: config.window.normalisation,
      scaleM: config.window.scaleM,
      detrend: config.window.detrend,
      misfit: config.window.misfit,
      centreWeight: config.window.centreWeight,
    });
    expect('strideKm' in spec).toBe(false);
    const restrided = windowSpecFromConfig({ ...config.window, strideKm: config.window.strideKm * 2 });
    expect(windowSpecDifferences(spec, restrided)).toEqual([]);
  });

  test('detection refuses a spec that differs, naming each differing key', () => {
    const other = { ...spec, samples: spec.samples * 2, antiAlias: !spec.antiAlias };
    expect(() => assertSameWindowSpec(spec, spec)).not.toThrow();
    expect(() => assertSameWindowSpec(spec, other, 'bundle models/x')).toThrow(
      new RegExp(`bundle models/x .*\\n.*samples: ${spec.samples} ≠ ${spec.samples * 2}\\n.*antiAlias`),
    );
  });

  test('an impossible spec is an error', () => {
    expect(() => windowSpecFromConfig({ ...config.window, samples: 1 })).toThrow(/samples 1/);
  });

  test('cellSamples: window samples per north-south source cell, whatever the axis direction', () => {
    const s = { sizeKm: 48, samples: 32 }; // 1.5 km samples
    expect(cellSamples({ dLat: -5 / 60 }, s)).toBeCloseTo(9.266 / 1.5, 2); // 5′: 9.27 km
    expect(cellSamples({ dLat: 1 / 60 }, s)).toBeCloseTo(1.853 / 1.5, 2);
    expect(cellSamples({ dLat: 1 / 240 }, { sizeKm: 96, samples: 32 })).toBeCloseTo(0.463 / 3, 2);
  });
});
