/**
 * RS — Yan, Xu & Zhang (2025), virtual agglomeration and urban economic resilience: the panel
 * builder, the published numbers and the section-by-section exhibits of the notebooks in
 * notebooks/rs. Everything reusable lives in lib/measures and lib/estimators.
 */
export * from "./published";
export * from "./panel";
export * from "./sections";
export * from "./exhibits";
export * from "./staggered";
export * from "./akm";
export * from "./anomalies";
export * from "./lists";
export * from "./truth";
export * from "./recovery";
export { isSynthetic, truthFor, type TruthSource } from "../truth";
export { comparisonTable, comparisonRow, ivDiagnosticsTable } from "../compare";
