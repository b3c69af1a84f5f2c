#!/usr/bin/python3
"""Train and test one model of REMI's public code on CPU, on a split folder
in its format (NAME_data/NAME_{train,valid,test}.txt), and print one JSON line
with the test metrics, training speed and peak memory.

The checkout is not edited. What CPU needs is applied in this process before
the reference modules run:
  1. torch.Tensor.cuda returns the tensor unchanged (the uniform and
     log-uniform noise builders call .cuda()).
  2. faiss's GPU flat inner-product index is replaced by faiss.IndexFlatIP
     (exact inner product on CPU, the same search).
Everything else (data iterator, models, loss, sampler, Adam, early stopping,
evaluation) is the reference code as checked out.

Usage:
  /usr/bin/python3 reference_train.py --checkout DIR --data DIR/NAME_data \
      --name NAME --model ComiRec-SA --iters 2000 [--threads 1] [--seed 2021] \
      [--test-iter 1000] [--workdir DIR] [reference flags after --]
"""
import argparse
import json
import os
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkout", required=True, help="path of a REMI checkout")
    p.add_argument("--data", required=True, help="folder holding NAME_train.txt etc.")
    p.add_argument("--name", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--iters", type=int, default=2000)
    p.add_argument("--test-iter", type=int, default=1000)
    p.add_argument("--maxlen", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--workdir", default=None)
    p.add_argument("rest", nargs="*", help="reference flags (after --)")
    ours = p.parse_args()

    import torch
    import faiss

    torch.set_num_threads(ours.threads)
    # CPU change 1: no CUDA tensors.
    torch.Tensor.cuda = lambda self, *a, **k: self

    # CPU change 2: a CPU flat inner-product index in place of the GPU one.
    class _Config:
        device = None

    faiss.StandardGpuResources = lambda: None
    faiss.GpuIndexFlatConfig = _Config
    faiss.GpuIndexFlatIP = lambda res, dim, config: faiss.IndexFlatIP(dim)

    src = os.path.join(os.path.abspath(ours.checkout), "src")
    sys.path.insert(0, src)
    import utils  # noqa: E402  (the reference's module)
    import evalution  # noqa: E402

    data = os.path.abspath(ours.data)
    workdir = ours.workdir or os.path.join(data, "runs")
    os.makedirs(workdir, exist_ok=True)
    os.chdir(workdir)

    args = utils.get_parser().parse_args(
        ["--model_type", ours.model, "--dataset", ours.name, "--random_seed", str(ours.seed),
         "--exp", "parity-s%d" % ours.seed] + ours.rest
    )
    # The reference counts iterations in thousands (iter >= max_iter * 1000).
    args.max_iter = ours.iters / 1000
    utils.setup_seed(args.random_seed)

    with open(os.path.join(data, ours.name + "_item_map.txt")) as f:
        item_count = max(int(line.rsplit(",", 1)[1]) for line in f if line.strip()) + 1

    # Timing: optimizer steps are timestamped; evaluation time between the
    # first and last step is subtracted, so it/s is training only.
    steps = []
    cpu = []
    evals = []
    step = torch.optim.Adam.step

    def timed_step(self, *a, **k):
        out = step(self, *a, **k)
        steps.append(time.perf_counter())
        cpu.append(time.process_time())
        return out

    torch.optim.Adam.step = timed_step
    evaluate = evalution.evaluate
    results = {}

    def timed_evaluate(model, test_data, hidden_size, device, k=20, **kw):
        t0, c0 = time.perf_counter(), time.process_time()
        out = evaluate(model, test_data, hidden_size, device, k, **kw)
        evals.append((t0, time.perf_counter(), c0, time.process_time()))
        if test_data.dataset.train_flag == 0 and test_data.dataset is getattr(
            timed_evaluate, "test_set", None
        ):
            results[k] = out
        return out

    evalution.evaluate = timed_evaluate
    get_loader = evalution.get_DataLoader

    def loader(source, *a, **k):
        out = get_loader(source, *a, **k)
        if source.endswith("_test.txt"):
            timed_evaluate.test_set = out.dataset
        return out

    evalution.get_DataLoader = loader

    t_start = time.perf_counter()
    evalution.train(
        device=torch.device("cpu"),
        train_file=os.path.join(data, ours.name + "_train.txt"),
        valid_file=os.path.join(data, ours.name + "_valid.txt"),
        test_file=os.path.join(data, ours.name + "_test.txt"),
        dataset=ours.name, model_type=args.model_type, item_count=item_count,
        batch_size=ours.batch, lr=args.learning_rate, seq_len=ours.maxlen,
        hidden_size=args.hidden_size, interest_num=args.interest_num, topN=args.topN,
        max_iter=args.max_iter, test_iter=ours.test_iter, decay_step=args.lr_dc_step,
        lr_decay=args.lr_dc, patience=args.patience, exp=args.exp, args=args,
    )
    wall = time.perf_counter() - t_start
    first, last = steps[0], steps[-1]
    inside = sum(e - s for s, e, _, _ in evals if s >= first and e <= last)
    its = (len(steps) - 1) / (last - first - inside)
    # CPU seconds of this process per 1,000 steps (all threads), less load-sensitive than wall time.
    cpu_inside = sum(ce - cs for s, e, cs, ce in evals if s >= first and e <= last)
    cpu_per_1000 = 1000 * (cpu[-1] - cpu[0] - cpu_inside) / (len(steps) - 1)
    peak_kb = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak_kb = int(line.split()[1])
    print("PARITY " + json.dumps({
        "side": "reference", "model": ours.model, "seed": ours.seed, "iterations": len(steps),
        "recall@50": results[50]["recall"], "hitrate@50": results[50]["hitrate"],
        "ndcg@50": results[50]["ndcg"], "recall@20": results[20]["recall"],
        "hitrate@20": results[20]["hitrate"], "it_per_s": its, "cpu_s_per_1000": cpu_per_1000, "peak_rss_mb": peak_kb / 1024,
        "wall_s": wall, "threads": ours.threads, "lr": args.learning_rate,
        "loadavg": open("/proc/loadavg").read().split()[:3],
    }))


if __name__ == "__main__":
    main()
