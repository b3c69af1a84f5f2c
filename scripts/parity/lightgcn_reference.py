"""Trains LightGCN-PyTorch's LightGCN or MF for a few epochs and evaluates it.

Runs the authors' own functions from a checkout given by path (nothing of it is
copied here): their data loader (`dataloader.Loader` through `register`), their
models (`model.LightGCN`, `model.PureMF`), their loss and optimiser
(`utils.BPRLoss`), their epoch (`Procedure.BPR_train_original`, with their
Python sampler `utils.UniformSample_original_python`) and their evaluation
(`Procedure.Test`). Their code is not changed. Three modules it imports but
does not use on this path (`sklearn`, `tqdm`, `pandas`) are not installed for
Debian's python3 here; empty stand-ins are registered so the imports succeed.
`cppimport` is absent too, so their code falls back to its Python sampler
(their own behaviour without the C++ extension).

Next to their metrics it prints Recall@20 and NDCG@20 computed here from the
raw inner products (their `Test` ranks `sigmoid(score)` in float32, which
saturates to 1.0 for large scores and then ties; N(0, 1)-initialised MF has
such scores).

Usage:
  /usr/bin/python3 scripts/parity/lightgcn_reference.py CHECKOUT --model lgn|mf \
      [--epochs 1] [--seed 2020] [--threads 1]

It evaluates after every epoch and prints one JSON line per evaluation, then a
summary line.

CHECKOUT is a clone of github.com/gusye1234/LightGCN-PyTorch whose
data/gowalla/train.txt exists (see lightgcn_gowalla_train.py).
"""
import argparse
import json
import os
import resource
import sys
import time
import types


def stand_in(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


def unused(*_args, **_kwargs):
    raise RuntimeError("stand-in for a module not installed here")


def raw_metrics(dataset, model, k=20, batch=1000):
    """Recall@k and NDCG@k from raw scores (training items removed), computed here."""
    import numpy as np
    import torch

    test = dataset.testDict
    users = sorted(test)
    recall = ndcg = 0.0
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    with torch.no_grad():
        if hasattr(model, "computer"):
            all_users, all_items = model.computer()
        else:
            all_users, all_items = model.embedding_user.weight, model.embedding_item.weight
        for start in range(0, len(users), batch):
            chunk = users[start:start + batch]
            scores = all_users[torch.tensor(chunk)] @ all_items.T
            for r, u in enumerate(chunk):
                seen = dataset.allPos[u]
                scores[r, torch.as_tensor(seen, dtype=torch.long)] = -float("inf")
            top = torch.topk(scores, k).indices.numpy()
            for r, u in enumerate(chunk):
                truth = set(test[u])
                hits = np.array([i in truth for i in top[r]], dtype=float)
                recall += hits.sum() / len(truth)
                ideal = discount[:min(k, len(truth))].sum()
                ndcg += (hits * discount).sum() / ideal
    return recall / len(users), ndcg / len(users)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkout")
    ap.add_argument("--model", choices=["lgn", "mf"], required=True)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    stand_in("sklearn")
    stand_in("sklearn.metrics", roc_auc_score=unused)
    stand_in("tqdm", tqdm=unused)
    stand_in("pandas")

    code = os.path.join(os.path.abspath(args.checkout), "code")
    os.chdir(code)  # their loader reads ../data/<dataset>
    sys.path.insert(0, code)
    # Their world.py parses the command line at import: give it their defaults
    # (batch 2048, d 64, 3 layers, lr 1e-3, decay 1e-4) and this run's choices.
    sys.argv = ["main.py", "--dataset", "gowalla", "--model", args.model,
                "--seed", str(args.seed), "--epochs", str(args.epochs), "--tensorboard", "0"]
    import torch
    torch.set_num_threads(args.threads)
    import world
    import utils
    utils.set_seed(world.seed)
    t0 = time.time()
    import register
    import Procedure
    model = register.MODELS[world.model_name](world.config, register.dataset)
    bpr = utils.BPRLoss(model, world.config)
    setup = time.time() - t0
    epochs, cpu, evaluations = [], [], []
    for epoch in range(args.epochs):
        start, start_cpu = time.time(), time.process_time()
        info = Procedure.BPR_train_original(register.dataset, model, bpr, epoch, neg_k=1, w=None)
        epochs.append(time.time() - start)
        cpu.append(time.process_time() - start_cpu)
        print(f"epoch {epoch + 1}: {epochs[-1]:.1f} s ({cpu[-1]:.1f} s CPU), {info}", flush=True)
        # Evaluation draws no random numbers, so evaluating after every epoch
        # leaves the training of later epochs unchanged.
        start = time.time()
        theirs = Procedure.Test(register.dataset, model, epoch + 1, None, 0)
        model.eval()
        recall, ndcg = raw_metrics(register.dataset, model)
        model.train()
        evaluations.append({
            "epoch": epoch + 1,
            "recall@20": float(theirs["recall"][0]),
            "ndcg@20": float(theirs["ndcg"][0]),
            "recall@20_raw_scores": recall,
            "ndcg@20_raw_scores": ndcg,
            "seconds": round(time.time() - start, 1),
        })
        print(json.dumps(evaluations[-1]), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "side": "LightGCN-PyTorch",
        "model": args.model,
        "seed": args.seed,
        "epochs": args.epochs,
        "config": {k: world.config[k] for k in
                   ["bpr_batch_size", "latent_dim_rec", "lightGCN_n_layers", "lr", "decay"]},
        "evaluations": evaluations,
        "setup_seconds": round(setup, 1),
        "seconds_per_epoch": [round(s, 1) for s in epochs],
        "cpu_seconds_per_epoch": [round(s, 1) for s in cpu],
        "peak_rss_mib": round(peak),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
