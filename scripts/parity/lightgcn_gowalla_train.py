"""Writes LightGCN-PyTorch's Gowalla `train.txt` from the training graph beside it.

The repository's `data/gowalla/train.txt` is a large file that some copies lack
(this project's mirror of the repository does); `s_adj_mat.npz` (the unnormalised
(users + items) x (users + items) adjacency of the training graph) is present.
Its user-by-item block is the training set: this script writes it as
`train.txt` (a user id, then its item ids ascending, separated by spaces), the
format `test.txt` uses and both LightGCN-PyTorch and recbench read.

Usage: /usr/bin/python3 scripts/parity/lightgcn_gowalla_train.py CHECKOUT/data/gowalla
"""
import os
import sys

import numpy as np
import scipy.sparse as sp


def main(folder):
    adj = sp.load_npz(os.path.join(folder, "s_adj_mat.npz")).tocsr()
    with open(os.path.join(folder, "test.txt")) as f:
        test_users = [int(line.split()[0]) for line in f if line.strip()]
    users = max(test_users) + 1
    items = adj.shape[0] - users
    block = adj[:users, users:].tocsr()
    # The matrix must be the bipartite graph: no user-user or item-item edges,
    # and the item-by-user block the transpose of the user-by-item one.
    if adj[:users, :users].nnz or adj[users:, users:].nnz:
        raise ValueError(f"{folder}/s_adj_mat.npz: edges inside one side with {users} users")
    if (adj[users:, :users] != block.T).nnz:
        raise ValueError(f"{folder}/s_adj_mat.npz: the two off-diagonal blocks differ")
    if not np.all(block.data == 1):
        raise ValueError(f"{folder}/s_adj_mat.npz: weights other than 1")
    block.sort_indices()
    empty = 0
    out = os.path.join(folder, "train.txt")
    with open(out, "w") as f:
        for u in range(users):
            row = block.indices[block.indptr[u]:block.indptr[u + 1]]
            if len(row) == 0:
                empty += 1
                continue
            f.write(" ".join([str(u)] + [str(i) for i in row]) + "\n")
    print(f"{out}: {users} users ({empty} without training items), {items} items, "
          f"{block.nnz} training pairs")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
