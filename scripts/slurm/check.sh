#!/usr/bin/env bash
# Real test of the Slurm path: on a single-node cluster started here, a 3-task
# job array of the benchmark, merged, must give the same cells and metrics as
# the unsharded run; then a 2-task array of a training grid whose first task
# is requeued (`scontrol requeue`) in the middle of a training cell must resume
# that cell from its checkpoint and, merged, give the unsharded run's metrics. Runs where Debian packages can be installed as root
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

echo "== requeue a task in the middle of a training cell"
train=(--datasets ml-100k --data-dir "$root/fixtures/movielens" --models comirec-sa,bprmf
  --protocol sequential,cf --seeds 1,2 --max-iterations 400 --eval-every 20 --patience 1000)
deno task bench --quiet "${train[@]}" --out "$work/train-whole" >/dev/null \
  || fail "the unsharded training run failed"
job=$(sbatch --parsable --array=1-2 --output="$work/logs/train_%A_%a.out" \
  scripts/slurm/bench_array.sbatch "${train[@]}" --out "$work/train") || fail "sbatch failed"
job=${job%%;*}
ckpt_dir="$work/train/shard-1-of-2/checkpoints"
for _ in $(seq 1 1200); do
  ls "$ckpt_dir"/*.ckpt >/dev/null 2>&1 && break
  sleep 0.1
done
ls "$ckpt_dir"/*.ckpt >/dev/null 2>&1 || fail "task 1 wrote no checkpoint"
echo "checkpoint of task 1: $(ls "$ckpt_dir")"
scontrol requeue "${job}_1" || fail "scontrol requeue ${job}_1 failed"
echo "requeued ${job}_1"
for _ in $(seq 1 1800); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.2
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || fail "the requeued array did not finish"
log1=$(ls "$work"/logs/train_*_1.out)
grep -q "start 2" "$log1" || fail "task 1 did not start again after the requeue"
grep -q "from its checkpoint at iteration" "$log1" \
  || fail "task 1 did not resume its training cell from the checkpoint"
grep "resuming" "$log1"
deno task report --merge "$work/train-merged" "$work"/train/shard-*-of-2 >/dev/null \
  || fail "the merge of the requeued array failed"
deno run --allow-read scripts/compare_results.ts "$work/train-whole/results.json" \
  "$work/train-merged/results.json" || fail "the requeued array's metrics differ from the unsharded run"
rm -rf "$work"
echo "slurm check: passed"
