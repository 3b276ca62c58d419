/**
 * @module The rules a topology must keep beyond its shape: FQDN syntax and uniqueness, known sites and pools,
 * edition rules, listen addresses and storage paths that do not collide. Returns every problem found.
 */
import { poolPaths } from './compile-topology.js';
import { addressesCollide, parseListenAddress, type ListenAddress } from './listen-address.js';
import { checkBackupPairing } from './pairing-checks.js';
import type { TopologyIssue } from './topology-issue.js';
import type { TopologyDocument } from './topology-schema.js';
import { Edition } from './topology-types.js';

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const SECOND_MS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Why an FQDN is malformed, or undefined when it is fine. Expects the lower-cased name. */
export function fqdnProblem(
  name: string,
  example = 'for example atl-cs-001.litwareinc.com',
): string | undefined {
  if (!name.includes('.')) return `'${name}' is not fully qualified; add the domain, ${example}`;
  if (name.length > 253) return `'${name}' is longer than 253 characters`;
  const bad = name.split('.').find((label) => !LABEL.test(label) || label.length > 63);
  if (bad === undefined) return undefined;
  if (bad === '') return `'${name}' has an empty label (two dots in a row, or a dot at an end); ${example}`;
  return `label '${bad}' of '${name}' may hold only letters, digits and hyphens, must not start or end with a hyphen and has at most 63 characters; ${example}`;
}

function knownList(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

/** Hint for a misspelt name: the known name equal to it but for case, if any. */
function caseHint(name: string, known: readonly string[]): string {
  const close = known.find((k) => k.toLowerCase() === name.toLowerCase());
  return close === undefined ? '' : ` (did you mean '${close}'? names are case-sensitive)`;
}

function checkNamesAndSites(doc: TopologyDocument, issues: TopologyIssue[]): void {
  const add = (path: string, message: string) => issues.push({ path, message });
  const sipProblem = fqdnProblem(doc.sipDomain, 'for example litwareinc.com');
  if (sipProblem)
    add('sipDomain', `${sipProblem}; the SIP domain is the part of users' SIP addresses after the @`);

  const siteNames = doc.sites.map((s) => s.name);
  const seen = new Map<string, number>();
  doc.sites.forEach((site, i) => {
    const first = seen.get(site.name.toLowerCase());
    if (first !== undefined)
      add(
        `sites[${i}].name`,
        `site '${site.name}' is listed twice (also sites[${first}]); remove one, or rename it`,
      );
    else seen.set(site.name.toLowerCase(), i);
  });
  const checkSite = (path: string, site: string, what: string) => {
    if (!siteNames.includes(site)) {
      add(
        path,
        `${what} is in site '${site}', which is not in the topology${caseHint(site, siteNames)}; add it under sites or name one of: ${knownList(siteNames)}`,
      );
    }
  };

  doc.pools.forEach((pool, i) => {
    const p = fqdnProblem(pool.fqdn);
    if (p) add(`pools[${i}].fqdn`, p);
    checkSite(`pools[${i}].site`, pool.site, `pool ${pool.fqdn}`);
    pool.servers.forEach((server, j) => {
      const s = fqdnProblem(server.fqdn);
      if (s) add(`pools[${i}].servers[${j}].fqdn`, s);
    });
  });
  (doc.edgePools ?? []).forEach((edge, i) => {
    const p = fqdnProblem(edge.fqdn);
    if (p) add(`edgePools[${i}].fqdn`, p);
    checkSite(`edgePools[${i}].site`, edge.site, `Edge pool ${edge.fqdn}`);
  });
}

/** Every pool, server and Edge pool needs its own FQDN, but a Standard Edition server may share its pool's (as in Lync). */
function checkUniqueFqdns(doc: TopologyDocument, issues: TopologyIssue[]): void {
  const owners = new Map<string, string>();
  const claim = (fqdn: string, path: string, what: string) => {
    const owner = owners.get(fqdn);
    if (owner === undefined) {
      owners.set(fqdn, `${what} at ${path}`);
      return;
    }
    issues.push({
      path,
      message: `${fqdn} is already the FQDN of the ${owner}; every pool, front-end server and Edge pool needs its own FQDN (only a Standard Edition pool's single server may share its pool's FQDN)`,
    });
  };
  doc.pools.forEach((pool, i) => {
    claim(pool.fqdn, `pools[${i}].fqdn`, 'pool');
    pool.servers.forEach((server, j) => {
      if (pool.edition === Edition.Standard && server.fqdn === pool.fqdn) return;
      claim(server.fqdn, `pools[${i}].servers[${j}].fqdn`, 'server');
    });
  });
  (doc.edgePools ?? []).forEach((edge, i) => claim(edge.fqdn, `edgePools[${i}].fqdn`, 'Edge pool'));
}

function checkReferences(doc: TopologyDocument, issues: TopologyIssue[]): void {
  const poolNames = doc.pools.map((p) => p.fqdn);
  if (!poolNames.includes(doc.cmsPool)) {
    issues.push({
      path: 'cmsPool',
      message: `there is no pool ${doc.cmsPool} to host the Central Management Store; name one of: ${knownList(poolNames)}`,
    });
  }
  (doc.edgePools ?? []).forEach((edge, i) => {
    if (!poolNames.includes(edge.nextHopPool)) {
      issues.push({
        path: `edgePools[${i}].nextHopPool`,
        message: `Edge pool ${edge.fqdn} names next-hop pool ${edge.nextHopPool}, which is not in the topology; name one of the front-end pools: ${knownList(poolNames)}`,
      });
    }
  });
}

function checkEditionRules(doc: TopologyDocument, issues: TopologyIssue[]): void {
  doc.pools.forEach((pool, i) => {
    const count = pool.servers.length;
    if (pool.edition === Edition.Standard) {
      if (count !== 1) {
        issues.push({
          path: `pools[${i}].servers`,
          message: `Standard Edition pool ${pool.fqdn} has ${count} servers but must have exactly one; use edition: Enterprise for a pool of several front ends`,
        });
      }
      if (pool.store.kind !== 'sqlite') {
        issues.push({
          path: `pools[${i}].store`,
          message: `Standard Edition pool ${pool.fqdn} keeps its store on its one server; use store: { sqlite: <file> }, or edition: Enterprise for PostgreSQL`,
        });
      }
    } else if (count > 1 && pool.store.kind === 'sqlite') {
      issues.push({
        path: `pools[${i}].store`,
        message: `Enterprise pool ${pool.fqdn} has ${count} front-end servers, which share one store; a SQLite file cannot be shared, so use store: { postgres: <connection string> }`,
      });
    }
  });
}

function checkAddresses(doc: TopologyDocument, issues: TopologyIssue[]): void {
  const bound: { path: string; listen: ListenAddress }[] = [];
  doc.pools.forEach((pool, i) => {
    pool.servers.forEach((server, j) => {
      const path = `pools[${i}].servers[${j}].address`;
      if (server.linkAddress !== undefined) {
        const link = parseListenAddress(server.linkAddress);
        if ('error' in link)
          issues.push({ path: `pools[${i}].servers[${j}].linkAddress`, message: link.error });
      }
      const listen = parseListenAddress(server.address);
      if ('error' in listen) {
        issues.push({ path, message: listen.error });
        return;
      }
      const other = bound.find((b) => addressesCollide(b.listen, listen));
      if (other) {
        issues.push({
          path,
          message: `${listen.address} collides with ${other.path} (${other.listen.address}): both would listen on port ${listen.port} of the same host; give each server its own port`,
        });
      }
      bound.push({ path, listen });
    });
  });
}

function checkStoragePaths(doc: TopologyDocument, dataDir: string, issues: TopologyIssue[]): void {
  const sqliteOwners = new Map<string, number>();
  const folderOwners = new Map<string, number>();
  doc.pools.forEach((pool, i) => {
    const paths = poolPaths(pool, dataDir);
    const sqliteOwner = paths.sqlite === undefined ? undefined : sqliteOwners.get(paths.sqlite);
    if (paths.sqlite !== undefined && sqliteOwner !== undefined) {
      issues.push({
        path: `pools[${i}].store.sqlite`,
        message: `${paths.sqlite} is already the store of pools[${sqliteOwner}] (${doc.pools[sqliteOwner]?.fqdn}); each pool needs its own SQLite file`,
      });
    } else if (paths.sqlite !== undefined) sqliteOwners.set(paths.sqlite, i);
    const folderOwner = folderOwners.get(paths.fileStore);
    if (folderOwner !== undefined) {
      issues.push({
        path: `pools[${i}].fileStore`,
        message: `${paths.fileStore} is already the file store of pools[${folderOwner}] (${doc.pools[folderOwner]?.fqdn}); each pool needs its own folder (the default is files/<pool fqdn>)`,
      });
    } else folderOwners.set(paths.fileStore, i);
  });
}

function checkDurations(doc: TopologyDocument, issues: TopologyIssue[]): void {
  const inRange = (path: string, ms: number | undefined, what: string) => {
    if (ms !== undefined && (ms < SECOND_MS || ms > DAY_MS)) {
      issues.push({
        path,
        message: `${what} of ${ms / 1000} s is out of range; it must be from 1 second to 1 day (1.00:00:00)`,
      });
    }
  };
  doc.pools.forEach((pool, i) => {
    inRange(
      `pools[${i}].registrar.failureDetection`,
      pool.registrar?.failureDetection,
      'failure detection interval (Lync default 120 s)',
    );
    inRange(
      `pools[${i}].registrar.fallbackDetection`,
      pool.registrar?.fallbackDetection,
      'fallback detection interval (Lync default 240 s)',
    );
    inRange(
      `pools[${i}].registrar.keepaliveTimeout`,
      pool.registrar?.keepaliveTimeout,
      'endpoint keepalive timeout (default 90 s)',
    );
  });
  const lifetime = doc.security?.tokenLifetime;
  if (lifetime !== undefined && lifetime < SECOND_MS) {
    issues.push({
      path: 'security.tokenLifetime',
      message: `a token lifetime of ${lifetime} ms is too short; give at least 1 second (the default is 08:00:00)`,
    });
  }
  const session = doc.security?.sessionLifetime;
  if (session !== undefined && session < SECOND_MS) {
    issues.push({
      path: 'security.sessionLifetime',
      message: `a session lifetime of ${session} ms is too short; give at least 1 second (the default is 7.00:00:00)`,
    });
  }
}

/** Runs every rule over a document that passed the schema; the data folder resolves relative storage paths. */
export function semanticChecks(doc: TopologyDocument, dataDir: string): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  checkNamesAndSites(doc, issues);
  checkUniqueFqdns(doc, issues);
  checkBackupPairing(doc, issues);
  checkReferences(doc, issues);
  checkEditionRules(doc, issues);
  checkAddresses(doc, issues);
  checkStoragePaths(doc, dataDir, issues);
  checkDurations(doc, issues);
  return issues;
}
