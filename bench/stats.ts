/** Small statistics over repetitions: median with min/max, ratios to the C reference paired by repetition. */

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: number[]): Spread | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

/** Ratios a[i]/b[i] over the repetitions both have (the pair ran back to back against the same broker). */
export function pairedRatios(a: Map<number, number>, b: Map<number, number>): number[] {
  const out: number[] = [];
  for (const [rep, value] of a) {
    const ref = b.get(rep);
    if (ref !== undefined && ref > 0) out.push(value / ref);
  }
  return out;
}
