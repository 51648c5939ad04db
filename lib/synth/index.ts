import * as fs from "node:fs";
import * as path from "node:path";
import * as crypto from "node:crypto";
import { Rng } from "../util/rng";
import { table } from "../data/table";
import { writeTable } from "../data/io";
import { TRUTH } from "./truth";
import { type Scale, SCALES, buildWorld, NY, Y0, ti } from "./world";
import { buildProducts, buildCustoms, DESTS, poisson, type EqRealisedTruth } from "./eq";
import { buildMembers, buildYearbook, RS_VAGG_SCALE } from "./rs";
import { writeCsv, writeCsvColumns, type Cell } from "./csv";
import { writeFirms } from "./firms";
import { REPO_ROOT } from "./skeleton";
import { VAGG_TERMS } from "../data/vagg-terms";

export { TRUTH } from "./truth";
export type { Scale } from "./world";

/** Scale, seed and output folder of `generate`. */
export interface GenerateOptions {
  readonly scale: Scale;
  readonly seed?: number;
  /** Default: data/raw/synthetic/<scale> in the repository. */
  readonly outDir?: string;
  /** Which papers' files to write (default both). `["rs"]` skips the EQ-only files (products, σ, customs, census 2004,
   *  government reports, CPI categories) — cheap RS-only generation for recovery runs over many seeds. */
  readonly papers?: readonly ("eq" | "rs")[];
}

export interface ManifestFile {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}
export interface Manifest {
  readonly scale: Scale;
  readonly seed: number;
  readonly outDir: string;
  readonly files: readonly ManifestFile[];
  /** Realised, seed-specific quantities (also written into truth.json → realised). */
  readonly realised: Record<string, unknown>;
}

export const DEFAULT_SEED = 20220707;

/**
 * Seeded synthetic China: every raw file of the two papers, with the real sources'
 * schemas (`lib/data/schemas`), generated from the papers' theory with the published
 * estimates as true parameters (`data/codebook/dgp.md`, `truth.json`).
 *
 * @example
 *   const man = await generate({ scale: "small", seed: 1 });   // → data/raw/synthetic/small/
 */
export async function generate(opts: GenerateOptions): Promise<Manifest> {
  const scale = opts.scale;
  if (!(scale in SCALES)) throw new Error(`unknown scale "${scale}" (small | default | paper)`);
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;
  const outDir = path.resolve(opts.outDir ?? path.join(REPO_ROOT, "data", "raw", "synthetic", scale));
  fs.mkdirSync(outDir, { recursive: true });
  const root = new Rng(seed);
  const w = await buildWorld(scale, seed);
  const nC = w.cities.length;
  const S = w.shifts.industries.length;
  const rows: Record<string, number> = {};
  let eqStats: { hs4: number; hs6: number; customs: unknown; pi: number; realised: EqRealisedTruth } | null = null;
  const put = (name: string, header: string[], body: Cell[][]): void => {
    writeCsv(path.join(outDir, name), header, body);
    rows[name] = body.length;
  };

  const want = new Set(opts.papers ?? ["eq", "rs"]);
  const eqFiles = want.has("eq");
  // products and σ
  if (eqFiles) {
    const P = buildProducts(w, root.fork("products"));
    put(
      "sigma_hs3.csv",
      ["hs3", "sigma"],
      P.hs3.map((h) => [h, P.sigma.get(h) as number]),
    );
    put(
      "products.csv",
      ["hs6", "hs4", "hs3", "bec"],
      P.hs6.map((h, i) => [h, P.hs4[P.hs6ToHs4[i] as number] as string, h.slice(0, 3), P.bec[P.hs6ToHs4[i] as number] as string]),
    );

    // provincial real GDP (EQ (18) control "省级实际GDP"): Σ over the province's sample cities of real
    // GDP = exp(gdp per capita, CNY of 2000) × population; 100 million CNY of 2000; no random draws
    {
      const acc = new Map<string, number>();
      const [e0, e1] = TRUTH.years.eq as readonly number[] as [number, number];
      for (let c = 0; c < nC; c++)
        for (let y = e0; y <= e1; y++) {
          const t = ti(y);
          const real = (Math.exp((w.ctrl.gdp as Float64Array[])[c]![t] as number) * ((w.pop[c] as Float64Array)[t] as number)) / 1e4;
          const k = `${w.cities[c]!.provinceCode}|${y}`;
          acc.set(k, (acc.get(k) ?? 0) + real);
        }
      const keys = [...acc.keys()].sort((a, b) => {
        const [pa, ya] = a.split("|").map(Number) as [number, number];
        const [pb, yb] = b.split("|").map(Number) as [number, number];
        return pa - pb || ya - yb;
      });
      put(
        "province_gdp.csv",
        ["province_code", "year", "gdp_real"],
        keys.map((k) => {
          const [pc, y] = k.split("|").map(Number) as [number, number];
          return [pc, y, Number((acc.get(k) as number).toPrecision(10))];
        }),
      );
    }

    // customs (Parquet)
    const cu = buildCustoms(w, P, root.fork("customs"));
    rows["firms.csv"] = writeFirms(outDir, cu, root.fork("asie"));
    const ct = table({
      firm_id: cu.firm_id,
      city_code: cu.city_code,
      hs6: cu.hs6,
      dest: cu.dest,
      year: cu.year,
      value_usd: cu.value_usd,
      quantity: cu.quantity,
      trade_mode: cu.trade_mode,
      is_intermediary: cu.is_intermediary,
    });
    await writeTable(ct, path.join(outDir, "customs.parquet"));
    rows["customs.parquet"] = ct.nrows;
    // the noiseless true quality of the measured variety-years (synthetic data only, like truth.json)
    await writeTable(table({ ...cu.trueQuality }), path.join(outDir, "truth_quality.parquet"));
    put(
      "hs_concordance.csv",
      ["hs_code", "vintage", "hs2002"],
      cu.concordance.map((k) => [k.hs_code, k.vintage, k.hs2002]),
    );
    eqStats = {
      hs4: P.hs4.length,
      hs6: P.hs6.length,
      customs: { ...cu.stats, hsVintage: cu.hsVintage },
      pi: cu.stats.processingValueShare,
      realised: cu.realised,
    };
  }

  // census 2004 / 2008
  const rCe = root.fork("census-levels");
  for (const [yr, sh] of (
    [
      [2004, w.share04],
      [2008, w.share08],
    ] as const
  ).filter(([yr]) => eqFiles || yr === 2008)) {
    const body: Cell[][] = [];
    for (let c = 0; c < nC; c++) {
      const t = ti(yr);
      const gdp =
        ((Math.exp((w.ctrl.gdp as Float64Array[])[c]![t] as number) * ((w.deflator[c] as Float64Array)[t] as number)) / 100) *
        ((w.pop[c] as Float64Array)[t] as number);
      const out = 1.1 * gdp;
      for (let s = 0; s < S; s++) {
        const o = out * ((sh[c] as Float64Array)[s] as number);
        const emp = Math.round((o * 1e4) / (120000 * Math.exp(0.3 * rCe.normal())));
        body.push([
          w.cities[c]!.code,
          w.shifts.industries[s] as string,
          yr,
          Math.round(o * 10) / 10,
          emp,
          Math.max(1, Math.round(emp / 150)),
        ]);
      }
    }
    put(`census_${yr}.csv`, ["city_code", "industry", "year", "output", "employment", "firms"], body);
  }

  // Alibaba members
  const mem = buildMembers(w, root.fork("members"));
  {
    const body: Cell[][] = [];
    for (let c = 0; c < nC; c++)
      for (let s = 0; s < S; s++)
        for (let t = 0; t < NY; t++)
          body.push([w.cities[c]!.code, w.shifts.industries[s] as string, Y0 + t, (mem.m[c] as Int32Array[])[s]![t] as number]);
    put("alibaba_members.csv", ["city_code", "industry", "year", "members"], body);
  }

  // yearbook
  const yb = buildYearbook(w, mem, root.fork("yearbook"));
  {
    const nYr = 17;
    const rNa = root.fork("missing");
    const cols: Record<string, Cell[]> = { city_code: [], year: [] };
    const names = Object.keys(yb.columns);
    for (const n of names) cols[n] = [];
    for (let c = 0; c < nC; c++)
      for (let k = 0; k < nYr; k++) {
        (cols.city_code as Cell[]).push(w.cities[c]!.code);
        (cols.year as Cell[]).push(2003 + k);
        for (const n of names) {
          let v = ((yb.columns[n] as (number | null)[])[c * nYr + k] ?? NaN) as number;
          // ~1% gaps in a few series (the papers interpolate linearly); never at the panel ends
          // (not in a column-city with a planted leading/trailing run, which a gap next to it would lengthen)
          if (
            (n === "savings" || n === "patents" || n === "road_freight") &&
            k > 0 &&
            k < nYr - 1 &&
            rNa.uniform() < 0.01 &&
            !(yb.plantedCities[n]?.has(c) ?? false)
          )
            v = NaN;
          (cols[n] as Cell[]).push(Number.isFinite(v) ? Number(v.toPrecision(10)) : null);
        }
      }
    writeCsvColumns(path.join(outDir, "city_yearbook.csv"), cols);
    rows["city_yearbook.csv"] = nC * nYr;
  }

  // cities (sample) and 1984 history
  put(
    "cities.csv",
    ["city_code", "city", "province", "province_code", "lon", "lat", "pop_2010"],
    w.cities.map((c) => [c.code, c.name, c.province, c.provinceCode, c.lon, c.lat, c.pop2010]),
  );
  put(
    "history_1984.csv",
    ["city_code", "post_offices", "telephones"],
    w.cities.map((c, i) => [c.code, w.post84[i] as number, w.tel84[i] as number]),
  );
  put(
    "national_series.csv",
    ["year", "internet_investment", "internet_users", "cny_per_usd"],
    Array.from({ length: NY }, (_, t) => [
      Y0 + t,
      Number((w.internetInvestment[t] as number).toPrecision(8)),
      Number((w.internetUsers[t] as number).toPrecision(8)),
      w.exchangeRate[t] as number,
    ]),
  );
  put(
    "digital_shifts.csv",
    ["industry", "industry_name", "year", "virtual", "virtual_raw"],
    w.shifts.industries.flatMap((s, i) =>
      Array.from(
        { length: NY },
        (_, t) =>
          [
            s,
            w.shifts.industryNames[i] as string,
            Y0 + t,
            (w.shifts.virtual[i] as Float64Array)[t] as number,
            (w.shifts.raw[i] as Float64Array)[t] as number,
          ] as Cell[],
      ),
    ),
  );

  // government work reports (EQ text index)
  if (eqFiles) {
    const r = root.fork("reports");
    const filler = [
      "坚持稳中求进工作总基调",
      "全面深化改革",
      "推进新型城镇化建设",
      "加强生态环境保护",
      "扩大对外开放",
      "着力保障和改善民生",
      "促进经济持续健康发展",
      "加快产业转型升级",
      "推进供给侧结构性改革",
      "优化营商环境",
      "加强基础设施建设",
      "实施创新驱动发展战略",
    ];
    const terms = VAGG_TERMS.filter((x) => !/^[A-Za-z0-9+]+$/.test(x));
    const body: Cell[][] = [];
    for (let c = 0; c < nC; c++)
      for (let y = 2005; y <= 2015; y++) {
        const v = (w.vagg[c] as Float64Array)[ti(y)] as number;
        const k = poisson(r, Math.exp(TRUTH.eq.text_a + TRUTH.eq.text_b * (v - w.vaggMean) + 0.12 * (y - 2005)));
        const parts: string[] = [];
        for (let q = 0; q < w.spec.reportSentences; q++) parts.push(filler[r.int(filler.length)] as string);
        for (let q = 0; q < k; q++) parts.splice(r.int(parts.length + 1), 0, `发展${terms[r.int(terms.length)] as string}`);
        body.push([w.cities[c]!.code, y, parts.join("，") + "。"]);
      }
    put("gov_reports.csv", ["city_code", "year", "text"], body);
  }

  // CPI by category (chain index, previous year = 100)
  if (eqFiles) {
    const r = root.fork("cpi");
    const cats = [
      "food",
      "tobacco_liquor",
      "clothing",
      "household",
      "health",
      "transport_communication",
      "recreation_education",
      "housing",
    ];
    const nat = Array.from({ length: NY }, () => cats.map(() => 2 + 2 * r.normal()));
    const body: Cell[][] = [];
    for (let c = 0; c < nC; c++)
      for (let t = ti(2004); t <= ti(2015); t++) {
        const v = (w.vagg[c] as Float64Array)[t] as number;
        const sd = TRUTH.eq.cpi_sd0 * Math.exp(-TRUTH.eq.cpi_vagg * (v - w.vaggMean));
        cats.forEach((k, q) =>
          body.push([w.cities[c]!.code, Y0 + t, k, Math.round((100 + (nat[t] as number[])[q]! + sd * r.normal()) * 100) / 100]),
        );
      }
    put("cpi_categories.csv", ["city_code", "year", "category", "price_index"], body);
  }

  // realised quantities and truth
  const groupShares = Object.fromEntries(Object.entries(yb.groups).map(([g, f]) => [g, f.reduce((a, v) => a + v, 0) / nC]));
  const pi = eqStats?.pi ?? NaN;
  const realised = {
    cities: nC,
    ...(eqStats
      ? {
          hs4: eqStats.hs4,
          hs6: eqStats.hs6,
          customs: eqStats.customs,
        }
      : {}),
    vagg_mean_2005_2015: w.vaggMean,
    vagg_scale: w.shifts.scale,
    ...(eqStats
      ? {
          /**
           * Table 5 trade-mode split slopes, consistent with `splitTruth` (cell-level): the realised
           * regression of the true processing / ordinary cell quality on vagg + controls | city + year + HS4
           * (= realised.eq.trade_mode). The former aggregate-π formula β − (1 − π)·slope, π the overall
           * processing value share, ignored that processing varieties sit in cells where their share is
           * large; it is kept only as `aggregate_pi_formula` for comparison.
           */
          eq_split_slopes_implied: {
            processing: eqStats.realised.trade_mode.processing,
            ordinary: eqStats.realised.trade_mode.ordinary,
            processing_value_share: pi,
            method: "realised regression of the true mode-specific cell quality (realised.eq.trade_mode)",
            aggregate_pi_formula: {
              processing: TRUTH.eq.beta_vagg - (1 - pi) * TRUTH.eq.mode_gap_slope,
              ordinary: TRUTH.eq.beta_vagg + pi * TRUTH.eq.mode_gap_slope,
            },
          },
          /** Realised EQ truths from the generator's own data (`EqRealisedTruth`, lib/synth/eq.ts): true cell quality on vagg + controls | city + year + HS4. */
          eq: eqStats.realised,
        }
      : {}),
    rs_z_scale: yb.zScale,
    rs_calibration_slopes: yb.calib.slopeOnZ0,
    rs_group_shares: groupShares,
    /** Multiplier of Σ_s LQ·a in vagg_RS (1: none; the panel applies it to synthetic folders only). */
    rs_vagg_scale: RS_VAGG_SCALE,
    rs_vagg_mean_2008_2019: yb.vaggMean,
    /** ρ: the index slope on the structural part of the latent score (truths are ρ · structural coefficients). */
    rs_rho: yb.rho,
    /** Rows of the paper's samples under the rule (rule.md) and the planted missing runs behind them. */
    rs_samples: yb.samples,
    rs_missing_runs: Object.fromEntries(Object.entries(yb.plantedCities).map(([k, v]) => [k, v.size])),
    /** Pilot first stage on the realised data: coefficient of vagg_RS on 1{year ≥ pilot year} + controls | city + year (baseline sample). */
    rs_did_on_vagg: yb.didOnVagg,
    /** Realised true values of the RS exhibits (lib/papers/rs/truth.ts, RsTruth). */
    rs: yb.truth,
  };
  fs.writeFileSync(path.join(outDir, "truth.json"), JSON.stringify({ ...TRUTH, realised }, null, 2) + "\n");
  const files: ManifestFile[] = fs
    .readdirSync(outDir)
    .filter((f) => f !== "manifest.json")
    .sort()
    .map((f) => {
      const buf = fs.readFileSync(path.join(outDir, f));
      return { file: f, rows: rows[f] ?? 0, bytes: buf.length, sha256: crypto.createHash("sha256").update(buf).digest("hex") };
    });
  const man: Manifest = { scale, seed, outDir, files, realised };
  fs.writeFileSync(
    path.join(outDir, "manifest.json"),
    JSON.stringify({ ...man, outDir: path.relative(REPO_ROOT, outDir) }, null, 2) + "\n",
  );
  return man;
}

export { DESTS };
