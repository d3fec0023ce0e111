import { loadConfig } from '../../src/config/index.js';
import { assertSameWindowSpec, windowSpecDifferences, windowSpecFromConfig } from '../../src/tiling/index.js';

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
});
