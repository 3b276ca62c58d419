/**
 * @module Failpoints for fault-injection tests (as etcd's gofail or TiKV's fail-rs): a named point in a
 * multi-step operation where a test server process can be made to stop, so that a kill -9 lands exactly
 * there. Off unless the process was started with TANDEM_FAILPOINTS (comma-separated names); never set it in
 * production: a server stopped at a failpoint never finishes the operation.
 */
const enabled = new Set(
  (process.env.TANDEM_FAILPOINTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** The line a process prints when it stops at a failpoint (tests wait for it). */
export function failpointLine(name: string): string {
  return `TANDEM FAILPOINT REACHED: ${name}`;
}

/** Stops here for good when `name` is enabled; resolves at once otherwise. */
export async function failpoint(name: string): Promise<void> {
  if (!enabled.has(name)) return;
  process.stderr.write(`${failpointLine(name)}\n`);
  await new Promise<never>(() => undefined);
}
