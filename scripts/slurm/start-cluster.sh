#!/usr/bin/env bash
# Start a real single-node Slurm cluster on this machine, without systemd:
# munged (as the munge user), slurmctld and slurmd in the background with pid files,
# a slurm.conf generated from `slurmd -C`. Waits until the node is idle.
#
#   sudo bash scripts/slurm/start-cluster.sh      # then: sinfo, sbatch, squeue …
#   sudo bash scripts/slurm/stop-cluster.sh
#
# Meant for tests and trying the sbatch templates (Debian 12, Slurm 22.05), not for
# production. Safe to re-run: daemons already running are left alone. Needs root.
# Environment:
#   WIJKIMPACT_SLURM_DIR    state, spool, logs, pid files, slurm.conf
#                           (default /var/tmp/wijkimpact-slurm)
#   WIJKIMPACT_SLURM_WAIT   seconds to wait for the node to become idle (default 60)
#   WIJKIMPACT_SLURM_NO_INSTALL=1   fail instead of apt-get installing missing packages
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
WAIT=${WIJKIMPACT_SLURM_WAIT:-60}

die() { echo "start-cluster: $*" >&2; exit 1; }
log() { echo "start-cluster: $*"; }

[ "$(id -u)" = 0 ] || die "must run as root (it starts munged as the munge user and slurmd as root)"

# --- 1. packages --------------------------------------------------------------------
missing=()
for cmd in munged munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol; do
    command -v "$cmd" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
export PATH=$PATH:/usr/sbin:/sbin
if [ ${#missing[@]} -gt 0 ]; then
    [ "${WIJKIMPACT_SLURM_NO_INSTALL:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1 \
        || die "missing commands: ${missing[*]} (install Debian's slurmctld slurmd slurm-client munge)"
    log "installing slurmctld slurmd slurm-client munge (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    pkgs=(slurmctld slurmd slurm-client munge)
    if ! apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1; then
        apt-get update -qq >/dev/null || die "apt-get update failed"
        apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null \
            || die "apt-get install ${pkgs[*]} failed"
    fi
fi

mkdir -p "$SLURM_STATE/ctld" "$SLURM_STATE/spool" "$SLURM_LOGDIR"
chmod 755 "$SLURM_STATE"

# --- 2. munge -----------------------------------------------------------------------
if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --keyfile=/etc/munge/munge.key
    else
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
fi
# munged refuses keys and dirs that others could read or write.
mkdir -p "$MUNGE_RUN" /var/lib/munge /var/log/munge
chown munge:munge /etc/munge /etc/munge/munge.key "$MUNGE_RUN" /var/lib/munge /var/log/munge
chmod 700 /etc/munge /var/log/munge
chmod 400 /etc/munge/munge.key
chmod 755 "$MUNGE_RUN"
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "munged already running"
else
    rm -f "$MUNGE_RUN/munge.socket.2" "$MUNGE_RUN/munge.socket.2.lock" "$MUNGE_PIDFILE"
    runuser -u munge -- munged --pid-file="$MUNGE_PIDFILE" </dev/null \
        || die "munged failed to start (see /var/log/munge/munged.log)"
    for _ in $(seq 50); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.1
    done
    munge -n | unmunge >/dev/null || die "munge does not work (see /var/log/munge/munged.log)"
    log "munged started (pid $(cat "$MUNGE_PIDFILE"))"
fi

# --- 3. slurm.conf --------------------------------------------------------------------
# The node line comes from `slurmd -C` (what slurmd will detect), with RealMemory lowered:
# a node configured with more memory than it reports is drained.
node_line=$(slurmd -C | grep '^NodeName=' | head -1)
[ -n "$node_line" ] || die "slurmd -C printed no NodeName line"
node=$(sed -E 's/^NodeName=([^ ]+).*/\1/' <<<"$node_line")
cpus=$(grep -oE '(^| )CPUs=[0-9]+' <<<"$node_line" | cut -d= -f2)
mem=$(grep -oE 'RealMemory=[0-9]+' <<<"$node_line" | cut -d= -f2)
headroom=$(( mem / 10 > 512 ? mem / 10 : 512 ))
real_mem=$(( mem - headroom ))
[ "$real_mem" -gt 256 ] || die "too little memory for a test node (RealMemory=$mem MB)"
# Without DefMemPerCPU a job gets the whole node's memory and jobs run one at a time.
def_mem=$(( real_mem / cpus )); [ "$def_mem" -le 2048 ] || def_mem=2048
node_line=$(sed -E "s/RealMemory=[0-9]+/RealMemory=$real_mem/; s/ *UpTime=.*//" <<<"$node_line")

conf_tmp=$(mktemp "$SLURM_STATE/slurm.conf.XXXXXX")
cat >"$conf_tmp" <<CONF
$SLURM_CONF_MARKER
# Single-node test cluster: $cpus CPUs, ${real_mem} MB of ${mem} MB (headroom ${headroom} MB).
ClusterName=wijkimpact
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$SLURM_STATE/ctld
SlurmdSpoolDir=$SLURM_STATE/spool
SlurmctldPidFile=$SLURM_STATE/slurmctld.pid
SlurmdPidFile=$SLURM_STATE/slurmd.pid
SlurmctldLogFile=$SLURM_LOGDIR/slurmctld.log
SlurmdLogFile=$SLURM_LOGDIR/slurmd.log
# No cgroups in a container without an init system.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd, so no sacct: finished jobs stay visible to scontrol for MinJobAge
# seconds and every finished job gets a line in the job completion log.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$SLURM_LOGDIR/jobcomp.log
MinJobAge=3600
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
# Without this, each wave of array tasks waits ~3 s before starting.
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=$def_mem
SlurmctldTimeout=30
SlurmdTimeout=60
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
if [ -f "$SLURM_CONF" ] && cmp -s "$conf_tmp" "$SLURM_CONF"; then
    rm -f "$conf_tmp"
else
    mv "$conf_tmp" "$SLURM_CONF"
    chmod 644 "$SLURM_CONF"
    if pid_alive "$SLURM_STATE/slurmctld.pid" || pid_alive "$SLURM_STATE/slurmd.pid"; then
        log "slurm.conf changed: restarting the daemons"
        bash "$here/stop-cluster.sh" --keep-munge
    fi
fi
# Let plain `sbatch`/`squeue` (without SLURM_CONF) find the config, unless the machine
# already has a slurm.conf of its own.
mkdir -p /etc/slurm
if [ ! -e /etc/slurm/slurm.conf ] || { [ -L /etc/slurm/slurm.conf ] && grep -qF "$SLURM_CONF_MARKER" /etc/slurm/slurm.conf 2>/dev/null; } \
        || [ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$SLURM_CONF" ]; then
    ln -sfn "$SLURM_CONF" /etc/slurm/slurm.conf
fi

# --- 4. daemons -----------------------------------------------------------------------
if pid_alive "$SLURM_STATE/slurmctld.pid"; then
    log "slurmctld already running (pid $(cat "$SLURM_STATE/slurmctld.pid"))"
else
    # -c: start from a clean state (no jobs or node states from an earlier session).
    slurmctld -c -f "$SLURM_CONF" </dev/null >>"$SLURM_LOGDIR/slurmctld.stdout" 2>&1 \
        || die "slurmctld failed to start; log: $SLURM_LOGDIR/slurmctld.log"
    log "slurmctld started"
fi
if pid_alive "$SLURM_STATE/slurmd.pid"; then
    log "slurmd already running (pid $(cat "$SLURM_STATE/slurmd.pid"))"
else
    slurmd -f "$SLURM_CONF" -N "$node" </dev/null >>"$SLURM_LOGDIR/slurmd.stdout" 2>&1 \
        || die "slurmd failed to start; log: $SLURM_LOGDIR/slurmd.log"
    log "slurmd started"
fi

# --- 5. wait for an idle node ----------------------------------------------------------
start=$SECONDS
state=
while :; do
    state=$(sinfo -h -N -n "$node" -o %t 2>/dev/null | head -1 || true)
    case "$state" in
        idle|mix|alloc) break ;;
    esac
    if [ $((SECONDS - start)) -ge "$WAIT" ]; then
        echo "start-cluster: node $node not idle after ${WAIT}s (state: '${state:-no answer from slurmctld}')" >&2
        sinfo -R 2>&1 | sed 's/^/  sinfo -R: /' >&2 || true
        for f in slurmctld.log slurmd.log slurmctld.stdout slurmd.stdout; do
            [ -s "$SLURM_LOGDIR/$f" ] && { echo "--- last lines of $SLURM_LOGDIR/$f" >&2; tail -n 25 "$SLURM_LOGDIR/$f" >&2; }
        done
        exit 1
    fi
    sleep 0.5
done
log "node $node is $state ($cpus CPUs, RealMemory=$real_mem MB, DefMemPerCPU=$def_mem MB) after $((SECONDS - start)) s"
log "SLURM_CONF=$SLURM_CONF"
