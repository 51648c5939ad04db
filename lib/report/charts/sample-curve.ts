/**
 * Evaluate f on `n` evenly spaced points of [from, to] (both ends included), for `curvePlot`.
 *
 * @example
 *   sampleCurve((x) => x * x, 0, 1, 3); // { x: [0, 0.5, 1], y: [0, 0.25, 1] }
 */
export function sampleCurve(f: (x: number) => number, from: number, to: number, n = 200): { x: Float64Array; y: Float64Array } {
  const m = Math.max(2, Math.floor(n));
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const v = i === m - 1 ? to : from + ((to - from) * i) / (m - 1);
    x[i] = v;
    y[i] = f(v);
  }
  return { x, y };
}
