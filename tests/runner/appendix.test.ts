import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../lib/runner/reproduce";
import { readNotebook } from "../../lib/runner/notebook";
import { readTable, publicDataPath, rotembergLong, rotembergTable } from "../../lib";
import { column } from "../../lib/data/table";
import { sourceCommit } from "../../lib/util/source-date";

// The committed appendix (exports/), read as a reader and a referee would: every figure drawn,
// every table HTML, machine-readable CSVs, clean provenance, no machine path, and the README's
// list of exhibits in step with the files. Reads exports/ only; never writes there.

// VAGG_APPENDIX checks another run folder the same way (e.g. a fresh `--out` run before it is committed).
const EXPORTS = process.env["VAGG_APPENDIX"] ? path.resolve(process.env["VAGG_APPENDIX"]) : path.join(REPO_ROOT, "exports");
const files = (sub: string): string[] => (fs.existsSync(path.join(EXPORTS, sub)) ? fs.readdirSync(path.join(EXPORTS, sub)).sort() : []);
const reports = fs
  .readdirSync(EXPORTS)
  .filter((f) => f.endsWith(".ipynb"))
  .map((f) => f.slice(0, -".ipynb".length))
  .sort();

test("the committed appendix exists", () => {
  assert.ok(reports.length >= 16, `exports/ holds ${reports.length} executed notebooks`);
  assert.ok(files("tables").length > 0 && files("figures").length > 0);
});

test("every chart is in its executed notebook as Vega-Lite + SVG and in its report as a numbered inline figure; every table is HTML", () => {
  let charts = 0;
  for (const name of reports) {
    const nb = readNotebook(path.join(EXPORTS, `${name}.ipynb`));
    const html = fs.readFileSync(path.join(EXPORTS, `${name}.html`), "utf8");
    let nbCharts = 0;
    let nbTables = 0;
    for (const c of nb.cells) {
      if (c.cell_type !== "code") continue;
      for (const o of c.outputs) {
        const t = o.output_type === "stream" ? String(o.text) : "";
        assert.not.ok(t.includes("[Vega-Lite chart:"), `${name}: a chart printed as text: ${t.slice(0, 80)}`);
        if (o.output_type !== "display_data") continue;
        if (o.data["application/vnd.vegalite.v5+json"] !== undefined) {
          assert.type(o.data["image/svg+xml"], "string", `${name}: chart without SVG`);
          nbCharts++;
        }
        if (typeof o.data["text/html"] === "string" && /<table\b/.test(o.data["text/html"] as string)) nbTables++;
      }
    }
    const figs = (html.match(/<figure class="exhibit" id="figure-\d+"><figcaption><b>Figure [A-Z]?\d+/g) ?? []).length;
    const tabs = (html.match(/<div class="html exhibit" id="table-\d+">/g) ?? []).length;
    assert.is(figs, nbCharts, `${name}: ${nbCharts} charts in the notebook, ${figs} inline figures in the report`);
    assert.is(tabs, nbTables, `${name}: ${nbTables} HTML tables in the notebook, ${tabs} in the report`);
    assert.not.ok(/<pre class="(stream|text)[^"]*">[^<]*(?:─{10,}|={20,})/.test(html), `${name}: a table printed as text`);
    if (figs + tabs > 0) assert.ok(html.includes('<nav class="exhibits">'), `${name}: list of figures and tables`);
    charts += nbCharts;
  }
  assert.ok(charts >= 15, `${charts} charts in the appendix`);
});

test("provenance: no report was built from uncommitted changes; every notebook names its commit, the current sources' commit", () => {
  // the appendix is rebuilt whenever a commit changes anything outside exports/ (VAGG_APPENDIX: another run, any commit)
  const current = process.env["VAGG_APPENDIX"] ? undefined : sourceCommit(REPO_ROOT)?.hash;
  for (const name of reports) {
    const nb = readNotebook(path.join(EXPORTS, `${name}.ipynb`));
    const v = nb.metadata["vagg"] as { commit?: string; dirty?: boolean; status?: string };
    assert.match(String(v.commit), /^[0-9a-f]{40}$/, `${name}: commit`);
    if (current)
      assert.is(
        v.commit,
        current,
        `${name}: built from ${String(v.commit).slice(0, 10)}, the sources are at ${current.slice(0, 10)}: rerun npm run reproduce on a clean tree and commit exports/`,
      );
    assert.is(v.dirty, false, `${name}: built from a dirty tree`);
    assert.is(v.status, "ok", name);
    const html = fs.readFileSync(path.join(EXPORTS, `${name}.html`), "utf8");
    assert.not.ok(/dirty|uncommitted changes/i.test(html.replace(/<style>[\s\S]*?<\/style>/g, "")), `${name}.html says dirty`);
  }
});

test("no absolute path of the building machine in any export", () => {
  const bad: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === ".cache") continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.docx$/.test(e.name) && /(\/(work|home|root|tmp|Users)\/[^\s"'<)]*)/.test(fs.readFileSync(p, "utf8")))
        bad.push(path.relative(EXPORTS, p));
    }
  };
  walk(EXPORTS);
  assert.equal(bad, [], `absolute paths in ${bad.join(", ")}`);
});

test("CSVs are data: no thousands separator; every display CSV has its tidy companion", () => {
  const csvs = files("tables").filter((f) => f.endsWith(".csv"));
  for (const f of csvs) {
    const s = fs.readFileSync(path.join(EXPORTS, "tables", f), "utf8");
    const m = /"-?\d{1,3}(,\d{3})+(\.\d+)?"/.exec(s); // unquoted commas separate fields
    assert.not.ok(m, `${f}: thousands separator in "${m?.[0]}"`);
    const display = /\d\*{1,3}(,|\n|")|\(-?\d+\.\d+\)/.test(s);
    if (display && !f.endsWith(".tidy.csv"))
      assert.ok(csvs.includes(f.replace(/\.csv$/, ".tidy.csv")), `${f} is a display CSV without ${f.replace(/\.csv$/, ".tidy.csv")}`);
  }
  for (const f of csvs.filter((x) => x.endsWith(".tidy.csv"))) {
    const head = (fs.readFileSync(path.join(EXPORTS, "tables", f), "utf8").split("\n")[0] ?? "").split(",");
    for (const col of ["term", "estimate"]) assert.ok(head.includes(col), `${f}: no ${col} column (${head.join(",")})`);
  }
});

test("the 780 ADH Rotemberg weights round-trip exactly", async () => {
  const csv = path.join(EXPORTS, "tables", "adh-rotemberg-weights.csv");
  const lines = fs.readFileSync(csv, "utf8").trim().split("\n");
  const head = (lines[0] as string).split(",");
  assert.equal(head, ["year", "ind", "g", "alpha", "beta"]);
  assert.is(lines.length - 1, 780);
  const pub = JSON.parse(fs.readFileSync(publicDataPath("adh", "published.json"), "utf8")) as {
    spec: { y: string; x: string; controls: string[] };
  };
  const rot = rotembergLong({
    master: await readTable(publicDataPath("adh", "master.csv")),
    shares: await readTable(publicDataPath("adh", "shares_nonzero_long.csv.gz")),
    shocks: await readTable(publicDataPath("adh", "shocks.csv")),
    y: pub.spec.y,
    x: pub.spec.x,
    controls: pub.spec.controls,
    weight: "timepwt48",
  });
  const t = rotembergTable(rot.rows);
  for (const name of ["g", "alpha", "beta"]) {
    const want = column(t, name) as Float64Array;
    const k = head.indexOf(name);
    lines.slice(1).forEach((l, i) => {
      const got = Number(l.split(",")[k]);
      assert.ok(Object.is(got, want[i]), `${name} row ${i + 1}: exported ${got}, computed ${want[i]}`);
    });
  }
  assert.ok(
    lines.slice(1).every((l) => /^\d{4},/.test(l)),
    "years as integers",
  );
});

test("the README's list of exhibits matches the files and the reports", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## List of exhibits"), readme.indexOf("\n## ", readme.indexOf("## List of exhibits") + 5));
  const rows = section.split("\n").filter((l) => /^\| (EQ|RS) \|/.test(l));
  assert.ok(rows.length > 20, `${rows.length} exhibit rows`);
  const patterns: RegExp[] = [];
  for (const r of rows) {
    const cells = r.split("|").map((c) => c.trim());
    const nbCell = cells[3] ?? "";
    const nbName = /`(?:notebooks\/\w+\/)?([\w-]+?)(?:\.ipynb)?`/.exec(nbCell)?.[1];
    assert.ok(nbName && reports.includes(nbName), `README row names notebook ${nbCell}, not in exports/`);
    for (const m of (cells[4] ?? "").matchAll(/`((?:tables|figures)\/[^`]+)`/g)) {
      const spec = (m[1] as string).replace(/ \(.*$/, "");
      const re = new RegExp("^" + spec.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*") + "$");
      patterns.push(re);
      const dir = spec.split("/")[0] as string;
      assert.ok(
        files(dir).some((f) => re.test(`${dir}/${f}`)),
        `README lists ${spec} (${nbName}), no such file in exports/`,
      );
    }
    // a label the README gives ("Table 3", "Figure 2") is one the notebook's report shows
    for (const lab of (cells[2] ?? "").matchAll(/\b(Table|Figure) (\d+)\b/g)) {
      const html = fs.readFileSync(path.join(EXPORTS, `${nbName}.html`), "utf8");
      assert.ok(html.includes(`<b>${lab[1]} ${lab[2]}.</b>`), `README: ${lab[0]} in ${nbName}, the report has no ${lab[0]}`);
    }
  }
  for (const dir of ["tables", "figures"]) {
    for (const f of files(dir))
      assert.ok(
        patterns.some((re) => re.test(`${dir}/${f}`)),
        `exports/${dir}/${f} is not in the README's list of exhibits`,
      );
  }
});

test.run();
