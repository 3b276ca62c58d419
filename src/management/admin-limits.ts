/**
 * @module The documented limits of an admin API request (docs/operations.md, Limits). Nothing a real
 * cmdlet sends comes near them; each stops a request that would otherwise hold the server's one thread.
 */

export const AdminLimits = {
  /** The whole request body; a topology or a user import file travels inside it as an attachment. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** Nesting of arrays and objects in the body. */
  maxDepth: 16,
  /** Values in the body (measured before it is parsed). */
  maxValues: 10_000,
  /** Parameters of one cmdlet. */
  maxParams: 64,
  /** Items of one array parameter. */
  maxArrayItems: 1_000,
  /** Characters of one parameter value or array item. */
  maxValueChars: 64 * 1024,
} as const;
