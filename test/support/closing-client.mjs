// A client alone in its process, for src/client-sdk/close.test.ts: it runs one close() scenario, prints what it
// saw as one JSON line, and must then let the process exit by itself. Any timer or socket the closed client left
// behind keeps the process alive, which the test sees as a process that never exits: a check that holds however
// loaded the machine is, unlike counting timers in the test runner's own process. It also counts the timers
// alive right after close(), for a timer short enough to end before anyone would notice the process linger.
import { TandemClient } from '../../dist/client-sdk/index.js';

const [scenario, url] = process.argv.slice(2);
// In a process of its own the client's timers are the only ones, so this count is exact whatever the load.
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const errorCode = (promise) =>
  promise.then(
    () => 'resolved',
    (e) => e.code,
  );

function client(options) {
  return new TandemClient({
    urls: [url],
    // The SDK tests' CA, which the test server's certificate chains to.
    ca: process.env.CLOSING_CLIENT_CA,
    user: 'sip:alice@litwareinc.com',
    password: 'secret',
    random: () => 0.5,
    ...options,
  });
}

async function signedIn() {
  // Pings every 20 ms, and requests that a stalled process cannot time out before close().
  const c = client({ keepaliveIntervalMs: 20, requestTimeoutMs: 600_000 });
  await c.connect();
  await c.ping();
  const pending = errorCode(c.listContacts());
  const states = [c.state()];
  c.on('state', (s) => states.push(s));
  await c.close();
  const timersAfterClose = timers();
  return {
    timersAfterClose,
    states,
    pending: await pending,
    connectAfter: await errorCode(c.connect()),
    pingAfter: await errorCode(c.ping()),
  };
}

async function retrying() {
  const c = client({ reconnect: { initialDelayMs: 30, maxDelayMs: 30 } });
  const connecting = errorCode(c.connect());
  await new Promise((resolve) => c.once('retrying', resolve));
  await c.close();
  return { timersAfterClose: timers(), connecting: await connecting, state: c.state() };
}

const result = scenario === 'signed-in' ? await signedIn() : await retrying();
process.stdout.write(`${JSON.stringify(result)}\n`);
