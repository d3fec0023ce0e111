/**
 * Piscina worker entry: builds one batch of windows. The patches arrive transferred (no copy) and the
 * result's buffers are transferred back.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { buildBatch, type BatchResult, type BatchTask } from './batch.js';

export default function buildBatchInWorker(task: BatchTask): BatchResult {
  const result = buildBatch(task);
  const buffers = [result.status.buffer, result.data.buffer, result.medianM.buffer];
  // a Transferable wrapper: piscina posts `value` with `buffers` in the transfer list
  const transferable = {
    [transferableSymbol]: buffers,
    [valueSymbol]: result,
  };
  return move(transferable) as unknown as BatchResult;
}
