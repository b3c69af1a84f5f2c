"""Writes one split of RecBole's ml-100k atomic files for both MMRec and recbench
(docs/parity.md, MMRec section), with two fixed item modalities both sides read:

    /usr/bin/python3 scripts/parity/mmrec_prepare.py ML100K_DIR OUT [SEED]

ML100K_DIR holds ml-100k.inter and ml-100k.item (RecBole's dataset/ml-100k).
Every rating is an interaction; each user's interactions are shuffled
(numpy RandomState(SEED), default 2020) and cut 8:1:1 (test and validation
round(0.1 n) each, at least 1). Modalities, one row per item in raw-id order:

- genres: the `class` tokens as TF-IDF (binary term frequency, IDF
  ln((1 + n) / (1 + df)) + 1, rows L2-normalised), 19 columns;
- title: the lower-cased title words the same way, reduced to 128 columns by a
  Gaussian random projection (entries N(0, 1/128), RandomState(0)).

Writes
- OUT/mmrec/ml100kmm/ml100kmm.inter (userID, itemID, x_label 0/1/2, ids
  renumbered from 0 in raw-id order), image_feat.npy (genres standing as the
  visual modality), text_feat.npy (title);
- OUT/recbench/ml-100k/ml-100k.{train,valid,test}.inter (RecBole atomic, raw
  ids) for `--datasets recbole:ml-100k --split given`;
- OUT/genres.npy, OUT/title.npy with `.ids` files (raw item ids) for
  `--item-features image=OUT/genres.npy --item-features text=OUT/title.npy`.
Needs numpy only.
"""
import os
import re
import sys

import numpy as np


def tfidf(bags, vocab):
    n = sum(1 for b in bags if b)
    df = np.zeros(len(vocab))
    for b in bags:
        for t in b:
            df[t] += 1
    idf = np.log((1 + n) / (1 + df)) + 1
    x = np.zeros((len(bags), len(vocab)))
    for i, b in enumerate(bags):
        for t in b:
            x[i, t] = idf[t]
        norm = np.linalg.norm(x[i])
        if norm > 0:
            x[i] /= norm
    return x


def bags_of(rows):
    vocab = sorted({t for r in rows for t in r})
    code = {t: k for k, t in enumerate(vocab)}
    return [sorted({code[t] for t in r}) for r in rows], vocab


def main():
    src, out = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2020
    with open(os.path.join(src, "ml-100k.inter")) as f:
        next(f)
        inter = [line.rstrip("\n").split("\t")[:2] for line in f if line.strip()]
    titles, genres = {}, {}
    with open(os.path.join(src, "ml-100k.item"), encoding="latin-1") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            titles[fields[0]] = fields[1]
            genres[fields[0]] = fields[3].split(" ") if fields[3] else []
    users = sorted({u for u, _ in inter}, key=int)
    items = sorted({i for _, i in inter}, key=int)
    uid = {u: k for k, u in enumerate(users)}
    iid = {i: k for k, i in enumerate(items)}
    by_user = {}
    for u, i in inter:
        by_user.setdefault(u, []).append(i)
    rng = np.random.RandomState(seed)
    parts = {0: [], 1: [], 2: []}
    for u in users:
        row = by_user[u]
        order = rng.permutation(len(row))
        cut = max(1, int(round(0.1 * len(row))))
        for rank, k in enumerate(order):
            label = 2 if rank < cut else 1 if rank < 2 * cut else 0
            parts[label].append((u, row[k]))
    mm = os.path.join(out, "mmrec", "ml100kmm")
    rb = os.path.join(out, "recbench", "ml-100k")
    os.makedirs(mm, exist_ok=True)
    os.makedirs(rb, exist_ok=True)
    with open(os.path.join(mm, "ml100kmm.inter"), "w") as f:
        f.write("userID\titemID\tx_label\n")
        for label in (0, 1, 2):
            for u, i in parts[label]:
                f.write(f"{uid[u]}\t{iid[i]}\t{label}\n")
    for label, name in ((0, "train"), (1, "valid"), (2, "test")):
        with open(os.path.join(rb, f"ml-100k.{name}.inter"), "w") as f:
            f.write("user_id:token\titem_id:token\n")
            for u, i in parts[label]:
                f.write(f"{u}\t{i}\n")
        print(f"{name}: {len(parts[label])} interactions")
    g_bags, _ = bags_of([genres.get(i, []) for i in items])
    words = [re.findall(r"[^\W_]+", titles.get(i, "").lower()) for i in items]
    t_bags, t_vocab = bags_of(words)
    g = tfidf(g_bags, _).astype(np.float32)
    t = tfidf(t_bags, t_vocab)
    basis = np.random.RandomState(0).normal(0, 1 / np.sqrt(128), (len(t_vocab), 128))
    t = (t @ basis).astype(np.float32)
    np.save(os.path.join(mm, "image_feat.npy"), g)
    np.save(os.path.join(mm, "text_feat.npy"), t)
    for name, x in (("genres", g), ("title", t)):
        np.save(os.path.join(out, f"{name}.npy"), x)
        with open(os.path.join(out, f"{name}.npy.ids"), "w") as f:
            f.write("".join(f"{i}\n" for i in items))
    print(f"{len(users)} users, {len(items)} items; genres {g.shape}, title {t.shape} "
          f"(title vocabulary {len(t_vocab)})")


if __name__ == "__main__":
    main()
