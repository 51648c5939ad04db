import type { Schema } from "../schema";

/** Bartik shifts Virtual_st from OECD ICIO (derived, real coefficients). File: `digital_shifts.csv`. Codebook: data/codebook/digitalShifts.md. */
export const DIGITAL_SHIFTS: Schema = {
  name: "digitalShifts",
  description: "Bartik shifts Virtual_st from OECD ICIO (derived, real coefficients)",
  key: ["industry", "year"],
  columns: [
    { name: "industry", type: "string" },
    { name: "industry_name", type: "string" },
    { name: "year", type: "integer" },
    { name: "virtual", type: "number", unit: "scaled coefficient", description: "EQ shift" },
    { name: "virtual_raw", type: "number", unit: "coefficient", description: "a_D61 + a_D62T63 + ω a_D45T47" },
  ],
};
