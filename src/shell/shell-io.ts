/** @module The shell's terminal: output, errors, confirmation prompts and a progress line. */
import { createInterface } from 'node:readline/promises';
import type { Progress } from '../management/cmdlet-handler.js';
import { formatTimeSpan } from '../timing/timespan.js';

export interface ShellIO {
  out(text: string): void;
  err(text: string): void;
  confirm(question: string): Promise<boolean>;
  progress(p: Progress): void;
  endProgress(): void;
  readonly interactive: boolean;
}

export function processIO(): ShellIO {
  const tty = Boolean(process.stderr.isTTY);
  let lastPrinted = 0;
  let shown = false;
  return {
    interactive: Boolean(process.stdin.isTTY),
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [Y] Yes  [N] No (default is "N"): `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
    progress(p) {
      const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
      const eta =
        p.etaMs !== undefined && p.done < p.total
          ? `, about ${formatTimeSpan(Math.round(p.etaMs / 1000) * 1000)} left`
          : '';
      const text = `${p.activity}: ${p.done}/${p.total} (${pct}%${eta})`;
      if (tty) {
        process.stderr.write(`\r\x1b[K${text}`);
        shown = true;
      } else if (Date.now() - lastPrinted > 1000 || p.done === p.total) {
        lastPrinted = Date.now();
        process.stderr.write(`${text}\n`);
      }
    },
    endProgress() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
