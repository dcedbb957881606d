#!/usr/bin/env bash
# Stop the single-node test cluster of start-cluster.sh by its pid files:
# slurmd, slurmctld, then munged (unless --keep-munge). Safe to re-run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
keep_munge=0
[ "${1:-}" = --keep-munge ] && keep_munge=1

# stop NAME PIDFILE: SIGTERM, wait up to 15 s, then SIGKILL.
stop() {
    local name=$1 pidfile=$2 pid
    if ! pid_alive "$pidfile"; then
        rm -f "$pidfile"
        echo "stop-cluster: $name not running"
        return 0
    fi
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "stop-cluster: $name (pid $pid) ignored SIGTERM, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    echo "stop-cluster: $name (pid $pid) stopped"
}

stop slurmd "$SLURM_STATE/slurmd.pid"
stop slurmctld "$SLURM_STATE/slurmctld.pid"
[ "$keep_munge" = 1 ] || stop munged "$MUNGE_PIDFILE"
