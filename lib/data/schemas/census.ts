import type { Schema } from "../schema";

/** Economic census, city × industry output and employment (industries: OECD ISIC Rev.4 manufacturing aggregates). File: `census_2004.csv / census_2008.csv`. Codebook: data/codebook/census.md. */
export const CENSUS: Schema = {
  name: "census",
  description: "Economic census, city × industry output and employment (industries: OECD ISIC Rev.4 manufacturing aggregates)",
  key: ["city_code", "industry"],
  columns: [
    { name: "city_code", type: "integer" },
    { name: "industry", type: "string", description: "ISIC Rev.4 aggregate code, e.g. D10T12" },
    { name: "year", type: "integer", description: "2004 or 2008" },
    { name: "output", type: "number", unit: "10k CNY", description: "gross industrial output" },
    { name: "employment", type: "number", unit: "persons" },
    { name: "firms", type: "integer", unit: "count" },
  ],
};
