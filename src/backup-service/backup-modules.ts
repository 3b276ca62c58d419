/**
 * @module The Backup Service's modules, as Lync names them: user data (contacts, groups, presence, scheduled
 * meetings, settings), conference content, and the CMS. One change log carries both user-data modules; a
 * change belongs to a module by its kind.
 */
export const BackupModule = {
  PresenceFocus: 'UserServices.PresenceFocus',
  DataConf: 'ConfServices.DataConf',
  CMSMaster: 'CentralMgmt.CMSMaster',
} as const;
export type BackupModule = (typeof BackupModule)[keyof typeof BackupModule];

/** Kinds of user items that are conference content (the DataConf module); every other kind is user data. */
export const DATACONF_KINDS: readonly string[] = ['content'];

export function moduleOfKind(kind: string): BackupModule {
  return DATACONF_KINDS.includes(kind) ? BackupModule.DataConf : BackupModule.PresenceFocus;
}

/** `-BackupModule` values of Invoke-CsBackupServiceSync, mapped to module names. */
export const MODULE_BY_SWITCH: Record<string, readonly BackupModule[]> = {
  All: [BackupModule.PresenceFocus, BackupModule.DataConf, BackupModule.CMSMaster],
  PresenceFocus: [BackupModule.PresenceFocus],
  DataConf: [BackupModule.DataConf],
  CMSMaster: [BackupModule.CMSMaster],
};

export const ExportStatus = {
  SteadyState: 'SteadyState',
  NonSteadyState: 'NonSteadyState',
  FinalState: 'FinalState',
  NotInitialized: 'NotInitialized',
  ErrorState: 'ErrorState',
} as const;
export type ExportStatus = (typeof ExportStatus)[keyof typeof ExportStatus];

export const ImportStatus = { NormalState: 'NormalState', ErrorState: 'ErrorState' } as const;
export type ImportStatus = (typeof ImportStatus)[keyof typeof ImportStatus];
