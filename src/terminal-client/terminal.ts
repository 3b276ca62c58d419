/**
 * @module The terminal itself, kept thin: readline with history and completion, lines printed above the
 * prompt without garbling what is being typed, a hidden password prompt. Off a TTY it reads plain lines.
 */
import { clearScreenDown, createInterface, cursorTo, moveCursor, type Interface } from 'node:readline';
import { Writable } from 'node:stream';

export interface TerminalOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Prompt, history, completion and keypresses: only when input and output are terminals. */
  readonly tty: boolean;
  readonly completer?: (line: string) => [string[], string];
  /** Earlier lines, newest first. */
  readonly history?: readonly string[];
}

export class Terminal {
  readonly tty: boolean;
  readonly #rl: Interface;
  readonly #output: NodeJS.WritableStream;
  readonly #queue: string[] = [];
  #waiting: ((line: string | undefined) => void) | undefined;
  #closed = false;
  #promptShown = false;

  constructor(o: TerminalOptions) {
    this.tty = o.tty;
    this.#output = o.output;
    this.#rl = o.tty
      ? createInterface({
          input: o.input,
          output: o.output,
          terminal: true,
          history: [...(o.history ?? [])],
          historySize: 1000,
          removeHistoryDuplicates: true,
          ...(o.completer ? { completer: o.completer } : {}),
        })
      : createInterface({ input: o.input, terminal: false });
    this.#rl.on('line', (line) => {
      this.#promptShown = false;
      if (this.#waiting) {
        const resolve = this.#waiting;
        this.#waiting = undefined;
        resolve(line);
      } else this.#queue.push(line);
    });
    this.#rl.on('close', () => {
      this.#closed = true;
      this.#promptShown = false;
      this.#waiting?.(undefined);
      this.#waiting = undefined;
    });
  }

  /** The next line typed; undefined once input has ended (Ctrl-D, end of a pipe) or close() was called. */
  nextLine(): Promise<string | undefined> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  /** Shows the prompt and waits for input (a terminal only; a pipe gets no prompts). */
  prompt(text: string): void {
    this.#rl.setPrompt(text);
    if (!this.tty || this.#closed) return;
    this.#promptShown = true;
    this.#rl.prompt(true);
  }

  /** Redraws the prompt with new text, keeping what is being typed. */
  updatePrompt(text: string): void {
    this.#rl.setPrompt(text);
    if (this.#promptShown && !this.#closed) this.#rl.prompt(true);
  }

  /** Prints a line; on a terminal showing the prompt, above it, then redraws the prompt and the input. */
  print(text: string): void {
    if (!this.tty || !this.#promptShown || this.#closed) {
      this.#output.write(`${text}\n`);
      return;
    }
    const out = this.#output as NodeJS.WriteStream;
    moveCursor(out, 0, -this.#rl.getCursorPos().rows);
    cursorTo(out, 0);
    clearScreenDown(out);
    out.write(`${text}\n`);
    this.#rl.prompt(true);
  }

  /** Ctrl-C on a terminal (off one the process gets SIGINT instead). */
  onInterrupt(handler: () => void): void {
    this.#rl.on('SIGINT', handler);
  }

  /** Called after each key typed on a terminal, with the line as it now stands. */
  onKeypress(handler: (line: string) => void, input: NodeJS.ReadableStream): void {
    if (this.tty) input.on('keypress', () => handler(this.#rl.line));
  }

  close(): void {
    if (this.#promptShown) this.#output.write('\n');
    this.#promptShown = false;
    this.#rl.close();
  }
}

/** Asks for a secret on a terminal without echoing it; undefined on Ctrl-C or Ctrl-D. */
export function askHidden(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<string | undefined> {
  let muted = false;
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: true });
  return new Promise((resolve) => {
    let answered = false;
    const finish = (value: string | undefined) => {
      if (answered) return;
      answered = true;
      muted = false;
      output.write('\n');
      rl.close();
      resolve(value);
    };
    rl.on('SIGINT', () => finish(undefined));
    rl.on('close', () => finish(undefined));
    rl.question(question, (answer) => finish(answer));
    muted = true;
  });
}
