import { test } from "uvu";
import * as assert from "uvu/assert";
import { effectiveF, type EffectiveF } from "../../../lib/estimators/iv/effective-f";
import { mopCriticalValues } from "../../../lib/estimators/iv/mop-critical-values";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { MODELS, close, haveStata, stataDesign } from "./helpers";

// Montiel Olea–Pflueger critical values (weakivtest conventions). References:
// - one instrument: K_eff = 1 and B_TSLS = 1, so both critical values are χ²₁(10)⁻¹(0.95) =
//   23.1085… (MOP 2013 and Andrews, Stock & Sun 2019, Annu. Rev. Econ. 11: "23.1"); the exact
//   value from R 4.2.2 qchisq(0.95, 1, 10) = 23.108511211606483;
// - homoskedastic errors (W = Σ ⊗ I_K): K_eff = K, and the TSLS Nagar bias bound is |K − 2|/K
//   (the Stock–Yogo bias factor), so simplified = χ²_K(K/τ)⁻¹(0.95)/K and generalized =
//   χ²_K(K·B/τ)⁻¹(0.95)/K with B = |K − 2|/K (closed forms; quantiles from R qchisq).
// Tolerance 1e-9 relative for the quantiles (qNcChi2 is ~1e-13 accurate, see its test); 1e-7
// absolute for B_TSLS (numerical supremum over β on a grid with golden-section polishing).
const Q = 1e-9;

const ok = (x: ReturnType<typeof effectiveF>): EffectiveF => {
  if (isInvalid(x)) throw new Error(x.reason);
  return x;
};

test("one instrument (robust errors): simplified = generalized = 23.1085 at τ = 10 %, α = 5 %", () => {
  if (!haveStata("MOP critical values, one instrument")) return;
  const cv = mopCriticalValues(ok(effectiveF(stataDesign(MODELS.card_just_id, "hetero"))));
  close(cv.simplified.critical, 23.108511211606483, Q, "simplified");
  close(cv.generalized.critical, 23.108511211606483, Q, "generalized");
  close(cv.simplified.Keff, 1, 1e-12, "K_eff");
  assert.is(cv.generalized.bTsls, 1);
});

test("homoskedastic, K = 2 (Card): K_eff = 2, simplified = χ²₂(20)⁻¹(.95)/2, B_TSLS = 0 so generalized = χ²₂⁻¹(.95)/2", () => {
  if (!haveStata("MOP critical values, iid K = 2")) return;
  const cv = mopCriticalValues(ok(effectiveF(stataDesign(MODELS.card_overid, "iid"))));
  close(cv.simplified.Keff, 2, 1e-10, "K_eff");
  close(cv.simplified.critical, 19.29434344996249, Q, "simplified");
  assert.ok(Math.abs(cv.generalized.bTsls) < 1e-7, `B_TSLS ${cv.generalized.bTsls}`);
  close(cv.generalized.critical, 2.995732273554033, 1e-6, "generalized");
});

test("homoskedastic, K = 4: B_TSLS = 1/2, generalized = χ²₄(20)⁻¹(.95)/4, simplified = χ²₄(40)⁻¹(.95)/4", () => {
  if (!haveStata("MOP critical values, iid K = 4")) return;
  const m = { ...MODELS.sim_multi_endo, endo: ["endo1"], exog: ["x1", "x2", "endo2"] };
  const cv = mopCriticalValues(ok(effectiveF(stataDesign(m, "iid"))));
  close(cv.simplified.Keff, 4, 1e-10, "K_eff");
  close(cv.simplified.critical, 16.719962607437317, Q, "simplified");
  assert.ok(Math.abs(cv.generalized.bTsls - 0.5) < 1e-7, `B_TSLS ${cv.generalized.bTsls}`);
  close(cv.generalized.critical, 10.231461192414496, 1e-6, "generalized");
});

test("robust / cluster, K = 2: 0 ≤ B_TSLS ≤ 1 and generalized ≤ simplified; τ = 5 % is stricter than τ = 10 %", () => {
  if (!haveStata("MOP critical values, robust K = 2")) return;
  for (const [m, k] of [
    [MODELS.card_overid, "hetero"],
    [MODELS.sim_cluster, "cluster"],
  ] as const) {
    const ef = ok(effectiveF(stataDesign(m, k)));
    const cv = mopCriticalValues(ef);
    assert.ok(cv.generalized.bTsls >= 0 && cv.generalized.bTsls <= 1 + 1e-12, `B ${cv.generalized.bTsls}`);
    assert.ok(cv.generalized.critical <= cv.simplified.critical + 1e-9);
    assert.ok(mopCriticalValues(ef, { tau: 0.05 }).simplified.critical > cv.simplified.critical);
  }
});

test("robust K = 2: B_TSLS equals the supremum of the bias bound over a dense β grid written out here (weakivtest's formula)", () => {
  if (!haveStata("MOP B_TSLS dense grid")) return;
  const ef = ok(effectiveF(stataDesign(MODELS.card_overid, "hetero")));
  const [W1, W12, W2] = [ef.W1, ef.W12, ef.W2] as const;
  const tr = (A: number[][]) => A[0]![0]! + A[1]![1]!;
  const eig2 = (A: number[][]) => {
    const a = A[0]![0]!,
      b = (A[0]![1]! + A[1]![0]!) / 2,
      d = A[1]![1]!;
    const m = (a + d) / 2,
      r = Math.sqrt(((a - d) / 2) ** 2 + b * b);
    return [m - r, m + r];
  };
  const B = (beta: number) => {
    const S12 = W12.map((r, i) => r.map((v, j) => v - beta * W2[i]![j]!));
    const S1 = W1.map((r, i) => r.map((v, j) => v - beta * (W12[i]![j]! + W12[j]![i]!) + beta * beta * W2[i]![j]!));
    const den = Math.sqrt(tr(W2) * tr(S1));
    return Math.max(...eig2(S12).map((l) => Math.abs(tr(S12) - 2 * l) / den));
  };
  let best = 0;
  const s = Math.sqrt(tr(W1) / tr(W2));
  for (let k = 1; k < 400000; k++) best = Math.max(best, B(s * Math.tan(-Math.PI / 2 + (Math.PI * k) / 400000)));
  const cv = mopCriticalValues(ef);
  // dense grid: the supremum agrees to 1e-6; the library's polished value may only be larger
  assert.ok(cv.generalized.bTsls >= best - 1e-9 && cv.generalized.bTsls - best < 1e-6, `${cv.generalized.bTsls} vs grid ${best}`);
});

test.run();
