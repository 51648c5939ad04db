/**
 * Euclidean norm ‖x‖₂ = √(Σ x_i²) of a column, in one plain pass with two accumulators (a
 * callback `reduce` over a 600,000-row typed array costs ~6 ms per column; this ~0.5 ms).
 * No rescaling against overflow: columns here are data, far from 1e154.
 *
 * @example euclideanNorm(Float64Array.of(3, 4)) // 5
 */
export function euclideanNorm(x: ArrayLike<number>): number {
  let s0 = 0,
    s1 = 0,
    i = 0;
  const n = x.length;
  for (; i + 1 < n; i += 2) {
    s0 += (x[i] as number) * (x[i] as number);
    s1 += (x[i + 1] as number) * (x[i + 1] as number);
  }
  if (i < n) s0 += (x[i] as number) * (x[i] as number);
  return Math.sqrt(s0 + s1);
}
