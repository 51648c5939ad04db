import type { Schema } from "../schema";

/** CPI by category, city × year × 8 categories (chain index). File: `cpi_categories.csv`. Codebook: data/codebook/cpiCategories.md. */
export const CPI_CATEGORIES: Schema = {
  name: "cpiCategories",
  description: "CPI by category, city × year × 8 categories (chain index)",
  key: ["city_code", "year", "category"],
  columns: [
    { name: "city_code", type: "integer" },
    { name: "year", type: "integer" },
    { name: "category", type: "string", description: "food | tobacco_liquor | clothing | household | health | transport_communication | recreation_education | housing" },
    { name: "price_index", type: "number", unit: "previous year = 100" },
  ],
};
