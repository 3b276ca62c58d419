/** @module Admin API handlers of the RBAC cmdlets. */
import type { HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import { AdminRole } from '../../cmdlets/cmdlet-def.js';
import { cmdletRegistry } from '../../cmdlets/registry.js';
import { ROLE_DESCRIPTIONS, isAdminRole, roleMayRun } from '../../cmdlets/rbac.js';
import { DocKey, type AdminDoc } from '../../cms/cms-documents.js';
import { hashAdminSecret, newAdminSecret } from '../../security/admin-credential.js';
import { TandemError } from '../../errors/index.js';

export function adminHandlers(): HandlerTable {
  return {
    async 'Get-CsAdminRole'(params) {
      const only = param.str(params, 'Identity');
      const roles = (Object.values(AdminRole) as AdminRole[]).filter((r) => !only || r === only);
      return {
        records: roles.map((role) => ({
          Identity: role,
          Description: ROLE_DESCRIPTIONS[role],
          Cmdlets: cmdletRegistry
            .all()
            .filter((d) => d.runsOn === 'server' && roleMayRun(role, d))
            .map((d) => d.name),
        })),
        view: 'list',
      };
    },

    async 'New-CsAdminCredential'(params, ctx) {
      const name = param.requireStr(params, 'Identity').trim();
      const role = param.requireStr(params, 'Role');
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
        throw new TandemError('INVALID_ARGUMENT', {
          detail: `'${name}' is not a valid administrator name (letters, digits, . _ -).`,
        });
      }
      if (!isAdminRole(role)) throw new TandemError('INVALID_ARGUMENT', { detail: `unknown role ${role}` });
      if (ctx.cms.view.admin(name))
        throw new TandemError('CONFLICT', { detail: `Administrator ${name} exists already.` });
      const secret = newAdminSecret();
      const doc: AdminDoc = { name, role, secretHash: hashAdminSecret(secret), createdAt: Date.now() };
      await ctx.cms.write(
        [{ key: DocKey.admin(name), value: JSON.stringify(doc), ifVersion: 0 }],
        'New-CsAdminCredential',
      );
      ctx.warn('The secret is shown once. Store it now: Tandem keeps only its hash.');
      return {
        records: [{ Identity: name, Role: role, Secret: secret, Credential: `${name}:${secret}` }],
        view: 'list',
      };
    },

    async 'Get-CsAdminCredential'(_params, ctx) {
      return {
        records: [...ctx.cms.view.allAdmins()].map((a) => ({
          Identity: a.name,
          Role: a.role,
          WhenCreated: new Date(a.createdAt),
        })),
        view: 'table',
      };
    },

    async 'Remove-CsAdminCredential'(params, ctx) {
      const name = param.requireStr(params, 'Identity');
      const admin = ctx.cms.view.admin(name);
      if (!admin) throw new TandemError('NOT_FOUND', { what: 'Administrator', name });
      if (admin.name.toLowerCase() === ctx.admin.name.toLowerCase()) {
        throw new TandemError('CONFLICT', { detail: 'An administrator cannot remove its own credential.' });
      }
      if (ctx.common.whatIf) return { records: [{ WhatIf: `Would remove administrator ${admin.name}.` }] };
      const key = DocKey.admin(name);
      await ctx.cms.write(
        [{ key, value: null, ifVersion: ctx.cms.view.versionOf(key) }],
        'Remove-CsAdminCredential',
      );
      return { records: [{ Identity: admin.name, Removed: true }], view: 'list' };
    },
  };
}
