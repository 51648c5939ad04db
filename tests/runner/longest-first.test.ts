import { test } from "uvu";
import * as assert from "uvu/assert";
import { longestFirst } from "../../lib/runner/reproduce";

test("longest first by the last run's seconds; unknown ones after, in table-of-contents order", () => {
  const toc = ["a", "b", "c", "d", "e"].map((name) => ({ name }));
  const prev = new Map([
    ["b", { timings: { seconds: 5 } }],
    ["d", { timings: { seconds: 90 } }],
    ["e", { timings: { seconds: 5 } }],
  ]);
  assert.equal(
    longestFirst(toc, prev).map((e) => e.name),
    ["d", "b", "e", "a", "c"],
  );
});

test("no previous run: table-of-contents order, input untouched", () => {
  const toc = ["x", "y"].map((name) => ({ name }));
  const out = longestFirst(toc, new Map());
  assert.equal(
    out.map((e) => e.name),
    ["x", "y"],
  );
  assert.is.not(out, toc);
});

test.run();
