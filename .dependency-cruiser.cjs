/**
 * Import rules of lib/: imports point down only, and no cycles. Run by `npm run lint:deps`
 * (part of `npm test` in CI). Floors, bottom up:
 *
 *   util → core → vcov → estimators → measures → papers → display / runner / cli / index.ts
 *   util → data ↗ (data is beside core); report and theory sit on data; synth on data, the
 *   numerical core and the measures it mirrors.
 *
 * Each rule names what a folder may import; anything else in lib/ is an arrow running back up.
 */
const allow = (from, to) => ({
  name: `${from}-imports-only-${to.join("-")}`,
  comment: `lib/${from} may import only lib/{${[from, ...to].join(",")}}`,
  severity: "error",
  from: { path: `^lib/${from}/` },
  to: { path: "^lib/", pathNot: [`^lib/(${[from, ...to].join("|")})/`, "^lib/package\\.json$"] },
});

module.exports = {
  forbidden: [
    { name: "no-circular", comment: "no import cycles, between folders or files", severity: "error", from: { path: "^lib/" }, to: { circular: true } },
    allow("util", []),
    allow("core", ["util"]),
    allow("data", ["util"]),
    allow("vcov", ["core", "util"]),
    allow("theory", ["data", "util"]),
    allow("report", ["data", "util"]),
    allow("estimators", ["core", "data", "vcov", "util"]),
    allow("measures", ["estimators", "core", "data", "vcov", "util"]),
    // the generator mirrors the measures it must reproduce and uses the numerical core; it never runs an estimator
    allow("synth", ["measures", "core", "data", "util"]),
    allow("papers", ["synth", "measures", "estimators", "theory", "report", "vcov", "core", "data", "util"]),
    allow("display", ["report", "data", "util"]),
    allow("runner", ["synth", "display", "report", "data", "util"]),
    {
      name: "nothing-imports-the-top",
      comment: "the package index, the CLI and the runner are entry points: nothing in lib/ imports them (but themselves)",
      severity: "error",
      from: { path: "^lib/", pathNot: ["^lib/(cli|runner)/", "^lib/index\\.ts$"] },
      to: { path: ["^lib/index\\.ts$", "^lib/cli/", "^lib/runner/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^lib/dist/", "node_modules"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    parser: "tsc",
  },
};
