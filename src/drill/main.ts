/**
 * @module `npm run drill`: runs the drill, writes report.json, summary.md and the servers' logs to the
 * output folder, prints the summary, and exits 1 when an invariant broke (with the seed to reproduce it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DrillUsageError, parseDrillArgs } from './drill-options.js';
import { runDrill } from './drill-run.js';
import { summaryMarkdown } from './drill-report.js';

async function main(): Promise<number> {
  let options;
  try {
    options = parseDrillArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof DrillUsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const out = resolve(options.out);
  mkdirSync(join(out, 'logs'), { recursive: true });
  const at = () => new Date().toISOString().slice(11, 19);
  process.stdout.write(
    `drill: ${options.users} users, ${options.cycles} cycles, seed ${options.seed} → ${out}\n`,
  );
  let run;
  try {
    run = await runDrill(options, (l) => process.stdout.write(`${at()} ${l}\n`));
  } catch (err) {
    if (err instanceof DrillUsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const { report, logs } = run;
  writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const summary = summaryMarkdown(report);
  writeFileSync(join(out, 'summary.md'), summary);
  for (const [server, lines] of logs)
    writeFileSync(join(out, 'logs', `${server}.log`), `${lines.join('\n')}\n`);
  process.stdout.write(`\n${summary}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `drill failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
