import type { Schema } from "../schema";

/** HS6 → HS4, HS3 and BEC class. File: `products.csv`. Codebook: data/codebook/products.md. */
export const PRODUCTS: Schema = {
  name: "products",
  description: "HS6 → HS4, HS3 and BEC class",
  key: ["hs6"],
  columns: [
    { name: "hs6", type: "string" },
    { name: "hs4", type: "string" },
    { name: "hs3", type: "string" },
    { name: "bec", type: "string", description: "BEC end-use class mapped to SNA: intermediate | consumption | capital; anything else (e.g. unclassified: BEC 51, 321, 7) is left out of the BEC split and counted" },
  ],
};
