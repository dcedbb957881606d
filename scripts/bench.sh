#!/usr/bin/env bash
# Whole-process figures of the engine-speed goals, as a Markdown table: each
# workload is run REPS times (default 3); the table shows the goal, the median
# wall time and the largest peak memory (RSS), and the command behind it.
# Usage: scripts/bench.sh [REPS] > table.md
#
# WCITY_COHORT_DRAWS (default 10000) shrinks the longest workload; the row then
# names the draws it ran. The closed-cohort row also times the NumPy peer
# (scripts/peer/closed_cohort.py, `pip install numpy`) in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}
cargo build --release --quiet
bin=target/release/wijkimpact
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# measure LABEL GOAL -- COMMAND...: prints "median_seconds peak_MiB" into $out/last.
measure() {
    local times=() mem=0 line
    for ((i = 0; i < reps; i++)); do
        rm -rf "$out/run"
        /usr/bin/time -o "$out/time" -f "%e %M" "$@" >/dev/null 2>&1 || true
        line=$(tail -1 "$out/time")
        times+=("${line% *}")
        local m=${line#* }
        if ((m > mem)); then mem=$m; fi
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
    echo "$median $((mem / 1024))" >"$out/last"
}

row() { # label goal measured command
    printf '| %s | %s | %s | `%s` |\n' "$1" "$2" "$3" "$4"
}

echo "| workload (2 cores) | goal | measured (median of $reps) | command |"
echo "|---|---|---|---|"

draws=${WCITY_COHORT_DRAWS:-10000}
measure "$bin" run scenarios/nijmegen.toml --draws "$draws" --seed 7 --out "$out/run" --no-sensitivity
read -r t m <"$out/last"
row "W-city cohort, $draws draws" "≤ 20 s (10,000 draws)" "$t s, $m MiB" \
    "wijkimpact run scenarios/nijmegen.toml --draws $draws --seed 7 --no-sensitivity --out DIR"

measure "$bin" run scenarios/nijmegen.toml --draws 1000 --seed 7 --out "$out/run" --report
read -r t m <"$out/last"
row "README's first command (1,000 draws, sensitivity, report)" "≤ 30 s" "$t s, $m MiB" \
    "wijkimpact run scenarios/nijmegen.toml --draws 1000 --seed 7 --out DIR --report"

measure "$bin" run scenarios/nijmegen.toml --draws 1000 --seed 7 --mode stochastic --no-sensitivity --out "$out/run"
read -r t m <"$out/last"
row "W-city stochastic, 1,000 draws" "≤ 60 s" "$t s, $m MiB" \
    "wijkimpact run scenarios/nijmegen.toml --draws 1000 --seed 7 --mode stochastic --no-sensitivity --out DIR"

measure "$bin" run scenarios/bench/closed-cohort.toml --draws 10000 --seed 7 --out "$out/run"
read -r t m <"$out/last"
peer="n/a (numpy missing)"
if python3 -c "import numpy" 2>/dev/null; then
    measure python3 scripts/peer/closed_cohort.py 10000 7
    read -r pt _ <"$out/last"
    peer="$pt s"
fi
row "closed cohort, 10,000 draws, default outputs" "≤ 0.3 s and faster than NumPy" "$t s, $m MiB (NumPy peer: $peer)" \
    "wijkimpact run scenarios/bench/closed-cohort.toml --draws 10000 --seed 7 --out DIR; python3 scripts/peer/closed_cohort.py 10000 7"

measure "$bin" run scenarios/nijmegen.toml --draws 200 --seed 7 --threads 1 --no-sensitivity --out "$out/run"
read -r t1 _ <"$out/last"
measure "$bin" run scenarios/nijmegen.toml --draws 200 --seed 7 --threads 2 --no-sensitivity --out "$out/run"
read -r t2 _ <"$out/last"
row "speedup 1 → 2 threads, W-city 200 draws" "≥ 1.8×" "$(echo "scale=2; $t1 / $t2" | bc -l)× ($t1 s → $t2 s)" \
    "wijkimpact run scenarios/nijmegen.toml --draws 200 --seed 7 --threads 1|2 --no-sensitivity --out DIR"

measure "$bin" run scenarios/nijmegen.toml --draws 2 --seed 7 --out "$out/run"
read -r ts _ <"$out/last"
measure "$bin" run scenarios/nijmegen.toml --draws 2 --seed 7 --no-sensitivity --out "$out/run"
read -r tn _ <"$out/last"
row "one-way sensitivity, W-city" "≤ 5 s" "$(echo "scale=2; $ts - $tn" | bc -l) s ($ts s with, $tn s without)" \
    "wijkimpact run scenarios/nijmegen.toml --draws 2 --seed 7 [--no-sensitivity] --out DIR"

measure "$bin" run scenarios/nijmegen.toml --draws "$draws" --seed 7 --out "$out/run" --report
read -r t m <"$out/last"
row "peak memory, W-city $draws draws with sensitivity and report" "≤ 1 GiB" "$m MiB ($t s)" \
    "wijkimpact run scenarios/nijmegen.toml --draws $draws --seed 7 --out DIR --report"
