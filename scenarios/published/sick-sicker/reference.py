#!/usr/bin/env python3
"""Independent reference implementation of the time-independent Sick-Sicker model of
Alarid-Escudero F, Krijkamp EM, Enns EA, Yang A, Hunink MGM, Pechlivanoglou P, Jalal H.
"An Introductory Tutorial on Cohort State-Transition Models in R Using a
Cost-Effectiveness Analysis Example", Medical Decision Making 2023;43(1):3-20
(code: DARTH-git/cohort-modeling-tutorial-intro, analysis/cSTM_time_indep.R).

Conventions (those of the tutorial):
- 75 annual cycles (age 25 to 100), cohort of 1 starting Healthy;
- every boundary count m_t, t = 0..75, is valued and discounted at 1.03^-t
  (costs and QALYs), then weighted by DARTH's Simpson 1/3 vector (gen_wcc):
  w_0 = w_75 = 1/3, and for 1 <= t <= 74: 2/3 if t is odd, 4/3 if t is even
  (R's 1-based index t+1 decides: even index -> 2/3). NB this is not textbook
  Simpson (which would give 4/3 to t = 1) and the weights sum to 74 2/3, not 75.
- transitions from rates: p = 1 - exp(-r); death first, other moves conditional on
  survival: p(H->S1) = (1 - p_HD) p_HS1, p(S1->H) = (1 - p_S1D) p_S1H, etc.;
  death rates r_S1D = 3 r_HD, r_S2D = 10 r_HD.
- Treatment A (S1 and S2 treated, cost 12,000/yr) raises S1's utility to 0.95;
  treatment B (cost 13,000/yr in S1 and S2) multiplies the S1->S2 rate by HR 0.6.
"""
import math

N_CYCLES = 75
D = 0.03
r_HD, r_HS1, r_S1H, r_S1S2 = 0.002, 0.15, 0.5, 0.105
hr_S1, hr_S2, hr_S1S2_trtB = 3.0, 10.0, 0.6
c_H, c_S1, c_S2, c_trtA, c_trtB = 2000.0, 4000.0, 15000.0, 12000.0, 13000.0
u_H, u_S1, u_S2, u_trtA = 1.0, 0.75, 0.5, 0.95


def r2p(r, t=1.0):
    return 1.0 - math.exp(-r * t)


def gen_wcc(n, method="Simpson1/3"):
    if method == "Simpson1/3":
        w = [2 / 3 if (i % 2 == 0) else 4 / 3 for i in range(1, n + 2)]  # R index i = t + 1
        w[0] = w[n] = 1 / 3
    elif method == "half-cycle":
        w = [1.0] * (n + 1)
        w[0] = w[n] = 0.5
    else:
        w = [1.0] * (n + 1)
    return w


def matrix(trtB):
    p_HS1, p_S1H = r2p(r_HS1), r2p(r_S1H)
    p_S1S2 = r2p(r_S1S2 * (hr_S1S2_trtB if trtB else 1.0))
    p_HD, p_S1D, p_S2D = r2p(r_HD), r2p(r_HD * hr_S1), r2p(r_HD * hr_S2)
    return [
        [(1 - p_HD) * (1 - p_HS1), (1 - p_HD) * p_HS1, 0.0, p_HD],
        [(1 - p_S1D) * p_S1H, (1 - p_S1D) * (1 - (p_S1H + p_S1S2)), (1 - p_S1D) * p_S1S2, p_S1D],
        [0.0, 0.0, 1 - p_S2D, p_S2D],
        [0.0, 0.0, 0.0, 1.0],
    ]


STRATEGIES = {  # name: (treatment A, treatment B)
    "Standard of care": (False, False),
    "Strategy A": (True, False),
    "Strategy B": (False, True),
    "Strategy AB": (True, True),
}


def run(a, b, method="Simpson1/3", n_cycles=N_CYCLES):
    p = matrix(b)
    m = [1.0, 0.0, 0.0, 0.0]
    trace = [m]
    for _ in range(n_cycles):
        m = [sum(m[i] * p[i][j] for i in range(4)) for j in range(4)]
        trace.append(m)
    u = [u_H, u_trtA if a else u_S1, u_S2, 0.0]
    extra = (c_trtA if a else 0.0) + (c_trtB if b else 0.0)
    c = [c_H, c_S1 + extra, c_S2 + extra, 0.0]
    w = gen_wcc(n_cycles, method)
    cost = sum(sum(mt[s] * c[s] for s in range(4)) * w[t] / (1 + D) ** t for t, mt in enumerate(trace))
    qaly = sum(sum(mt[s] * u[s] for s in range(4)) * w[t] / (1 + D) ** t for t, mt in enumerate(trace))
    ly = sum(sum(mt[:3]) * w[t] for t, mt in enumerate(trace))
    return {"cost": cost, "qaly": qaly, "ly_undiscounted": ly, "trace": trace}


def run_full(a, b):
    """Discounted and undiscounted totals (DARTH weights), treatment costs apart."""
    p = matrix(b)
    m = [1.0, 0.0, 0.0, 0.0]
    trace = [m]
    for _ in range(N_CYCLES):
        m = [sum(m[i] * p[i][j] for i in range(4)) for j in range(4)]
        trace.append(m)
    w = gen_wcc(N_CYCLES)
    u = [u_H, u_trtA if a else u_S1, u_S2, 0.0]
    care = [c_H, c_S1, c_S2, 0.0]
    trt = (c_trtA if a else 0.0) + (c_trtB if b else 0.0)
    out = {k: 0.0 for k in ("costs_pv", "costs", "intervention_costs_pv", "intervention_costs",
                            "qaly_pv", "qaly", "life_years_pv", "life_years")}
    for t, mt in enumerate(trace):
        df = w[t] / (1 + D) ** t
        c = sum(mt[s] * care[s] for s in range(4)) + trt * (mt[1] + mt[2])
        q = sum(mt[s] * u[s] for s in range(4))
        out["costs_pv"] += c * df
        out["costs"] += c * w[t]
        out["intervention_costs_pv"] += trt * (mt[1] + mt[2]) * df
        out["intervention_costs"] += trt * (mt[1] + mt[2]) * w[t]
        out["qaly_pv"] += q * df
        out["qaly"] += q * w[t]
        out["life_years_pv"] += sum(mt[:3]) * df
        out["life_years"] += sum(mt[:3]) * w[t]
    return out


def expected():
    names = {"Standard of care": "nulalternatief", "Strategy A": "A", "Strategy B": "B", "Strategy AB": "AB"}
    return {names[k]: run_full(*v) for k, v in STRATEGIES.items()}


PUBLISHED = {  # MDM 2023 tutorial, table "Total expected discounted QALYs and costs" (costs to $1, QALYs to 3 dp)
    "Standard of care": (151580, 20.711),
    "Strategy A": (284805, 21.499),
    "Strategy B": (259100, 22.184),
    "Strategy AB": (378875, 23.137),
}
PUBLISHED_CEA = {  # table-cea: incremental costs, QALYs, ICER (rounded to $1, 3 dp, $1)
    "Strategy B": (107521, 1.473, 72988),
    "Strategy AB": (119775, 0.952, 125764),
}

if __name__ == "__main__":
    import json
    import sys
    if "--json" in sys.argv:
        print(json.dumps(expected(), indent=2))
        raise SystemExit(0)
    res = {k: run(*v) for k, v in STRATEGIES.items()}
    ok = True
    for k, (c, q) in PUBLISHED.items():
        rc, rq = round(res[k]["cost"]), round(res[k]["qaly"], 3)
        match = rc == c and abs(rq - q) < 1e-9
        ok &= match
        print(f"{k:17s} published ${c:,} {q:.3f}  reference {res[k]['cost']:.4f} {res[k]['qaly']:.6f} {'OK' if match else 'DIFF'}")
    prev = "Standard of care"
    for k, (dc, dq, icer) in PUBLISHED_CEA.items():
        gc = res[k]["cost"] - res[prev]["cost"]
        gq = res[k]["qaly"] - res[prev]["qaly"]
        match = round(gc) == dc and round(gq, 3) == dq and round(gc / gq) == icer
        ok &= match
        print(f"{k:17s} vs {prev}: published {dc} {dq} {icer}  reference {gc:.4f} {gq:.6f} {gc / gq:.4f} {'OK' if match else 'DIFF'}")
        prev = k
    print("trace SoC (3 dp):")
    for t in range(6):
        print(t, [f"{x:.3f}" for x in res["Standard of care"]["trace"][t]])
    for meth in ("half-cycle", "none"):
        print(meth, {k: (round(run(*v, method=meth)["cost"], 2), round(run(*v, method=meth)["qaly"], 4)) for k, v in STRATEGIES.items()})
    raise SystemExit(0 if ok else 1)
