#!/usr/bin/env Rscript
# EVPPI by the nonparametric regression method of Strong, Oakley and Brennan,
# "Estimating multiparameter partial expected value of perfect information
# from a probabilistic sensitivity analysis sample: a nonparametric regression
# approach", Medical Decision Making 34(3):311-326, 2014
# (doi 10.1177/0272989X13505910), with the penalised GAM of the R package mgcv
# as in the paper: s() for one input, te() for a group of 2 to 4 inputs, an
# additive s() per input for larger groups. It is the peer of
# wijkimpact::decision::voi::evppi (an unpenalised regression spline), for
# comparing the two on the same exported draws; CI does not run it.
#
# CSV layout (header row, one row per draw, comma separated):
#   nb_0, nb_1, ..., nb_{D-1}   net benefit of every arm (D >= 2), in that order;
#   x_<name>, ...               the sampled inputs, one column each.
# Other columns are ignored.
#
# Usage: Rscript scripts/peer/evppi_mgcv.R DRAWS.csv x_a,x_b [S] [SEED]
#   DRAWS.csv  the file above
#   x_a,x_b    comma-separated input columns of the group
#   S          samples for the standard error (default 500)
#   SEED       R's set.seed for those samples (default 1)
# Prints: evppi, its standard error (SD over S coefficient samples, Strong et
# al. 2014), the EVPI of the same draws, and the R-squared per arm d >= 1 of
# the regression of nb_d - nb_0.

suppressPackageStartupMessages({
  library(mgcv)
  library(MASS)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) {
  stop("usage: Rscript evppi_mgcv.R DRAWS.csv x_a,x_b [S] [SEED]")
}
draws <- read.csv(args[1], check.names = FALSE)
group <- strsplit(args[2], ",", fixed = TRUE)[[1]]
S <- if (length(args) >= 3) as.integer(args[3]) else 500L
seed <- if (length(args) >= 4) as.integer(args[4]) else 1L

nb_cols <- grep("^nb_[0-9]+$", names(draws), value = TRUE)
nb_cols <- nb_cols[order(as.integer(sub("^nb_", "", nb_cols)))]
if (length(nb_cols) < 2) stop("the file needs at least the columns nb_0 and nb_1")
missing <- setdiff(group, names(draws))
if (length(missing) > 0) stop("no such input column(s): ", paste(missing, collapse = ", "))

nb <- as.matrix(draws[, nb_cols])
N <- nrow(nb)
D <- ncol(nb)
inputs <- draws[, group, drop = FALSE]
# Inputs fixed in every draw carry no information (and break the smooths).
group <- group[vapply(inputs, function(v) length(unique(v)) > 1, logical(1))]

evpi <- mean(apply(nb, 1, max)) - max(colMeans(nb))

if (length(group) == 0) {
  cat(sprintf("evppi %.10g\nse 0\nevpi %.10g\n", 0, evpi))
  quit(status = 0)
}

rhs <- if (length(group) == 1) {
  sprintf("s(%s)", group)
} else if (length(group) <= 4) {
  sprintf("te(%s)", paste(group, collapse = ", "))
} else {
  paste(sprintf("s(%s)", group), collapse = " + ")
}
form <- as.formula(paste("y ~", rhs))

g_hat <- matrix(0, N, D)               # fitted incremental NB; arm 0 stays 0
g_tilde <- vector("list", D)           # per arm: N x S samples of the fitted values
r_squared <- numeric(D - 1)
set.seed(seed)
for (d in 2:D) {
  dat <- data.frame(y = nb[, d] - nb[, 1], inputs[, group, drop = FALSE])
  model <- gam(form, data = dat)
  g_hat[, d] <- model$fitted.values
  r_squared[d - 1] <- 1 - sum(model$residuals^2) / sum((dat$y - mean(dat$y))^2)
  # Standard error: coefficients from their (Bayesian) sampling distribution.
  beta_star <- mvrnorm(S, coef(model), vcov(model))
  g_tilde[[d]] <- predict(model, type = "lpmatrix") %*% t(beta_star)
}

evppi <- mean(apply(g_hat, 1, max)) - max(colMeans(g_hat))

samples <- vapply(seq_len(S), function(s) {
  g <- cbind(0, sapply(2:D, function(d) g_tilde[[d]][, s]))
  mean(apply(g, 1, max)) - max(colMeans(g))
}, numeric(1))

cat(sprintf("evppi %.10g\nse %.10g\nevpi %.10g\n", evppi, sd(samples), evpi))
cat(sprintf("r_squared %s\n", paste(sprintf("%.6f", r_squared), collapse = " ")))
cat(sprintf("formula %s\n", deparse(form)))
