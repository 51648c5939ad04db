import type { Schema } from "../schema";

/**
 * Firm attributes in the style of the Chinese Annual Survey of Industrial Enterprises (ASIE,
 * 中国工业企业数据库), already matched to the customs exporters (Brandt, Van Biesebroeck & Zhang
 * 2012 cleaning; EQ §4.3(2) matches customs to the ASIE for 2005–2013). One row per firm × year;
 * `firm_id` is the customs firm identifier of `customs.parquet`. File: `firms.csv`. Codebook:
 * data/codebook/firms.md.
 */
export const FIRMS: Schema = {
  name: "firms",
  description: "ASIE-style firm attributes of customs exporters matched to the industrial survey, firm × year (2005–2013)",
  key: ["firm_id", "year"],
  columns: [
    { name: "firm_id", type: "integer", nullable: false, description: "customs firm identifier (as in customs.parquet)" },
    { name: "year", type: "integer", nullable: false },
    { name: "founding_year", type: "integer", description: "year the firm was founded (开业年份)" },
    { name: "employment", type: "number", unit: "persons", description: "annual average employment (全部从业人员年平均人数)" },
    { name: "total_assets", type: "number", unit: "thousand CNY", description: "total assets (资产总计)" },
  ],
};
