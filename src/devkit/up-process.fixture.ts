/** @module A real `tandem up` supervisor for tests: its combined output, a wait for a line, and its exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, REPO } from './cluster.js';

export interface UpProcess {
  readonly proc: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text`; throws if `tandem up` exits first or after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<number>;
}

export function startUp(topologyPath: string, dataDir: string, args: readonly string[] = []): UpProcess {
  const proc = spawn(process.execPath, [BIN, 'up', topologyPath, '--data', dataDir, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number>((r) => proc.on('exit', (code) => r(code ?? -1)));
  return {
    proc,
    output: () => out,
    exited,
    async waitFor(text, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}" in:\n${out}`);
        if (proc.exitCode !== null) throw new Error(`tandem up exited (${proc.exitCode}):\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
