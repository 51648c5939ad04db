/**
 * Measures of the RS paper (Yan, Xu & Zhang 2025, "The resilience code of the digital age"):
 * entropy-weight index, resilience inputs (rolling SD, growth, ratios, Martin sensitivity),
 * misallocation, market potential, coupling coordination, agglomeration, panel hygiene.
 */
export * from "./entropy";
export * from "./rolling";
export * from "./martin";
export * from "./misallocation";
export * from "./market-potential";
export * from "./coupling";
export * from "./agglomeration";
export * from "./hygiene";
export { panelGroups, groupRows } from "./util";
