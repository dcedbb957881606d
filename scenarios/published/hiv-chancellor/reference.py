#!/usr/bin/env python3
"""Independent reference implementation of the Chancellor et al. (1997) HIV model
as in Briggs, Claxton & Sculpher, Decision Modelling for Health Economic Evaluation
(Oxford University Press, 2006), Example 2.5 / Exercise 2.5 (deterministic base case).

Conventions (those of the book's spreadsheet):
- 20 annual cycles; the cohort (1 person) starts in state A.
- Costs and life-years are counted on the state counts at the END of each cycle
  (after the transition), cycles 1..20; the start (cycle 0) is not counted.
- Costs discounted at 6 % with factor 1.06^-k for the count after k transitions
  (the first counted year is discounted); life-years not discounted.
- Combination therapy: RR 0.509 on every transition probability (off-diagonal),
  staying takes the complement, in the first two cycles only; lamivudine
  (GBP 2,086.50/yr) is paid in the first two cycles only (counted on the end-of-cycle
  counts of cycles 1 and 2).
Pure Python, no dependencies.
"""

COUNTS = [
    [1251, 350, 116, 17],
    [0, 731, 512, 15],
    [0, 0, 1312, 437],
    [0, 0, 0, 1],
]
STATES = ["A", "B", "C", "D"]
COST_HEALTH = [2756.0, 3052.0, 9007.0, 0.0]  # direct medical + community care, per year
COST_ZIDO = 2278.0
COST_LAMI = 2086.5
RR = 0.509
RR_YEARS = 2
HORIZON = 20
R_COSTS = 0.06


def base_matrix():
    return [[c / sum(row) for c in row] for row in COUNTS]


def comb_matrix(p):
    out = []
    for i, row in enumerate(p):
        new = [0.0] * 4
        for j in range(4):
            if j != i:
                new[j] = row[j] * RR
        new[i] = 1.0 - sum(new[j] for j in range(4) if j != i)
        out.append(new)
    return out


def step(n, p):
    return [sum(n[i] * p[i][j] for i in range(4)) for j in range(4)]


def run(strategy):
    p0 = base_matrix()
    pc = comb_matrix(p0)
    n = [1.0, 0.0, 0.0, 0.0]
    cost = 0.0
    ly = 0.0
    cost_undisc = 0.0
    trace = [n]
    for k in range(1, HORIZON + 1):  # k = cycle number (1-based), transition k
        p = pc if (strategy == "comb" and k <= RR_YEARS) else p0
        n = step(n, p)
        trace.append(n)
        drug = COST_ZIDO + (COST_LAMI if (strategy == "comb" and k <= RR_YEARS) else 0.0)
        c = sum(n[s] * (COST_HEALTH[s] + (drug if s < 3 else 0.0)) for s in range(4))
        cost += c / (1 + R_COSTS) ** k
        cost_undisc += c
        ly += n[0] + n[1] + n[2]
    return {"cost": cost, "ly": ly, "cost_undiscounted": cost_undisc, "trace": trace}


def expected():
    """Per person, per arm, in wijkimpact's terms (cycle_correction = "end",
    first_year_discounted = true): totals over 20 years."""
    out = {}
    for arm, name in (("nulalternatief", "mono"), ("comb", "comb")):
        r = run(name)
        lami = [COST_LAMI * sum(r["trace"][k][:3]) if name == "comb" else 0.0 for k in (1, 2)]
        out[arm] = {"costs_pv": r["cost"], "costs": r["cost_undiscounted"],
                    # lamivudine is the intervention's cost in wijkimpact; the rest is care
                    "intervention_costs_pv": sum(c / (1 + R_COSTS) ** k for k, c in zip((1, 2), lami)),
                    "intervention_costs": sum(lami),
                    "life_years": r["ly"], "life_years_pv": r["ly"]}
    return out


PUBLISHED = {  # DMHEE Example 2.5 spreadsheet, as pinned in heemod's tests/testthat/test_dmhee.R
    "cost_mono": 44663.4535637,
    "cost_comb": 50601.6513312,
    "ly_mono": 7.9912066,
    "ly_comb": 8.9373889,
    "icer": 6275.95560,
}

if __name__ == "__main__":
    import json
    import sys
    if "--json" in sys.argv:
        print(json.dumps(expected(), indent=2))
        raise SystemExit(0)
    mono, comb = run("mono"), run("comb")
    icer = (comb["cost"] - mono["cost"]) / (comb["ly"] - mono["ly"])
    got = {"cost_mono": mono["cost"], "cost_comb": comb["cost"], "ly_mono": mono["ly"],
           "ly_comb": comb["ly"], "icer": icer}
    ok = True
    for k, v in PUBLISHED.items():
        # published to 7 decimals (costs), 7 decimals (LY), 5 decimals (ICER)
        dec = 5 if k == "icer" else 7
        match = round(got[k], dec) == round(v, dec)
        ok &= match
        print(f"{k:10s} published {v:16.7f}  reference {got[k]:16.7f}  {'OK' if match else 'DIFF'}")
    print("undiscounted costs: mono %.4f comb %.4f" % (mono["cost_undiscounted"], comb["cost_undiscounted"]))
    for k in range(4):
        print("cycle", k, "mono", [round(x, 6) for x in mono["trace"][k]], "comb", [round(x, 6) for x in comb["trace"][k]])
    raise SystemExit(0 if ok else 1)
