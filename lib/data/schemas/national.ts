import type { Schema } from "../schema";

/** National series: internet investment, internet users, exchange rate. File: `national_series.csv`. Codebook: data/codebook/national.md. */
export const NATIONAL_SERIES: Schema = {
  name: "national",
  description: "National series: internet investment, internet users, exchange rate",
  key: ["year"],
  columns: [
    { name: "year", type: "integer" },
    { name: "internet_investment", type: "number", unit: "100m CNY", description: "national internet (telecom) fixed investment" },
    { name: "internet_users", type: "number", unit: "10k persons", description: "national internet users" },
    { name: "cny_per_usd", type: "number", unit: "CNY/USD", description: "annual average" },
  ],
};
