#!/usr/bin/env python3
"""The closed-cohort benchmark model (scenarios/bench/closed-cohort.toml) written
as a vectorised NumPy script, the way an analyst would write it by hand: all
draws side by side, one matrix product per year and arm. It is the peer that
scripts/bench.sh times against `wijkimpact run` on the same model.

Model: 1,000 people aged 60, one chain gezond/ziek/ernstig/dood (dood a death
state), Dirichlet transition rows, 20 yearly cycles, half-cycle correction,
costs and outcomes discounted at 2.25 % from the first year (start year
undiscounted). The arm "programma" lowers, for everyone ill at the start of a
year (reach: the whole target group), the hazards ziek -> ernstig and
ziek -> dood by a lognormal relative risk (median 0.75, 95 % CI 0.6-0.94)
under the rate convention, at EUR 400 per participant-year.

Usage: python3 scripts/peer/closed_cohort.py [DRAWS] [SEED]
Prints the mean NPV (gemeente + zorgverzekeraar cash, EUR) with its Monte Carlo
standard error and the P5/P95; it is not bit-identical to wijkimpact (another
random stream) but agrees within Monte Carlo error.
"""
import sys

import numpy as np

draws = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 7
rng = np.random.default_rng(seed)

years, rate, cohort = 20, 0.0225, 1000.0
P = np.zeros((draws, 4, 4))
P[:, 0] = rng.dirichlet([850, 100, 30, 20], draws)
P[:, 1] = rng.dirichlet([60, 700, 180, 60], draws)
P[:, 2] = rng.dirichlet([5, 40, 805, 150], draws)
P[:, 3, 3] = 1.0
rr = np.exp(np.log(0.75) + rng.standard_normal(draws) * (np.log(0.94) - np.log(0.6)) / (2 * 1.959963984540054))

# Rate convention: the exit hazards of ziek -> ernstig, dood are multiplied by rr.
Q = P.copy()
p_exit = 1.0 - P[:, 1, 1]
h = -np.log1p(-p_exit)
h_j = h[:, None] * P[:, 1, :] / p_exit[:, None]
h_j[:, 1] = 0.0
h_j[:, 2:] *= rr[:, None]
h_new = h_j.sum(axis=1)
p_new = -np.expm1(-h_new)
Q[:, 1, :] = p_new[:, None] * h_j / h_new[:, None]
Q[:, 1, 1] = 1.0 - p_new

cost = np.array([0.0, 2500.0, 15000.0, 0.0])
disc = (1.0 + rate) ** -np.arange(years)


def arm(T, programme):
    x = np.zeros((draws, 4))
    x[:, 0] = cohort
    care = np.zeros((draws, years))
    interv = np.zeros((draws, years))
    for t in range(years):
        start = x
        if programme:
            interv[:, t] = 400.0 * x[:, 1]
        x = np.einsum("di,dij->dj", x, T)
        x[:, 3] = 0.0  # deaths leave the cohort
        care[:, t] = 0.5 * (start + x) @ cost
    return care @ disc, interv @ disc


care0, _ = arm(P, False)
care1, interv1 = arm(Q, True)
npv = care0 - care1 - interv1
print(f"draws {draws}: mean NPV {npv.mean():.2f} (MCSE {npv.std(ddof=1) / np.sqrt(draws):.2f}), "
      f"P5 {np.quantile(npv, 0.05):.2f}, P95 {np.quantile(npv, 0.95):.2f}")
