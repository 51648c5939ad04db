import type { Schema } from "../schema";

/** 1984 city post offices and fixed telephones (IV source). File: `history_1984.csv`. Codebook: data/codebook/history1984.md. */
export const HISTORY_1984: Schema = {
  name: "history1984",
  description: "1984 city post offices and fixed telephones (IV source)",
  key: ["city_code"],
  columns: [
    { name: "city_code", type: "integer" },
    { name: "post_offices", type: "integer", unit: "count" },
    { name: "telephones", type: "integer", unit: "count", description: "fixed telephones" },
  ],
};
