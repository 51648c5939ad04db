import type { Schema } from "../schema";

/** Cities in the sample (from the public skeleton). File: `cities.csv`. Codebook: data/codebook/cities.md. */
export const CITIES: Schema = {
  name: "cities",
  description: "Cities in the sample (from the public skeleton)",
  key: ["city_code"],
  columns: [
    { name: "city_code", type: "integer" },
    { name: "city", type: "string" },
    { name: "province", type: "string" },
    { name: "province_code", type: "integer" },
    { name: "lon", type: "number", unit: "degrees" },
    { name: "lat", type: "number", unit: "degrees" },
    { name: "pop_2010", type: "number", unit: "persons", description: "2010 census population" },
  ],
};
