import { isVaggError } from "../util/errors";

/**
 * The `vagg` command-line tool. Sub-commands live in ./commands and are loaded lazily, so
 * `vagg estimate` does not pay for the notebook runner.
 * Errors print one line to stderr (the stack only with VAGG_DEBUG=1) and exit non-zero.
 */
/**
 * Heavy commands (data generation, notebook runner) are not bundled: they are loaded from
 * the TypeScript sources through tsx. The path is written so that it resolves both from
 * lib/cli (sources) and lib/dist (the bundle).
 */
function viaTsx(p: string): any {
  require("tsx/cjs");
  return require(p);
}

const COMMANDS: Record<string, { summary: string; load: () => (argv: string[]) => Promise<number> }> = {
  estimate: {
    summary: "OLS / 2SLS with high-dimensional fixed effects (fixest syntax)",
    load: () => require("./commands/estimate").runEstimate,
  },
  placebo: {
    summary: "randomisation inference: permute a regressor and re-estimate",
    load: () => require("./commands/placebo").runPlacebo,
  },
  data: { summary: "generate the synthetic raw data (--scale small|default|paper)", load: () => viaTsx("../cli/commands/data").runData },
  reproduce: { summary: "execute every notebook and export the appendix reports", load: () => viaTsx("../runner/reproduce").runReproduce },
  recovery: {
    summary: "recovery study: fresh synthetic data for many seeds, coverage and bias of a paper's estimates (--paper rs --seeds 50)",
    load: () => viaTsx("../cli/commands/recovery").runRecovery,
  },
  convert: { summary: "convert between .dta, .csv and .parquet", load: () => require("./commands/convert").runConvert },
};

export const MAIN_HELP = [
  "vagg — estimators and replication tools for the virtual-agglomeration papers",
  "",
  "Usage: vagg <command> [options]      (vagg <command> --help for its options)",
  "",
  "Commands:",
  ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(12)}${v.summary}`),
  "",
  "Environment: VAGG_SEED (project seed), VAGG_SCALE (data scale), VAGG_DEBUG=1 (stack traces).",
].join("\n");

/**
 * Entry point of the `vagg` command: dispatch to a subcommand (loaded on demand), print its help, or the version. Returns the exit code; errors of the project's kinds are printed as one line by lib/cli/vagg.cjs.
 *
 * @example
 *   process.exitCode = await main(["estimate", "--help"]);
 */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") {
    console.log(MAIN_HELP);
    return cmd ? 0 : 1;
  }
  if (cmd === "--version") {
    console.log(require("../package.json").version);
    return 0;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    process.stderr.write(`vagg: unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(", ")})\n`);
    return 2;
  }
  try {
    return await c.load()(rest);
  } catch (e) {
    if (process.env["VAGG_DEBUG"] === "1") console.error(e);
    else if (isVaggError(e)) process.stderr.write((e as Error).message + "\n");
    else process.stderr.write(`vagg ${cmd}: ${String((e as Error)?.message ?? e).split("\n")[0]}\n`);
    return 1;
  }
}
