#!/usr/bin/env Rscript
# Peer runner for `hav bench tsne`: Rtsne (bhtsne by van der Maaten, wrapped for R) with the project's defaults.
#
# Usage: Rscript rtsne_tsne.R --input X.npy --out Y.npy --json result.json [--threads T] [--seed S]
#        [--perplexity 30] [--iterations 1000]
# Runs Rtsne(X, pca = FALSE, perplexity, theta = 0.5, max_iter, num_threads = T, exaggeration_factor = 12,
# stop_lying_iter = 250, mom_switch_iter = 250, eta = max(N / 48, 50) (scikit-learn's "auto"), normalize = FALSE,
# check_duplicates = FALSE) on X and writes Y (float32 .npy) and a JSON object
# {"tool", "version", "seconds", "cpu_seconds", "n", "d", "threads"}; seconds = wall time of the Rtsne call only
# (not file I/O), cpu_seconds = user + system time of the R process over the same span.
# Rtsne starts from its own random N(0, 1e-4) points (seeded by set.seed); it has no PCA start of its own.
# .npy is read and written by the small functions below (little-endian float32/float64, C order, 2-D only),
# so no R package beyond Rtsne is needed.

suppressPackageStartupMessages(library(Rtsne))

args <- commandArgs(trailingOnly = TRUE)
opt <- list(threads = "1", seed = "0", perplexity = "30", iterations = "1000")
i <- 1
while (i <= length(args)) {
  key <- sub("^--", "", args[i])
  opt[[key]] <- args[i + 1]
  i <- i + 2
}
for (k in c("input", "out", "json")) {
  if (is.null(opt[[k]])) stop(paste0("missing --", k))
}

read_npy <- function(path) {
  con <- file(path, "rb")
  on.exit(close(con))
  magic <- readBin(con, "raw", 6)
  if (!identical(magic, as.raw(c(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)))) stop(paste(path, ": not a .npy file"))
  version <- readBin(con, "integer", 2, size = 1, signed = FALSE)
  header_len <- if (version[1] == 1) readBin(con, "integer", 1, size = 2, signed = FALSE, endian = "little")
                else readBin(con, "integer", 1, size = 4, endian = "little")
  header <- rawToChar(readBin(con, "raw", header_len))
  descr <- sub(".*'descr': *'([^']*)'.*", "\\1", header)
  if (grepl("'fortran_order': *True", header)) stop(paste(path, ": Fortran order not supported"))
  shape <- as.integer(strsplit(sub(".*'shape': *\\(([^)]*)\\).*", "\\1", header), ",")[[1]])
  shape <- shape[!is.na(shape)]
  if (length(shape) != 2) stop(paste(path, ": expected a 2-D array"))
  size <- switch(descr, "<f4" = 4, "<f8" = 8, stop(paste(path, ": unsupported dtype", descr)))
  values <- readBin(con, "double", prod(shape), size = size, endian = "little")
  matrix(values, nrow = shape[1], ncol = shape[2], byrow = TRUE)
}

write_npy <- function(path, m) {
  dict <- sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", nrow(m), ncol(m))
  pad <- (64 - (10 + nchar(dict) + 1) %% 64) %% 64
  header <- paste0(dict, strrep(" ", pad), "\n")
  tmp <- paste0(path, ".tmp")
  con <- file(tmp, "wb")
  writeBin(as.raw(c(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0)), con)
  writeBin(as.integer(nchar(header)), con, size = 2, endian = "little")
  writeBin(charToRaw(header), con)
  writeBin(as.vector(t(m)), con, size = 4, endian = "little")
  close(con)
  invisible(file.rename(tmp, path))
}

x <- read_npy(opt$input)
n <- nrow(x)
threads <- as.integer(opt$threads)
perplexity <- as.numeric(opt$perplexity)
eta <- max(n / (4 * 12), 50)
set.seed(as.integer(opt$seed))
start <- proc.time()
res <- Rtsne(x, dims = 2, pca = FALSE, perplexity = perplexity, theta = 0.5, max_iter = as.integer(opt$iterations),
             num_threads = threads, exaggeration_factor = 12, stop_lying_iter = 250L, mom_switch_iter = 250L,
             momentum = 0.5, final_momentum = 0.8, eta = eta, normalize = FALSE, check_duplicates = FALSE,
             verbose = FALSE)
used <- proc.time() - start
seconds <- used[["elapsed"]]
cpu_seconds <- used[["user.self"]] + used[["sys.self"]]
write_npy(opt$out, res$Y)
json <- sprintf('{"tool": "rtsne", "version": "%s", "seconds": %.6f, "cpu_seconds": %.6f, "n": %d, "d": %d, "threads": %d}',
                as.character(packageVersion("Rtsne")), seconds, cpu_seconds, n, ncol(x), threads)
writeLines(json, opt$json)
