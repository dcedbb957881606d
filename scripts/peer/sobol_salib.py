#!/usr/bin/env python3
"""Compare wijkimpact's Sobol indices (src/decision/sobol.rs) with SALib's on the
same design and the same model outputs.

SALib (Herman and Usher, "SALib: An open-source Python library for Sensitivity
Analysis", Journal of Open Source Software 2(9), 2017,
https://doi.org/10.21105/joss.00097) implements the same estimators:
first order after Saltelli et al. (2010), total after Jansen (1999), on outputs
standardised by the mean and sd of all runs. On the same Y the point estimates
S1 and ST must agree to rounding (relative difference ~1e-15). S1_conf and
ST_conf (1.96 x bootstrap sd) agree only statistically: SALib resamples with
NumPy's generator, wijkimpact with its own streams.

Input, as written by
    SOBOL_EXPORT=DIR cargo test --release --test sobol_math -- --ignored export
is a directory with
    design.csv    columns x_1..x_k (inputs of each design row, in design order) and y;
    problem.json  SALib problem: names, groups (one group name per input), and
                  num_resamples, seed for the bootstrap;
    ours.json     wijkimpact's S1, ST, S1_conf, ST_conf, S1_interval, ST_interval.
or a directory of such directories.

Usage: python3 scripts/peer/sobol_salib.py DIR [--groups g1,g2,...]
(--groups overrides problem.json's groups, one name per input.)
Exits 1 if a point estimate differs by more than 1e-11 relative, or if the
design rows do not follow the Saltelli pattern A, AB^(1..k), B.
Requires: pip install salib
"""
import argparse
import csv
import json
import pathlib
import sys
import warnings

import numpy as np
from SALib.analyze import sobol

TOLERANCE = 1e-11


def read_design(path):
    # Python's float() reads the shortest round-trip text Rust writes exactly.
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    if header[-1] != "y" or not all(h.startswith("x_") for h in header[:-1]):
        sys.exit(f"{path}: expected columns x_1..x_k,y, got {header}")
    data = np.array([[float(v) for v in r] for r in body])
    return data[:, :-1], data[:, -1]


def group_names(groups):
    seen = []
    for g in groups:
        if g not in seen:
            seen.append(g)
    return seen


def check_design(x, groups):
    """Each block must be A, AB^(1..k), B with AB^(i) = A but group i's columns from B."""
    names = group_names(groups)
    k = len(names)
    w = k + 2
    if x.shape[0] % w:
        return [f"{x.shape[0]} rows is not a multiple of k + 2 = {w}"]
    problems = []
    for j in range(x.shape[0] // w):
        a, b = x[j * w], x[j * w + w - 1]
        for i, name in enumerate(names):
            cols = np.array([g == name for g in groups])
            want = np.where(cols, b, a)
            if not np.array_equal(x[j * w + 1 + i], want):
                problems.append(f"block {j}: row AB^({i + 1}) is not A with group {name!r} from B")
                if len(problems) > 5:
                    return problems
    return problems


def compare(case, groups_override):
    x, y = read_design(case / "design.csv")
    problem = json.loads((case / "problem.json").read_text())
    ours = json.loads((case / "ours.json").read_text())
    if groups_override:
        problem["groups"] = groups_override.split(",")
    groups = problem.get("groups") or problem["names"]
    if len(groups) != x.shape[1] or problem["num_vars"] != x.shape[1]:
        sys.exit(f"{case}: {x.shape[1]} input columns but num_vars {problem['num_vars']}, groups {groups}")
    salib_problem = {k: problem[k] for k in ("num_vars", "names", "bounds") if k in problem}
    salib_problem["groups"] = groups

    bad = check_design(x, groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = sobol.analyze(
            salib_problem,
            y,
            calc_second_order=False,
            num_resamples=problem["num_resamples"],
            conf_level=0.95,
            seed=problem["seed"],
        )

    names = group_names(groups)
    n = len(y) // (len(names) + 2)
    print(f"== {case.name}: N = {n}, k = {len(names)} groups {names}, {problem['num_resamples']} resamples")
    print(f"   design rows follow A, AB^(1..k), B: {'yes' if not bad else 'NO'}")
    for p in bad:
        print(f"   {p}")
    print(f"   {'group':<8}{'index':<6}{'wijkimpact':>22}{'SALib':>22}{'rel. diff':>11}"
          f"{'conf ours':>11}{'conf SALib':>11}  95% percentile interval (ours)")
    worst = 0.0
    for key in ("S1", "ST"):
        for i, name in enumerate(names):
            a, b = ours[key][i], float(si[key][i])
            rel = abs(a - b) / max(abs(a), abs(b), 1e-300)
            worst = max(worst, rel)
            lo, hi = ours[key + "_interval"][i]
            print(f"   {name:<8}{key:<6}{a:>22.16f}{b:>22.16f}{rel:>11.1e}"
                  f"{ours[key + '_conf'][i]:>11.4f}{float(si[key + '_conf'][i]):>11.4f}  [{lo:.4f}, {hi:.4f}]")
    print(f"   largest relative difference of the point estimates: {worst:.2e} (tolerance {TOLERANCE:.0e})")
    return worst <= TOLERANCE and not bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=pathlib.Path)
    ap.add_argument("--groups", help="group name per input, comma-separated (overrides problem.json)")
    args = ap.parse_args()
    if (args.dir / "design.csv").exists():
        cases = [args.dir]
    else:
        cases = sorted(p for p in args.dir.iterdir() if (p / "design.csv").exists())
    if not cases:
        sys.exit(f"{args.dir}: no design.csv here or in a subdirectory")
    ok = all([compare(c, args.groups) for c in cases])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
