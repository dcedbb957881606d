#!/usr/bin/env bash
# Byte-for-byte output check for refactorings: every output of the bundled examples,
# written by one binary, compared with the same written by another.
#
#   scripts/golden.sh write BIN DIR     # run every bundled example with BIN into DIR
#   scripts/golden.sh compare DIR_A DIR_B
#
# `write` covers every command that writes files or messages: `run` of each standalone
# scenario in both modes (with the report in Dutch and English), `check` of each scenario
# and of the broken fixtures (its messages), `claim` of the fund's example applications,
# `monitor` of the monitoring example, and `merge` of a run split in shards. Draw counts
# are small: the point is identical bytes, not precise numbers.
#
# `compare` byte-compares every file of the two trees. manifest.json, and the lines of the
# report that quote it, carry the run's clock, the machine and the output path; those
# fields are masked before comparing (see `normalise` below), all else must be equal.
set -euo pipefail
cd "$(dirname "$0")/.."

normalise() {
    # $1 the tree's root, $2 the file. The run's clock and memory, the machine's thread
    # count and the paths of the binary and the tree are masked; all else is kept.
    python3 - "$1" "$2" <<'PY'
import json, re, sys
root, path = sys.argv[1], sys.argv[2]
VOLATILE = {"started_at", "wall_time_seconds", "draws_per_second", "work_units_per_second",
            "peak_memory_bytes", "threads", "command_line"}
text = open(path, encoding="utf-8", errors="replace").read()
if path.endswith(".json"):
    def strip(v):
        if isinstance(v, dict):
            return {k: ("X" if k in VOLATILE else strip(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v
    text = json.dumps(strip(json.loads(text)), indent=1, sort_keys=True)
text = text.replace(root, "ROOT")
text = re.sub(r"\S*wijkimpact-golden-bin\b", "BIN", text)
text = re.sub(r"\d{4}-\d{2}-\d{2}T[\d:]+Z", "TIME", text)
text = re.sub(r"\(\d+(\.\d+)? s\)", "(T s)", text)
for key in VOLATILE:
    text = re.sub(key + r"(</td><td>(<span[^>]*>)?)[^<]*", key + r"\1X", text)
sys.stdout.write(text)
PY
}

write() {
    local bin out
    mkdir -p "$2"
    out=$(realpath "$2")
    # One name for every binary, so that command lines quoted in the outputs compare.
    bin=$out.wijkimpact-golden-bin
    cp "$1" "$bin"
    local n d
    for f in scenarios/*.toml scenarios/*/*.toml; do
        n=$(echo "$f" | tr '/' '_' | sed 's/\.toml$//')
        "$bin" check "$f" >"$out/$n.check.out" 2>"$out/$n.check.err" || true
        grep -q '^start_year' "$f" || continue
        for mode in cohort stochastic; do
            d=24
            [ "$mode" = stochastic ] && d=4
            case "$f" in
            *nijmegen.toml | *ongelijk* | *wor-stad*) d=$([ "$mode" = stochastic ] && echo 2 || echo 6) ;;
            esac
            "$bin" run "$f" --draws "$d" --seed 11 --mode "$mode" --threads 2 \
                --out "$out/$n-$mode" --report >/dev/null 2>"$out/$n-$mode.err" || echo "exit $?" >>"$out/$n-$mode.err"
            "$bin" report "$out/$n-$mode" --lang en >/dev/null 2>>"$out/$n-$mode.err" || true
        done
    done
    for f in tests/fixtures/bad/*.toml; do
        n=bad_$(basename "$f" .toml)
        "$bin" check "$f" >"$out/$n.out" 2>"$out/$n.err" || echo "exit $?" >>"$out/$n.err"
    done
    for f in scenarios/fonds/*.toml tests/fixtures/fonds/*.toml; do
        n=claim_$(basename "$f" .toml)
        "$bin" claim "$f" --draws 200 --seed 3 --threads 2 --out "$out/$n" \
            >"$out/$n.out" 2>"$out/$n.err" || echo "exit $?" >>"$out/$n.err"
    done
    "$bin" monitor scenarios/noord-ouders.toml --scenario noord-ouders \
        --observed scenarios/monitoring/noord-ouders-2026-2028.csv --draws 200 --seed 7 \
        --threads 2 --out "$out/monitor" --report >"$out/monitor.out" 2>"$out/monitor.err" ||
        echo "exit $?" >>"$out/monitor.err"
    for i in 0 1 2; do
        "$bin" run scenarios/example-full.toml --draws 30 --seed 5 --shard "$i/3" \
            --out "$out/shard$i" >/dev/null 2>"$out/shard$i.err" || echo "exit $?" >>"$out/shard$i.err"
    done
    "$bin" merge "$out/shard0" "$out/shard1" "$out/shard2" --out "$out/merged" \
        >"$out/merge.out" 2>"$out/merge.err" || echo "exit $?" >>"$out/merge.err"
    echo "wrote $(find "$out" -type f | wc -l) files to $out"
}

compare() {
    local a b bad=0 rel
    a=$(realpath "$1")
    b=$(realpath "$2")
    while IFS= read -r rel; do
        if [ ! -f "$b/$rel" ]; then
            echo "only in A: $rel"
            bad=1
        elif ! cmp -s "$a/$rel" "$b/$rel" &&
            ! cmp -s <(normalise "$a" "$a/$rel") <(normalise "$b" "$b/$rel"); then
            echo "DIFF $rel"
            bad=1
        fi
    done < <(cd "$a" && find . -type f | sed 's#^\./##' | sort)
    while IFS= read -r rel; do
        [ -f "$a/$rel" ] || { echo "only in B: $rel"; bad=1; }
    done < <(cd "$b" && find . -type f | sed 's#^\./##' | sort)
    if [ "$bad" = 0 ]; then
        echo "identical: $(cd "$a" && find . -type f | wc -l) files"
    else
        return 1
    fi
}

case "${1:-}" in
write) write "$2" "$3" ;;
compare) compare "$2" "$3" ;;
*)
    echo "usage: $0 write BIN DIR | compare DIR_A DIR_B" >&2
    exit 2
    ;;
esac
