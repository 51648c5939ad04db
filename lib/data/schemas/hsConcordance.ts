import type { Schema } from "../schema";

/** HS code concordance to HS2002 (EQ §3). File: `hs_concordance.csv`. Codebook: data/codebook/hsConcordance.md. */
export const HS_CONCORDANCE: Schema = {
  name: "hsConcordance",
  description: "HS6 codes of later vintages mapped back to HS2002 (EQ §3: all codes converted to HS2002)",
  key: ["hs_code", "vintage"],
  columns: [
    { name: "hs_code", type: "string", description: "HS6 code as reported in customs in a year of that vintage" },
    { name: "vintage", type: "string", description: "HS2007 (export years 2007–2011) | HS2012 (2012 on)" },
    { name: "hs2002", type: "string", description: "the HS2002 HS6 code it maps to (one per line: splits resolved beforehand)" },
  ],
};
