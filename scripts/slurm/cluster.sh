#!/usr/bin/env bash
# Starts or stops a single-node Slurm cluster on this machine, for testing the
# job-array path of the benchmark (scripts/slurm/check.sh). Needs root and
# Debian's slurm-wlm and munge packages (`install` puts them there).
#
#   scripts/slurm/cluster.sh install   # apt-get install slurm-wlm munge
#   scripts/slurm/cluster.sh start     # munged (as user munge), slurmctld, slurmd
#   scripts/slurm/cluster.sh stop      # stops the three daemons started by `start`
#   scripts/slurm/cluster.sh env       # prints `export SLURM_CONF=...` for sbatch/squeue
#
# Everything lives under $RECBENCH_SLURM_DIR (default /tmp/recbench-slurm): the
# generated slurm.conf, state, logs and pid files; /etc/slurm is not touched.
set -euo pipefail
dir=${RECBENCH_SLURM_DIR:-/tmp/recbench-slurm}
conf="$dir/slurm.conf"

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "cluster.sh: must run as root (munged, slurmctld and slurmd are system daemons)" >&2
    exit 1
  fi
}

write_conf() {
  local node
  # slurmd -C prints this machine's NodeName line (CPUs, cores, memory).
  node=$(slurmd -C | head -n 1)
  local host=${node#NodeName=}
  host=${host%% *}
  mkdir -p "$dir/ctld" "$dir/d" "$dir/logs"
  cat >"$conf" <<CONF
ClusterName=recbench
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  need_root
  for bin in munged slurmctld slurmd sbatch; do
    command -v "$bin" >/dev/null || { echo "cluster.sh: $bin not found (run: $0 install)" >&2; exit 1; }
  done
  write_conf
  # munge: key, runtime dir, daemon as user munge.
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key && chmod 600 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  if ! pgrep -u munge -x munged >/dev/null; then
    runuser -u munge -- munged --pid-file=/run/munge/munged.pid
    echo "started munged"
  fi
  munge -n | unmunge >/dev/null
  slurmctld -f "$conf"
  slurmd -f "$conf"
  export SLURM_CONF="$conf"
  for _ in $(seq 1 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "slurm cluster up: $(sinfo -h -o '%P %D %T %C')"
      echo "export SLURM_CONF=$conf"
      return 0
    fi
    sleep 0.5
  done
  echo "cluster.sh: the node did not come up; logs in $dir" >&2
  tail -n 20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  exit 1
}

stop_pidfile() {
  local name=$1 file=$2
  if [ -s "$file" ]; then
    local pid
    pid=$(cat "$file")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      echo "stopped $name ($pid)"
    fi
    rm -f "$file"
  fi
}

stop() {
  need_root
  stop_pidfile slurmd "$dir/slurmd.pid"
  stop_pidfile slurmctld "$dir/slurmctld.pid"
  stop_pidfile munged /run/munge/munged.pid
}

case "${1:-}" in
  install)
    need_root
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
    ;;
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *)
    echo "Usage: $0 install|start|stop|env" >&2
    exit 2
    ;;
esac
