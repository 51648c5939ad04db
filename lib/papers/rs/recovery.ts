import { feols, type FeolsResult } from "../../estimators/feols";
import { did } from "../../estimators/did";
import { maskToIndex, numeric, takeRows, type Table } from "../../data/table";
import { ArgumentError } from "../../util/errors";
import { buildResiliencePanel, RS_CONTROLS } from "./panel";
import { RS_BASELINE, RS_HET_GROUPS, RS_MECHANISMS, extensionModels, mechanismSteps } from "./sections";
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
 * specifications (city + year FE, the six controls, SE clustered by city; `mechanismSteps`, `extensionModels`, `did`
 * as the notebooks call them; Table 4 without the resampling tests) and paired with `rsTruth(dataDir)`:
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
  // Tables 5–6 and §6 through the notebooks' own builders (samples in_mis / in_mp, centring, xtile quartiles)
  for (const steps of [mechanismSteps(panel, RS_MECHANISMS.misallocation), mechanismSteps(panel, RS_MECHANISMS.market)])
    for (const s of steps) {
      push(`vagg→${s.mediator}`, s.first, "vagg", T.mechanisms[`vagg→${s.mediator}`]);
      push(`${s.mediator}→resi`, s.second, s.mediator, T.mechanisms[`${s.mediator}→resi`]);
    }
  const ext = extensionModels(panel, { truth: dataDir });
  for (const k of ["vagg_c", "agg_c", "vagg_c:agg_c"]) push(`§6 ${k}`, ext.interaction, k, T.extension[k]);
  for (const g of ext.groups) push(`§6 vagg in agg Q${g.level}`, g.model, "vagg", T.extension[`Q${g.level}`]);
  const tw = did(panel, { y: "resi", unit: "city", time: "year", adoption: "smart_year", controls: [...RS_CONTROLS] });
  push("smart-city DID (TWFE)", tw, "did_treat", T.did);
  return out;
}
