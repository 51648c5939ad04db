import { readTable, writeTable } from "../../data/io";
import { readDta, writeDta, writeOptionsFromMeta } from "../../data/dta";
import { parseArgs, helpText, type ArgSpec } from "../args";
import { ArgumentError } from "../../util/errors";

const SPEC: ArgSpec = {
  encoding: {
    type: "string",
    help: "text encoding of a CSV or pre-Stata-14 .dta input: auto (default: UTF-8, else GBK/GB18030) | gbk | gb18030 | utf-8 | …",
  },
  help: { type: "boolean", help: "show this help" },
};

export const convertHelp = helpText(
  "convert IN OUT",
  "convert between .dta, .csv(.gz) and .parquet (by extension); output text is UTF-8",
  SPEC,
);

/**
 * `vagg convert IN OUT [--encoding ENC]`: .dta ↔ .csv ↔ .parquet; .dta → .dta keeps labels
 * (and writes format 118, UTF-8, so a GBK Stata 13 file comes out readable by Stata 14+).
 */
export async function runConvert(argv: string[]): Promise<number> {
  const { opts, positional } = parseArgs(argv, SPEC, "convert");
  if (opts["help"] || positional.length !== 2) {
    console.log(convertHelp);
    return opts["help"] ? 0 : 1;
  }
  const [inp, out] = positional as [string, string];
  const encoding = opts["encoding"] as string | undefined;
  if (inp === out) throw new ArgumentError(`input and output are the same file`);
  if (/\.dta$/i.test(inp) && /\.dta$/i.test(out)) {
    const { table, meta } = readDta(inp, { encoding: encoding ?? "auto" });
    writeDta(out, table, writeOptionsFromMeta(meta));
  } else {
    await writeTable(await readTable(inp, { encoding }), out);
  }
  console.log(`wrote ${out}`);
  return 0;
}
