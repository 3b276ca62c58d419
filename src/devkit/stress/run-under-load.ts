/**
 * @module `npm run test:stress`: the whole test suite while a CPU hog keeps every core busy. A test that
 * passes only on an idle machine asserts a duration somewhere; this is how such a test is found before CI
 * finds it on a noisy day.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** One busy loop per core, at the same priority as the tests. */
function startHogs(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

function stopHogs(hogs: readonly ChildProcess[]): void {
  for (const hog of hogs) hog.kill('SIGKILL');
}

const hogs = startHogs(availableParallelism());
const vitestArgs = ['vitest', 'run', ...process.argv.slice(2)];
process.stdout.write(`test:stress: ${hogs.length} CPU hogs running; npx ${vitestArgs.join(' ')}\n`);
const tests = spawn('npx', vitestArgs, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopHogs(hogs);
    tests.kill(signal);
  });
}
tests.on('exit', (code, signal) => {
  stopHogs(hogs);
  process.exitCode = code ?? (signal ? 1 : 0);
});
