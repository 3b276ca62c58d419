/**
 * @module Runs server-side cmdlets for the admin API: authenticates the administrator, validates the request
 * against the cmdlet registry, enforces RBAC, and dispatches to the handler. Knows nothing of HTTP.
 */
import { issuesText, safeParse } from '../json/safe-parse.js';
import type { z } from 'zod';
import type { CmdletDef, ParamDef, BoundValue } from '../cmdlets/cmdlet-def.js';
import { COMMON_PARAMS } from '../cmdlets/cmdlet-def.js';
import type { CmdletRegistry } from '../cmdlets/registry.js';
import { isAdminRole, roleMayRun, rolesAllowed } from '../cmdlets/rbac.js';
import type { CmsService } from '../cms/cms-service.js';
import { adminSecretMatches, parseAdminAuthorization } from '../security/admin-credential.js';
import { TandemError } from '../errors/index.js';
import { AdminLimits } from './admin-limits.js';
import { RunRequestSchema } from './admin-envelope.js';
import type { AdminRole } from '../cmdlets/cmdlet-def.js';
import type { CmdletContext, CmdletResult, HandlerTable, Progress } from './cmdlet-handler.js';
import { fieldOf } from '../json/json-shape.js';
import { DATE_TIME_FORMATS, parseDateTime } from '../timing/date-time.js';

export type RunRequest = z.infer<typeof RunRequestSchema>;

export interface RunSink {
  verbose(message: string): void;
  warn(message: string): void;
  progress(p: Progress): void;
}

export interface Administrator {
  readonly name: string;
  readonly role: AdminRole;
}

export interface CmdletRunnerOptions {
  readonly registry: CmdletRegistry;
  readonly handlers: HandlerTable;
  readonly cms: CmsService;
  readonly serverFqdn: string;
  readonly poolFqdn: string;
  /** Where the deployment wrote its first administrator credential, named in refusals. */
  readonly credentialHint: string;
}

export class CmdletRunner {
  constructor(private readonly opts: CmdletRunnerOptions) {}

  authenticate(authorization: string | undefined): Administrator {
    const fail = (detail: string) =>
      new TandemError('ADMIN_UNAUTHENTICATED', { detail, path: this.opts.credentialHint });
    const cred = parseAdminAuthorization(authorization);
    if (!cred) throw fail('no credential was sent');
    const admin = this.opts.cms.view.admin(cred.name);
    // The same answer for an unknown name and a wrong secret.
    if (!admin || !adminSecretMatches(cred.secret, admin.secretHash))
      throw fail('the credential is not valid');
    if (!isAdminRole(admin.role)) throw fail(`the credential has an unknown role ${admin.role}`);
    return { name: admin.name, role: admin.role };
  }

  /** The registry's spelling of a server cmdlet's name; undefined for a name it does not know. */
  cmdletName(name: string): string | undefined {
    const def = this.opts.registry.find(name);
    return def?.runsOn === 'server' ? def.name : undefined;
  }

  async run(admin: Administrator, body: unknown, sink: RunSink): Promise<CmdletResult> {
    checkSizes(body);
    const parsed = safeParse(RunRequestSchema, body);
    if (!parsed.success) {
      throw new TandemError('ADMIN_BAD_REQUEST', {
        detail: issuesText(parsed.error, 'body'),
      });
    }
    const req = parsed.data;
    const def = this.opts.registry.find(req.cmdlet);
    if (!def || def.runsOn !== 'server') {
      throw new TandemError('SHELL_UNKNOWN_CMDLET', { name: req.cmdlet, suggestion: '' });
    }
    if (!roleMayRun(admin.role, def)) {
      throw new TandemError('ADMIN_FORBIDDEN', {
        admin: admin.name,
        role: admin.role,
        cmdlet: def.name,
        roles: rolesAllowed(def).join(', '),
      });
    }
    if (def.notYetAvailable) {
      throw new TandemError('NOT_YET_AVAILABLE', {
        feature: def.notYetAvailable,
        hint: `${def.name} is recognised but does nothing yet.`,
      });
    }
    const params = validateParams(def, req.params);
    const handler = this.opts.handlers[def.name];
    if (!handler) throw new TandemError('INTERNAL', { detail: `no handler for ${def.name}` });
    const ctx: CmdletContext = {
      serverFqdn: this.opts.serverFqdn,
      poolFqdn: this.opts.poolFqdn,
      cms: this.opts.cms,
      topology: () => this.opts.cms.topology(),
      admin,
      common: req.common,
      attachments: req.attachments,
      verbose: (m) => {
        if (req.common.verbose) sink.verbose(m);
      },
      warn: (m) => sink.warn(m),
      progress: (p) => sink.progress(p),
    };
    return handler(params, ctx);
  }
}

/** Re-checks what the shell bound: known names, runtime types, required parameters. */
function validateParams(def: CmdletDef, given: Record<string, BoundValue>): Record<string, BoundValue> {
  const byName = new Map<string, ParamDef>();
  for (const p of [...COMMON_PARAMS, ...def.params]) byName.set(p.name.toLowerCase(), p);
  const out: Record<string, BoundValue> = {};
  for (const [name, value] of Object.entries(given)) {
    const p = byName.get(name.toLowerCase());
    if (!p) throw new TandemError('SHELL_UNKNOWN_PARAMETER', { cmdlet: def.name, name, suggestion: '' });
    if (!typeMatches(p, value)) {
      throw new TandemError('SHELL_BAD_VALUE', {
        value: shortValue(value),
        name: p.name,
        cmdlet: def.name,
        reason: p.type === 'datetime' ? `expected ${DATE_TIME_FORMATS}` : `expected ${p.type}`,
      });
    }
    out[p.name] = value;
  }
  for (const p of def.params) {
    if (p.required && out[p.name] === undefined) {
      throw new TandemError('SHELL_MISSING_PARAMETER', { cmdlet: def.name, name: p.name, type: p.type });
    }
  }
  return out;
}

/**
 * The size limits, checked before the schema so that the refusal names the parameter and the limit (a
 * union's schema error would only say "invalid input"), and never quotes what was sent.
 */
function checkSizes(body: unknown): void {
  const params = fieldOf(body, 'params');
  if (typeof params !== 'object' || params === null) return;
  const entries = Object.entries(params);
  const over = (what: string, limit: string) => new TandemError('REQUEST_TOO_LARGE', { what, limit });
  if (entries.length > AdminLimits.maxParams)
    throw over('The number of parameters', `${AdminLimits.maxParams}`);
  for (const [name, v] of entries) {
    const label = `The value of -${name.slice(0, 100)}`;
    if (Array.isArray(v) && v.length > AdminLimits.maxArrayItems)
      throw over(`The list given for -${name.slice(0, 100)}`, `${AdminLimits.maxArrayItems} items`);
    const items: unknown[] = Array.isArray(v) ? v : [v];
    if (items.some((i) => typeof i === 'string' && i.length > AdminLimits.maxValueChars))
      throw over(label, `${AdminLimits.maxValueChars} characters`);
  }
}

/** A value as an error quotes it: never more than a line, whatever was sent. */
function shortValue(value: BoundValue): string {
  if (Array.isArray(value)) return `(a list of ${value.length} item(s))`;
  const text = String(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

function typeMatches(p: ParamDef, value: BoundValue): boolean {
  switch (p.type) {
    case 'switch':
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
    case 'timespan':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (p.min === undefined || value >= p.min) &&
        (p.max === undefined || value <= p.max)
      );
    case 'datetime':
      return typeof value === 'string' && parseDateTime(value) !== undefined;
    case 'string[]':
      return Array.isArray(value);
    case 'enum':
      return typeof value === 'string' && (p.values ?? []).includes(value);
    case 'string':
    case 'fqdn':
    case 'identity':
    case 'path':
      return typeof value === 'string';
  }
}
