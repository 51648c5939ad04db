import { test } from "uvu";
import * as assert from "uvu/assert";
import { iv2sls } from "../../../lib/estimators/iv2sls";
import { ivDesignOfResult, registerIvDesign } from "../../../lib/estimators/iv/design-registry";
import { weakIvData } from "./weak-iv-synthetic";

// Exact checks (object identity and counts): no tolerance needed.
test("iv2sls registers its design; a copy of the result has none", () => {
  const fit = iv2sls(weakIvData(), "y ~ w | city | x ~ z1");
  const d = ivDesignOfResult(fit);
  assert.ok(d);
  assert.is(d!.n, fit.nobs);
  assert.equal(d!.instNames, ["z1"]);
  assert.is(ivDesignOfResult({ ...fit }), undefined);
  const o = {};
  registerIvDesign(o, d!);
  assert.is(ivDesignOfResult(o), d);
});

test.run();
