/** @module The path of an HTTP request target, read without trusting the target to be a valid URL. */

/** The normalized path of `target`, or undefined when it is not a valid URL (`//[` makes `new URL` throw). */
export function requestPath(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
