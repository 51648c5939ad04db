import { test } from "uvu";
import * as assert from "uvu/assert";
import { multipleOutcomes } from "../../lib/estimators/multiple-outcomes";

test("multipleOutcomes: c(…) split at top-level commas; a plain outcome; errors name the term", () => {
  assert.equal(multipleOutcomes("c(y1, log(y2), z) ~ x | a"), { outcomes: ["y1", "log(y2)", "z"], rhs: "x | a" });
  assert.equal(multipleOutcomes("y ~ x"), { outcomes: ["y"], rhs: "x" });
  assert.throws(() => multipleOutcomes("c(y1, , y2) ~ x"), /empty outcome/);
  assert.throws(() => multipleOutcomes("c(y1, y1) ~ x"), /appears twice/);
  assert.throws(() => multipleOutcomes("c(y1, y2)"), /no "~"/);
});

test.run();
