import { type Table } from "../data/table";
import { parseFormula, type ParsedFormula } from "./formula";
import { buildModelFrame, type ModelFrame } from "./model-frame";
import { parseVcov, type VcovSpec } from "../vcov";
import { defaultVcov, type FeolsOptions } from "./feols";
import { alsoVcovs, clusterUnion, frameForSpec, toVcovSpec, type AlsoVcov } from "./vcov-also";
import { firstStage, type FirstStageResult } from "./iv/first-stage";
import { ivDiagnostics, type IvDiagnostics } from "./iv/diagnostics";
import { ivVcov, type IvSscPreset } from "./iv/ssc";
import { registerIvDesign } from "./iv/design-registry";
import { buildResult, type CommonResult } from "./fit";
import {
  checkIvFormula,
  firstStageTables,
  ivCore,
  ivDesignOf,
  ivSecondStageVcov,
  vcovContext,
  type FirstStageTable,
  type IvCore,
} from "./iv-core";
export type { FirstStageTable } from "./iv-core";

export interface Iv2slsOptions extends Omit<FeolsOptions, "ssc"> {
  readonly ssc?: IvSscPreset;
  /** Confidence level of the Anderson–Rubin set (default: `level`, 0.95). */
  readonly arLevel?: number;
  /** Skip the diagnostics (faster when only coefficients are needed). Default false. */
  readonly skipDiagnostics?: boolean;
}

/**
 * The result of `iv2sls`: the fields of every fitted model (./fit `CommonResult`: deeply
 * frozen; `residuals` and `obsRows` are copying getters) plus the IV parts.
 */
export interface Iv2slsResult extends CommonResult {
  readonly ssc: IvSscPreset;
  readonly endogenous: readonly string[];
  readonly exogenous: readonly string[];
  readonly instruments: readonly string[];
  /** Excluded instruments dropped as collinear (with each other or with the exogenous regressors / fixed effects). */
  readonly droppedInstruments: readonly string[];
  readonly firstStage: readonly FirstStageResult[];
  /** First-stage coefficients and SEs of the excluded instruments (absent with skipDiagnostics). */
  readonly firstStageTable?: readonly FirstStageTable[];
  readonly diagnostics?: IvDiagnostics;
  /** The second-stage variances of option `vcovAlso`, in its order (empty without it). */
  readonly vcovAlso: readonly AlsoVcov[];
}

/**
 * Two-stage least squares with high-dimensional fixed effects:
 *
 *   iv2sls(data, "quality ~ fdi + open | city + year + hs4 | vagg ~ L_vagg", { vcov: "cluster:city^hs4" })
 *
 * Pipeline: parse → model frame (NA/Inf over y, exogenous, endogenous and instruments,
 * weights, singletons — all counted) → one `demean` call over [y, exog, endo, inst] → √w
 * scaling → collinearity checks by pivoted QR (collinear exogenous regressors, instruments
 * and endogenous regressors are dropped and named) → first stage (each endogenous regressor
 * on [exog, instruments]) → second stage (y on [fitted endogenous, exog]) → variance of the
 * second stage with the *structural* residuals y − [X1, X2]β̂ and bread (X̂'X̂)^{-1} (as
 * fixest, ivreg2) → inference and diagnostics (lib/estimators/iv).
 *
 * Small-sample presets: `fixest` (default), `reghdfe`, and `ivreghdfe` (no small-sample
 * factor, z inference — ivreghdfe without `small`). Coefficients of endogenous regressors
 * keep their own names (`x1`, not fixest's `fit_x1`); order: (Intercept), endogenous, exogenous.
 *
 * References: Baum, Schaffer & Stillman (2007), "Enhanced routines for instrumental
 * variables/GMM estimation and testing", Stata Journal 7(4); Bergé (2018), fixest.
 *
 * β̂ = (X̂'WX̂)⁻¹X̂'Wỹ with X̂ = P_Z̃ X̃ (Z = [exog, excluded instruments], all demeaned).
 *
 * @example
 *   const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2", { vcov: "cluster:cl2" });
 *   r.coef.x1; r.firstStage[0].f.stat; r.diagnostics?.overidentification;
 */
export function iv2sls(data: Table, formula: string, opts: Iv2slsOptions = {}): Iv2slsResult {
  const f = parseFormula(formula);
  checkIvFormula(f, formula);
  const spec: VcovSpec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : (opts.vcov ?? defaultVcov(f));
  const also = (opts.vcovAlso ?? []).map(toVcovSpec);
  const frameAll = buildModelFrame(data, f, {
    weights: opts.weights,
    singletons: opts.singletons,
    cluster: clusterUnion([spec, ...also]),
  });
  return ivFitFrame(frameAll, f, formula, spec, also, opts);
}

/**
 * The 2SLS fit of a model frame: the core (`ivCore`, or one of `ivCores` computed by the caller
 * for several outcomes of the same frame), variances, first stage, diagnostics and the result.
 */
export function ivFitFrame(
  frameAll: ModelFrame,
  f: ParsedFormula,
  formula: string,
  spec: VcovSpec,
  also: readonly VcovSpec[],
  opts: Iv2slsOptions,
  given?: IvCore,
): Iv2slsResult {
  const frame = frameForSpec(frameAll, spec);
  const core = given ?? ivCore(frame, f.intercept, formula, opts);
  const preset = opts.ssc ?? "fixest";
  const level = opts.level ?? 0.95;
  const vc = ivSecondStageVcov(frame, core, spec, preset);
  const design = ivDesignOf(frame, core, spec, preset, vc);
  const fs = firstStage(
    design,
    (X, e, bread, r, kCoef) => ivVcov({ ...vcovContext(frame, spec), X, e, bread, rss: r, n: frame.n, kCoef: kCoef ?? X.length, preset }).V,
  );
  const en0 = core.endoNames[0] as string,
    a0 = core.names.indexOf(en0);
  const diagnostics = opts.skipDiagnostics
    ? undefined
    : ivDiagnostics(design, core.es, {
        level: opts.arLevel ?? level,
        center: core.beta[a0] as number,
        scale: Math.sqrt(vc.V[a0 * core.names.length + a0] as number),
      });
  const firstStageTable = opts.skipDiagnostics ? undefined : firstStageTables(frame, core, spec, preset, level);
  const dropped = core.droppedInstruments;
  const result = buildResult(
    {
      formula: f.text,
      depvar: frame.yName,
      names: core.names,
      beta: core.beta,
      vc,
      ssc: preset,
      level,
      frame,
      weights: opts.weights,
      ys: core.ys,
      es: core.es,
      rss: core.rss,
      collinear: core.collinear,
      demeaning: core.demeaning,
      modelF: "wald",
      keepResiduals: opts.keepResiduals !== false,
      extraNotes: dropped.length
        ? [
            `Instrument${dropped.length > 1 ? "s" : ""} ${dropped.map((c) => `"${c}"`).join(", ")} dropped: collinear with the other instruments, the exogenous regressors or the fixed effects.`,
          ]
        : [],
    },
    {
      ssc: preset,
      endogenous: core.endoNames,
      exogenous: core.exogNames,
      instruments: core.instNames,
      droppedInstruments: dropped,
      firstStage: fs,
      firstStageTable,
      diagnostics,
      vcovAlso: alsoVcovs(core.names, also, frameAll, (sp, fr) => ivSecondStageVcov(fr, core, sp, preset)),
    },
  );
  registerIvDesign(result, design);
  return result;
}
