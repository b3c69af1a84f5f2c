#!/usr/bin/env bash
# Runs REMI's public code (a checkout given by path, never edited) on a split
# folder in its format, each model once per reference seed, two processes at a
# time, one torch thread each; appends one PARITY JSON line per run to OUT.
#
#   scripts/parity/run_reference.sh CHECKOUT DATA_DIR NAME OUT [ITERS] [SEEDS] [MODELS]
#
# DATA_DIR holds NAME_data/ (written by deno task data convert NAME --to comirec).
set -euo pipefail
checkout=$1 data=$2 name=$3 out=$4
iters=${5:-1000}
seeds=${6:-2021}
models=${7:-"ComiRec-SA ComiRec-DR MIND DNN GRU4Rec REMI"}
here=$(cd "$(dirname "$0")" && pwd)
logs="$(dirname "$out")/reference-logs"
mkdir -p "$logs"
run() {
  local model=$1 seed=$2 extra=()
  [ "$model" = REMI ] && extra=(-- --rbeta 1 --rlambda 100)
  local log="$logs/$model-s$seed.log"
  /usr/bin/time -v /usr/bin/python3 "$here/reference_train.py" --checkout "$checkout" \
    --data "$data/${name}_data" --name "$name" --model "$model" --iters "$iters" \
    --test-iter 1000 --threads 1 --seed "$seed" --workdir "$logs/work-$model-$seed" \
    "${extra[@]}" >"$log" 2>&1
  grep '^PARITY ' "$log" | sed 's/^PARITY //' >>"$out"
  echo "$model seed $seed: $(grep -E 'Maximum resident' "$log")"
}
jobs=()
for seed in $seeds; do
  for model in $models; do
    run "$model" "$seed" &
    jobs+=($!)
    if [ ${#jobs[@]} -ge 2 ]; then wait "${jobs[0]}"; jobs=("${jobs[@]:1}"); fi
  done
done
wait
