/**
 * @module Validation of untrusted input that cannot throw. zod's safeParse can: a length check still runs on
 * a value that failed its type check, so `{"owners": {"length": {"toString": false}}}` against an array with
 * a maximum length throws a TypeError (found by the drill's s2s fuzzer, answered with HTTP 500). This turns
 * such a throw into an ordinary validation failure.
 */
import { z } from 'zod';

export function safeParse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  params?: z.core.ParseContext<z.core.$ZodIssue>,
): z.ZodSafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(value, params);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const issue: z.core.$ZodIssue = {
      code: 'custom',
      path: [],
      message: `malformed value (${detail})`,
      input: value,
    };
    return { success: false, error: new z.ZodError([issue]) as z.ZodError<z.output<S>> };
  }
}

/** A validation failure as one line naming each bad field by its path (`reconnect.jitter: ...; user: ...`). */
export function issuesText(error: z.ZodError, root: string): string {
  return error.issues.map((issue) => `${issue.path.join('.') || root}: ${issue.message}`).join('; ');
}
