/**
 * @module What `tandem up` records in the data folder: the deployment it runs (topology file) and, per
 * server, its pid and address, so that `tandem down` and the shell can find them.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const DeploymentRecordSchema = z.object({
  topologyPath: z.string(),
  dataDir: z.string(),
  startedAt: z.number(),
});
export type DeploymentRecord = z.infer<typeof DeploymentRecordSchema>;

export const ServerRecordSchema = z.object({
  fqdn: z.string(),
  pool: z.string(),
  pid: z.number().int(),
  address: z.string(),
  supervisorPid: z.number().int(),
  startedAt: z.number(),
});
export type ServerRecord = z.infer<typeof ServerRecordSchema>;

const runDir = (dataDir: string) => join(dataDir, 'run');
const serversDir = (dataDir: string) => join(runDir(dataDir), 'servers');

export function writeDeploymentRecord(rec: DeploymentRecord): void {
  mkdirSync(runDir(rec.dataDir), { recursive: true });
  writeFileSync(join(runDir(rec.dataDir), 'deployment.json'), `${JSON.stringify(rec, null, 2)}\n`);
}

export function readDeploymentRecord(dataDir: string): DeploymentRecord | undefined {
  const path = join(runDir(dataDir), 'deployment.json');
  if (!existsSync(path)) return undefined;
  try {
    return DeploymentRecordSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

export function writeServerRecord(dataDir: string, rec: ServerRecord): void {
  mkdirSync(serversDir(dataDir), { recursive: true });
  writeFileSync(join(serversDir(dataDir), `${rec.fqdn}.json`), `${JSON.stringify(rec, null, 2)}\n`);
}

export function removeServerRecord(dataDir: string, fqdn: string): void {
  rmSync(join(serversDir(dataDir), `${fqdn}.json`), { force: true });
}

export function readServerRecords(dataDir: string): ServerRecord[] {
  const dir = serversDir(dataDir);
  if (!existsSync(dir)) return [];
  const out: ServerRecord[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    try {
      out.push(ServerRecordSchema.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
    } catch {
      // A torn record is ignored; the process it named is found again by `tandem up`.
    }
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
