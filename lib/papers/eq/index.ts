/**
 * EQ — Zhao, Ban, Li & Liu (2022), virtual agglomeration and export product quality: the
 * panel builders, the published numbers and the exhibit builders of the notebooks in
 * notebooks/eq. Everything reusable lives in lib/measures and lib/estimators.
 */
export * from "./published";
export * from "./panel";
export * from "./measurement";
export * from "./robustness";
export * from "./heterogeneity";
export * from "./mechanism";
export * from "./extensions";
export * from "./theory-figures";
export * from "./specs";
export * from "./exhibits";
export * from "./adh-data";
export * from "./akm-exhibits";
export * from "./akm-panel";
export { isSynthetic, truthFor, type TruthSource } from "../truth";
export { comparisonTable, comparisonRow, ivDiagnosticsTable } from "../compare";
export * from "./baci";
export * from "./anomalies";
export * from "./recovery";
export * from "./true-outcome";
