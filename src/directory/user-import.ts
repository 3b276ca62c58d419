/**
 * @module Bulk user import from CSV: `SipAddress,DisplayName,RegistrarPool[,Password|PasswordHash]` with a
 * header line. Every line is validated before anything is created.
 */
import { TandemError } from '../errors/index.js';
import { normalizeSip } from './sip-address.js';
import { passwordHashProblem } from '../security/password-hash.js';

export interface ImportRow {
  readonly line: number;
  readonly sip: string;
  readonly displayName: string;
  readonly pool: string;
  readonly password?: string;
  readonly passwordHash?: string;
}

/** Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF). */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (quoted)
    throw new TandemError('USER_IMPORT_INVALID', { line: rowLine, detail: 'a quoted field is not closed' });
  fields.push(field);
  if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields });
  return rows;
}

const REQUIRED = ['sipaddress', 'displayname', 'registrarpool'] as const;

export function parseUserCsv(text: string, knownPools: ReadonlySet<string>): ImportRow[] {
  const rows = parseCsv(text);
  const header = rows.shift();
  if (!header) throw new TandemError('USER_IMPORT_INVALID', { line: 1, detail: 'the file is empty' });
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  for (const r of REQUIRED) {
    if (!cols.includes(r)) {
      throw new TandemError('USER_IMPORT_INVALID', {
        line: header.line,
        detail: `the header needs a ${r} column; expected SipAddress,DisplayName,RegistrarPool[,Password|PasswordHash]`,
      });
    }
  }
  const at = (fields: string[], name: string) => {
    const i = cols.indexOf(name);
    return i < 0 ? undefined : (fields[i] ?? '').trim();
  };
  const seen = new Set<string>();
  return rows.map(({ line, fields }) => {
    if (fields.length !== cols.length) {
      throw new TandemError('USER_IMPORT_INVALID', {
        line,
        detail: `${fields.length} fields, but the header has ${cols.length}`,
      });
    }
    const rawSip = at(fields, 'sipaddress') ?? '';
    const sip = normalizeSip(rawSip);
    if (!sip)
      throw new TandemError('USER_IMPORT_INVALID', { line, detail: `'${rawSip}' is not a SIP address` });
    if (seen.has(sip)) throw new TandemError('USER_IMPORT_INVALID', { line, detail: `${sip} appears twice` });
    seen.add(sip);
    const displayName = at(fields, 'displayname') ?? '';
    if (!displayName) throw new TandemError('USER_IMPORT_INVALID', { line, detail: 'DisplayName is empty' });
    const pool = (at(fields, 'registrarpool') ?? '').toLowerCase();
    if (!knownPools.has(pool)) {
      throw new TandemError('USER_IMPORT_INVALID', {
        line,
        detail: `RegistrarPool '${pool}' is not a pool of the topology`,
      });
    }
    const password = at(fields, 'password') || undefined;
    const passwordHash = at(fields, 'passwordhash') || undefined;
    if (password !== undefined && password.length < 8) {
      throw new TandemError('USER_IMPORT_INVALID', {
        line,
        detail: 'Password must have at least 8 characters',
      });
    }
    const hashProblem = passwordHash === undefined ? undefined : passwordHashProblem(passwordHash);
    if (hashProblem !== undefined) {
      throw new TandemError('USER_IMPORT_INVALID', {
        line,
        detail: `the PasswordHash of ${sip} cannot be used: ${hashProblem}; give a Tandem scrypt hash (scrypt$N$r$p$salt$hash) or a Password`,
      });
    }
    return {
      line,
      sip,
      displayName,
      pool,
      ...(password ? { password } : {}),
      ...(passwordHash ? { passwordHash } : {}),
    };
  });
}
