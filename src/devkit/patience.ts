/**
 * @module How long a test waits for an event before it gives up. Tests wait for events, never for durations;
 * these deadlines only end a wait that would otherwise hang. A busy machine (`npm run test:stress`, a shared
 * CI host) makes every event slower, so each deadline a test names is stretched by one factor:
 * `TANDEM_TEST_PATIENCE` (default 4).
 */
const DEFAULT_PATIENCE = 4;

function patienceFactor(): number {
  const raw = Number(process.env.TANDEM_TEST_PATIENCE);
  return Number.isFinite(raw) && raw >= 1 ? raw : DEFAULT_PATIENCE;
}

/** The deadline a test should really use for a wait it would give `ms` on an idle machine. */
export function patient(ms: number): number {
  return ms * patienceFactor();
}

/**
 * A deadline that first lets the I/O already waiting be read. After the process stood still (a loaded machine
 * deschedules it), Node runs due timers before it polls sockets, so an answer that arrived in time would
 * otherwise lose to its own deadline. `cancel` before it fires stops it.
 */
export function ioDeadline(ms: number, onExpiry: () => void): { cancel(): void } {
  let immediate: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => {
    immediate = setImmediate(onExpiry);
  }, ms);
  return {
    cancel() {
      clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    },
  };
}
