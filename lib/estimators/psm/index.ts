/** Propensity-score matching: logit (IRLS), nearest-neighbour and kernel matching, balance table, PSM-DID sample. */
export * from "./logit";
export * from "./match";
export * from "./balance";
export * from "./psm-did";
