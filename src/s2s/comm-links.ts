/**
 * @module The fabric over server-to-server links: user events and server calls to other servers travel as
 * signed requests; to this server they short-circuit into the local hub.
 */
import { z } from 'zod';
import type { Fabric, FabricReceiver } from '../delivery/fabric.js';
import {
  ServerCallSchema,
  UserEventSchema,
  type ServerCall,
  type UserEvent,
} from '../delivery/user-events.js';
import type { PeerClient } from './peer-client.js';
import { pathsOf, s2sContract } from './s2s-contract.js';
import { route, routeTable, type S2sRoutes } from './s2s-route-table.js';

export const CommContracts = {
  userEvent: s2sContract({
    path: '/s2s/v1/comm/user-event',
    request: z.object({ to: z.string().min(1), event: UserEventSchema }),
    response: z.object({ reached: z.number() }),
  }),
  /** A server call's answer is the callee's; its caller (presence, conferencing) reads it. */
  call: s2sContract({
    path: '/s2s/v1/comm/call',
    request: z.object({ message: ServerCallSchema }),
    response: z.unknown(),
  }),
};
export const CommPaths = pathsOf(CommContracts);

export function linkedFabric(opts: {
  self: string;
  peer: PeerClient;
  receiver: FabricReceiver;
  serversOf: (sip: string) => readonly string[];
}): Fabric {
  const { self, peer, receiver } = opts;
  return {
    self,
    serversOf: opts.serversOf,
    async sendToUser(sip: string, event: UserEvent): Promise<number> {
      const counts = await Promise.all(
        opts.serversOf(sip).map(async (server) => {
          if (server === self) return receiver.onUserEvent(sip, event);
          try {
            const res = await peer.call(server, CommContracts.userEvent, { to: sip, event });
            return res.reached;
          } catch {
            // An unreachable server reaches nobody; the caller sees 0 and reports the user offline.
            return 0;
          }
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
    async call(server: string, message: ServerCall): Promise<unknown> {
      if (server === self) return receiver.onServerCall(message, self);
      return peer.call(server, CommContracts.call, { message }, { timeoutMs: 10_000 });
    },
  };
}

export function commRoutes(receiver: FabricReceiver): S2sRoutes {
  return routeTable(
    route(CommContracts.userEvent, async ({ to, event }) => ({
      reached: await receiver.onUserEvent(to, event),
    })),
    route(CommContracts.call, async ({ message }, from) => receiver.onServerCall(message, from)),
  );
}
