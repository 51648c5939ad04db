# Timing baseline: fixest 0.12.2 2SLS at the paper's scale (x1 endogenous, instrumented by z1).
#   Rscript bench/r/fixest_iv.R DATA.csv [NTHREADS=2] [FIXEF_TOL=1e-8]
# DATA.csv needs y, x1..x10, z1, city, hs4, year (bench/r/make_design.R writes one).
# Prints one JSON line: read_s, fit_s (feols first + second stage incl. clustered vcov), total_s (read + fit
# + extraction; R start-up/library loading reported separately as load_s), coef, se (second stage), nobs.
args <- commandArgs(TRUE)
if (length(args) < 1) stop("usage: Rscript fixest_iv.R DATA.csv [NTHREADS=2] [FIXEF_TOL=1e-8]")
.self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
source(file.path(dirname(.self), "common.R"))
s <- bench_settings(if (length(args) >= 2) as.integer(args[2]) else 2L, if (length(args) >= 3) as.numeric(args[3]) else 1e-8)

fml <- y ~ x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 | city + hs4 + year | x1 ~ z1
t0 <- now()
r <- read_design(args[1])
t1 <- now()
m <- feols(fml, r$data, vcov = ~city^hs4, fixef.tol = s$fixef_tol)
t2 <- now()
out <- c(meta("fixest_iv", s, list(formula = deparse1(fml), vcov = "cluster ~city^hs4")), list(
  read_s = round(r$read_s, 4), fit_s = round(t2 - t1, 4), total_s = round(now() - t0, 4),
  coef = named_list(coef(m)), se = named_list(se(m)), nobs = nobs(m),
  first_stage = list(coef = named_list(coef(m$iv_first_stage$x1)), se = named_list(se(m$iv_first_stage$x1)))))
emit(out)
