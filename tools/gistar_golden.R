#!/usr/bin/env Rscript
# Golden answers for the Getis-Ord Gi* test (tests/risk/hotspots_test.cc),
# computed by R spdep's localG on the same weights the C++ code builds:
# binary weights, the unit itself included (include.self), distance band
# (dnearneigh, 0 < d <= band) and k-nearest (knearneigh).
#
#   Rscript tools/gistar_golden.R tests/golden/risk
#
# Needs r-base-core and r-cran-spdep (Debian). Writes gistar_input.csv
# (synthetic units: x_km, y_km, value; seeded) and gistar_spdep.csv (z per
# unit and weighting). The C++ test needs neither R nor spdep.
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/golden/risk"

set.seed(20240501)
n <- 200
x <- runif(n, 0, 500)
y <- runif(n, 0, 400)
# counts: Poisson background plus a planted hot area around (120, 300)
hot <- exp(-((x - 120)^2 + (y - 300)^2) / (2 * 40^2))
value <- rpois(n, 2 + 15 * hot)
coords <- cbind(x, y)
write.csv(data.frame(x_km = sprintf("%.17g", x), y_km = sprintf("%.17g", y), value = value),
          file.path(out, "gistar_input.csv"), row.names = FALSE, quote = FALSE)

gi <- function(nb) {
  lw <- nb2listw(include.self(nb), style = "B", zero.policy = TRUE)
  as.numeric(localG(value, lw, zero.policy = TRUE))
}
res <- data.frame(
  unit = seq_len(n) - 1,
  band_60 = gi(dnearneigh(coords, 0, 60)),
  band_100 = gi(dnearneigh(coords, 0, 100)),
  knn_4 = gi(knn2nb(knearneigh(coords, k = 4))),
  knn_8 = gi(knn2nb(knearneigh(coords, k = 8))))
for (col in names(res)[-1]) res[[col]] <- sprintf("%.15g", res[[col]])
write.csv(res, file.path(out, "gistar_spdep.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("spdep %s, R %s: wrote %d units\n", packageVersion("spdep"), getRversion(), n))
