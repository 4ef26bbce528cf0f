/**
 * Chi-square helpers for the randomness tests. p-values use the Wilson–Hilferty approximation,
 * accurate to well under the thresholds used here for 20+ degrees of freedom.
 */
function normalUpperTail(z: number): number {
  // Abramowitz–Stegun 7.1.26 on erfc.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** P(X >= x) for X ~ chi-square with k degrees of freedom. */
export function chiSquarePValue(x: number, k: number): number {
  const z = (Math.cbrt(x / k) - (1 - 2 / (9 * k))) / Math.sqrt(2 / (9 * k));
  return normalUpperTail(z);
}

/** Goodness of fit against the uniform distribution. */
export function chiSquareUniform(counts: ArrayLike<number>): { stat: number; df: number; p: number } {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let stat = 0;
  for (let i = 0; i < counts.length; i++) stat += (counts[i]! - expected) ** 2 / expected;
  const df = counts.length - 1;
  return { stat, df, p: chiSquarePValue(stat, df) };
}

/** Goodness of fit against given cell probabilities (summing to 1). */
export function chiSquareFit(counts: ArrayLike<number>, probs: readonly number[]): { stat: number; df: number; p: number } {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  let stat = 0;
  for (let i = 0; i < counts.length; i++) stat += (counts[i]! - total * probs[i]!) ** 2 / (total * probs[i]!);
  const df = counts.length - 1;
  return { stat, df, p: chiSquarePValue(stat, df) };
}

/**
 * Test of homogeneity for a rows × columns contingency table. The rows must be independent
 * samples: positions of the same password are not (see random.test.ts).
 */
export function chiSquareHomogeneity(table: number[][]): { stat: number; df: number; p: number } {
  const rows = table.length;
  const cols = table[0]!.length;
  const rowSum = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: cols }, (_, j) => table.reduce((a, r) => a + r[j]!, 0));
  const total = rowSum.reduce((a, b) => a + b, 0);
  let stat = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const e = (rowSum[i]! * colSum[j]!) / total;
      if (e > 0) stat += (table[i]![j]! - e) ** 2 / e;
    }
  }
  const df = (rows - 1) * (cols - 1);
  return { stat, df, p: chiSquarePValue(stat, df) };
}

/** Threshold for "this is not uniform": a false alarm once in a million runs per test. */
export const ALPHA = 1e-6;
