#!/usr/bin/env bash
# End-to-end test of the Slurm scale-out on a real single-node cluster on this machine:
#   1. start the cluster (start-cluster.sh: installs the Debian packages if missing,
#      munged, slurmctld, slurmd; waits for an idle node);
#   2. build the release binary;
#   3. submit the W-city workload (scenarios/nijmegen.toml, cohort mode) as a 4-task job
#      array plus the dependent merge job through sbatch (submit.sh);
#   4. poll squeue until both are done, then require JobState=COMPLETED for every array
#      task and the merge (from scontrol: there is no accounting database, so no sacct);
#   5. run the same scenario, seed and draws as one process and compare the merged
#      outputs byte for byte (manifest.json without its timing fields);
#   5b. the same for a small Sobol design (sobol-array.sbatch + sobol-merge.sbatch against
#      one `wijkimpact sobol` process: sobol.csv byte for byte);
#   6. stop the cluster and print `slurm: 1 passed, 0 failed` (or `0 passed, 1 failed`,
#      exit 1).
# Needs root (it starts the daemons). Takes about three minutes (the merge job and the
# single run each compute the sensitivity analysis); on a failure the work
# directory is kept and the job and daemon logs are printed.
# Environment: CI_SLURM_DRAWS (default 42: 10-11 draws per shard), CI_SLURM_SEED (7),
# CI_SLURM_TIMEOUT (seconds to wait for the jobs, default 480), CI_SLURM_KEEP_CLUSTER=1
# (leave the cluster running afterwards).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/common.sh"
DRAWS=${CI_SLURM_DRAWS:-42}
SEED=${CI_SLURM_SEED:-7}
NSHARDS=4
TIMEOUT=${CI_SLURM_TIMEOUT:-480}
t0=$SECONDS
work=
array_id=
merge_id=

say() { echo "slurm-ci: $*"; }

dump_logs() {
    [ -n "$work" ] && for f in "$work"/logs/*.out; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }
    done
    for f in slurmctld.log slurmd.log jobcomp.log; do
        [ -s "$SLURM_LOGDIR/$f" ] && { echo "--- last lines of $SLURM_LOGDIR/$f"; tail -n 30 "$SLURM_LOGDIR/$f"; }
    done
    return 0
}

finish() {
    local status=$1
    if [ -n "$array_id$merge_id" ] && [ "$status" != 0 ]; then
        scancel ${array_id:+"$array_id"} ${merge_id:+"$merge_id"} 2>/dev/null || true
    fi
    if [ "${CI_SLURM_KEEP_CLUSTER:-0}" != 1 ]; then
        bash "$here/stop-cluster.sh" || true
    fi
    if [ "$status" = 0 ]; then
        [ -n "$work" ] && rm -rf "$work"
        say "passed in $((SECONDS - t0)) s"
        echo "slurm: 1 passed, 0 failed"
    else
        [ -n "$work" ] && say "work directory kept: $work"
        say "failed after $((SECONDS - t0)) s"
        echo "slurm: 0 passed, 1 failed"
    fi
}
fail() {
    echo "slurm-ci: FAILED: $*" >&2
    dump_logs >&2
    trap - EXIT
    finish 1
    exit 1
}
trap 'status=$?; trap - EXIT; if [ $status -ne 0 ]; then echo "slurm-ci: FAILED: a command failed (exit $status)" >&2; dump_logs >&2; fi; finish $status; exit $status' EXIT

[ "$(id -u)" = 0 ] || fail "must run as root (it starts munged, slurmctld and slurmd)"

# 1. cluster
bash "$here/start-cluster.sh" || fail "the cluster did not start"

# 2. binary
say "cargo build --release"
(cd "$repo" && cargo build --release --quiet) || fail "cargo build --release failed"
[ -x "$repo/target/release/wijkimpact" ] || fail "no binary at $repo/target/release/wijkimpact"

# The test runs on copies of the binary and of scenarios/, so a rebuild or an edit in
# the checkout while the test runs cannot make the shards and the single run differ.
work=$(mktemp -d "${TMPDIR:-/tmp}/wijkimpact-slurm-ci.XXXXXX")
chmod 755 "$work"
mkdir "$work/bin"
cp "$repo/target/release/wijkimpact" "$work/bin/wijkimpact"
bin=$work/bin/wijkimpact
cp -r "$repo/scenarios" "$work/scenarios"
cd "$work"

# 3. job array + dependent merge
say "submitting $NSHARDS shards of scenarios/nijmegen.toml ($DRAWS draws, seed $SEED) and the merge"
t_submit=$SECONDS
submit_out=$(WIJKIMPACT=$bin SHARDS=shards LOGDIR=logs \
    bash "$here/submit.sh" scenarios/nijmegen.toml "$DRAWS" "$SEED" "$NSHARDS" merged) \
    || fail "submit.sh failed: $submit_out"
echo "$submit_out"
array_id=$(sed -nE 's/^array job ([0-9]+).*/\1/p' <<<"$submit_out")
merge_id=$(sed -nE 's/^merge job ([0-9]+).*/\1/p' <<<"$submit_out")
[ -n "$array_id" ] && [ -n "$merge_id" ] || fail "no job ids in the output of submit.sh"

# 4. poll squeue (sbatch --wait polls slowly) until neither job is pending or running.
while :; do
    if ! queued=$(squeue -h -j "$array_id,$merge_id" -o '%i %T' 2>&1); then
        fail "squeue failed: $queued"
    fi
    [ -z "$queued" ] && break
    if [ $((SECONDS - t_submit)) -ge "$TIMEOUT" ]; then
        echo "slurm-ci: still queued after ${TIMEOUT}s:" >&2
        echo "$queued" >&2
        fail "the jobs did not finish within ${TIMEOUT}s"
    fi
    sleep 1
done
say "jobs finished $((SECONDS - t_submit)) s after submission"

# Every array task and the merge must have COMPLETED (exit code 0).
job_states() {   # job_states ID: one "JobId=… [ArrayTaskId=…] JobState=… ExitCode=…" line per record
    scontrol -o show job "$1" 2>/dev/null | awk '{
        line = ""
        for (i = 1; i <= NF; i++)
            if ($i ~ /^(JobId|ArrayTaskId|JobState|ExitCode)=/) line = line (line == "" ? "" : " ") $i
        print line
    }'
}
array_states=$(job_states "$array_id")
merge_states=$(job_states "$merge_id")
echo "$array_states" | sed 's/^/  array: /'
echo "$merge_states" | sed 's/^/  merge: /'
n_done=$(grep -c 'JobState=COMPLETED ExitCode=0:0' <<<"$array_states" || true)
[ "$n_done" = "$NSHARDS" ] || fail "$n_done of $NSHARDS array tasks COMPLETED"
grep -q 'JobState=COMPLETED ExitCode=0:0' <<<"$merge_states" || fail "the merge job did not complete"
[ -f merged/summary.json ] || fail "merge job completed but merged/summary.json is missing"

# 5. the same run in one process
say "single run for comparison"
"$bin" run scenarios/nijmegen.toml --draws "$DRAWS" --seed "$SEED" --out single >/dev/null \
    || fail "the single run failed"

# manifest.json without the fields that differ between runs (timing, threads, command
# line); trailing commas dropped so removing a last member cannot matter.
manifest_core() {
    awk '
        skip && /^    \]/ { skip = 0; next }
        skip { next }
        /^  "command_line": \[/ { if ($0 !~ /\]/) skip = 1; next }
        /^  "(started_at|wall_time_seconds|draws_per_second|work_units_per_second|peak_memory_bytes|threads)":/ { next }
        { sub(/,$/, ""); print }
    ' "$1"
}
# Make sure the filter understands the manifest (a top-level "command_line" array with
# indented members), so a format change cannot make the comparison vacuous.
grep -q '^  "command_line": \[' single/manifest.json || fail "unexpected manifest.json layout (command_line)"
bad=0
files_single=$(cd single && ls | sort)
files_merged=$(cd merged && ls | sort)
if [ "$files_single" != "$files_merged" ]; then
    echo "slurm-ci: different files: single: $(echo $files_single) / merged: $(echo $files_merged)" >&2
    bad=1
fi
for f in draws.parquet parameters.parquet yearly.parquet summary.json summary.csv arms.csv incremental.csv acceptability.csv evppi.csv sensitivity.csv assumptions.json; do
    if cmp -s "single/$f" "merged/$f"; then
        say "  $f identical ($(wc -c <"single/$f") bytes)"
    else
        echo "slurm-ci: $f differs:" >&2
        cmp "single/$f" "merged/$f" >&2 || true
        diff "single/$f" "merged/$f" | head -n 10 >&2 || true
        bad=1
    fi
done
if diff <(manifest_core single/manifest.json) <(manifest_core merged/manifest.json) >/dev/null; then
    say "  manifest.json identical apart from timing fields"
else
    echo "slurm-ci: manifest.json differs beyond timing fields:" >&2
    diff <(manifest_core single/manifest.json) <(manifest_core merged/manifest.json) | head -n 20 >&2 || true
    bad=1
fi
[ "$bad" = 0 ] || fail "the merged outputs differ from the single run"

# 5b. the Sobol design as a job array + dependent merge, against one process
SOBOL_BASE=${CI_SLURM_SOBOL_BASE:-4}
say "submitting $NSHARDS Sobol shards of scenarios/nijmegen.toml (base samples $SOBOL_BASE) and the merge"
t_submit=$SECONDS
mkdir -p logs
sobol_array=$(sbatch --parsable --array=0-$((NSHARDS - 1)) --output="logs/sobol-%A_%a.out" \
    --export=ALL,WIJKIMPACT="$bin",SCENARIO=scenarios/nijmegen.toml,BASE="$SOBOL_BASE",SEED="$SEED",SHARDS=sobol-shards,NSHARDS="$NSHARDS" \
    "$repo/scripts/slurm/sobol-array.sbatch") || fail "sbatch of the Sobol array failed"
sobol_merge=$(sbatch --parsable --dependency=afterok:"$sobol_array" --kill-on-invalid-dep=yes --output="logs/sobol-merge-%j.out" \
    --export=ALL,WIJKIMPACT="$bin",SCENARIO=scenarios/nijmegen.toml,BASE="$SOBOL_BASE",SEED="$SEED",SHARDS=sobol-shards,NSHARDS="$NSHARDS",OUT=sobol-merged \
    "$repo/scripts/slurm/sobol-merge.sbatch") || fail "sbatch of the Sobol merge failed"
array_id=$sobol_array
merge_id=$sobol_merge
while [ -n "$(squeue -h -j "$sobol_array,$sobol_merge" -o '%i' 2>/dev/null)" ]; do
    [ $((SECONDS - t_submit)) -ge "$TIMEOUT" ] && fail "the Sobol jobs did not finish within ${TIMEOUT}s"
    sleep 1
done
n_done=$(job_states "$sobol_array" | grep -c 'JobState=COMPLETED ExitCode=0:0' || true)
[ "$n_done" = "$NSHARDS" ] || fail "$n_done of $NSHARDS Sobol array tasks COMPLETED"
job_states "$sobol_merge" | grep -q 'JobState=COMPLETED ExitCode=0:0' || fail "the Sobol merge job did not complete"
"$bin" sobol scenarios/nijmegen.toml --base-samples "$SOBOL_BASE" --seed "$SEED" --out sobol-single --quiet \
    || fail "the single Sobol run failed"
if cmp -s sobol-single/sobol.csv sobol-merged/sobol.csv; then
    say "  sobol.csv identical ($(wc -c <sobol-single/sobol.csv) bytes)"
else
    diff sobol-single/sobol.csv sobol-merged/sobol.csv | head -n 10 >&2 || true
    fail "the merged Sobol indices differ from the single run"
fi

# 6. done (the EXIT trap stops the cluster and prints the closing line)
trap - EXIT
finish 0
