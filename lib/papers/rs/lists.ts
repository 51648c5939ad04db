import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../../data/io";
import { fromRecords, toRecords } from "../../data/table";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { DataError } from "../../util/errors";
import { REPO_ROOT_DIR } from "../../util/paths";
import { RS_PRINTED, printedValue } from "./published";

/**
 * The two city lists the RS robustness and heterogeneity exhibits depend on — smart-city pilots
 * (DID, §4.2.1) and the 2013 old-industrial cities (Table 4 cols 1–2) — checked against the
 * entries traced to public sources in the spot-check (`../shared/data/lists-spotcheck/`).
 *
 * Rules (data/README.md, lists section): the project files list prefecture-level cities only;
 * `batch_year` is the pilot year of the prefecture-level city itself (2012 = batch 1, the 2012年度
 * list announced 2013-01-29; 2013 = batch 2; 2014 = batch 3); district, county and zone pilots are
 * reported, not coded. `status` is `traced` (row backed by a spot-check source, URL in `source`)
 * or `unverified` (typed from memory).
 */

/** Default folders: the project's lists and the spot-check (outside the repository, never committed). */
export const RS_LISTS_DIR = path.join(REPO_ROOT_DIR, "data", "raw", "public", "lists");
export const RS_SPOTCHECK_DIR = path.resolve(REPO_ROOT_DIR, "..", "shared", "data", "lists-spotcheck");
const CITY_FILE = path.join(REPO_ROOT_DIR, "data", "raw", "public", "cities", "cn_city_census_2010_2020_centroids.csv");

export type RsListName = "smart_city_pilots" | "old_industrial_base_2013";

/** One difference between a project list and the spot-check. `blocking` = the project file contradicts a traced entry. */
export interface RsListDifference {
  readonly list: RsListName;
  readonly city: string;
  readonly kind:
    | "missing"
    | "batch"
    | "status"
    | "contradicted"
    | "unbacked_trace"
    | "batch_unresolved"
    | "sub_unit"
    | "no_url"
    | "capital_district"
    | "unenumerated";
  readonly spotcheck: string;
  readonly project: string;
  readonly blocking: boolean;
}

/** Counts of one list and its differences from the spot-check. */
export interface RsListCheck {
  readonly list: RsListName;
  readonly rows: number;
  readonly traced: number;
  readonly unverified: number;
  /** Prefecture-level spot-check entries (the ones the project file can be held to). */
  readonly spotcheckEntries: number;
  /** Of those, the ones the project file agrees with. */
  readonly agree: number;
  readonly differences: readonly RsListDifference[];
}

type Rec = Record<string, string>;

async function csvRecords(file: string, need: readonly string[]): Promise<Rec[]> {
  if (!fs.existsSync(file)) throw new DataError("file not found", { file });
  const rows = toRecords(await readTable(file));
  const out = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)])));
  const cols = out.length ? Object.keys(out[0]!) : [];
  for (const c of need)
    if (out.length && !cols.includes(c)) throw new DataError(`column missing (have ${cols.join(", ")})`, { file, column: c });
  out.forEach((r, i) => {
    for (const c of need.filter((c) => c === "city_code" || c === "batch_year"))
      if (!/^\d+$/.test(r[c] ?? "")) throw new DataError(`"${r[c]}" is not a whole number`, { file, column: c, row: i + 1 });
    if ("status" in r && r.status !== "traced" && r.status !== "unverified")
      throw new DataError(`"${r.status}" is neither traced nor unverified`, { file, column: "status", row: i + 1 });
  });
  return out;
}

/** Batch label of the spot-check → the batch_year values compatible with it. */
function allowedYears(batch: string): readonly number[] | null {
  switch (batch) {
    case "1":
      return [2012];
    case "2":
      return [2013];
    case "3_new":
      return [2014];
    case "3_extended": // an earlier pilot extended in batch 3
      return [2012, 2013];
    case "1or2_unresolved":
      return [2012, 2013];
    default:
      return null; // "unresolved": pilot status only
  }
}

/**
 * Compares the project's smart-city and old-industrial lists with the spot-check.
 *
 * Blocking differences (the project file contradicts a traced source): a traced prefecture-level
 * entry missing from the project file, a batch_year incompatible with the traced batch, a row
 * not marked `traced` although the spot-check backs it, a `traced` row without a spot-check
 * entry, and a project city in a province whose complete list the traced source enumerates
 * ("…7个城市（区）被列入规划") but which that enumeration omits. Everything else (sub-unit pilots,
 * unresolved batches, uncitable excerpts, capital districts) is reported, not blocking.
 *
 * @example
 *   const [smart, old] = await rsListCheck();
 *   smart.differences.filter((d) => d.blocking); // [] when the files are reconciled
 */
export async function rsListCheck(
  listsDir: string = RS_LISTS_DIR,
  spotDir: string = RS_SPOTCHECK_DIR,
): Promise<readonly [RsListCheck, RsListCheck]> {
  if (!fs.existsSync(spotDir))
    throw new DataError("spot-check folder not found (it lives outside the repository, in ../shared)", { file: spotDir });
  const cities = await csvRecords(CITY_FILE, ["city", "city_code", "province"]);
  const codeOf = new Map(cities.map((r) => [r.city!, r.city_code!]));
  const provOf = new Map(cities.map((r) => [r.city_code!, r.province!]));

  // smart-city pilots
  const sFile = path.join(listsDir, "smart_city_pilots.csv");
  const proj = await csvRecords(sFile, ["city_code", "city", "batch_year", "status", "source"]);
  const spot = await csvRecords(path.join(spotDir, "smart_city_pilots.csv"), [
    "batch",
    "pilot_name_as_printed",
    "level",
    "prefecture_city",
    "source_url",
  ]);
  const byCode = new Map(proj.map((r) => [r.city_code!, r]));
  const diffs: RsListDifference[] = [];
  const d = (x: Omit<RsListDifference, "list">) => diffs.push({ list: "smart_city_pilots", ...x });
  const pref = spot.filter((s) => s.level === "prefecture");
  let agree = 0;
  for (const s of pref) {
    const code = codeOf.get(s.prefecture_city!);
    const row = code ? byCode.get(code) : undefined;
    const allowed = allowedYears(s.batch!);
    const said = `${s.pilot_name_as_printed} batch ${s.batch} (${s.source_url})`;
    if (!row) {
      d({
        city: s.prefecture_city!,
        kind: allowed ? "missing" : "batch_unresolved",
        spotcheck: said,
        project: "absent",
        blocking: allowed !== null,
      });
      continue;
    }
    const proj = `${row.batch_year} (${row.status})`;
    if (!allowed) {
      d({ city: row.city!, kind: "batch_unresolved", spotcheck: said, project: proj, blocking: false });
      agree++;
    } else if (!allowed.includes(Number(row.batch_year)))
      d({ city: row.city!, kind: "batch", spotcheck: said, project: proj, blocking: true });
    else if (row.status !== "traced" || !row.source!.split(" ; ").includes(s.source_url!))
      d({ city: row.city!, kind: "status", spotcheck: said, project: `${proj}; source "${row.source}"`, blocking: true });
    else agree++;
  }
  const tracedCodes = new Set(
    pref
      .map((s) => codeOf.get(s.prefecture_city!))
      .filter((c) => c && allowedYears(spot.find((x) => codeOf.get(x.prefecture_city!) === c && x.level === "prefecture")!.batch!)),
  );
  for (const r of proj)
    if (r.status === "traced" && !tracedCodes.has(r.city_code!))
      d({
        city: r.city!,
        kind: "unbacked_trace",
        spotcheck: "no prefecture-level entry with a resolved batch",
        project: `${r.batch_year} traced`,
        blocking: true,
      });
  for (const s of spot.filter((s) => s.level !== "prefecture")) {
    const row = byCode.get(codeOf.get(s.prefecture_city!) ?? "");
    d({
      city: s.prefecture_city!,
      kind: "sub_unit",
      spotcheck: `${s.pilot_name_as_printed} (${s.level}) batch ${s.batch}`,
      project: row ? `${row.batch_year} (${row.status})` : "absent",
      blocking: false,
    });
  }
  const smart: RsListCheck = {
    list: "smart_city_pilots",
    rows: proj.length,
    traced: proj.filter((r) => r.status === "traced").length,
    unverified: proj.filter((r) => r.status === "unverified").length,
    spotcheckEntries: pref.length,
    agree,
    differences: diffs.splice(0),
  };

  // old industrial cities
  const oFile = path.join(listsDir, "old_industrial_base_2013.csv");
  const oproj = await csvRecords(oFile, ["city_code", "city", "status", "source"]);
  const ospot = await csvRecords(path.join(spotDir, "old_industrial_2013.csv"), [
    "province",
    "city",
    "category",
    "source_url",
    "source_quote_snippet",
  ]);
  const obyCode = new Map(oproj.map((r) => [r.city_code!, r]));
  const od = (x: Omit<RsListDifference, "list">) => diffs.push({ list: "old_industrial_base_2013", ...x });
  let oagree = 0;
  const opref = ospot.filter((s) => s.category === "prefecture");
  const citable = (s: Rec) => /^https?:\/\//.test(s.source_url!);
  for (const s of opref) {
    const row = obyCode.get(codeOf.get(s.city!) ?? "");
    if (!citable(s)) {
      od({
        city: s.city!,
        kind: "no_url",
        spotcheck: `excerpt without address: ${s.source_quote_snippet}`,
        project: row ? row.status! : "absent",
        blocking: false,
      });
      continue;
    }
    if (!row) od({ city: s.city!, kind: "missing", spotcheck: s.source_url!, project: "absent", blocking: true });
    else if (row.status !== "traced" || !row.source!.split(" ; ").some((u) => s.source_url!.split(" ; ").includes(u)))
      od({ city: row.city!, kind: "status", spotcheck: s.source_url!, project: `${row.status}; source "${row.source}"`, blocking: true });
    else oagree++;
  }
  for (const s of ospot.filter((s) => s.category !== "prefecture")) {
    const unit = /listed unit: ([^)]+)\)/.exec(s.source_quote_snippet!)?.[1] ?? "?";
    od({
      city: s.city!,
      kind: "capital_district",
      spotcheck: `${unit} (${s.category})`,
      project: obyCode.has(codeOf.get(s.city!) ?? "") ? "listed" : "absent (prefecture-level cities only)",
      blocking: false,
    });
  }
  // complete provincial enumerations: "…N个城市（区）…" with N = the rows sharing that quote
  const byQuote = new Map<string, Rec[]>();
  // a snippet may join several quotes with " / "; a row belongs to every quote its snippet contains
  for (const s of ospot.filter(citable))
    for (const q of s.source_quote_snippet!.split(" / ").map((x) => x.replace(/\s*\(listed unit: [^)]*\)\s*$/, "").trim()))
      byQuote.set(q, [...(byQuote.get(q) ?? []), s]);
  for (const [q, rows] of byQuote) {
    const m = /(\d+)个城市（区）/.exec(q);
    const provinces = new Set(rows.map((r) => r.province));
    if (!m || Number(m[1]) !== rows.length || provinces.size !== 1) {
      // not an enumeration that states its own size: project cities of the province outside it are only flagged
      if (provinces.size === 1 && rows.length > 1) {
        const prov = provinces.values().next().value!;
        const named = new Set(rows.map((r) => codeOf.get(r.city!)));
        for (const r of oproj)
          if ((provOf.get(r.city_code!) ?? "").startsWith(prov) && !named.has(r.city_code!))
            od({
              city: r.city!,
              kind: "unenumerated",
              spotcheck: `not among the ${prov} units named by ${rows[0]!.source_url}`,
              project: r.status!,
              blocking: false,
            });
      }
      continue;
    }
    const prov = provinces.values().next().value!;
    const named = new Set(rows.map((r) => codeOf.get(r.city!)));
    for (const r of oproj)
      if ((provOf.get(r.city_code!) ?? "").startsWith(prov) && !named.has(r.city_code!))
        od({
          city: r.city!,
          kind: "contradicted",
          spotcheck: `${prov}: the source enumerates all ${m[1]} units and omits it (${rows[0]!.source_url})`,
          project: r.status!,
          blocking: true,
        });
  }
  const otraced = new Set(opref.filter(citable).map((s) => codeOf.get(s.city!)));
  for (const r of oproj)
    if (r.status === "traced" && !otraced.has(r.city_code!))
      od({ city: r.city!, kind: "unbacked_trace", spotcheck: "no citable prefecture-level entry", project: "traced", blocking: true });
  const old: RsListCheck = {
    list: "old_industrial_base_2013",
    rows: oproj.length,
    traced: oproj.filter((r) => r.status === "traced").length,
    unverified: oproj.filter((r) => r.status === "unverified").length,
    spotcheckEntries: opref.filter(citable).length,
    agree: oagree,
    differences: diffs.splice(0),
  };
  return [smart, old];
}

/**
 * The status of the two RS city lists for the notebooks: per list, rows traced / unverified, the
 * prefecture-level spot-check entries and how many the file agrees with, the blocking and
 * informational differences; the differences themselves are the notes.
 *
 * @example
 *   showTable(await rsListStatus());                       // data/raw/public/lists vs ../shared/data/lists-spotcheck
 *   showTable(await rsListStatus(listsDir, spotcheckDir));
 */
export async function rsListStatus(listsDir: string = RS_LISTS_DIR, spotDir: string = RS_SPOTCHECK_DIR): Promise<ReportTable> {
  if (!fs.existsSync(spotDir)) return rsListStatusWithoutSpotcheck(listsDir, spotDir);
  const checks = await rsListCheck(listsDir, spotDir);
  const t = fromRecords(
    checks.map((c) => ({
      list: c.list,
      rows: c.rows,
      traced: c.traced,
      unverified: c.unverified,
      spotcheck: c.spotcheckEntries,
      agree: c.agree,
      blocking: c.differences.filter((d) => d.blocking).length,
      info: c.differences.filter((d) => !d.blocking).length,
    })),
  );
  const kinds = (c: RsListCheck, k: RsListDifference["kind"]) =>
    c.differences
      .filter((d) => d.kind === k)
      .map((d) => d.city)
      .join("、");
  const [s, o] = checks;
  const n4 = printedValue(RS_PRINTED.table4.old_industrial.in.n);
  const years = printedValue(RS_PRINTED.facts.sampleYears.to.text) - printedValue(RS_PRINTED.facts.sampleYears.from.text) + 1;
  const notes = [
    "traced = backed by a public source found in the spot-check (URL in the file's source column); unverified = typed from memory. spotcheck = prefecture-level spot-check entries with a citable source; blocking = differences where the project file contradicts a traced entry (must be 0).",
    ...checks.flatMap((c) =>
      c.differences
        .filter((d) => d.blocking)
        .map((d) => `BLOCKING ${c.list} ${d.city} (${d.kind}): spot-check ${d.spotcheck}; project ${d.project}.`),
    ),
    `Smart-city pilots, batch unresolved in the spot-check: ${kinds(s, "batch_unresolved") || "none"}; district/county/zone pilots in prefectures whose own row is not traced (not coded): ${[...new Set(s.differences.filter((d) => d.kind === "sub_unit" && !d.project.includes("(traced)")).map((d) => d.city))].join("、") || "none"}.`,
    `Old industrial: capital districts in the spot-check (the plan's 25 市辖区, not coded): ${kinds(o, "capital_district") || "none"}; excerpt without address: ${kinds(o, "no_url") || "none"}; project cities not named by a provincial enumeration that does not state its size: ${kinds(o, "unenumerated") || "none"}.`,
    `Paper check: Table 4 col. (1) N = ${RS_PRINTED.table4.old_industrial.in.n} is ${(n4 / years).toFixed(2)} cities × ${years} years — consistent with the plan's 95 prefecture-level cities (those in the 281-city sample), not with all 120 units including the capitals' districts.`,
  ];
  return dataTable(t, {
    title: "RS city lists: traced vs unverified rows and the spot-check",
    headers: {
      list: "List",
      rows: "Rows",
      traced: "Traced",
      unverified: "Unverified",
      spotcheck: "Spot-check entries",
      agree: "Agree",
      blocking: "Blocking diffs",
      info: "Other diffs",
    },
    counts: ["rows", "traced", "unverified", "spotcheck", "agree", "blocking", "info"],
    notes,
  });
}

/**
 * The list status from the project files alone (their `status` column: traced / unverified), for a
 * clone without the spot-check folder (it lives outside the repository); the note says the
 * comparison was skipped and where the folder was looked for.
 */
async function rsListStatusWithoutSpotcheck(listsDir: string, spotDir: string): Promise<ReportTable> {
  const recs = [];
  for (const [list, need] of [
    ["smart_city_pilots", ["city_code", "city", "batch_year", "status", "source"]],
    ["old_industrial_base_2013", ["city_code", "city", "status", "source"]],
  ] as const) {
    const rows = await csvRecords(path.join(listsDir, `${list}.csv`), need);
    recs.push({
      list,
      rows: rows.length,
      traced: rows.filter((r) => r.status === "traced").length,
      unverified: rows.filter((r) => r.status === "unverified").length,
    });
  }
  return dataTable(fromRecords(recs), {
    title: "RS city lists: rows traced to public sources vs typed from memory",
    counts: ["rows", "traced", "unverified"],
    notes: [
      "traced = backed by a public source (URL in the file's source column); unverified = typed from memory.",
      `The spot-check folder was not found (${spotDir}; it lives outside the repository), so the comparison with it is skipped.`,
    ],
  });
}
