/**
 * @module Parses a topology an administrator sent in a worker thread: a document at the size limits still
 * takes seconds to parse and validate, and the server must keep answering its users and /healthz meanwhile.
 * A few parses at once at most; one that runs away is stopped.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ErrorCodes, TandemError, type ErrorCode } from '../errors/index.js';
import type { ErrorParams } from '../errors/tandem-error.js';
import { deepFreeze } from './compile-topology.js';
import { parseTopology, type ParseTopologyOptions } from './parse-topology.js';
import type { TopologyAnswer, TopologyJob } from './topology-worker.js';
import type { Topology } from './topology-types.js';

/** Topology parses running at once on one server; more are refused with BUSY. */
export const MAX_PARALLEL_PARSES = 2;
/** A parse still running after this long is stopped (TIMEOUT). */
export const PARSE_TIMEOUT_MS = 120_000;

const WORKER = new URL('./topology-worker.js', import.meta.url);
let running = 0;

export async function parseTopologyOffThread(yaml: string, options: ParseTopologyOptions): Promise<Topology> {
  // Run from the TypeScript sources (unit tests), there is no compiled worker: parse here.
  if (!existsSync(fileURLToPath(WORKER))) return parseTopology(yaml, options);
  if (running >= MAX_PARALLEL_PARSES)
    throw new TandemError('BUSY', { what: 'Topology validation', limit: String(MAX_PARALLEL_PARSES) });
  running += 1;
  try {
    return await inWorker({ yaml, options });
  } finally {
    running -= 1;
  }
}

function inWorker(job: TopologyJob): Promise<Topology> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: 512, stackSizeMb: 8 } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new TandemError('TIMEOUT', { what: 'Topology validation', seconds: PARSE_TIMEOUT_MS / 1000 }),
          ),
        ),
      PARSE_TIMEOUT_MS,
    );
    worker.once('message', (answer: TopologyAnswer) =>
      settle(() => {
        if (answer.ok) resolve(deepFreeze(answer.topology as Topology));
        else reject(new TandemError(knownCode(answer.code), answer.params as ErrorParams));
      }),
    );
    worker.once('error', (err) =>
      settle(() =>
        reject(
          new TandemError(
            'INTERNAL',
            { detail: `topology validation failed: ${err.message}` },
            { cause: err },
          ),
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() =>
        reject(new TandemError('INTERNAL', { detail: `topology validation stopped (exit ${code})` })),
      ),
    );
    worker.postMessage(job);
  });
}

function knownCode(code: string): ErrorCode {
  return Object.hasOwn(ErrorCodes, code) ? (code as ErrorCode) : 'INTERNAL';
}
