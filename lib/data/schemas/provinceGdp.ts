import type { Schema } from "../schema";

/** Provincial real GDP (EQ (18) control, domestic market size). File: `province_gdp.csv`. Codebook: data/codebook/provinceGdp.md. */
export const PROVINCE_GDP: Schema = {
  name: "provinceGdp",
  description: "Provincial real GDP (EQ (18) control: domestic market size)",
  key: ["province_code", "year"],
  columns: [
    { name: "province_code", type: "integer", description: "GB/T 2260 province code (as cities.csv)" },
    { name: "year", type: "integer" },
    { name: "gdp_real", type: "number", unit: "100m CNY of 2000", description: "real GDP at 2000 prices (nominal GDP deflated by the provincial GDP deflator)" },
  ],
};
