/**
 * @vagg/lib — the shared library of the virtual-agglomeration replications.
 * Notebooks: `import 'tsx/cjs'` first, then `import { feols, readTable } from '@vagg/lib'`.
 */
export * from "./util/errors";
export * from "./util/rng";
export * from "./util/seed";
export * from "./data/table";
export * from "./data/duckdb";
export * from "./data/io";
export * from "./data/schema";
export * from "./data/panel";
export * from "./data/dta";
export * from "./core/fixed-effects/factorize";
export * from "./core/fixed-effects/singletons";
export * from "./core/fixed-effects/demean";
export * from "./core/linalg/qr";
export * from "./estimators/formula";
export * from "./estimators/model-frame";
export * from "./estimators/feols";
export * from "./vcov";
export * from "./util/distributions";
export * from "./measures/eq";
export * from "./measures/rs";
export * from "./estimators/psm";
export * from "./estimators/did";
export * from "./estimators/summary";
export * from "./report";
export * from "./estimators/iv2sls";
export * from "./estimators/iv";
export * from "./estimators/resampling";
export type { VegaLiteSpec } from "./report";
export * from "./measures/rs/panel";
export * from "./util/notebook-env";
export * from "./report/export";
export { TRUTH } from "./synth/truth";
export * from "./measures/eq/quality";
export * from "./theory/ces";
export * from "./theory/pareto";
export * from "./measures/eq/panel";
export * from "./measures/rs/sections";
