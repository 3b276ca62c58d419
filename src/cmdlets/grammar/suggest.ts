/** @module "Did you mean …?" for the shell: Levenshtein distance and the closest of a set of names. */

/** Edit distance (insertions, deletions, substitutions) between two strings, compared as given. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The largest distance still worth suggesting: a third of the name, but at least 2. */
export function defaultMaxDistance(name: string): number {
  return Math.max(2, Math.floor(name.length / 3));
}

/**
 * The candidate nearest to `name` by case-insensitive Levenshtein distance, or undefined when none is within
 * `maxDistance`. Ties go to the earlier candidate, so callers control the preference by order.
 */
export function closest(
  name: string,
  candidates: Iterable<string>,
  maxDistance: number = defaultMaxDistance(name),
): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}

/** ` Did you mean X?` for the error templates that end in `{suggestion}`, or '' when there is nothing close. */
export function didYouMean(name: string, candidates: Iterable<string>, prefix = ''): string {
  const match = closest(name, candidates);
  return match === undefined ? '' : ` Did you mean ${prefix}${match}?`;
}
