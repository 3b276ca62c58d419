/**
 * @module Recovery of a failover or failback whose coordinating server died: when that server runs again, it
 * finds its old run in the pool state and resumes or rolls the operation back, per state (docs/failover.md,
 * "Recovery from interrupted operations"). It retries until the CMS can be written and the step succeeds.
 */
import { PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import { toTandemError } from '../errors/index.js';
import type { FailoverPorts, StepLog } from './failover-ports.js';
import { DEFAULT_DISASTER_WAIT_MS, failover, rollBackFailover } from './pool-failover.js';
import { DEFAULT_FAILBACK_WAIT_MS, failback } from './pool-failback.js';
import { rollBackFailback } from './failback-rollback.js';
import { interruptedHere } from './pool-transition.js';

export type RecoveryOutcome = 'rolled-back' | 'resumed';

const ACTION = 'recovery of an interrupted pool operation';

/**
 * Decides and runs the recovery of `state`, a FailingOver or FailingBack pool:
 * - FailingOver, planned: nothing was switched (the flip is the last write), so it is rolled back to Active.
 * - FailingOver, disaster: the pool was declared lost; if it still does not answer the failover is finished,
 *   if it answers again nothing is gained by switching, so it is rolled back to Active.
 * - FailingBack: every step is idempotent, so it is finished when the home pool answers; when it does not,
 *   the failback is rolled back and the backup pool serves the users again (FailedOver).
 */
export async function recoverOperation(
  ports: FailoverPorts,
  state: PoolStateDoc,
  log: StepLog,
): Promise<RecoveryOutcome> {
  const pool = state.pool;
  if (state.state === PoolState.FailingOver) {
    const disaster = state.operation?.mode === 'disaster';
    if (disaster && !(await ports.reachable(pool)).ok) {
      await failover(
        ports,
        pool,
        { disaster: true, flushStorage: false, waitTimeMs: DEFAULT_DISASTER_WAIT_MS, force: false },
        log,
      );
      return 'resumed';
    }
    await ports.checkCmsWritable(ACTION);
    await rollBackFailover(ports, state, ACTION);
    return 'rolled-back';
  }
  if ((await ports.reachable(pool)).ok) {
    await failback(ports, pool, { waitTimeMs: DEFAULT_FAILBACK_WAIT_MS, force: false }, log);
    return 'resumed';
  }
  await ports.checkCmsWritable(ACTION);
  await rollBackFailback(ports, state, ACTION);
  return 'rolled-back';
}

export interface RecoveryDeps {
  readonly ports: FailoverPorts;
  readonly log: (msg: string, fields: Record<string, unknown>) => void;
  /** Between attempts (default 2 s). */
  readonly intervalMs?: number;
}

/** Runs at every server: recovers the operations this server coordinated before it restarted. */
export class InterruptedRecovery {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly d: RecoveryDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.d.intervalMs ?? 2_000);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over the pools; an attempt that fails is logged and made again at the next pass. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const p of this.d.ports.topology().pools) {
        const state = this.d.ports.view.poolState(p.fqdn);
        const op = interruptedHere(this.d.ports, state);
        if (!op) continue;
        const fields = { pool: p.fqdn, state: state.state, epoch: state.epoch, kind: op.kind, mode: op.mode };
        this.d.log('recovering a pool operation this server was coordinating when it stopped', fields);
        try {
          const outcome = await recoverOperation(this.d.ports, state, this.stepLog(p.fqdn));
          this.d.log('recovered the interrupted pool operation', { ...fields, outcome });
        } catch (err) {
          const e = toTandemError(err);
          this.d.log('could not recover the interrupted pool operation yet; trying again', {
            ...fields,
            code: e.code,
            err: e.message,
          });
        }
      }
    } finally {
      this.running = false;
    }
  }

  private stepLog(pool: string): StepLog {
    return {
      verbose: (m) => this.d.log(m, { pool }),
      warn: (m) => this.d.log(m, { pool }),
      progress: () => undefined,
    };
  }
}
