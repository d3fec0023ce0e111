import { calibrate } from '../../src/model/calibration.js';
import { resolveThreshold } from '../../src/picking/threshold.js';

describe('resolveThreshold', () => {
  const cal = calibrate([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11], 0.9);

  it('takes the bundle threshold by default', () => {
    const r = resolveThreshold({ errorThreshold: null, targetRecall: null }, cal);
    expect(r).toEqual({ threshold: cal.threshold, source: 'bundle', calibrationRecall: expect.any(Number) });
    expect(r.threshold).toBeCloseTo(0.1, 12);
    expect(r.calibrationRecall).toBeCloseTo(10 / 11, 12);
  });

  it('takes the error at a target recall on the calibration set', () => {
    const r = resolveThreshold({ errorThreshold: null, targetRecall: 0.5 }, cal);
    expect(r.source).toBe('targetRecall');
    expect(r.threshold).toBeCloseTo(0.06, 12);
    expect(r.calibrationRecall).toBeCloseTo(6 / 11, 12);
  });

  it('lets an explicit error value win', () => {
    const r = resolveThreshold({ errorThreshold: 0.035, targetRecall: 0.5 }, cal);
    expect(r).toMatchObject({ threshold: 0.035, source: 'errorThreshold' });
    expect(r.calibrationRecall).toBeCloseTo(3 / 11, 12);
  });
});
