"""Runs RecBole's own ItemKNN, BPR or LightGCN on CPU on its ml-100k atomic files,
and writes the split RecBole made as RecBole benchmark files, so recbench can be
evaluated on exactly the same split (`--datasets recbole:ml-100k --split given`).

Usage (Debian python3 with python3-torch, -pandas, -tqdm, -colorlog, -sklearn,
-texttable, -tabulate; RecBole itself is not installed, its checkout is imported):

    /usr/bin/python3 scripts/parity/recbole_run.py /path/to/RecBole OUT MODEL [EPOCHS] [SEED] [MODEL_SEED]

MODEL is ItemKNN, BPR or LightGCN; EPOCHS (default 300, RecBole's) and SEED (default
2020, RecBole's; it seeds the split). MODEL_SEED (default SEED) reseeds before the
model is built, so several training seeds share one split. Writes
OUT/ml-100k/ml-100k.{train,valid,test}.inter (the split of SEED) and
OUT/recbole-MODEL.json, or OUT/recbole-MODEL-MODEL_SEED.json when MODEL_SEED is given
(test Recall@20, NDCG@20, epochs run, seconds per training epoch, peak RSS). The RecBole source is not changed; run-time shims only:
a no-op `torch.utils.tensorboard.SummaryWriter` when the tensorboard package is
missing, CPU (`use_gpu: False`) and the FLOPs count skipped (it needs `thop`).
"""
import json
import os
import resource
import sys
import time
import types


def shim_tensorboard():
    try:
        import torch.utils.tensorboard  # noqa: F401
    except ImportError:
        module = types.ModuleType("torch.utils.tensorboard")

        class SummaryWriter:  # records nothing
            def __init__(self, *args, **kwargs):
                pass

            def __getattr__(self, name):
                return lambda *args, **kwargs: None

        module.SummaryWriter = SummaryWriter
        sys.modules["torch.utils.tensorboard"] = module


def write_split(out, dataset, parts):
    folder = os.path.join(out, "ml-100k")
    os.makedirs(folder, exist_ok=True)
    uid, iid = dataset.uid_field, dataset.iid_field
    for name, part in parts.items():
        inter = part.inter_feat
        users = dataset.id2token(uid, inter[uid].numpy())
        items = dataset.id2token(iid, inter[iid].numpy())
        path = os.path.join(folder, f"ml-100k.{name}.inter")
        with open(path, "w", encoding="utf-8") as f:
            f.write("user_id:token\titem_id:token\n")
            for u, i in zip(users, items):
                f.write(f"{u}\t{i}\n")
        print(f"wrote {path}: {len(users)} interactions")


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    checkout, out, model_name = sys.argv[1], sys.argv[2], sys.argv[3]
    epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 2020
    model_seed = int(sys.argv[6]) if len(sys.argv) > 6 else seed
    suffix = f"-{model_seed}" if len(sys.argv) > 6 else ""
    sys.path.insert(0, os.path.abspath(checkout))
    shim_tensorboard()
    from logging import getLogger

    from recbole.config import Config
    from recbole.data import create_dataset, data_preparation
    from recbole.utils import get_model, get_trainer, init_logger, init_seed

    os.makedirs(out, exist_ok=True)
    config = Config(
        model=model_name,
        dataset="ml-100k",
        config_dict={
            "data_path": os.path.join(os.path.abspath(checkout), "dataset"),
            "use_gpu": False,
            "device": "cpu",
            "seed": seed,
            "epochs": epochs,
            "metrics": ["Recall", "NDCG"],
            "topk": [20],
            "valid_metric": "Recall@20",
            "checkpoint_dir": os.path.join(out, "saved"),
            "show_progress": False,
        },
    )
    init_seed(config["seed"], config["reproducibility"])
    init_logger(config)
    logger = getLogger()
    dataset = create_dataset(config)
    train_data, valid_data, test_data = data_preparation(config, dataset)
    if not suffix:
        write_split(out, dataset, {
            "train": train_data._dataset, "valid": valid_data._dataset, "test": test_data._dataset,
        })
    init_seed(model_seed + config["local_rank"], config["reproducibility"])
    model = get_model(config["model"])(config, train_data._dataset).to(config["device"])
    trainer = get_trainer(config["MODEL_TYPE"], config["model"])(config, model)
    epoch_seconds = []
    fit_epoch = trainer._train_epoch

    def timed_epoch(*args, **kwargs):
        t0 = time.perf_counter()
        loss = fit_epoch(*args, **kwargs)
        epoch_seconds.append(time.perf_counter() - t0)
        return loss

    trainer._train_epoch = timed_epoch
    t0 = time.perf_counter()
    best_valid_score, best_valid = trainer.fit(train_data, valid_data, saved=True, show_progress=False)
    fit_seconds = time.perf_counter() - t0
    test = trainer.evaluate(test_data, load_best_model=True, show_progress=False)
    result = {
        "model": model_name,
        "seed": seed,
        "modelSeed": model_seed,
        "epochs": epochs,
        "epochsRun": len(epoch_seconds),
        "secondsPerEpoch": sum(epoch_seconds) / max(1, len(epoch_seconds)),
        "fitSeconds": fit_seconds,
        "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bestValid": {k: float(v) for k, v in best_valid.items()},
        "test": {k: float(v) for k, v in test.items()},
        "config": {k: config[k] for k in ["embedding_size", "n_layers", "reg_weight", "learning_rate",
                                           "train_batch_size", "k", "shrink", "stopping_step"]
                   if k in config.final_config_dict},
    }
    logger.info(json.dumps(result))
    with open(os.path.join(out, f"recbole-{model_name}{suffix}.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
