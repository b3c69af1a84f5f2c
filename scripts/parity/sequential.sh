#!/usr/bin/env bash
# Side-by-side parity of the sequential family with REMI's public code.
#
#   scripts/parity/sequential.sh REMI_CHECKOUT [OUT] [ITERS] [REF_SEEDS] [SEEDS] [MODELS]
#
# REMI_CHECKOUT: a clone of github.com/Tokkiu/REMI (never edited; what CPU needs
# is applied in-process by reference_train.py). Needs /usr/bin/python3 with
# torch, numpy and faiss (CPU). ml-latest-small is read from
# ${DATA_DIR:-../shared/datasets}. Steps:
#   1. recbench writes its ml-latest-small sequential split (seed 1) in REMI's
#      format: OUT/ml-latest-small_data/.
#   2. REMI's code trains and tests each model on those files
#      (run_reference.sh, two processes at a time, one thread each).
#   3. recbench trains and tests the same models on the same files
#      (--datasets comirec:ml-latest-small --split given), one bench process
#      per model under /usr/bin/time -v for the peak memory.
#   4. table.ts prints the side-by-side table.
set -euo pipefail
checkout=$(cd "$1" && pwd)
out=${2:-out/parity-sequential}
iters=${3:-1000}
ref_seeds=${4:-2021}
seeds=${5:-1,2,3}
models=${6:-"comirec-sa comirec-dr mind youtubednn gru4rec remi"}
data_dir=${DATA_DIR:-../shared/datasets}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

deno task data convert ml-latest-small --data-dir "$data_dir" --to comirec --out "$out" --seed 1

declare -A reference=([comirec-sa]=ComiRec-SA [comirec-dr]=ComiRec-DR [mind]=MIND
  [youtubednn]=DNN [gru4rec]=GRU4Rec [remi]=REMI)
ref_models=""
for m in $models; do ref_models+="${reference[$m]} "; done
"$here/run_reference.sh" "$checkout" "$out" ml-latest-small "$out/reference.jsonl" "$iters" \
  "$ref_seeds" "$ref_models"

for m in $models; do
  /usr/bin/time -v deno task bench --datasets comirec:ml-latest-small --data-dir "$out" \
    --split given --protocol sequential --models "$m" --seeds "$seeds" \
    --max-iterations "$iters" --eval-every 1000 --patience 50 --out "$out/recbench-$m" \
    --no-cache --quiet >"$out/recbench-$m.log" 2>&1
  echo "$m: $(uptime)" >>"$out/recbench-load.log"
done

deno run --allow-read "$here/table.ts" "$out"
