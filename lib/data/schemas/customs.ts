import type { Schema } from "../schema";

/** China Customs exports, firm × HS6 × destination × year (2005–2015 in the synthetic files; real 2000–2015). File: `customs.parquet`. Codebook: data/codebook/customs.md. */
export const CUSTOMS: Schema = {
  name: "customs",
  description: "China Customs exports, firm × HS6 × destination × year (2005–2015 in the synthetic files; real 2000–2015)",
  key: ["firm_id", "hs6", "dest", "year"],
  columns: [
    { name: "firm_id", type: "integer", description: "firm identifier (customs registration code, anonymised)" },
    { name: "city_code", type: "integer", description: "GB/T 2260 prefecture code of the firm" },
    { name: "hs6", type: "string", description: "HS6 product (HS2002, as text with leading zeros)" },
    { name: "dest", type: "string", description: "destination ISO3" },
    { name: "year", type: "integer" },
    { name: "value_usd", type: "number", unit: "USD", description: "FOB export value" },
    { name: "quantity", type: "number", unit: "customs unit", description: "export quantity" },
    { name: "trade_mode", type: "string", description: "processing | ordinary" },
    { name: "is_intermediary", type: "integer", unit: "0/1", description: "trading intermediary (name contains 进出口/贸易/经贸…)" },
  ],
};
