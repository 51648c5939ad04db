/**
 * @vagg/lib — the user-facing API of the virtual-agglomeration replications, grouped by purpose.
 * Notebooks: `import 'tsx/cjs'` first, then `import { feols, readTable } from '@vagg/lib'`.
 *
 * Internals (numerical core, IV building blocks, runner) are imported by path, e.g.
 * `@vagg/lib/core/fixed-effects/demean`; the papers' own code is in `@vagg/lib/papers/eq` and
 * `@vagg/lib/papers/rs`.
 */

// Data: one way in (CSV in any encoding, Parquet, Stata .dta, Excel), validated against a schema
export { readTable, writeTable, fileFormat, type ReadOptions, type FileFormat } from "./data/io";
export { validateTable, type Schema, type ColumnSpec, type ColumnType } from "./data/schema";
export { SCHEMA_BY_FILE } from "./data/schemas/by-file";
export {
  table,
  column,
  numeric,
  hasColumn,
  select,
  withColumns,
  takeRows,
  filterRows,
  toRecords,
  fromRecords,
  type Table,
  type Column,
} from "./data/table";
export { publicDataPath } from "./data/public";

// Estimation: OLS and 2SLS with high-dimensional fixed effects, their summaries and tests
export { feols, type FeolsOptions, type FeolsResult, type CoefRow } from "./estimators/feols";
export { feolsMulti } from "./estimators/feols-multi";
export { iv2slsMulti } from "./estimators/iv2sls-multi";
export { multipleOutcomes } from "./estimators/multiple-outcomes";
export { iv2sls, type Iv2slsOptions, type Iv2slsResult } from "./estimators/iv2sls";
export { summaryText, isIvResult } from "./estimators/summary";
export { wald, type WaldHypothesis, type WaldTest } from "./estimators/wald";
export { confint, type ConfintRow } from "./estimators/confint";
export { predict, type PredictOptions } from "./estimators/predict";
export { fixef } from "./estimators/feols";
export { parseFormula, type ParsedFormula } from "./estimators/formula";
export { type VcovSpec } from "./vcov";
export { did, eventStudy, type DidOptions } from "./estimators/did";
export { psmDid, balanceTable, type PsmDidOptions, type PsmDidResult } from "./estimators/psm";

// Weak-IV-robust inference with clustering: Montiel Olea–Pflueger effective F, tF interval (with the Anderson–Rubin set in iv2sls)
export { weakIvPanel, effectiveF, mopCriticalValues, tfCriticalValue, tfInterval } from "./estimators/iv";
export type { WeakIvPanel, EffectiveF, MopCriticalValues, TfInterval } from "./estimators/iv";

// Shift-share inference (Adão, Kolesár & Morales 2019): AKM standard errors and the AKM0 interval; BHJ shock-level check
export { shiftShareOls, shiftShareIv, akm0Interval, shockLevelIv, shareMatrix, panelShareMatrix } from "./estimators/shift-share";
export type { ShiftShareOptions, ShiftShareResult, ShiftShareInference, ShareMatrix } from "./estimators/shift-share";

// Staggered DID robust to heterogeneous effects: Sun–Abraham, Callaway–Sant'Anna, Goodman-Bacon, pre-trend tests
export { sunAbraham, attGt, aggregateAtt, attGtPreTest, baconDecomposition, preTrendTest, cohortPanel } from "./estimators/staggered";
export type { SunAbrahamResult, AttGtResult, BaconDecomposition } from "./estimators/staggered";

// Resampling inference: placebo, cluster bootstraps, split-sample coefficient tests
export { placebo, clusterBootstrap, wildClusterBootstrap, coefDiffTest, coefDiffInteraction } from "./estimators/resampling";
export type {
  PlaceboOptions,
  PlaceboResult,
  ClusterBootstrapOptions,
  ClusterBootstrapResult,
  WildBootstrapOptions,
  WildBootstrapResult,
  CoefDiffOptions,
  CoefDiffResult,
  InteractionTestOptions,
  InteractionTestResult,
} from "./estimators/resampling";

// Measures: shift-share, quality, decompositions, indices, mechanisms
export * from "./measures";

// Reports: tables and charts (HTML, LaTeX, Markdown, CSV, Word; Vega-Lite)
export { regressionTable, dataTable, describe } from "./report";
export {
  coefPlot,
  coefPoints,
  eventStudyPlot,
  distributionPlot,
  curvePlot,
  binnedScatter,
  placeboChart,
  bootstrapChart,
  type VegaLiteSpec,
} from "./report/charts";
export { exportTable, exportFigure } from "./report/export";

// Errors and reproducibility
export { DataError, FormulaError, EstimationError, ArgumentError, isVaggError } from "./util/errors";
export { rng, Rng } from "./util/rng";
export { PROJECT_SEED, projectSeed } from "./util/seed";
