/**
 * @module `tandem server --fqdn X`: runs one front-end server in this process until SIGTERM or SIGINT,
 * then closes it cleanly. An uncaught exception ends the process: its state is unknown.
 */
import { TandemServer } from './tandem-server.js';
import { createLogger } from '../logging/logger.js';
import { toTandemError } from '../errors/index.js';
import { makeDataFolderPrivate, usePrivateFileModes } from '../files/private-files.js';

export async function runServerMain(opts: {
  fqdn: string;
  dataDir: string;
  topologyPath?: string;
  acceptors?: number;
}): Promise<void> {
  usePrivateFileModes();
  makeDataFolderPrivate(opts.dataDir);
  const log = createLogger(opts.fqdn.toLowerCase());
  process.on('unhandledRejection', (reason) => {
    log.error({ err: toTandemError(reason).message }, 'unhandled rejection');
  });
  process.on('uncaughtException', (err) => {
    log.fatal({ err: err.message, stack: err.stack }, 'uncaught exception; exiting');
    process.exit(1);
  });
  let server: TandemServer;
  try {
    server = await TandemServer.create({
      serverFqdn: opts.fqdn,
      dataDir: opts.dataDir,
      log,
      ...(opts.topologyPath ? { topologyPath: opts.topologyPath } : {}),
      ...(opts.acceptors !== undefined ? { acceptors: opts.acceptors } : {}),
    });
    await server.listen();
  } catch (err) {
    const e = toTandemError(err);
    log.fatal({ code: e.code, err: e.message }, 'server failed to start');
    process.stderr.write(`tandem server ${opts.fqdn}: ${e.message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    server
      .close()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err: toTandemError(err).message }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
