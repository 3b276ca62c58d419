/**
 * @module A TCP proxy for failure tests: forwards a local port to a target, and can cut the link (every
 * connection is destroyed and new ones are refused), black-hole it (packets vanish: connections hang, as when
 * a site is lost behind a router), and heal it again. Started with `record`, it also keeps every byte that
 * passed, connection by connection, so that a test can show what a capture of the link would hold.
 */
import net from 'node:net';

/** The bytes one connection carried through the proxy, each direction in the order it passed. */
export interface Recording {
  readonly toTarget: Buffer;
  readonly fromTarget: Buffer;
}

export interface TcpProxyOptions {
  /** Keep every byte forwarded, from each connection's first byte on (kept in memory: for tests). */
  readonly record?: boolean;
}

export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private cutNow = false;
  private holeNow = false;
  /** Connections refused while the link was cut: a test waits for one to know a call met the cut. */
  refused = 0;
  private readonly chunks: { readonly toTarget: Buffer[]; readonly fromTarget: Buffer[] }[] = [];

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(
    target: { host: string; port: number },
    port = 0,
    opts: TcpProxyOptions = {},
  ): Promise<TcpProxy> {
    // The connection handler needs the proxy, which exists only once the server listens.
    const holder: { proxy?: TcpProxy } = {};
    const server = net.createServer((client) => {
      const proxy = holder.proxy;
      if (!proxy || proxy.cutNow) {
        if (proxy) proxy.refused += 1;
        client.destroy();
        return;
      }
      const p = proxy;
      if (p.holeNow) {
        // Accepted and never answered; held until the hole heals or the peer gives up.
        p.sockets.add(client);
        client.on('error', () => client.destroy()).on('close', () => p.sockets.delete(client));
        return;
      }
      const upstream = net.connect(target.port, target.host);
      p.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        p.sockets.delete(client);
        p.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
      if (opts.record) {
        const r = { toTarget: [] as Buffer[], fromTarget: [] as Buffer[] };
        p.chunks.push(r);
        client.on('data', (b: Buffer) => r.toTarget.push(b));
        upstream.on('data', (b: Buffer) => r.fromTarget.push(b));
      }
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    const addr = server.address();
    holder.proxy = new TcpProxy(server, typeof addr === 'object' && addr ? addr.port : port);
    return holder.proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /**
   * What every connection carried so far, in the order the connections were accepted (empty unless started
   * with `record`). Bytes a black hole swallowed are not in it: they never reached the other side.
   */
  recordings(): Recording[] {
    return this.chunks.map((r) => ({
      toTarget: Buffer.concat(r.toTarget),
      fromTarget: Buffer.concat(r.fromTarget),
    }));
  }

  /** Cuts the link: open connections die, new ones are reset at once. */
  cut(): void {
    this.cutNow = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Black-holes the link: open connections go silent, new ones are accepted and never answered. */
  blackhole(): void {
    this.holeNow = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  heal(): void {
    this.cutNow = false;
    if (this.holeNow) {
      // Connections that went silent are dropped: their peers retry on fresh ones.
      this.holeNow = false;
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
