export { type Scorer, type ScorerOptions, createScorer, defaultScoringThreads, serialiseModel } from './pool.js';
export type { ScoreTask, WorkerModel } from './worker.js';
