/** One printed row of a paper's descriptive-statistics table; null = not printed. */
export interface PublishedMoment {
  readonly n: number | null;
  readonly mean: number;
  readonly sd: number;
  readonly min: number | null;
  readonly max: number | null;
}
