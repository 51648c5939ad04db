# Synthetic paper-scale design for the fixest timing benchmark (not a fixture: numbers here are not
# reference values, only the shape matters). One row per (city, hs4, year) cell, sampled without
# replacement (unequal weights) from 280 cities x 1,200 HS4 codes x 11 years, like the EQ paper's 616,591-row panel.
#
#   Rscript bench/r/make_design.R OUT.csv [N=616591] [SEED=1]
#
# Columns: y, x1..x10, z1 (instrument for x1), city, hs4, year (integers).
suppressMessages(library(data.table))
args <- commandArgs(TRUE)
if (length(args) < 1) stop("usage: Rscript make_design.R OUT.csv [N=616591] [SEED=1]")
out <- args[1]
N <- if (length(args) >= 2) as.integer(args[2]) else 616591L
seed <- if (length(args) >= 3) as.integer(args[3]) else 1L
set.seed(seed)
G_city <- 280L; G_hs4 <- 1200L; G_year <- 11L
stopifnot(N <= G_city * G_hs4 * G_year)
# Unbalanced like real trade panels: cities differ in size, HS4 codes in popularity, trade grows over the
# years, and each city specialises in a band of products (so the three FE are far from orthogonal and the
# alternating-projection demeaning needs many iterations, as on the real data). Weighted sampling of N
# distinct cells without replacement by Efraimidis-Spirakis keys (-log U / w, keep the N smallest).
p_city <- runif(G_city); q_hs4 <- runif(G_hs4)
size_city <- rlnorm(G_city, sdlog = 1.5); pop_hs4 <- rlnorm(G_hs4, sdlog = 1.5); grow <- exp(0.08 * (0:(G_year - 1)))
all_cell <- seq_len(G_city * G_hs4 * G_year) - 1L
ci <- all_cell %/% (G_hs4 * G_year) + 1L; hi <- (all_cell %/% G_year) %% G_hs4 + 1L; yi <- all_cell %% G_year + 1L
w <- size_city[ci] * pop_hs4[hi] * grow[yi] * exp(-abs(p_city[ci] - q_hs4[hi]) / 0.03)
cell <- sort(all_cell[order(-log(runif(length(w))) / w)[seq_len(N)]])
rm(all_cell, ci, hi, yi, w)
city <- cell %/% (G_hs4 * G_year) + 1L
hs4  <- (cell %/% G_year) %% G_hs4 + 1L
year <- cell %% G_year + 2000L
a_c <- rnorm(G_city); a_h <- rnorm(G_hs4); a_t <- rnorm(G_year, sd = 0.3)
ac <- a_c[city] + 2 * p_city[city]; ah <- a_h[hs4] + 2 * q_hs4[hs4]; at <- a_t[year - 1999L]
# city x hs4 cluster shock (the design clusters on city^hs4)
ch <- rnorm(G_city * G_hs4, sd = 0.5)[(city - 1L) * G_hs4 + hs4]
z1 <- rnorm(N) + 0.3 * ac
u  <- rnorm(N) + ch
d <- data.table(y = numeric(N))
d[, x1 := 0.6 * z1 + 0.4 * u + 0.4 * ah + rnorm(N)]
for (k in 2:10) set(d, j = paste0("x", k), value = rnorm(N) + 0.2 * k %% 3 * ac + 0.1 * ah)
beta <- c(0.5, -0.25, 0.1, 0.2, -0.1, 0.05, 0.3, -0.2, 0.15, 0)
xb <- as.matrix(d[, paste0("x", 1:10), with = FALSE]) %*% beta
d[, y := as.vector(xb) + ac + ah + at + u + rnorm(N)]
d[, `:=`(z1 = z1, city = city, hs4 = hs4, year = year)]
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
fwrite(d, out)
cat(sprintf("wrote %d rows (%d cities, %d hs4, %d years) to %s\n", nrow(d), uniqueN(city), uniqueN(hs4), uniqueN(year), out))
