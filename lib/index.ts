/**
 * @vagg/lib — the shared library of the virtual-agglomeration replications.
 * Notebooks: `import 'tsx/cjs'` first, then `import { feols, readTable } from '@vagg/lib'`.
 */
export * from "./util/errors";
export * from "./util/rng";
export * from "./util/seed";
export * from "./data/table";
export * from "./data/duckdb";
export * from "./data/io";
export * from "./data/schema";
export * from "./data/panel";
