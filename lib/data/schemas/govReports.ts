import type { Schema } from "../schema";

/** Government work reports, city × year × text. File: `gov_reports.csv`. Codebook: data/codebook/govReports.md. */
export const GOV_REPORTS: Schema = {
  name: "govReports",
  description: "Government work reports, city × year × text",
  key: ["city_code", "year"],
  columns: [
    { name: "city_code", type: "integer" },
    { name: "year", type: "integer" },
    { name: "text", type: "string", unit: "UTF-8", description: "full report text" },
  ],
};
