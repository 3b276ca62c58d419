/**
 * The terminal client, driven as a person would through the real `tandem client` process (stdin piped, so
 * not a TTY: plain lines, no ANSI codes), against a real deployment, with bob on the SDK at the other pool.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient, type ConfInvitedPush, type ImInvitedPush } from '../../src/client-sdk/index.js';
import { BIN, Cluster, REPO } from '../../src/devkit/cluster.js';
import { patient } from '../../src/devkit/patience.js';
import { caCertPath } from '../../src/certificates/deployment-pki.js';

const PASSWORD = 'Test-Password-1';
let c: Cluster;
let bob: TandemClient;

beforeAll(async () => {
  c = await Cluster.start({ users: 6 });
  bob = new TandemClient({
    urls: [`wss://${c.fixture.dal.address}/v1/client`],
    ca: c.ca,
    user: 'sip:bob@litwareinc.com',
    password: PASSWORD,
  });
  await bob.connect();
});
afterAll(async () => {
  await bob?.close();
  await c?.stop();
});

/** The client process, its output so far, and a wait for a line matching a pattern. */
class TerminalUnderTest {
  output = '';
  readonly exited: Promise<number>;
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  }
  /** The exit code; fails after 10 s (stretched by the test patience) showing the output. */
  async exitCode(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running:\n${this.output}`)), patient(10_000));
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
  type(line: string): number {
    const mark = this.output.length;
    this.child.stdin.write(`${line}\n`);
    return mark;
  }
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 5_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + patient(timeoutMs);
    for (;;) {
      const match = this.output.slice(from).match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} in the output:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** The next push of a kind to an SDK client; after 5 s, fails showing what the terminal printed. */
function next<T>(
  client: TandemClient,
  event: 'im.invited' | 'conf.invited' | 'im.message',
  shown: TerminalUnderTest,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event}; the terminal shows:\n${shown.output}`)),
      5_000,
    );
    client.once(event, (p: unknown) => {
      clearTimeout(timer);
      resolve(p as T);
    });
  });
}

describe('tandem client', () => {
  it('shows live presence, chats, runs a conference and signs out cleanly', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'client', 'sip:alice@litwareinc.com', '--topology', c.topologyPath, '--data', c.dataDir],
      { cwd: REPO, env: { ...process.env, TANDEM_PASSWORD: PASSWORD }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const alice = new TerminalUnderTest(child);
    await alice.waitFor(/^Signed in as Alice Smith \(sip:alice@litwareinc\.com\)$/m);
    await alice.waitFor(/^ {2}pool atl-cs-001\.litwareinc\.com .*regular mode$/m);
    await alice.waitFor(/^\* no contacts yet/m);

    // Contacts: added, then listed with bob's live presence; bob is watched from then on.
    let mark = alice.type('/add bob Team');
    await alice.waitFor(/^\* added bob \(Bob Jones\) to Team — Online$/m, mark);
    mark = alice.type('/contacts');
    await alice.waitFor(/^Contacts \(1\):\n {2}Team\n {4}bob {2}Bob Jones {2}Online$/m, mark);
    mark = alice.output.length;
    await bob.publishPresence('Busy', 'in a call');
    await alice.waitFor(/^\* bob is now Busy — "in a call"$/m, mark);

    // IM: alice invites with a first message, bob accepts, they exchange messages.
    const invited = next<ImInvitedPush>(bob, 'im.invited', alice);
    mark = alice.type('/im bob hello bob');
    const invitation = await invited;
    expect(invitation).toMatchObject({ from: 'sip:alice@litwareinc.com', text: 'hello bob' });
    await bob.acceptIm(invitation.sessionId);
    await alice.waitFor(/^\* bob accepted — type to chat$/m, mark);
    const received = next<{ text: string }>(bob, 'im.message', alice);
    alice.type("how's it going?");
    expect((await received).text).toBe("how's it going?");
    mark = alice.output.length;
    await bob.sendIm(invitation.sessionId, 'fine, thanks');
    await alice.waitFor(/^\[bob\] fine, thanks$/m, mark);

    // Conference: alice creates it and invites bob, bob joins, alice sees him arrive and the roster.
    mark = alice.type('/conf Planning');
    await alice.waitFor(/^\* conference "Planning" created/m, mark);
    const confInvited = next<ConfInvitedPush>(bob, 'conf.invited', alice);
    alice.type('/invite bob');
    const { confId, subject } = await confInvited;
    expect(subject).toBe('Planning');
    mark = alice.output.length;
    await bob.joinConference(confId);
    await alice.waitFor(/^\* bob joined "Planning" — 2 in the conference$/m, mark);
    mark = alice.type('/roster');
    await alice.waitFor(
      /^"Planning" — 2 in the conference .*\n {2}alice +Alice Smith +organizer\n {2}bob +Bob Jones +attendee$/m,
      mark,
    );
    mark = alice.output.length;
    await bob.sendConferenceMessage(confId, 'agenda first');
    await alice.waitFor(/^\[Planning\] bob: agenda first$/m, mark);

    mark = alice.type('/quit');
    expect(await alice.exitCode()).toBe(0);
    expect(alice.output.slice(mark)).toMatch(/^\* signed out$/m);
    expect(alice.output.includes('\u001b[')).toBe(false); // no ANSI codes off a terminal
    expect(alice.output).not.toMatch(/^!/m);
  });

  it('takes a short name and a password from piped stdin, signs out at end of input, refuses a wrong password', async () => {
    const unset = new TerminalUnderTest(
      spawn(process.execPath, [BIN, 'client', 'carol', '--password-env', 'NO_SUCH_VARIABLE'], {
        cwd: REPO,
        env: { ...process.env, TANDEM_TOPOLOGY: c.topologyPath, TANDEM_DATA: c.dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    expect(await unset.exitCode()).toBe(1);
    expect(unset.output).toBe('tandem client: the environment variable NO_SUCH_VARIABLE is not set\n');

    const wrong = new TerminalUnderTest(
      spawn(
        process.execPath,
        [
          BIN,
          'client',
          'sip:carol@litwareinc.com',
          '--server',
          c.fixture.atl.address,
          // No data folder named: the CA to trust is given instead.
          '--ca-file',
          caCertPath(c.dataDir),
        ],
        {
          cwd: REPO,
          env: { ...process.env, TANDEM_PASSWORD: 'wrong-password' },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      ),
    );
    expect(await wrong.exitCode()).toBe(1);
    expect(wrong.output).toMatch(/^! signin refused: Sign-in failed: wrong user name or password\.$/m);
    expect(wrong.output).not.toMatch(/\n\s+at /);

    const carol = new TerminalUnderTest(
      spawn(process.execPath, [BIN, 'client', 'carol', '--topology', c.topologyPath, '--data', c.dataDir], {
        cwd: REPO,
        env: { ...process.env, TANDEM_PASSWORD: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    carol.child.stdin.end(`${PASSWORD}\n/whoami\n`);
    expect(await carol.exitCode()).toBe(0);
    expect(carol.output).toMatch(/^Carol Diaz \(sip:carol@litwareinc\.com\)\n {2}connection signed-in/m);
    expect(carol.output).toMatch(/^\* signed out$/m);
  });
});
