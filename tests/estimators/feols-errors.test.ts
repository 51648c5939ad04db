import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";
import { FormulaError, EstimationError, ArgumentError, VaggError, DataError } from "../../lib/util/errors";

// Bad input gets one line that names the term/variable; no stack trace in the message.
const t = table(
  {
    y: Float64Array.of(1, 2, 3, 4, 5, 6),
    x: Float64Array.of(1, 0, 2, 1, 3, 5),
    s: ["a", "b", "a", "b", "a", "b"],
    allna: Float64Array.of(NaN, NaN, NaN, NaN, NaN, NaN),
    one: Float64Array.of(1, 1, 1, 1, 1, 1),
    g: Float64Array.of(1, 1, 2, 2, 3, 3),
  },
  "t.csv",
);

function throwsOneLine(f: () => unknown, cls: new (...a: never[]) => VaggError, re: RegExp): void {
  try {
    f();
    assert.unreachable("did not throw");
  } catch (e) {
    assert.instance(e, cls);
    const m = (e as Error).message;
    assert.not.match(m, /\n/);
    assert.match(m, re);
  }
}

test("unknown variable names the term and suggests a close name", () => {
  throwsOneLine(
    () => feols(t, "y ~ xx"),
    FormulaError,
    /^vagg formula error: t\.csv: term "xx": unknown variable "xx" \(did you mean "x"\?\)$/,
  );
  throwsOneLine(() => feols(t, "y ~ x | gg"), FormulaError, /unknown fixed-effect variable "gg" \(did you mean "g"\?\)/);
});

test("malformed formulas", () => {
  throwsOneLine(() => feols(t, "y x"), FormulaError, /needs "~"/);
  throwsOneLine(() => feols(t, "y ~ log(x"), FormulaError, /unbalanced parentheses/);
  throwsOneLine(() => feols(t, "y ~ x +"), FormulaError, /dangling operator/);
  throwsOneLine(() => feols(t, "y ~ foo(x)"), FormulaError, /term "foo\(x\)": unknown function "foo"/);
  throwsOneLine(() => feols(t, "~ x"), FormulaError, /missing dependent variable/);
  throwsOneLine(() => feols(t, "y ~ x | g | a | b"), FormulaError, /too many "\|" parts/);
});

test("a string regressor is refused with advice", () => {
  throwsOneLine(
    () => feols(t, "y ~ s"),
    DataError,
    /t\.csv: column "s", row 1: is text \(e\.g\. "a"\), not numeric; to use it as a fixed effect, put it after "\|"/,
  );
  // a mostly numeric column with one stray text value: the row and value, no fixed-effect hint
  const m = table({ y: new Float64Array([1, 2, 3, 4]), x: ["1.5", "2", "n/a", "4"] }, "m.csv");
  throwsOneLine(
    () => feols(m, "y ~ x"),
    DataError,
    /m\.csv: column "x", row 3: non-numeric text "n\/a" in a numeric column \(3 of 4 values are numbers\)/,
  );
  try {
    feols(m, "y ~ x");
  } catch (e) {
    assert.not.match((e as Error).message, /fixed effect/);
  }
});

test("all-NA outcome: no observations left, naming the variable", () => {
  throwsOneLine(
    () => feols(t, "allna ~ x"),
    EstimationError,
    /no observations left after removing missing values \(variable "allna" is missing in 6 of 6 rows\)/,
  );
});

test("no observations left after singleton removal", () => {
  const u = table({ y: Float64Array.of(1, 2, 3), x: Float64Array.of(1, 2, 4), id: Float64Array.of(1, 2, 3) });
  throwsOneLine(() => feols(u, "y ~ x | id"), EstimationError, /no observations left after removing 3 fixed-effect singletons/);
});

test("a cluster variable with one level", () => {
  throwsOneLine(() => feols(t, "y ~ x", { vcov: "cluster:one" }), ArgumentError, /term "one": cluster variable has only 1 level/);
  throwsOneLine(() => feols(t, "y ~ x", { vcov: "cluster:nope" }), FormulaError, /unknown cluster variable "nope"/);
  throwsOneLine(() => feols(t, "y ~ x", { vcov: "sandwich" }), ArgumentError, /unknown vcov "sandwich"/);
});

test("removed rows are counted per variable, Inf separately", () => {
  const u = table({ y: Float64Array.of(1, NaN, 3, 4, Infinity, 6, 7), x: Float64Array.of(1, 2, NaN, 4, 5, 6, 8) });
  const m = feols(u, "y ~ x");
  assert.is(m.nobs, 4);
  assert.is(m.removed.na, 3);
  assert.equal(m.removed.naByVariable, { y: 1, x: 1 });
  assert.equal(m.removed.infByVariable, { y: 1 });
});

test.run();
