import type { Iv2slsResult } from "../iv2sls";
import { ivDesignOfResult } from "./design-registry";
import { effectiveF } from "./effective-f";
import { mopCriticalValues, type MopCriticalValues } from "./mop-critical-values";
import { tfInterval, type TfInterval } from "./tf-interval";
import type { ArConfidenceSet } from "./anderson-rubin";
import { type FStat, type Invalid, invalid, isInvalid } from "./types";

/** Weak-IV-robust summary of one 2SLS fit with one endogenous regressor (plain, frozen object). */
export interface WeakIvPanel {
  readonly endogenous: string;
  readonly instruments: readonly string[];
  readonly vce: "iid" | "hetero" | "cluster";
  readonly nobs: number;
  /** 2SLS estimate, its SE (the fit's vcov and small-sample preset) and the conventional interval at the fit's level. */
  readonly estimate: number;
  readonly se: number;
  readonly conventional: readonly [number, number];
  /** First-stage F of the excluded instruments with the fit's VCE (ivreg2's robust/cluster Wald F; iid: the classical F). */
  readonly firstStageF: FStat | Invalid;
  /** Montiel Olea–Pflueger effective F, with its TSLS critical values and the verdict at (τ, α). */
  readonly mop:
    | {
        readonly effectiveF: number;
        readonly nonRobustF: number;
        readonly K: number;
        readonly critical: MopCriticalValues;
        /** "strong": F_eff exceeds the generalized critical value (reject worst-case bias ≥ τ); "weak": it does not. */
        readonly verdict: "strong" | "weak";
      }
    | Invalid;
  /** LMMP tF-adjusted 95 % interval (one instrument only). */
  readonly tF: TfInterval | Invalid;
  /** Anderson–Rubin test of β = 0 and confidence set, as computed by iv2sls's diagnostics. */
  readonly andersonRubin: { readonly test: FStat | Invalid; readonly confidenceSet: ArConfidenceSet | Invalid };
}

/**
 * One weak-IV panel for a 2SLS fit with one endogenous regressor: the robust first-stage F; the
 * Montiel Olea & Pflueger (2013, JBES 31(3)) effective F with its simplified and generalized
 * TSLS critical values (`weakivtest` conventions, τ = 10 %, α = 5 % by default) and the verdict
 * F_eff > c_generalized; the Lee, McCrary, Moreira & Porter (2022, AER 112(10)) tF interval
 * β̂ ± c(F)·se with F the effective F (for one instrument the robust first-stage Wald F, as
 * the tF procedure requires with robust or clustered SEs) and se the fit's SE; and the
 * Anderson & Rubin (1949) test and confidence set from the fit's diagnostics.
 *
 * Several instruments: the effective F and MOP critical values are reported; the tF interval is
 * `invalid` (LMMP derive c(F) for the just-identified model only) — use the AR set there.
 *
 *   verdict = "strong" ⇔ F_eff > c_gen(τ, α);  tF CI = β̂ ± c(F_eff)·se.
 *
 * @example
 *   const p = weakIvPanel(iv2sls(data, "y ~ 1 | fe | x ~ z", { vcov: { cluster: ["id"] } }));
 *   p.mop;  // { effectiveF, critical: { simplified, generalized }, verdict }
 *   p.tF;   // { critical, lower, upper, adjustment }
 */
export function weakIvPanel(fit: Iv2slsResult, opts: { tau?: number; alpha?: number } = {}): WeakIvPanel {
  if (fit.endogenous.length !== 1)
    throw new RangeError(`weakIvPanel: one endogenous regressor is required (fit has ${fit.endogenous.length})`);
  const endo = fit.endogenous[0] as string;
  const design = ivDesignOfResult(fit);
  const est = fit.coef[endo] as number,
    se = fit.se[endo] as number;
  const row = fit.table.find((r) => r.name === endo);
  const fs = fit.firstStage[0];
  let mop: WeakIvPanel["mop"] = invalid("no estimation design registered for this result (was it copied or deserialised?)");
  let tF: WeakIvPanel["tF"] = invalid("needs the effective F");
  if (design) {
    const ef = effectiveF(design);
    if (isInvalid(ef)) {
      mop = ef;
      tF = ef;
    } else {
      const critical = mopCriticalValues(ef, opts);
      mop = Object.freeze({
        effectiveF: ef.stat,
        nonRobustF: ef.nonRobustF,
        K: ef.K,
        critical,
        verdict: ef.stat > critical.generalized.critical ? ("strong" as const) : ("weak" as const),
      });
      tF =
        ef.K === 1
          ? tfInterval({ estimate: est, se, F: ef.stat })
          : invalid(`tF (Lee et al. 2022) is derived for one instrument; this fit has ${ef.K} — see the Anderson–Rubin set`);
    }
  }
  const ar = fit.diagnostics?.andersonRubin ?? {
    test: invalid("diagnostics skipped"),
    confidenceSet: invalid("diagnostics skipped"),
  };
  return Object.freeze({
    endogenous: endo,
    instruments: fit.instruments,
    vce: design?.vce.kind ?? fit.diagnostics?.vce ?? "iid",
    nobs: fit.nobs,
    estimate: est,
    se,
    conventional: Object.freeze([row?.ciLow ?? NaN, row?.ciHigh ?? NaN] as const),
    firstStageF: fs ? fs.ivreg2F : invalid("no first stage"),
    mop,
    tF,
    andersonRubin: ar,
  });
}
