# Shared helpers for bench/r/fixest_*.R (sourced; not run on its own).
# Settings used by every fixest benchmark script, recorded in each JSON line:
#   nthreads  = 2     (setFixest_nthreads: both cores of this machine; fixest's own default is half of them)
#   fixef_tol = fixest 0.12.2's default (1e-6): fixest_fit.R leaves the argument out, fixest_placebo.R
#               passes 1e-6
# Both can be overridden positionally after the script's own arguments (see each script's usage).
.t_start <- proc.time()[["elapsed"]]
suppressPackageStartupMessages({ library(data.table); library(fixest); library(jsonlite) })
.load_s <- proc.time()[["elapsed"]] - .t_start

now <- function() proc.time()[["elapsed"]]

bench_settings <- function(nthreads = 2L, fixef_tol = NA) {
  setFixest_nthreads(nthreads)
  setDTthreads(nthreads)          # fread with the same number of threads
  setFixest_notes(FALSE)          # keep stdout to one JSON line
  list(nthreads = nthreads, fixef_tol = fixef_tol)
}

read_design <- function(path) {
  if (!file.exists(path)) stop("no such file: ", path)
  t0 <- now()
  d <- if (grepl("\\.dta$", path)) haven::read_dta(path) else fread(path, showProgress = FALSE)
  list(data = d, read_s = now() - t0)
}

named_list <- function(x) as.list(setNames(unname(x), names(x)))

emit <- function(x) cat(toJSON(x, auto_unbox = TRUE, digits = NA, null = "null"), "\n", sep = "")

meta <- function(script, settings, extra = list()) c(list(
  script = script, fixest = as.character(packageVersion("fixest")), R = paste(R.version$major, R.version$minor, sep = "."),
  nthreads = settings$nthreads, fixef_tol = settings$fixef_tol, fixef_tol_default = 1e-6, load_s = round(.load_s, 4)), extra)
