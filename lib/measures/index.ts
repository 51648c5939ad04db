/**
 * Reusable measures: each usable by any project, with no paper in mind. The papers' own panel
 * builders and exhibits are in lib/papers/eq and lib/papers/rs.
 */
// Shift-share (Bartik) regressors and their Rotemberg decomposition (Goldsmith-Pinkham, Sorkin & Swift 2020)
export * from "./bartik";
export * from "./rotemberg";
export * from "./rotemberg-ols";
// Product quality from customs data (Khandelwal, Schott & Wei 2013)
export * from "./quality";
// Dynamic decomposition of an aggregate (Melitz & Polanec 2015)
export * from "./melitz-polanec";
// Regional structure: market segmentation, export structure, co-agglomeration, agglomeration
export * from "./market-segmentation";
export * from "./export-structure";
export * from "./coagglomeration";
export * from "./agglomeration";
export * from "./location-quotient";
// Text-based indices (dictionary term counts with jieba segmentation)
export * from "./text-index";
// Composite indices and resilience inputs: entropy weights, rolling volatility, Martin sensitivity, coupling coordination
export * from "./entropy";
export * from "./rolling";
export * from "./martin";
export * from "./coupling";
// Mechanism measures: factor misallocation (Hsieh & Klenow 2009; Chen & Hu 2011), market potential (Harris 1954)
export * from "./misallocation";
export * from "./market-potential";
// Panel hygiene: interpolation and winsorisation with audits
export * from "./hygiene";
