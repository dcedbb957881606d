#!/usr/bin/env bash
# Whole-process figures: each workload is run REPS times (default 3) from the
# command line; the table shows the median wall time and the largest peak
# memory (RSS), as Markdown. Usage: scripts/bench.sh [REPS] > table.md
# WCITY_COHORT_DRAWS and WCITY_STOCHASTIC_DRAWS shrink the two long workloads.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}
cargo build --release --quiet
bin=target/release/wijkimpact
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() { # label, then the command's arguments
    local label=$1; shift
    local times=() mem=0
    for ((i = 0; i < reps; i++)); do
        rm -rf "$out/run"
        local line
        /usr/bin/time -o "$out/time" -f "%e %M" "$bin" "$@" >/dev/null 2>&1 || true
        line=$(tail -1 "$out/time")
        times+=("${line% *}")
        local m=${line#* }
        if ((m > mem)); then mem=$m; fi
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
    local args="$*"
    printf '| %s | `wijkimpact %s` | %s s | %.0f MiB |\n' "$label" "${args//$out\/run/DIR}" "$median" "$(echo "$mem / 1024" | bc -l)"
}

echo "| workload | command | median wall time ($reps runs) | peak memory |"
echo "|---|---|---|---|"
# Every scenario file that stands alone (fragments meant for `include` are skipped).
for f in scenarios/*.toml scenarios/*/*.toml; do
    grep -q "^start_year" "$f" || continue
    measure "check $f" check "$f"
done
# The performance issue's workloads. W-city = scenarios/nijmegen.toml (nine stadsdelen,
# ~187k people, 15 years, all chains, the nulalternatief and four scenarios).
draws_cohort=${WCITY_COHORT_DRAWS:-10000}
draws_stoch=${WCITY_STOCHASTIC_DRAWS:-1000}
measure "W-city, cohort, $draws_cohort draws" run scenarios/nijmegen.toml --draws "$draws_cohort" --seed 7 --out "$out/run"
measure "W-city, stochastic, $draws_stoch draws" run scenarios/nijmegen.toml --draws "$draws_stoch" --seed 7 --mode stochastic --out "$out/run"
measure "W-city, cohort, 200 draws, 1 thread" run scenarios/nijmegen.toml --draws 200 --seed 7 --threads 1 --out "$out/run"
measure "W-city, cohort, 200 draws, 2 threads" run scenarios/nijmegen.toml --draws 200 --seed 7 --threads 2 --out "$out/run"
measure "closed cohort, 10,000 draws" run scenarios/bench/closed-cohort.toml --draws 10000 --seed 7 --out "$out/run"
