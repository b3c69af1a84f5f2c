#!/usr/bin/python3
"""Paired t-test and Wilcoxon signed-rank over (seed, user) pairs of two
recbench runs on ml-latest-small (sequential protocol), from their per-user
files, for Recall@50 and HitRate@50.

Usage: /usr/bin/python3 scripts/re4/paired_test.py OUT_A MODEL_A OUT_B MODEL_B
"""
import json
import os
import sys

from scipy import stats


def load(out, model):
    values = {}
    for seed in (1, 2, 3):
        path = os.path.join(out, "per-user/ml-latest-small/sequential", f"seed-{seed}", f"{model}.json")
        if not os.path.exists(path):
            continue
        per_user = json.load(open(path))
        for i, user in enumerate(per_user["users"]):
            values[(seed, user)] = {k: per_user[k][i] for k in ("recall@50", "hit_rate@50")}
    return values


a, b = load(sys.argv[1], sys.argv[2]), load(sys.argv[3], sys.argv[4])
pairs = sorted(set(a) & set(b))
for metric in ("recall@50", "hit_rate@50"):
    x = [a[k][metric] for k in pairs]
    y = [b[k][metric] for k in pairs]
    t = stats.ttest_rel(x, y).pvalue
    try:
        w = stats.wilcoxon(x, y).pvalue
    except ValueError:
        w = float("nan")
    print(f"{metric}: {sum(x) / len(x):.4f} vs {sum(y) / len(y):.4f} over {len(pairs)} (seed, user) pairs; "
          f"paired t p = {t:.3g}, Wilcoxon p = {w:.3g}")
