/**
 * @module The drill: starts the two-site deployment with a proxy on the link between the sites, signs the
 * simulated users in, keeps them busy, and runs a seeded sequence of scenarios, checking the invariants
 * after each step. A scenario that cannot complete stops the drill: the report says where, with the seed.
 */
import { startDrillDeployment } from './drill-deployment.js';
import { SeededRandom } from '../devkit/seeded-random.js';
import { BENCH_PASSWORD, provisionUsers } from '../bench/bench-deployment.js';
import { startFleet, type Fleet } from './fleet-handle.js';
import { DrillContext, USER_PREFIXES, type PoolName } from './drill-context.js';
import { DrillMonitor } from './drill-monitor.js';
import type { DrillOptions } from './drill-options.js';
import { SCENARIOS, SCENARIO_KINDS, scenarioAt, type ScenarioKind } from './drill-scenarios.js';
import { buildReport, leaks, type DrillReport } from './drill-report.js';
import { deploymentSecrets, findSecretsInLogs } from '../devkit/secret-scan.js';
import { fuzzRound } from './drill-fuzz.js';

export interface DrillRun {
  readonly report: DrillReport;
  /** Every server's log lines, by server. */
  readonly logs: ReadonlyMap<string, readonly string[]>;
}

export async function runDrill(
  o: DrillOptions,
  log: (line: string) => void = () => undefined,
): Promise<DrillRun> {
  const startedAt = Date.now();
  const deployment = await startDrillDeployment(o.topology);
  const split = deployment.split;
  const c = split.cluster;
  const pools = deployment.pools;
  let fleet: Fleet | undefined;
  const monitor = new DrillMonitor(
    c,
    pools.map((p) => ({ fqdn: deployment.serverOf.get(p) ?? p, pool: p })),
  );
  try {
    const perPool = new Map<PoolName, number>([
      [pools[0], Math.ceil(o.users / 2)],
      [pools[1], Math.floor(o.users / 2)],
    ]);
    log(`provisioning ${o.users} users on ${pools.join(' and ')}`);
    const domain = deployment.sipDomain;
    const fuzzUsers = {
      pool: pools[0],
      sips: (await provisionUsers(c, 2, 'drill-fuzz-', pools[0], domain)).map((u) => u.sip),
    } as const;
    const users = (
      await Promise.all(
        pools.map((p, i) =>
          provisionUsers(c, perPool.get(p) ?? 0, USER_PREFIXES[i as 0 | 1].slice('sip:'.length), p, domain),
        ),
      )
    ).flat();
    fleet = await startFleet(
      {
        urls: pools.map((p) => `wss://${c.addressOf(deployment.serverOf.get(p) ?? p)}/v1/client`),
        ca: c.ca,
        users,
        password: BENCH_PASSWORD,
        seed: o.seed,
        ratePerSecond: o.ratePerSecond,
      },
      o.workers,
    );
    const random = new SeededRandom(o.seed);
    const ctx = new DrillContext(deployment, fleet, perPool, o, random, monitor, log);
    ctx.step = 'sign-in';
    log(`signing in ${o.users} users`);
    const t = Date.now();
    const errors = await fleet.signIn();
    if (Object.keys(errors).length > 0) ctx.violate('sign-in', `sign-in failures: ${JSON.stringify(errors)}`);
    await ctx.settle(t);
    monitor.start();
    await fleet.start();

    const order = shuffled(random, SCENARIO_KINDS);
    const scenarios: { cycle: number; kind: ScenarioKind; seconds: number }[] = [];
    for (let i = 0; i < o.cycles; i++) {
      if (o.durationSeconds > 0 && Date.now() - startedAt > o.durationSeconds * 1000) break;
      const kind = scenarioAt(ctx, order, i);
      ctx.cycle = i + 1;
      log(`cycle ${ctx.cycle}: ${kind}`);
      const s = Date.now();
      try {
        await SCENARIOS[kind](ctx);
      } catch (err) {
        ctx.violate('scenario-failed', err instanceof Error ? err.message : String(err));
        scenarios.push({ cycle: ctx.cycle, kind, seconds: (Date.now() - s) / 1000 });
        break;
      }
      scenarios.push({ cycle: ctx.cycle, kind, seconds: (Date.now() - s) / 1000 });
      if (o.fuzzIterations > 0)
        await fuzzRound(ctx, fuzzUsers, o.fuzzIterations).catch((err: unknown) =>
          ctx.violate('fuzz', `the fuzzers could not run: ${String(err)}`),
        );
      if (o.pauseSeconds > 0) await new Promise((r) => setTimeout(r, o.pauseSeconds * 1000));
      for (const b of monitor.breaches.splice(0))
        ctx.violate(
          'fencing',
          `${b.claimants.join(' and ')} both served ${b.homePool}'s users writably at ${new Date(b.at).toISOString()}`,
        );
    }

    ctx.step = 'final check';
    ctx.cycle += 1;
    await fleet.stop();
    if (ctx.violations.every((v) => v.invariant !== 'scenario-failed')) {
      await ctx.settle(Date.now());
      await ctx.verify();
    }
    await monitor.stop();
    for (const l of leaks(monitor.memory)) ctx.violate('memory-bounded', l);
    // No secret in any server's log: the users' password, tokens (by shape, and a sample by value), the
    // administrator's secret and the deployment keys.
    const secrets = deploymentSecrets(c, [BENCH_PASSWORD, ...users.slice(0, 20).map((u) => u.token)]);
    for (const [server, lines] of c.logs)
      for (const f of findSecretsInLogs(lines, secrets).slice(0, 5))
        ctx.violate('no-secret-in-logs', `${server} ${f}`);
    const report = buildReport(ctx, startedAt, scenarios, await fleet.status());
    return { report, logs: c.logs };
  } finally {
    await monitor.stop();
    await fleet?.close().catch(() => undefined);
    await split.stop();
  }
}

function shuffled<T>(random: SeededRandom, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}
