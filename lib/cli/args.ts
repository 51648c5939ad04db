import { ArgumentError } from "../util/errors";

/**
 * A small, strict argument parser: `--name value`, `--name=value`, boolean `--flag`.
 * Unknown options are errors that name the option (and a close match).
 */
export interface ArgSpec {
  readonly [name: string]: { readonly type: "string" | "number" | "boolean"; readonly help: string; readonly required?: boolean };
}

/**
 * Parse `--name value` / `--flag` arguments of one `vagg` command against its spec: types checked, required options enforced, an unknown option is an ArgumentError naming it (and a close match).
 *
 * @example
 *   const { opts } = parseArgs(["--data", "x.csv", "--json"], SPEC, "estimate"); // opts.data === "x.csv", opts.json === true
 */
export function parseArgs(
  argv: readonly string[],
  spec: ArgSpec,
  command: string,
): { opts: Record<string, string | number | boolean | undefined>; positional: string[] } {
  const opts: Record<string, string | number | boolean | undefined> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const s = spec[name];
    if (!s) {
      const names = Object.keys(spec);
      const close = names.find((n) => n.startsWith(name) || name.startsWith(n));
      throw new ArgumentError(
        `unknown option --${name} for "vagg ${command}"${close ? ` (did you mean --${close}?)` : ""}; see vagg ${command} --help`,
      );
    }
    if (s.type === "boolean") {
      opts[name] = true;
      continue;
    }
    const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new ArgumentError(`option --${name} needs a value`);
    if (s.type === "number") {
      const x = Number(v);
      if (!Number.isFinite(x)) throw new ArgumentError(`option --${name} needs a number, got "${v}"`);
      opts[name] = x;
    } else opts[name] = v;
  }
  for (const [name, s] of Object.entries(spec))
    if (s.required && opts[name] === undefined && !opts["help"])
      throw new ArgumentError(`missing required option --${name} for "vagg ${command}"`);
  return { opts, positional };
}

/**
 * The `--help` text of one command: its summary and one line per option with its type and help.
 *
 * @example
 *   console.log(helpText("estimate", "OLS / 2SLS with fixed effects", SPEC));
 */
export function helpText(command: string, summary: string, spec: ArgSpec): string {
  const lines = [`vagg ${command} — ${summary}`, "", "Options:"];
  for (const [name, s] of Object.entries(spec))
    lines.push(`  --${name}${s.type === "boolean" ? "" : ` <${s.type}>`}`.padEnd(30) + s.help + (s.required ? " (required)" : ""));
  return lines.join("\n");
}
