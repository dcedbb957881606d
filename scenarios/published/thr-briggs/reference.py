#!/usr/bin/env python3
"""Independent reference implementation of the total hip replacement (THR) model of
Briggs, Claxton & Sculpher, Decision Modelling for Health Economic Evaluation
(Oxford University Press, 2006), Exercise 3.5 (deterministic base case: women aged 60).

States: PrimaryTHR (the operation, a one-cycle start state), SuccessP, RevisionTHR
(one cycle), SuccessR, Death. Standard prosthesis (Charnley) vs NP1.

Conventions (those of the book's spreadsheet, as reproduced by heemod):
- the cohort (1) starts in PrimaryTHR at cycle 0; every boundary count k = 0..K is
  valued (no within-cycle correction) and discounted at (1+r)^-k: cycle 0 (the primary
  operation, GBP 394 / 579) is undiscounted;
- costs at 6 %, QALYs at 1.5 %;
- model cycle t = 1, 2, ... is the t-th transition (from boundary t-1 to t); the
  revision probability of the t-th transition is 1 - exp(lambda*((t-1)^gamma - t^gamma))
  (Weibull cumulative hazard), NP1 multiplies lambda by rrNP1;
- background mortality of the t-th transition is the life-table probability at age
  60 + t (table by 10-year bands 35, 45, ..., 85: the band of the largest start <= age),
  ADDED to the other exits of the row (the stay takes the complement), not folded in.
"""
import math

AGE0 = 60
SEX = 0  # 0 = female, 1 = male
# probability of death within a year, bands starting at 35, 45, ..., 85 (per 1,000)
LT_AGES = [35, 45, 55, 65, 75, 85]
LT_MALE = [1.51, 3.93, 10.9, 31.6, 80.1, 187.9]
LT_FEMALE = [0.99, 2.6, 6.7, 19.3, 53.5, 154.8]

OMR_PTHR = 0.02
OMR_RTHR = 0.02
RRR = 0.04
CONS = -5.490935
AGEC = -0.0367022
MALEC = 0.768536
LNGAMMA = 0.3740968
LNRRNP1 = -1.344474
U_SUCCESS_P = 0.85
U_REVISION = 0.30
U_SUCCESS_R = 0.75
C_REVISION = 5294.0
C_PRIMARY = {"standard": 394.0, "np1": 579.0}
R_COSTS = 0.06
R_EFFECTS = 0.015

LAMBDA = math.exp(CONS + AGEC * AGE0 + MALEC * SEX)
GAMMA = math.exp(LNGAMMA)
RR_NP1 = math.exp(LNRRNP1)


def mortality(age):
    table = LT_MALE if SEX == 1 else LT_FEMALE
    q = None
    for a, v in zip(LT_AGES, table):
        if age >= a:
            q = v / 1000.0
    if q is None:
        raise ValueError(age)
    return q


def revision(t, strategy):
    lam = LAMBDA * (RR_NP1 if strategy == "np1" else 1.0)
    return 1.0 - math.exp(lam * ((t - 1) ** GAMMA - t ** GAMMA))


def matrix(t, strategy):
    mr = mortality(AGE0 + t)
    rev = revision(t, strategy)
    # rows: P, SP, R, SR, D
    return [
        [0.0, 1.0 - OMR_PTHR, 0.0, 0.0, OMR_PTHR],
        [0.0, 1.0 - rev - mr, rev, 0.0, mr],
        [0.0, 0.0, 0.0, 1.0 - (OMR_RTHR + mr), OMR_RTHR + mr],
        [0.0, 0.0, RRR, 1.0 - RRR - mr, mr],
        [0.0, 0.0, 0.0, 0.0, 1.0],
    ]


def run(strategy, last_boundary):
    n = [1.0, 0.0, 0.0, 0.0, 0.0]
    cost = qaly = ly = cost_u = qaly_u = extra = 0.0
    trace = []
    for k in range(0, last_boundary + 1):
        if k > 0:
            p = matrix(k, strategy)
            n = [sum(n[i] * p[i][j] for i in range(5)) for j in range(5)]
        trace.append(n)
        c = n[0] * C_PRIMARY[strategy] + n[2] * C_REVISION
        u = n[1] * U_SUCCESS_P + n[2] * U_REVISION + n[3] * U_SUCCESS_R
        cost += c / (1 + R_COSTS) ** k
        qaly += u / (1 + R_EFFECTS) ** k
        cost_u += c
        qaly_u += u
        # the NP1 prosthesis' extra price (579 - 394) is the intervention's cost in wijkimpact
        extra += n[0] * (C_PRIMARY[strategy] - C_PRIMARY["standard"]) / (1 + R_COSTS) ** k
        ly += sum(n[:4])
    return {"cost": cost, "qaly": qaly, "ly": ly, "cost_undiscounted": cost_u,
            "qaly_undiscounted": qaly_u, "np1_extra_pv": extra, "trace": trace}


def expected():
    """Per person, per arm, in wijkimpact's terms (cycle_correction = "none",
    first_year_discounted = false, horizon 61 = boundaries 0..60)."""
    out = {}
    for arm, name in (("nulalternatief", "standard"), ("np1", "np1")):
        r = run(name, 60)
        out[arm] = {"costs_pv": r["cost"], "costs": r["cost_undiscounted"],
                    "intervention_costs_pv": r["np1_extra_pv"],
                    "qaly_pv": r["qaly"], "qaly": r["qaly_undiscounted"], "life_years": r["ly"]}
    return out


PUBLISHED = {  # DMHEE Exercise 3.5 spreadsheet, as pinned in heemod's tests/testthat/test_dmhee.R
    "std_cost": 512.434658,
    "std_qaly": 14.6531896,
    "new_cost": 610.311818,
    "new_qaly": 14.69770986,
    "icer": 2198.486665,
}

if __name__ == "__main__":
    import sys
    import json
    if "--json" in sys.argv:
        print(json.dumps(expected(), indent=2))
        raise SystemExit(0)
    K = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    s, n = run("standard", K), run("np1", K)
    icer = (n["cost"] - s["cost"]) / (n["qaly"] - s["qaly"])
    got = {"std_cost": s["cost"], "std_qaly": s["qaly"], "new_cost": n["cost"], "new_qaly": n["qaly"], "icer": icer}
    ok = True
    for key, v in PUBLISHED.items():
        dec = 6
        match = abs(got[key] - v) <= 0.5 * 10 ** -dec * max(1, 1)
        ok &= match
        print(f"{key:9s} published {v:16.8f} reference {got[key]:16.8f} {'OK' if match else 'DIFF'}")
    for k in range(1, 4):
        print(k, [round(x, 8) for x in s["trace"][k]])
    raise SystemExit(0 if ok else 1)
