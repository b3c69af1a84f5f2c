"""Writes the Common Interacting Ratios the CAGCN authors ship with their code.

Usage: /usr/bin/python3 scripts/parity/cagcn_reference_weights.py CHECKOUT DATASET TYPE > OUT.tsv

CHECKOUT is a clone of github.com/YuWVandy/CAGCN; DATASET a folder of its
Paper_setting/data/ holding train1.txt, test1.txt and co_ratio_edge_weight_TYPE.pt
(loseit has all of them in the public snapshot). Their vector has one value per
directed edge, in the order their loader builds the edge list: every training
pair (user, n_users + item) in file order, then the same pairs reversed, where
n_users is one more than the largest user id of train and test. Each output line
is "source target ratio"; the message source -> target is weighted by the
ratio of the source as a neighbour of the center target.
Only torch is needed (to read the .pt file).
"""
import sys

import numpy as np
import torch


def main():
    checkout, dataset, kind = sys.argv[1:4]
    base = f"{checkout}/Paper_setting/data/{dataset}"
    train = np.loadtxt(f"{base}/train1.txt", dtype=np.int64)
    test = np.loadtxt(f"{base}/test1.txt", dtype=np.int64)
    n_users = int(max(train[:, 0].max(), test[:, 0].max())) + 1
    users, items = train[:, 0], train[:, 1] + n_users
    source = np.concatenate([users, items])
    target = np.concatenate([items, users])
    ratio = torch.load(f"{base}/co_ratio_edge_weight_{kind}.pt").numpy()
    if ratio.shape[0] != source.shape[0]:
        sys.exit(f"{kind}: {ratio.shape[0]} ratios for {source.shape[0]} directed edges")
    out = sys.stdout
    out.write(f"# n_users {n_users}\n")
    for s, t, r in zip(source, target, ratio):
        out.write(f"{s} {t} {r!r}\n")


if __name__ == "__main__":
    main()
