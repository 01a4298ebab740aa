# R surveillance twinstim on the events hawkes_bench wrote (bench/hawkes.sh).
# A comparable specification: the endemic part one rate per cell (~ 0 + tile,
# 100 parameters, as our μ_c), the epidemic part exponential in time
# (tiaf.exponential) and constant in space within eps.s = 28.2 km of the
# parent (siaf.constant: a disc of the area of one 50 km cell, where our model
# keeps offspring in the parent's cell), eps.t = 100 days (our cut-off).
suppressPackageStartupMessages({ library(surveillance); library(sp) })
args <- commandArgs(TRUE)
ev <- read.csv(args[1])
cell <- 50; n_side <- 10; t1 <- 3650
sq <- function(x0, y0, s) Polygon(cbind(c(x0, x0 + s, x0 + s, x0, x0), c(y0, y0, y0 + s, y0 + s, y0)))
tiles <- SpatialPolygons(lapply(0:(n_side^2 - 1), function(k) {
  Polygons(list(sq((k %% n_side) * cell, (k %/% n_side) * cell, cell)), as.character(k))
}))
W <- SpatialPolygons(list(Polygons(list(sq(0, 0, cell * n_side)), "W")))
stgrid <- data.frame(start = 0, stop = t1, tile = factor(0:(n_side^2 - 1)), area = cell^2)
ev$tile <- factor(ev$cell, levels = 0:(n_side^2 - 1))
ev$time <- ev$t
ev$eps.t <- 100
ev$eps.s <- sqrt(cell^2 / pi)
pts <- SpatialPointsDataFrame(cbind(ev$x, ev$y), ev[, c("time", "tile", "eps.t", "eps.s")])
epi <- as.epidataCS(events = pts, stgrid = stgrid, W = W, qmatrix = diag(1), nCircle2Poly = 32,
                    T = t1, verbose = FALSE)
start <- proc.time()[["elapsed"]]
fit <- twinstim(endemic = ~ 0 + tile, epidemic = ~ 1, siaf = siaf.constant(),
                tiaf = tiaf.exponential(), data = epi, model = FALSE, cumCIF = FALSE,
                verbose = FALSE, optim.args = list(control = list(iter.max = 500, trace = 0)))
secs <- proc.time()[["elapsed"]] - start
co <- coef(fit)
alpha <- exp(co[["e.tiaf.1"]])
# Branching ratio: e^γ0 · ∫g dt (to eps.t) · ∫f ds (the disc area).
theta <- exp(co[["e.(Intercept)"]]) * (1 - exp(-alpha * 100)) / alpha * pi * ev$eps.s[1]^2
cat(sprintf('{"events":%d,"seconds":%.3f,"theta":%.4f,"omega":%.4f,"loglik":%.3f,"converged":%s}\n',
            nrow(ev), secs, theta, alpha, as.numeric(logLik(fit)),
            tolower(as.character(isTRUE(fit$converged)))))
