# Timing baseline: fixest 0.12.2 OLS or 2SLS on a benchmark design, at fixest's default settings.
#   Rscript bench/r/fixest_fit.R DATA.(csv|dta) MODEL=ols|iv FE="city + hs4 + year" [NTHREADS=2] [FIXEF_TOL=default]
# DATA needs y, x1..x10, z1, city, hs4, year (and firm for the firm design); .csv is read with
# data.table::fread, .dta with haven::read_dta. The variance is clustered by city^hs4. fixef.tol is
# fixest's default (1e-6) unless given. Prints one JSON line: read_s, fit_s, total_s (R start-up and
# library loading excluded; they are load_s), coef, se, nobs, fixef_iter.
args <- commandArgs(TRUE)
if (length(args) < 3) stop("usage: Rscript fixest_fit.R DATA MODEL=ols|iv FE [NTHREADS=2] [FIXEF_TOL]")
.self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
source(file.path(dirname(.self), "common.R"))
s <- bench_settings(if (length(args) >= 4) as.integer(args[4]) else 2L, if (length(args) >= 5) as.numeric(args[5]) else NA)
xs <- paste0("x", 1:10)
fml <- if (args[2] == "iv") {
  as.formula(paste("y ~", paste(xs[-1], collapse = " + "), "|", args[3], "| x1 ~ z1"))
} else as.formula(paste("y ~", paste(xs, collapse = " + "), "|", args[3]))
t0 <- now()
r <- read_design(args[1])
t1 <- now()
m <- if (is.na(s$fixef_tol)) feols(fml, r$data, vcov = ~city^hs4) else feols(fml, r$data, vcov = ~city^hs4, fixef.tol = s$fixef_tol)
t2 <- now()
out <- c(meta("fixest_fit", s, list(formula = deparse1(fml), vcov = "cluster ~city^hs4")), list(
  read_s = round(r$read_s, 4), fit_s = round(t2 - t1, 4), total_s = round(now() - t0, 4),
  coef = named_list(coef(m)), se = named_list(se(m)), nobs = nobs(m), fixef_iter = m$iterations))
emit(out)
