/**
 * The project's one seed. Every random draw in the library, the synthetic data and the
 * notebooks derives from this value (or from `VAGG_SEED` when set), through `rng()` in
 * `./rng.ts`. Change it here, nowhere else.
 */
export const PROJECT_SEED = 20220707;

/** The seed in force: `VAGG_SEED` from the environment if it is a non-negative integer, else PROJECT_SEED. */
export function projectSeed(): number {
  const env = process.env["VAGG_SEED"];
  if (env !== undefined && env !== "") {
    const v = Number(env);
    if (!Number.isInteger(v) || v < 0) throw new Error(`vagg argument error: VAGG_SEED must be a non-negative integer, got "${env}"`);
    return v;
  }
  return PROJECT_SEED;
}
