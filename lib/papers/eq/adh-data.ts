import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../../data/io";
import { column, numeric, type Table } from "../../data/table";
import { shareMatrix } from "../../estimators/shift-share/share-matrix";
import type { ShareMatrix } from "../../estimators/shift-share/types";
import { DataError } from "../../util/errors";
import { REPO_ROOT_DIR } from "../../util/paths";
import { mapF64From } from "../../util/typed-map";

/** Default folder of the ADH files of ShiftShareSE's example: ../shared/reference/akm beside the repository. */
export const ADH_AKM_DIR = path.resolve(REPO_ROOT_DIR, "..", "shared", "reference", "akm");

/** The Autor–Dorn–Hanson (2013) commuting-zone data as shipped in ShiftShareSE (`ADH$reg`, `ADH$W`, `ADH$sic`). */
export interface AdhAkmData {
  /** 1,444 commuting zone × period rows (ADHdata_AKM.csv). */
  readonly reg: Table;
  /** The 1,444 × 770 share matrix (ADH_W_long.csv.gz: row, sector, share; 1-based). */
  readonly W: ShareMatrix;
  /** 4-digit SIC code per sector (ADH_sic.csv), in sector order. */
  readonly sic: Float64Array;
  /** The controls of AKM Table V column (1) / the ShiftShareSE vignette: t2, six levels, eight division dummies (division 1 is the base). */
  readonly controls: Float64Array[];
  readonly controlNames: string[];
}

/**
 * Read the ADH data of ShiftShareSE's example (Adão, Kolesár & Morales 2019, Table V col. 1):
 * regional variables, the long share matrix and the SIC codes of the sectors, from `dir`
 * (default `VAGG_AKM_DIR`, else `ADH_AKM_DIR` = ../shared/reference/akm beside the repository). Builds the controls of the vignette — `t2 + l_shind_manuf_cbp +
 * l_sh_popedu_c + l_sh_popfborn + l_sh_empl_f + l_sh_routine33 + l_task_outsource + division`
 * with `division` a factor (R's treatment contrasts: dummies for divisions 2–9). A missing file
 * is an error naming it.
 *
 * Formula: W[row−1, sector−1] = share; controls Z = [t2, levels…, 1{division = d}, d = 2..9].
 *
 * @example
 *   const adh = await loadAdhAkm(); adh.reg.nrows; // 1444
 */
export async function loadAdhAkm(dir: string = process.env["VAGG_AKM_DIR"] || ADH_AKM_DIR): Promise<AdhAkmData> {
  const file = (f: string) => {
    const p = path.join(dir, f);
    if (!fs.existsSync(p)) throw new DataError(`ADH file ${f} is missing from ${dir}`, { file: p });
    return p;
  };
  const reg = await readTable(file("ADHdata_AKM.csv"));
  const Wl = await readTable(file("ADH_W_long.csv.gz"));
  const sicT = await readTable(file("ADH_sic.csv"));
  const sector = numeric(sicT, "sector");
  const sicRaw = numeric(sicT, "sic");
  const S = sector.length;
  const sic = new Float64Array(S);
  for (let k = 0; k < S; k++) sic[(sector[k] as number) - 1] = sicRaw[k] as number;
  const n = reg.nrows;
  const W = shareMatrix(
    mapF64From(numeric(Wl, "row"), (v) => v - 1),
    mapF64From(numeric(Wl, "sector"), (v) => v - 1),
    numeric(Wl, "share"),
    n,
    S,
  );
  const t2c = column(reg, "t2");
  const t2 = mapF64From({ length: n }, (_, i) => {
    const v = t2c[i];
    return v === "TRUE" || v === "true" || v === 1 ? 1 : 0;
  });
  const levels = ["l_shind_manuf_cbp", "l_sh_popedu_c", "l_sh_popfborn", "l_sh_empl_f", "l_sh_routine33", "l_task_outsource"];
  const division = numeric(reg, "division");
  const divs = [...new Set(division)].sort((a, b) => a - b).slice(1);
  const controls = [t2, ...levels.map((l) => numeric(reg, l)), ...divs.map((d) => mapF64From(division, (v) => (v === d ? 1 : 0)))];
  const controlNames = ["t2", ...levels, ...divs.map((d) => `division${d}`)];
  return { reg, W, sic, controls, controlNames };
}
