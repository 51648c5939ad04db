/**
 * Stata .dta input/output. Format reference: Stata's `help dta` ("[P] File formats .dta"),
 * with `help dta_117`, `help dta_115` and `help dta_114` for older formats.
 *
 * @example
 *   import { readDta, writeDta, writeOptionsFromMeta } from "./lib/data/dta";
 *   const { table, meta } = readDta("data/raw/customs_2010.dta", { encoding: "gb18030" });
 *   writeDta("/tmp/out.dta", table, writeOptionsFromMeta(meta));
 */
export { readDta, checkDistinctNames } from "./reader";
export type { ReadDtaOptions, DtaMeta } from "./reader";
export { writeDta, writeOptionsFromMeta } from "./writer";
export type { WriteDtaOptions } from "./writer";
export type { ByteOrder, DtaVersion, ValueLabelSet, StorageType } from "./types";
