/**
 * @module A server's log file under `tandem up`. Writing it must never take the supervisor down: an
 * unhandled stream error (ENOSPC on a full disk) once killed `tandem up` and left its servers running
 * unsupervised. A failed file is reported once, its lines still reach the terminal, and it is reopened a
 * little later, so logging resumes by itself when space comes back.
 */
import { createWriteStream, type WriteStream } from 'node:fs';

const REOPEN_AFTER_MS = 5_000;

export class LogFile {
  private stream: WriteStream | undefined;
  private failedAt = 0;
  private ended = false;

  constructor(
    private readonly path: string,
    private readonly warn: (message: string) => void,
  ) {
    this.stream = this.open();
  }

  write(line: string): void {
    if (this.ended) return;
    if (!this.stream && Date.now() - this.failedAt >= REOPEN_AFTER_MS) this.stream = this.open();
    this.stream?.write(`${line}\n`);
  }

  end(): void {
    this.ended = true;
    this.stream?.end();
  }

  private open(): WriteStream {
    // 0600: logs name users and addresses; the umask of the data folder applies as well.
    const stream = createWriteStream(this.path, { flags: 'a', mode: 0o600 });
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      stream.destroy();
      const first = this.failedAt === 0;
      this.failedAt = Date.now();
      if (first) {
        this.warn(
          `cannot write the log file ${this.path} (${err.code ?? err.message}); its lines still show here, and it is retried every ${REOPEN_AFTER_MS / 1000} s`,
        );
      }
    });
    stream.on('open', () => {
      if (this.failedAt !== 0 && this.stream === stream) {
        this.failedAt = 0;
      }
    });
    return stream;
  }
}
