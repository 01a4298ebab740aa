# The R peers of bench/kde.sh on the same points, grid and bandwidth: KernSmooth
# bkde2D (linear binning + FFT, Gaussian truncated at 3.4 h; a probability
# density, multiplied by n here) and spatstat
# density.ppp (pixel binning + FFT, edge = FALSE: no edge correction, as ours).
# Prints the best elapsed time of `repeats` runs of each call alone, and writes
# each surface as raw doubles, row-major from the south-west node.
#
#   Rscript bench/kde_peers.R POINTS.csv X0 Y0 CELL NX NY H REPEATS OUTDIR
suppressPackageStartupMessages({
  library(KernSmooth)
  library(spatstat.geom)
  library(spatstat.explore)
})
a <- commandArgs(trailingOnly = TRUE)
p <- read.csv(a[1])
x0 <- as.numeric(a[2]); y0 <- as.numeric(a[3]); cell <- as.numeric(a[4])
nx <- as.integer(a[5]); ny <- as.integer(a[6]); h <- as.numeric(a[7]); reps <- as.integer(a[8])
out <- a[9]
x1 <- x0 + (nx - 1) * cell; y1 <- y0 + (ny - 1) * cell
best <- function(f) min(sapply(seq_len(reps), function(i) system.time(f())[["elapsed"]]))

pts <- cbind(p$x_km, p$y_km)
k <- NULL
tk <- best(function() k <<- bkde2D(pts, bandwidth = c(h, h), gridsize = c(nx, ny),
                                    range.x = list(c(x0, x1), c(y0, y1))))
# fhat[i, j] is at (x1[i], x2[j]): write with x fastest, rows from the south.
# bkde2D estimates a probability density (integral 1): times n, events per km².
writeBin(as.vector(k$fhat) * nrow(pts), file.path(out, "bkde2d.bin"))

win <- owin(c(x0 - cell / 2, x1 + cell / 2), c(y0 - cell / 2, y1 + cell / 2))
pp <- ppp(p$x_km, p$y_km, window = win, check = FALSE)
d <- NULL
ts <- best(function() d <<- density.ppp(pp, sigma = h, dimyx = c(ny, nx), edge = FALSE))
# im$v[row, col]: row = y from the south, col = x.
writeBin(as.vector(t(d$v)), file.path(out, "spatstat.bin"))
cat(sprintf("%.6f %.6f\n", tk, ts))
