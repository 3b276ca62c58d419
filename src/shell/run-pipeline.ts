/**
 * @module Runs one parsed command line: binds each command against the registry, runs the first at a
 * server of the deployment (or in the shell), filters through Where-Object stages, and prints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bindCommand, type BoundCommand } from '../cmdlets/grammar/binder.js';
import type { Pipeline } from '../cmdlets/grammar/parser.js';
import { compileWhereObject } from '../cmdlets/grammar/where-object.js';
import type { CmdletRegistry } from '../cmdlets/registry.js';
import { TandemError, toTandemError } from '../errors/index.js';
import type { CmdletResult, OutputRecord } from '../management/cmdlet-handler.js';
import { formatAdminAuthorization } from '../security/admin-credential.js';
import { formatRecords } from './format/format-output.js';
import { renderCommandList, renderHelp } from './help/render-help.js';
import { runAtDeployment } from './admin-client.js';
import type { Deployment } from './deployment-locator.js';
import type { ShellCredential } from './credential.js';
import type { ShellIO } from './shell-io.js';

export interface ShellSession {
  readonly registry: CmdletRegistry;
  readonly io: ShellIO;
  readonly json: boolean;
  deployment(): Deployment;
  credential(): ShellCredential;
}

/** Runs a pipeline; returns the exit code (0 success, 1 failure). Never throws. */
export async function runPipeline(pipeline: Pipeline, session: ShellSession): Promise<number> {
  const first = pipeline[0];
  if (!first) return 0;
  let name = first.name;
  try {
    const bound = bindCommand(first, session.registry);
    name = bound.def.name;
    const stages = pipeline.slice(1).map((cmd) => {
      const b = bindCommand(cmd, session.registry);
      if (b.def.name !== 'Where-Object') {
        throw new TandemError('INVALID_ARGUMENT', {
          detail: `only Where-Object may follow a pipe here, not ${b.def.name}.`,
        });
      }
      return compileWhereObject(cmd.args);
    });
    const result = await runFirst(bound, session);
    let records = result.records;
    for (const keep of stages) records = records.filter((r) => keep(r));
    print({ ...result, records }, session);
    return 0;
  } catch (err) {
    session.io.endProgress();
    const e = toTandemError(err);
    session.io.err(`${name} : ${e.message}${e.code === 'INTERNAL' ? '' : `\n    + ErrorCode: ${e.code}`}`);
    return 1;
  }
}

async function runFirst(bound: BoundCommand, session: ShellSession): Promise<CmdletResult> {
  const { def, params, common } = bound;
  if (def.runsOn === 'shell') return runInShell(bound, session);
  if (def.notYetAvailable) {
    throw new TandemError('NOT_YET_AVAILABLE', {
      feature: def.notYetAvailable,
      hint: `${def.name} is recognised but does nothing yet.`,
    });
  }
  const attachments: Record<string, string> = {};
  for (const p of def.params) {
    const value = params[p.name];
    if (p.file === 'read' && typeof value === 'string') {
      try {
        attachments[p.name] = readFileSync(resolve(value)).toString(
          p.attach === 'base64' ? 'base64' : 'utf8',
        );
      } catch (err) {
        throw new TandemError('INVALID_ARGUMENT', {
          detail: `cannot read -${p.name} ${value}: ${(err as Error).message}`,
        });
      }
    }
  }
  const deployment = session.deployment();
  const authorization = formatAdminAuthorization(session.credential());
  const events = {
    verbose: (m: string, at: number) =>
      session.io.err(`VERBOSE: ${new Date(at).toISOString().slice(11, 23)} ${m}`),
    warning: (m: string) => session.io.err(`WARNING: ${m}`),
    progress: (p: Parameters<ShellIO['progress']>[0]) => session.io.progress(p),
  };
  const request = (whatIf: boolean) => ({
    cmdlet: def.name,
    params: { ...params },
    common: { ...common, whatIf },
    attachments,
  });
  if (common.confirm && !common.whatIf) {
    const plan = await runAtDeployment(deployment, authorization, request(true), events);
    print(plan.result, session);
    if (!session.io.interactive) {
      throw new TandemError('SHELL_CANCELLED', {
        cmdlet: `${def.name} (-Confirm needs a terminal to answer; drop -Confirm to run it)`,
      });
    }
    if (!(await session.io.confirm(`Confirm: perform ${def.name}?`)))
      throw new TandemError('SHELL_CANCELLED', { cmdlet: def.name });
  }
  const { result } = await runAtDeployment(deployment, authorization, request(common.whatIf), events);
  session.io.endProgress();
  writeExport(bound, result, session);
  return result;
}

/**
 * Writes an export to the path the shell's user typed, and only for a cmdlet the registry declares as
 * exporting (a `file: 'write'` parameter): the path an answer names is ignored, so a rogue server cannot
 * choose where the shell writes. The file is the user's alone (0600): a topology may hold secrets.
 */
function writeExport(bound: BoundCommand, result: CmdletResult, session: ShellSession): void {
  if (!result.file) return;
  const param = bound.def.params.find((p) => p.file === 'write');
  const typed = param ? bound.params[param.name] : undefined;
  if (typeof typed !== 'string') {
    session.io.err(
      `WARNING: the server answered ${bound.def.name} with a file; ${bound.def.name} exports nothing, so it was not written.`,
    );
    return;
  }
  try {
    writeFileSync(resolve(typed), result.file.content, { mode: 0o600 });
  } catch (err) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `cannot write -${param?.name ?? 'FileName'} ${typed}: ${(err as Error).message}`,
    });
  }
}

function runInShell(bound: BoundCommand, session: ShellSession): Promise<CmdletResult> {
  const { def, params } = bound;
  switch (def.name) {
    case 'Get-Help': {
      const target = typeof params.Name === 'string' ? params.Name : 'Get-Help';
      const found = session.registry.find(target);
      if (!found) throw new TandemError('SHELL_UNKNOWN_CMDLET', { name: target, suggestion: '' });
      return Promise.resolve({
        records: [],
        text: renderHelp(found, { examplesOnly: params.Examples === true }),
      });
    }
    case 'Get-Command':
      return Promise.resolve({
        records: [],
        text: renderCommandList(
          session.registry.all(),
          typeof params.Name === 'string' ? params.Name : undefined,
        ),
      });
    default:
      throw new TandemError('INVALID_ARGUMENT', {
        detail: `${def.name} filters the output of another cmdlet; put it after a pipe (|).`,
      });
  }
}

function print(result: CmdletResult, session: ShellSession): void {
  if (session.json) {
    session.io.out(
      JSON.stringify(
        result.text !== undefined && result.records.length === 0 ? { text: result.text } : result.records,
        null,
        2,
      ),
    );
    return;
  }
  if (result.text !== undefined) session.io.out(result.text);
  if (result.records.length > 0) {
    session.io.out(formatRecords(result.records.map(reviveDates), { view: result.view ?? 'auto' }));
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** Dates cross the admin API as ISO strings; people read them as local times. */
function reviveDates(record: OutputRecord): OutputRecord {
  const out: OutputRecord = {};
  for (const [k, v] of Object.entries(record))
    out[k] = typeof v === 'string' && ISO_DATE.test(v) ? new Date(v) : v;
  return out;
}
