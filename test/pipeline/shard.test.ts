import { parseShard, shardHasBatch } from '../../src/pipeline/shard.js';

describe('parseShard', () => {
  it('reads i/N and defaults to the whole job', () => {
    expect(parseShard('2/8', {})).toEqual({ index: 2, count: 8 });
    expect(parseShard(undefined, {})).toEqual({ index: 0, count: 1 });
  });

  it('takes the index from Kubernetes or AWS Batch array variables', () => {
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(parseShard('4', { AWS_BATCH_JOB_ARRAY_INDEX: '1' })).toEqual({ index: 1, count: 4 });
    expect(parseShard(undefined, { SEAMOUNT_SHARD_COUNT: '5', JOB_COMPLETION_INDEX: '4' })).toEqual({ index: 4, count: 5 });
  });

  it('rejects bad shards clearly', () => {
    expect(() => parseShard('4/4', {})).toThrow(/index 4 outside 0\.\.3/);
    expect(() => parseShard('a/b', {})).toThrow(/expected i\/N/);
    expect(() => parseShard('auto/4', {})).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => parseShard('0/0', {})).toThrow(/at least 1/);
  });

  it('deals every batch to exactly one shard', () => {
    const n = 3;
    for (let k = 0; k < 20; k++) {
      const owners = [0, 1, 2].filter((i) => shardHasBatch({ index: i, count: n }, k));
      expect(owners).toHaveLength(1);
    }
  });
});
