/**
 * Report renderers (pure, no tslab): three-line regression and data tables to HTML, LaTeX,
 * Markdown, CSV, plain text and Word; Vega-Lite chart specs and headless SVG rendering.
 */
export * from "./model";
export * from "./format";
export * from "./regression-table";
export * from "./data-table";
export * from "./describe";
export * from "./panels";
export * from "./html";
export * from "./latex";
export * from "./markdown";
export * from "./csv";
export * from "./text";
export * from "./docx";
export * from "./charts";
