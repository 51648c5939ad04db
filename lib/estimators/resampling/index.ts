/**
 * Resampling inference for the HDFE OLS engine: placebo (randomisation) tests, the pairs
 * cluster bootstrap, the restricted wild cluster bootstrap, split-sample coefficient
 * difference tests (permutation / bootstrap, and the fully interacted Wald alternative). Their
 * charts are in lib/report/charts/resampling.ts.
 */
export { placebo, preparePlacebo, shuffleInPlace, type PlaceboOptions, type PlaceboResult, type PlaceboDesign } from "./placebo";
export { clusterBootstrap, type ClusterBootstrapOptions, type ClusterBootstrapResult, type BootstrapRow } from "./pairs-bootstrap";
export { wildClusterBootstrap, type WildBootstrapOptions, type WildBootstrapResult } from "./wild-bootstrap";
export { coefDiffTest, type CoefDiffOptions, type CoefDiffResult } from "./coef-diff";
export { coefDiffInteraction, type InteractionTestOptions, type InteractionTestResult } from "./interaction-test";
export { prepareFwl, fwlFit, fwlFitGeneric, type FwlModel, type FwlFit, type FwlOptions } from "./fwl";
export { refitRows } from "./refit";
export { replicate, type ResamplingControl } from "./common";
export { unitInteractionPermutation, type UnitPermutationOptions, type UnitPermutationResult } from "./unit-permutation";
export { prepareUnitInteraction, unitInteractionFit, type UnitInteractionPlan } from "./unit-interaction-fast";
