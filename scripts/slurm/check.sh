#!/usr/bin/env bash
# Real test of the Slurm path: on a single-node cluster started here, a 3-task
# job array of the benchmark, merged, must give the same cells and metrics as
# the unsharded run. Runs where Debian packages can be installed as root
# (CI on this machine kind); elsewhere it says it was skipped and why.
# Prints "slurm check: passed", "slurm check: failed" or "slurm check: skipped (...)".
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
skip() {
  echo "slurm check: skipped ($1)"
  exit 0
}
[ "$(id -u)" -eq 0 ] || skip "not root: cannot install Debian packages or start slurmctld"
command -v apt-get >/dev/null || skip "no apt-get: not a Debian machine"
export PATH="$root/.tools/node_modules/.bin:$PATH"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "== apt-get install slurm-wlm munge"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) \
    >/tmp/recbench-slurm-apt.log 2>&1 || skip "apt-get install slurm-wlm munge failed (see /tmp/recbench-slurm-apt.log)"
fi
export RECBENCH_SLURM_DIR=${RECBENCH_SLURM_DIR:-$(mktemp -d /tmp/recbench-slurm.XXXXXX)}
work=$(mktemp -d /tmp/recbench-slurm-check.XXXXXX)
fail() {
  echo "slurm check: failed ($1)"
  for f in "$work"/logs/*.out "$RECBENCH_SLURM_DIR"/slurmctld.log "$RECBENCH_SLURM_DIR"/slurmd.log; do
    [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
  done
  exit 1
}
trap 'scripts/slurm/cluster.sh stop >/dev/null 2>&1 || true' EXIT
scripts/slurm/cluster.sh start || fail "the cluster did not start"
eval "$(scripts/slurm/cluster.sh env)"
grid=(--models mostpop,itemknn --seeds 1,2 --protocol sequential,cf)

echo "== unsharded run"
deno task bench --quiet "${grid[@]}" --out "$work/whole" >/dev/null || fail "the unsharded run failed"

echo "== sbatch --array=1-3 --wait"
mkdir -p "$work/logs"
t0=$(date +%s)
sbatch --wait --array=1-3 --output="$work/logs/%A_%a.out" \
  scripts/slurm/bench_array.sbatch "${grid[@]}" --out "$work/grid" || fail "the job array failed"
echo "job array finished in $(($(date +%s) - t0)) s"
ls "$work/grid"

echo "== merge and compare"
deno task report --merge "$work/merged" "$work"/grid/shard-*-of-3 || fail "the merge failed"
deno run --allow-read scripts/compare_results.ts "$work/whole/results.json" "$work/merged/results.json" \
  || fail "merged metrics differ from the unsharded run"
rm -rf "$work"
echo "slurm check: passed"
