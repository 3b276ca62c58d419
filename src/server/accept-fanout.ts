/**
 * @module More acceptors for one listening socket. libuv (1.45 and later, so Node 20) accepts at most one
 * connection per listening descriptor per event-loop iteration (libuv PR #3696). While a busy server's
 * iterations each take milliseconds, a failover that sends every user of a pool here at once then finds
 * the kernel's accept queue full: connection attempts are dropped, retried by TCP only seconds later, and
 * the clients' handshakes time out. Node 20 has no SO_REUSEPORT, so this obtains duplicates of the listening
 * descriptor instead, as Node's cluster module does: the socket's handle goes to a short-lived helper
 * process and back over IPC (SCM_RIGHTS), and each duplicate is listened on. Every iteration then accepts up
 * to one connection per descriptor, all from the same kernel queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** The helper: every handle it receives it sends straight back. It never listens on one itself. */
const HELPER_SOURCE =
  "process.on('message', (m, h) => process.send(m, h)); process.on('disconnect', () => process.exit(0));";

/** How long the helper may take to hand the duplicates back before the server goes on without them. */
const HELPER_TIMEOUT_MS = 10_000;

interface Handled {
  readonly _handle?: unknown;
}

/**
 * Listens on `count - 1` duplicates of `server`'s listening socket, handing their connections to `server`.
 * Resolves with the extra servers (close them with the server); rejects when the duplicates could not be
 * made, in which case the server keeps accepting on its own descriptor.
 */
export async function addAcceptors(
  server: net.Server,
  count: number,
  backlog: number,
): Promise<net.Server[]> {
  const handle = (server as Handled)._handle;
  if (count <= 1 || handle === undefined || handle === null) return [];
  const helper = spawn(process.execPath, ['-e', HELPER_SOURCE], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const extras: net.Server[] = [];
  try {
    for (let i = 1; i < count; i++) {
      const copy = await roundTrip(helper, handle as net.Server);
      const extra = new net.Server();
      extra.on('connection', (socket: net.Socket) => server.emit('connection', socket));
      await new Promise<void>((resolve, reject) => {
        extra.once('error', reject);
        // listen() on a duplicate sets the socket's queue length again: keep the server's.
        extra.listen(copy, backlog, () => resolve());
      });
      extras.push(extra);
    }
    return extras;
  } catch (err) {
    for (const e of extras) e.close();
    throw err;
  } finally {
    // The helper holds its own descriptors of the socket until it exits: wait, so that the port is free
    // whenever the server has closed.
    if (helper.exitCode === null && helper.signalCode === null) {
      const exited = new Promise((resolve) => helper.once('exit', resolve));
      helper.kill('SIGKILL');
      await exited;
    }
  }
}

/** Sends the raw handle (not the server: the helper must never start accepting) and awaits its copy. */
function roundTrip(helper: ChildProcess, handle: net.Server): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('the accept helper did not answer')), HELPER_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`the accept helper exited (${code})`));
    const onMessage = (_m: unknown, copy: unknown) => {
      cleanup();
      if (copy === undefined || copy === null) reject(new Error('the accept helper sent no handle'));
      else resolve(copy as net.Server);
    };
    function cleanup(): void {
      clearTimeout(timer);
      helper.off('exit', onExit);
      helper.off('message', onMessage);
    }
    function fail(err: Error): void {
      cleanup();
      reject(err);
    }
    helper.once('exit', onExit);
    helper.once('message', onMessage);
    helper.send({ duplicate: true }, handle, (err) => {
      if (err) fail(err);
    });
  });
}
