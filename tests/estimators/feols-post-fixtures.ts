/**
 * Loader of the fixest 0.12.2 post-estimation fixtures (tests/fixtures/fixest/postestimation_expected.json,
 * from make_postestimation.R). A missing or empty fixture throws: the tests using it fail, never pass silently.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Table } from "../../lib/data/table";
import { feols } from "../../lib/estimators/feols";
import { iv2sls } from "../../lib/estimators/iv2sls";
import { FIXTURES } from "./fixest-fixtures";

export interface WaldRef {
  stat: number;
  p: number;
  df1: number;
  df2: number;
}
export interface PostModel {
  name: string;
  formula: string;
  vcov: string;
  weights: string | Record<string, never>;
  coef: Record<string, number>;
  nparams: number;
  wald_all: WaldRef;
  wald_keep: WaldRef & { keep: string };
  wald_linear?: WaldRef & { hypothesis: string };
  wald_linear2?: WaldRef & { hypothesis: string[] };
  confint: { level: number; names: string[]; lower: number[]; upper: number[] }[];
  first_stage?: { endogenous: string; names: string[]; coef: number[]; se: number[] }[];
}
export interface PredictRef {
  name: string;
  formula: string;
  vcov: string;
  weights: string | Record<string, never>;
  train_rows: number;
  nobs: number;
  predict: (number | null)[];
  predict_tight: (number | null)[];
}
export interface PostFixtures {
  meta: { fixest: string };
  models: PostModel[];
  predict: PredictRef[];
  only_fixef: {
    formula: string;
    nobs: number;
    only_fixef: boolean;
    r2: number;
    ar2: number;
    wr2: number | null;
    rss: number;
    resid_head: number[];
  }[];
  intercept_only: { formula: string; coef: number; se: number; r2: number | null; ar2: number | null; nobs: number };
}

export function loadPost(): PostFixtures {
  const file = path.join(FIXTURES, "postestimation_expected.json");
  if (!fs.existsSync(file)) throw new Error(`missing fixture ${file} (run make_postestimation.R)`);
  const j = JSON.parse(fs.readFileSync(file, "utf8")) as PostFixtures;
  if (!j.models?.length || !j.predict?.length || !j.only_fixef?.length) throw new Error(`fixture ${file} has no cases`);
  if (j.meta.fixest !== "0.12.2") throw new Error(`fixture ${file} is from fixest ${j.meta.fixest}, expected 0.12.2`);
  return j;
}

export const weightsOf = (w: string | Record<string, never>): string | undefined => (typeof w === "string" ? w : undefined);

/** Fit a fixture model as fixest did (fixest 0.12.2 keeps singletons). */
export function fitCase(data: Table, c: { formula: string; vcov: string; weights: string | Record<string, never> }) {
  const o = { vcov: c.vcov, weights: weightsOf(c.weights), singletons: "keep" as const };
  return c.formula.split("|").length > 2 || /\|[^|]*~/.test(c.formula) ? iv2sls(data, c.formula, o) : feols(data, c.formula, o);
}

/** fixest names the endogenous coefficients fit_x; we keep x. */
export const ourName = (n: string) => n.replace(/^fit_/, "");

export function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
