#!/usr/bin/env bash
# RecBole side by side on its ml-100k atomic files (docs/parity.md, RecBole section).
#
#   scripts/parity/recbole_ml100k.sh /path/to/RecBole OUT
#
# 1. Runs RecBole's own ItemKNN, BPR and LightGCN on CPU (scripts/parity/recbole_run.py,
#    RecBole's defaults, seed 2020, early stopping on valid Recall@20) and writes the split
#    RecBole made as OUT/ml-100k/ml-100k.{train,valid,test}.inter.
# 2. Runs recbench's itemknn, bprmf and lightgcn on exactly that split (--split given) with
#    RecBole's hyperparameters and training settings: BPR-MF for as many epochs as RecBole's
#    BPR ran, LightGCN up to RecBole's 300 with the same patience (one epoch =
#    ceil(train interactions / 2048) batches of 2048).
# 3. Prints the table (scripts/parity/recbole_table.ts).
# Needs /usr/bin/python3 with python3-torch, -numpy, -scipy, -pandas, -tqdm, -colorlog,
# -sklearn, -texttable, -tabulate (Debian packages), and deno.
set -euo pipefail
recbole=${1:?usage: recbole_ml100k.sh /path/to/RecBole OUT}
out=${2:?usage: recbole_ml100k.sh /path/to/RecBole OUT}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
for model in ItemKNN BPR LightGCN; do
  /usr/bin/python3 "$here/recbole_run.py" "$recbole" "$out" "$model" > "$out/recbole-$model.log" 2>&1
done
train=$(($(wc -l < "$out/ml-100k/ml-100k.train.inter") - 1))
batches=$(((train + 2047) / 2048))
epochs() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['epochsRun'])" "$out/recbole-$1.json"; }
bench() {
  deno task bench --datasets recbole:ml-100k --data-dir "$out" --split given --protocol cf --quiet "$@"
}
bench --models itemknn --out "$out/recbench-itemknn"
bench --models itemknn --set itemknn.pruning=history --out "$out/recbench-itemknn-history"
# RecBole's training: pair sampler, dense Adam, init std about 0.04 (its xavier init on ml-100k).
recbole_training=(--set bprmf.sampler=pairs --set bprmf.optimizer=adam --set bprmf.initStd=0.04)
bench --models bprmf "${recbole_training[@]}" --set bprmf.l2=0 --seeds 1,2,3 \
  --max-iterations $(($(epochs BPR) * batches)) --eval-every "$batches" --patience 10 \
  --out "$out/recbench-bprmf"
bench --models lightgcn --set lightgcn.sampler=pairs --set lightgcn.optimizer=adam \
  --set lightgcn.initStd=0.04 --set lightgcn.layers=2 --set lightgcn.l2=0.00001 \
  --max-iterations $((300 * batches)) --eval-every "$batches" --patience 10 \
  --out "$out/recbench-lightgcn"
deno run --allow-read "$here/recbole_table.ts" "$out" "$batches"
