/**
 * @module The process's open-file limit (RLIMIT_NOFILE, soft). Node has no getrlimit, but raises the soft
 * limit to the hard one as it starts; on Linux /proc/self/limits shows the result. Elsewhere: undefined.
 */
import { readFileSync } from 'node:fs';

export function descriptorLimit(limitsFile = '/proc/self/limits'): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === undefined || soft === 'unlimited') return undefined;
  const n = Number(soft);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
