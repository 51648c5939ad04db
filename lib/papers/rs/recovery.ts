import { feols, type FeolsResult } from "../../estimators/feols";
import { did } from "../../estimators/did";
import { maskToIndex, numeric, takeRows, type Table } from "../../data/table";
import { ArgumentError } from "../../util/errors";
import { buildResiliencePanel, RS_CONTROLS } from "./panel";
import { RS_BASELINE, RS_HET_GROUPS, RS_INTERACTION, mechanismSample, quantileGroups, rsFormula, withCentred } from "./sections";
import { rsTruth } from "./truth";

/** One estimate of the RS notebooks beside the realised true value of the synthetic DGP. */
export interface RsRecoveryRow {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  readonly truth: number;
}

const CLUSTER = { cluster: ["city"] };

function coefOf(m: FeolsResult, term: string): { estimate: number; se: number } {
  const r = m.table.find((x) => x.name === term);
  if (!r) throw new ArgumentError(`term "${term}" not in the model (collinear?)`, { term });
  return { estimate: r.estimate, se: r.se };
}

function rowsWhere(t: Table, col: string, value: number): Table {
  const x = numeric(t, col);
  return takeRows(t, maskToIndex(Array.from(x, (v) => v === value)));
}

/**
 * Every RS estimate with a realised true value, recomputed from the raw files of `dataDir` by the notebooks'
 * specifications (city + year FE, the six controls, SE clustered by city) and paired with `rsTruth(dataDir)`:
 * Table 3 col 4, Table 4 (each group in/out), the mechanism steps of Tables 5–6 (on their samples), the §6 centred
 * interaction model and the smart-city TWFE DID. Throws on real data (no truth.json → nothing to recover).
 *
 * @example
 *   const rows = await rsRecoveryEstimates("data/raw/synthetic/paper");
 *   rows.filter((r) => Math.abs(r.estimate - r.truth) > 1.96 * r.se);   // misses of the 95 % CI
 */
export async function rsRecoveryEstimates(dataDir: string): Promise<RsRecoveryRow[]> {
  const T = rsTruth(dataDir);
  if (T === null) throw new ArgumentError(`${dataDir}: no realised RS truths (truth.json → realised.rs); recovery needs synthetic data`);
  const { panel } = await buildResiliencePanel(dataDir);
  const out: RsRecoveryRow[] = [];
  const push = (name: string, m: FeolsResult, term: string, truth: number | undefined): void => {
    if (truth === undefined || !Number.isFinite(truth)) return;
    out.push({ name, ...coefOf(m, term), truth });
  };
  push("Table 3 col 4: vagg", feols(panel, RS_BASELINE, { vcov: CLUSTER }), "vagg", T.table3);
  for (const g of RS_HET_GROUPS) {
    const tr = T.table4[g.group];
    if (!tr) continue;
    push(`Table 4 ${g.group} = 1: vagg`, feols(rowsWhere(panel, g.group, 1), RS_BASELINE, { vcov: CLUSTER }), "vagg", tr.in);
    push(`Table 4 ${g.group} = 0: vagg`, feols(rowsWhere(panel, g.group, 0), RS_BASELINE, { vcov: CLUSTER }), "vagg", tr.out);
  }
  const mis = mechanismSample(panel, "in_mis"),
    mp = mechanismSample(panel, "in_mp");
  for (const [sample, meds] of [
    [mis, ["dist", "distK", "distL"]],
    [mp, ["mp", "lmp", "hmp"]],
  ] as const)
    for (const m of meds) {
      push(`vagg→${m}`, feols(sample, rsFormula(m, "vagg"), { vcov: CLUSTER }), "vagg", T.mechanisms[`vagg→${m}`]);
      push(`${m}→resi`, feols(sample, rsFormula("resi", m), { vcov: CLUSTER }), m, T.mechanisms[`${m}→resi`]);
    }
  const centred = withCentred(panel, ["vagg", "agg"]);
  const ext = feols(centred, RS_INTERACTION, { vcov: CLUSTER });
  for (const k of ["vagg_c", "agg_c", "vagg_c:agg_c"]) push(`§6 ${k}`, ext, k, T.extension[k]);
  const q = quantileGroups(centred, "agg", 4, { by: "observation" });
  for (let g = 1; g <= 4; g++)
    push(`§6 vagg in agg Q${g}`, feols(rowsWhere(q.panel, q.name, g), RS_BASELINE, { vcov: CLUSTER }), "vagg", T.extension[`Q${g}`]);
  const tw = did(panel, { y: "resi", unit: "city", time: "year", adoption: "smart_year", controls: [...RS_CONTROLS] });
  push("smart-city DID (TWFE)", tw, "did_treat", T.did);
  return out;
}
