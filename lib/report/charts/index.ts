/** Vega-Lite chart builders (plain JSON specs) and headless SVG rendering. */
export * from "./spec";
export * from "./coef-points";
export * from "./coef-plot";
export * from "./distribution-plot";
export * from "./event-study-plot";
export * from "./curve-plot";
export * from "./sample-curve";
export * from "./bin-means";
export * from "./binned-scatter";
export * from "./render-svg";
export {
  placeboChart,
  bootstrapChart,
  distributionLayer,
  type PlaceboDraws,
  type PlaceboPublished,
  type HistogramOptions,
} from "./resampling";
