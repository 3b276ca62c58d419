/**
 * @module The worker thread that parses and validates a topology document (parse-off-thread.ts), so that
 * the largest document the limits allow never holds the server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { TandemError } from '../errors/index.js';
import { parseTopology, type ParseTopologyOptions } from './parse-topology.js';

export interface TopologyJob {
  readonly yaml: string;
  readonly options: ParseTopologyOptions;
}

export type TopologyAnswer =
  | { readonly ok: true; readonly topology: unknown }
  | { readonly ok: false; readonly code: string; readonly params: Record<string, unknown> };

parentPort?.on('message', (job: TopologyJob) => {
  let answer: TopologyAnswer;
  try {
    answer = { ok: true, topology: parseTopology(job.yaml, job.options) };
  } catch (err) {
    answer =
      err instanceof TandemError
        ? { ok: false, code: err.code, params: { ...err.params } }
        : {
            ok: false,
            code: 'INTERNAL',
            params: { detail: err instanceof Error ? err.message : String(err) },
          };
  }
  parentPort?.postMessage(answer);
});
