/**
 * @module A front end's part in its pool (Get-CsPoolFabricState): the duties it holds with their epochs, how many
 * users it serves, and the pool store's record of every duty. Asked of every server of a pool; a server
 * that does not answer is down.
 */
import { z } from 'zod';
import type { DutyLeaseStore } from '../storage/index.js';
import type { HeldDuty } from '../duties/duty-runner.js';
import { everyReachable } from '../topology/pool-reach.js';
import type { PeerClient } from './peer-client.js';
import { EmptyBody, pathsOf, s2sContract } from './s2s-contract.js';
import { route, routeTable, type S2sRoutes } from './s2s-route-table.js';

const HeldDutySchema = z.object({ duty: z.string(), epoch: z.number() });
const DutyRecordSchema = HeldDutySchema.extend({ holder: z.string(), since: z.number(), held: z.boolean() });

export const DutyContracts = {
  state: s2sContract({
    path: '/s2s/v1/duties/state',
    request: EmptyBody,
    response: z.object({
      server: z.string(),
      usersServed: z.number(),
      holds: z.array(HeldDutySchema),
      /** The pool store's record of every duty: its last holder and epoch, and whether a session holds it. */
      records: z.array(DutyRecordSchema),
    }),
  }),
};
export const DutyPaths = pathsOf(DutyContracts);
export const DutyResetContracts = {
  handBack: s2sContract({
    path: '/s2s/v1/duties/hand-back',
    request: z.object({ stayOut: z.boolean() }),
    response: z.object({ server: z.string(), handedBack: z.array(HeldDutySchema), asking: z.boolean() }),
  }),
};
export const DutyResetPaths = pathsOf(DutyResetContracts);

export interface DutyRouteDeps {
  readonly self: string;
  readonly held: () => HeldDuty[];
  readonly usersServed: () => number;
  readonly leases: DutyLeaseStore;
  readonly handBack: (stayOut: boolean) => Promise<{ handedBack: HeldDuty[]; asking: boolean }>;
}

export function dutyRoutes(d: DutyRouteDeps): S2sRoutes {
  return routeTable(
    route(DutyContracts.state, async () => ({
      server: d.self,
      usersServed: d.usersServed(),
      holds: d.held(),
      records: await d.leases.holders(),
    })),
    route(DutyResetContracts.handBack, async ({ stayOut }) => ({
      server: d.self,
      ...(await d.handBack(stayOut)),
    })),
  );
}

export interface FrontEndState {
  readonly server: string;
  readonly up: boolean;
  readonly usersServed: number;
  readonly holds: readonly HeldDuty[];
}

export interface PoolDutiesView {
  readonly frontEnds: readonly FrontEndState[];
  /** As the pool store records them (empty when no front end answered). */
  readonly records: readonly z.output<typeof DutyRecordSchema>[];
}

/** Asks every server of a pool at once; those that do not answer are down. */
export async function poolDuties(peer: PeerClient, servers: readonly string[]): Promise<PoolDutiesView> {
  const answers = await everyReachable(servers, (s) => peer.call(s, DutyContracts.state, {}), {
    concurrent: true,
  });
  const byServer = new Map(answers.map((a) => [a.server, a.answer]));
  return {
    frontEnds: servers.map((server) => {
      const a = byServer.get(server);
      return { server, up: a !== undefined, usersServed: a?.usersServed ?? 0, holds: a?.holds ?? [] };
    }),
    records: answers[0]?.answer.records ?? [],
  };
}

/** Asks one front end to hand its duties back (Reset-CsPoolRegistrarState). */
export function handBackAt(
  peer: PeerClient,
  server: string,
  stayOut: boolean,
): Promise<{ server: string; handedBack: HeldDuty[]; asking: boolean }> {
  return peer.call(server, DutyResetContracts.handBack, { stayOut });
}
