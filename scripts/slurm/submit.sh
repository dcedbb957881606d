#!/usr/bin/env bash
# Submit a big wijkimpact run to Slurm: a job array of NSHARDS tasks, each running one
# shard, and a merge job that starts when all of them succeeded.
#
#   scripts/slurm/submit.sh SCENARIO DRAWS SEED NSHARDS OUT
#   scripts/slurm/submit.sh scenarios/nijmegen.toml 100000 7 50 results/nijmegen-100k
#
# Run it from the directory holding the scenario files' paths (usually the checkout):
# every job runs there. Shard directories go to $OUT.shards/0 … (or $SHARDS), job logs
# to $OUT.logs/ (or $LOGDIR). Prints the array and merge job ids; the results appear in
# OUT when the merge job has finished (`squeue -u $USER`, then look at OUT/summary.json).
# If a shard fails, the merge job is cancelled (--kill-on-invalid-dep): resubmit only the
# failed tasks with the same variables (see the README) and then the merge by hand.
#
# Environment (optional):
#   WIJKIMPACT      the binary (default: target/release/wijkimpact if built here,
#                   else `wijkimpact` on PATH); it must be reachable from the nodes
#   SHARDS, LOGDIR  as above
#   SBATCH_ARGS     extra sbatch options for both jobs, e.g. "--partition=normal --account=x"
#   ARRAY_ARGS      extra sbatch options for the array tasks, e.g. "--cpus-per-task=4"
#   ARRAY_LIMIT     maximum number of tasks running at once (default: no limit)
#   MERGE_ARGS      extra sbatch options for the merge job, e.g. "--mem=16G"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() { echo "usage: $0 SCENARIO DRAWS SEED NSHARDS OUT" >&2; exit 2; }
[ $# -eq 5 ] || usage
SCENARIO=$1 DRAWS=$2 SEED=$3 NSHARDS=$4 OUT=$5
[[ "$DRAWS" =~ ^[0-9]+$ && "$DRAWS" -ge 1 ]] || { echo "submit.sh: DRAWS must be a positive integer" >&2; exit 2; }
[[ "$SEED" =~ ^[0-9]+$ ]] || { echo "submit.sh: SEED must be a non-negative integer" >&2; exit 2; }
[[ "$NSHARDS" =~ ^[0-9]+$ && "$NSHARDS" -ge 1 ]] || { echo "submit.sh: NSHARDS must be a positive integer" >&2; exit 2; }
[ "$NSHARDS" -le "$DRAWS" ] || { echo "submit.sh: NSHARDS ($NSHARDS) must not exceed DRAWS ($DRAWS)" >&2; exit 2; }
[ -f "$SCENARIO" ] || { echo "submit.sh: scenario file not found: $SCENARIO (run from the directory it is relative to)" >&2; exit 2; }
SHARDS=${SHARDS:-$OUT.shards}
LOGDIR=${LOGDIR:-$OUT.logs}
if [ -z "${WIJKIMPACT:-}" ]; then
    if [ -x target/release/wijkimpact ]; then WIJKIMPACT=$PWD/target/release/wijkimpact
    else WIJKIMPACT=$(command -v wijkimpact) || { echo "submit.sh: no wijkimpact binary (build it or set WIJKIMPACT)" >&2; exit 2; }
    fi
fi
# Refuse before queueing hours of work whose merge would fail at the end.
for d in "$OUT" "$SHARDS"; do
    if [ -d "$d" ] && [ -n "$(ls -A "$d")" ]; then
        echo "submit.sh: $d exists and is not empty: choose another OUT or remove it" >&2; exit 2
    fi
done
"$WIJKIMPACT" check "$SCENARIO" >/dev/null || { echo "submit.sh: $SCENARIO does not pass 'wijkimpact check'" >&2; exit 2; }
mkdir -p "$SHARDS" "$LOGDIR"   # sbatch does not create the directory of --output

export SCENARIO DRAWS SEED NSHARDS SHARDS OUT WIJKIMPACT
# shellcheck disable=SC2086  # the *_ARGS are word lists on purpose
array_id=$(sbatch --parsable --export=ALL --chdir="$PWD" \
    --array="0-$((NSHARDS - 1))${ARRAY_LIMIT:+%$ARRAY_LIMIT}" \
    --output="$LOGDIR/shard-%A_%a.out" ${SBATCH_ARGS:-} ${ARRAY_ARGS:-} \
    "$here/wijkimpact-array.sbatch")
array_id=${array_id%%;*}   # --parsable prints "id" or "id;cluster"
# shellcheck disable=SC2086
merge_id=$(sbatch --parsable --export=ALL --chdir="$PWD" \
    --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
    --output="$LOGDIR/merge-%j.out" ${SBATCH_ARGS:-} ${MERGE_ARGS:-} \
    "$here/wijkimpact-merge.sbatch")
merge_id=${merge_id%%;*}
echo "array job $array_id ($NSHARDS shards of $SCENARIO, $DRAWS draws, seed $SEED) -> $SHARDS"
echo "merge job $merge_id (after array job $array_id) -> $OUT"
echo "logs in $LOGDIR; watch with: squeue -j $array_id,$merge_id"
