/** @module The field names whose values are secrets or derived from one (hashes can be attacked offline). */
export const SECRET_FIELDS = [
  'password',
  'passwordHash',
  'secret',
  'secretHash',
  'token',
  'authorization',
] as const;
