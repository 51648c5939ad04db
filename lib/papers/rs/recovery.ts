import { feols, type FeolsResult } from "../../estimators/feols";
import { did } from "../../estimators/did";
import { maskToIndex, numeric, takeRows, type Table } from "../../data/table";
import { ArgumentError, EstimationError } from "../../util/errors";
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
  // A sample a seed leaves degenerate (e.g. a quartile group of a 16-city panel without variation after singletons)
  // gives NaN for its estimates, which the summary counts as dropped; any other error stops the study.
  const attempt = <M>(fit: () => M): M | null => {
    try {
      return fit();
    } catch (e) {
      if (e instanceof EstimationError) return null;
      throw e;
    }
  };
  const push = (name: string, m: FeolsResult | null, term: string, truth: number | undefined): void => {
    if (truth === undefined) return; // the DGP fixes no value for this estimate
    // a non-finite truth (e.g. a group the seed leaves empty) is kept, so the summary counts the draw as dropped
    out.push({ name, ...(m ? coefOf(m, term) : { estimate: NaN, se: NaN }), truth });
  };
  const fit = (t: () => Table) => attempt(() => feols(t(), RS_BASELINE, { vcov: CLUSTER }));
  push(
    "Table 3 col 4: vagg",
    fit(() => panel),
    "vagg",
    T.table3,
  );
  for (const g of RS_HET_GROUPS) {
    const tr = T.table4[g.group];
    if (!tr) continue;
    push(
      `Table 4 ${g.group} = 1: vagg`,
      fit(() => rowsWhere(panel, g.group, 1)),
      "vagg",
      tr.in,
    );
    push(
      `Table 4 ${g.group} = 0: vagg`,
      fit(() => rowsWhere(panel, g.group, 0)),
      "vagg",
      tr.out,
    );
  }
  // Tables 5–6 and §6 through the notebooks' own builders (samples in_mis / in_mp, centring, xtile quartiles)
  for (const mediators of [RS_MECHANISMS.misallocation, RS_MECHANISMS.market]) {
    const steps = attempt(() => mechanismSteps(panel, mediators));
    for (const med of mediators) {
      const s = steps?.find((x) => x.mediator === med) ?? null;
      push(`vagg→${med}`, s?.first ?? null, "vagg", T.mechanisms[`vagg→${med}`]);
      push(`${med}→resi`, s?.second ?? null, med, T.mechanisms[`${med}→resi`]);
    }
  }
  const ext = attempt(() => extensionModels(panel, { truth: dataDir }));
  for (const k of ["vagg_c", "agg_c", "vagg_c:agg_c"]) push(`§6 ${k}`, ext?.interaction ?? null, k, T.extension[k]);
  for (let q = 1; q <= 4; q++) {
    const g = ext?.groups.find((x) => x.level === q);
    push(`§6 vagg in agg Q${q}`, g?.model ?? null, "vagg", T.extension[`Q${q}`]);
  }
  const tw = attempt(() => did(panel, { y: "resi", unit: "city", time: "year", adoption: "smart_year", controls: [...RS_CONTROLS] }));
  push("smart-city DID (TWFE)", tw, "did_treat", T.did);
  return out;
}
