"use strict";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { iv2sls } from "../../lib/estimators/iv2sls";
import { loadData } from "./fixest-fixtures";
import type { Table } from "../../lib/data/table";

// Results are deeply frozen; typed arrays (residuals, obsRows) are copying getters.
let data: Table;
test.before(async () => {
  data = await loadData("data.csv");
});

function checkFrozen(r: ReturnType<typeof feols> | ReturnType<typeof iv2sls>) {
  const e0 = r.residuals![0]!,
    o0 = r.obsRows[0]!;
  const e = r.residuals!;
  e[0] = 999;
  assert.is(r.residuals![0], e0, "residuals write does not stick");
  r.obsRows[0] = 12345;
  assert.is(r.obsRows[0], o0, "obsRows write does not stick");
  assert.throws(
    () => {
      (r.table[0] as { estimate: number }).estimate = 1;
    },
    TypeError,
    "table rows frozen",
  );
  const b = r.coef["x1"];
  assert.throws(() => {
    (r.coef as Record<string, number>)["x1"] = 5;
  }, TypeError);
  assert.is(r.coef["x1"], b);
  assert.throws(
    () => {
      (r.vcov[0] as number[])[0] = 0;
    },
    TypeError,
    "vcov rows frozen",
  );
  assert.throws(() => {
    (r.vcov as number[][]).push([]);
  }, TypeError);
  assert.throws(() => {
    (r as { residuals?: Float64Array }).residuals = new Float64Array(1);
  }, TypeError);
  assert.throws(
    () => {
      (r.removed.naByVariable as Record<string, number>)["y"] = 0;
    },
    TypeError,
    "removed counts frozen",
  );
  assert.throws(
    () => {
      (r.dof as { K: number }).K = 0;
    },
    TypeError,
    "dof frozen",
  );
  assert.throws(() => {
    (r.fixef.sizes as number[])[0] = 0;
  }, TypeError);
  assert.throws(() => {
    (r.notes as string[]).push("x");
  }, TypeError);
  assert.ok(Object.isFrozen(r) && Object.isFrozen(r.fstat) && Object.isFrozen(r.demeaning));
}

test("feols result is deeply immutable", () => {
  checkFrozen(feols(data, "y ~ x1 + x2 | fe1 + fe2", { vcov: "cluster:cl2" }));
});

test("iv2sls result is deeply immutable, first stage and diagnostics included", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2", { vcov: "cluster:cl2" });
  checkFrozen(r);
  assert.throws(() => {
    (r.firstStage[0]!.coef as Record<string, number>)["z1"] = 0;
  }, TypeError);
  assert.throws(() => {
    (r.firstStageTable![0]!.rows[0] as { se: number }).se = 0;
  }, TypeError);
  assert.throws(() => {
    (r.diagnostics!.stockYogo.ivSize as Record<string, number>)["10"] = 0;
  }, TypeError);
  assert.throws(() => {
    (r.endogenous as string[]).push("z");
  }, TypeError);
});

test("residuals and obsRows: copies that survive spreading and JSON", () => {
  const r = feols(data, "y ~ x1 | fe1");
  const a = r.residuals!,
    b = r.residuals!;
  assert.ok(a !== b && a.length === r.nobs && a.every((v, i) => v === b[i]));
  const s = { ...r };
  assert.ok(s.residuals instanceof Float64Array && s.obsRows instanceof Int32Array);
  assert.ok(Object.keys(JSON.parse(JSON.stringify(r))).includes("residuals"));
  assert.is(feols(data, "y ~ x1 | fe1", { keepResiduals: false }).residuals, undefined);
});

test.run();
