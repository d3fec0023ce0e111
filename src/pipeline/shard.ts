/**
 * Which part of a job this process runs. Batches of the window plan are dealt round-robin: shard i of N
 * takes batches k with k % N === i, so every shard gets a similar mix of the region and the union of
 * all shards is exactly the whole plan.
 */
export interface Shard {
  index: number;
  count: number;
}

export const WHOLE_JOB: Shard = { index: 0, count: 1 };

/** Array-job index variables of the batch systems we document (Kubernetes Indexed Job, AWS Batch). */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

/**
 * Parses `--shard`: "i/N" (0-based i), or "N" alone / "auto/N" to take i from JOB_COMPLETION_INDEX or
 * AWS_BATCH_JOB_ARRAY_INDEX. With no flag, SEAMOUNT_SHARD_COUNT plus an index variable also shard the job.
 *
 * @example parseShard('2/8', {}) // { index: 2, count: 8 }
 * @example parseShard('auto/8', { JOB_COMPLETION_INDEX: '5' }) // { index: 5, count: 8 }
 */
export function parseShard(text: string | undefined, env: NodeJS.ProcessEnv): Shard {
  let spec = text?.trim();
  if (!spec && env.SEAMOUNT_SHARD_COUNT) spec = `auto/${env.SEAMOUNT_SHARD_COUNT}`;
  if (!spec) return WHOLE_JOB;
  const m = /^(?:(\d+|auto)\/)?(\d+)$/.exec(spec);
  if (!m) throw new Error(`shard "${spec}": expected i/N (e.g. 0/4), auto/N or N`);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`shard "${spec}": the number of shards must be at least 1`);
  let index: number;
  if (m[1] !== undefined && m[1] !== 'auto') {
    index = Number(m[1]);
  } else {
    const name = SHARD_INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
    if (!name) {
      throw new Error(`shard "${spec}": no shard index given and neither ${SHARD_INDEX_VARIABLES.join(' nor ')} is set`);
    }
    index = Number(env[name]);
    if (!Number.isInteger(index)) throw new Error(`shard: ${name}="${env[name]}" is not a whole number`);
  }
  if (index < 0 || index >= count) throw new Error(`shard "${spec}": index ${index} outside 0..${count - 1}`);
  return { index, count };
}

/** True when batch k belongs to the shard. */
export const shardHasBatch = (shard: Shard, batchIndex: number): boolean => batchIndex % shard.count === shard.index;

/** `index/count`, as `--shard` takes it. */
export const formatShard = (s: Shard): string => `${s.index}/${s.count}`;
