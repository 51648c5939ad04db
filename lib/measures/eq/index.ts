/**
 * Measures of the export-quality paper (EQ: Zhao, Ban, Li & Liu 2022, *Economic Management*
 * 44(7)): the Bartik virtual-agglomeration index and its Rotemberg diagnostics, the
 * Melitz–Polanec decomposition, market segmentation, export structure, co-agglomeration and
 * the text index. (The KSW product-quality estimator lives with the HDFE/IV engine.)
 */
export { sharedDataPath, publicDataPath } from "./paths";
export { bartik, digitalShift } from "./bartik";
export type { BartikOptions, BartikReport, BartikResult, UnmatchedIndustry, DigitalShiftOptions } from "./bartik";
export { rotembergWeights, rotembergLong, rotembergTop, rotembergSummary, rotembergTable } from "./rotemberg";
export type { RotembergInput, RotembergResult, RotembergRow, RotembergLongOptions, RotembergLongReport } from "./rotemberg";
export { melitzPolanec } from "./melitz-polanec";
export type { MelitzPolanecOptions, MelitzPolanecReport } from "./melitz-polanec";
export { marketSegmentation } from "./market-segmentation";
export type { MarketSegmentationOptions, MarketSegmentationReport } from "./market-segmentation";
export { exportStructure, locationQuotients, locationQuotientFromTotals } from "./export-structure";
export type { ExportStructureOptions, ExportStructureReport } from "./export-structure";
export { coagglomeration, coEvolution, coEvolutionFromChanges } from "./coagglomeration";
export { VAGG_TERMS, createSegmenter, countTerms, textIndex } from "./text-index";
export type { Segmenter, TextIndexOptions } from "./text-index";
export * from "./measurement";
export * from "./rotemberg-ols";
export * from "./extensions";
export * from "./robustness";
export * from "./heterogeneity";
export * from "./mechanism";
