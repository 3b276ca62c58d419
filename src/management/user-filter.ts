/** @module The compiled form of a Get-CsUser -Filter expression, evaluated against output records. */
export type UserFilter = (record: Readonly<Record<string, unknown>>) => boolean;
