/** IV diagnostics (2SLS with absorbed fixed effects): see lib/estimators/iv2sls.ts. */
export * from "./types";
export * from "./linalg";
export * from "./ssc";
export * from "./partial";
export * from "./gmm";
export * from "./kleibergen-paap";
export * from "./cragg-donald";
export * from "./stock-yogo";
export { IVBIAS, IVSIZE, STOCK_YOGO_SOURCE } from "./stock-yogo-data";
export * from "./overid";
export * from "./endogeneity";
export * from "./first-stage";
export * from "./anderson-rubin";
export * from "./diagnostics";
export * from "./pvalues";
