/** Heterogeneity-robust staggered DID: Sun–Abraham, Callaway–Sant'Anna, Goodman-Bacon, pre-trend tests. */
export { cohortPanel, type CohortPanel } from "./cohorts";
export { sunAbraham, type SunAbrahamOptions, type SunAbrahamResult, type StaggeredEstimate } from "./sun-abraham";
export { attGt, type AttGtOptions, type AttGtCell, type AttGtResult } from "./att-gt";
export { aggregateAtt, type AttAggregation, type AttAggregate, type AggregatedAtt } from "./aggregate-att";
export { baconDecomposition, type BaconDecomposition, type BaconComparison, type BaconType } from "./bacon";
export { preTrendTest } from "./pretrend";
export { attGtPreTest, type AttGtPreTest } from "./att-gt-pretest";
