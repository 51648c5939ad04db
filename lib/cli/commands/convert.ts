import { readTable, writeTable } from "../../data/io";
import { readDta, writeDta, writeOptionsFromMeta } from "../../data/dta";
import { ArgumentError } from "../../util/errors";

/** `vagg convert IN OUT`: .dta ↔ .csv ↔ .parquet; .dta → .dta keeps labels. */
export async function runConvert(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.length !== 2) {
    console.log("vagg convert IN OUT — convert between .dta, .csv(.gz) and .parquet (by extension)");
    return argv.includes("--help") ? 0 : 1;
  }
  const [inp, out] = argv as [string, string];
  if (inp === out) throw new ArgumentError(`input and output are the same file`);
  if (/\.dta$/i.test(inp) && /\.dta$/i.test(out)) {
    const { table, meta } = readDta(inp);
    writeDta(out, table, writeOptionsFromMeta(meta));
  } else {
    await writeTable(await readTable(inp), out);
  }
  console.log(`wrote ${out}`);
  return 0;
}
