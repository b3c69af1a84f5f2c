"""Writes fixtures/recbole_itemknn/scores.json: a small training split written for
the test and the ItemKNN scores RecBole's own similarity code gives on it.

Usage (Debian python with numpy and scipy; RecBole itself need not be installed):

    /usr/bin/python3 scripts/parity/recbole_itemknn_fixture.py /path/to/RecBole [out.json]

The split: 40 users, 30 items, each user drawing 4 to 12 distinct items from a
Zipf-like popularity (numpy seed 26). For each case (neighbors, shrink) the script
checks that no item's k-th and (k+1)-th largest similarities tie, so the top-k cut
does not depend on tie breaking (RecBole's argpartition and recbench's lower-index
rule could differ there), then stores RecBole's X . W for every user and item.
"""
import json
import os
import sys

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from recbole_similarity import ITEMKNN_FILE, load_compute_similarity, recbole_itemknn_scores  # noqa: E402

USERS, ITEMS, SEED = 40, 30, 26
CASES = [(4, 0.0), (5, 2.5)]


def written_split():
    rng = np.random.default_rng(SEED)
    popularity = 1.0 / np.arange(1, ITEMS + 1) ** 0.8
    pairs = []
    for u in range(USERS):
        n = int(rng.integers(4, 13))
        items = rng.choice(ITEMS, size=n, replace=False, p=popularity / popularity.sum())
        pairs.extend((u, int(i)) for i in sorted(items))
    return pairs


def boundary_ties(matrix, k, shrink):
    """Items whose k-th and (k+1)-th largest non-zero similarities are equal (float32)."""
    x = matrix.astype(np.float32)
    co = (x.T @ x).toarray()
    norm = np.sqrt(np.asarray(x.power(2).sum(axis=0)).ravel())
    ties = []
    for j in range(x.shape[1]):
        col = co[:, j].copy()
        col[j] = 0
        col = col / (norm[j] * norm + shrink + 1e-6)
        nz = np.sort(col[col > 0])[::-1]
        if len(nz) > k and nz[k - 1] == nz[k]:
            ties.append(j)
    return ties


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    checkout = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "../../fixtures/recbole_itemknn/scores.json")
    compute_similarity, commit = load_compute_similarity(checkout)
    pairs = written_split()
    rows, cols = zip(*pairs)
    matrix = sp.csr_matrix((np.ones(len(pairs), dtype=np.float32), (rows, cols)), shape=(USERS, ITEMS))
    cases = []
    for k, shrink in CASES:
        ties = boundary_ties(matrix, k, shrink)
        if ties:
            raise SystemExit(f"neighbors {k}, shrink {shrink}: ties at the top-k cut for items {ties}")
        scores = recbole_itemknn_scores(compute_similarity, matrix, k, shrink)
        cases.append({
            "neighbors": k,
            "shrink": shrink,
            "scores": [[float(v) for v in row] for row in scores.astype(np.float32)],
        })
    fixture = {
        "about": (
            "Written by scripts/parity/recbole_itemknn_fixture.py: the training split is generated "
            f"there (numpy seed {SEED}); each case's scores are RecBole's X . W, computed by the class "
            f"ComputeSimilarity of {ITEMKNN_FILE} (method 'item', float32) loaded from a RecBole "
            "checkout at run time, not by recbench."
        ),
        "recbole": {"commit": commit, "file": ITEMKNN_FILE},
        "numUsers": USERS,
        "numItems": ITEMS,
        "train": [list(p) for p in pairs],
        "cases": cases,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(fixture, f)
        f.write("\n")
    print(f"wrote {out}: {len(pairs)} interactions, cases {CASES}, RecBole {commit}")


if __name__ == "__main__":
    main()
