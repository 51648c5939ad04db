# Timing baseline: placebo test by permutation, re-estimating from scratch with fixest 0.12.2 each time
# (what the paper's 1,000-replication placebo costs in fixest; our estimator should reuse the partialled-out data).
#   Rscript bench/r/fixest_placebo.R DATA.csv N [SEED=1] [NTHREADS=2] [FIXEF_TOL=1e-6]
# Each replication permutes x1 over all rows and re-runs the OLS design of fixest_fit.R
# (y ~ x1 + ... + x10 | city + hs4 + year, vcov cluster ~city^hs4).
# Prints one JSON line: read_s, reps, rep_s (per replication), per_rep_s (mean), per_rep_median_s, fit_total_s,
# total_s, and the placebo distribution of the x1 coefficient (mean, sd, and share with |t| > 1.96).
args <- commandArgs(TRUE)
if (length(args) < 2) stop("usage: Rscript fixest_placebo.R DATA.csv N [SEED=1] [NTHREADS=2] [FIXEF_TOL=1e-6]")
.self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
source(file.path(dirname(.self), "common.R"))
reps <- as.integer(args[2]); stopifnot(!is.na(reps), reps >= 1)
seed <- if (length(args) >= 3) as.integer(args[3]) else 1L
s <- bench_settings(if (length(args) >= 4) as.integer(args[4]) else 2L, if (length(args) >= 5) as.numeric(args[5]) else 1e-6)

fml <- y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 | city + hs4 + year
t0 <- now()
r <- read_design(args[1])
d <- r$data
x1_orig <- d$x1
set.seed(seed)
rep_s <- numeric(reps); b <- numeric(reps); t <- numeric(reps)
for (i in seq_len(reps)) {
  ti <- now()
  set(d, j = "x1", value = x1_orig[sample.int(length(x1_orig))])
  m <- feols(fml, d, vcov = ~city^hs4, fixef.tol = s$fixef_tol)
  b[i] <- coef(m)[["x1"]]; t[i] <- b[i] / se(m)[["x1"]]
  rep_s[i] <- now() - ti
}
out <- c(meta("fixest_placebo", s, list(formula = deparse1(fml), vcov = "cluster ~city^hs4", permuted = "x1", seed = seed)), list(
  read_s = round(r$read_s, 4), reps = reps, rep_s = round(rep_s, 4), per_rep_s = round(mean(rep_s), 4),
  per_rep_median_s = round(median(rep_s), 4), fit_total_s = round(sum(rep_s), 4), total_s = round(now() - t0, 4),
  nobs = nobs(m), placebo_x1 = list(mean = mean(b), sd = if (reps > 1) sd(b) else NA, share_abs_t_gt_1.96 = mean(abs(t) > 1.96))))
emit(out)
