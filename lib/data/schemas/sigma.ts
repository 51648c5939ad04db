import type { Schema } from "../schema";

/** Elasticity of substitution by HS3 (Broda–Greenfield–Weinstein keys; synthetic values). File: `sigma_hs3.csv`. Codebook: data/codebook/sigma.md. */
export const SIGMA_HS3: Schema = {
  name: "sigma",
  description: "Elasticity of substitution by HS3 (Broda–Greenfield–Weinstein keys; synthetic values)",
  key: ["hs3"],
  columns: [
    { name: "hs3", type: "string", description: "HS 3-digit" },
    { name: "sigma", type: "number", description: "elasticity of substitution σ > 1" },
  ],
};
