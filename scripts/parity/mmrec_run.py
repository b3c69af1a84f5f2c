"""Runs one MMRec model on CPU on the split mmrec_prepare.py wrote (docs/parity.md,
MMRec section) and writes its best validation and matching test metrics as JSON:

    /usr/bin/python3 scripts/parity/mmrec_run.py CHECKOUT OUT MODEL SEED EPOCHS

CHECKOUT is a clone of github.com/enoche/MMRec; OUT the folder given to
mmrec_prepare.py; MODEL one of VBPR, LATTICE, FREEDOM (MMGCN needs
torch_geometric, not installed here). Nothing in the checkout is edited. For
CPU and this machine only:
- `use_gpu: False`;
- `torch.Tensor.cuda` returns the tensor itself (LATTICE moves its
  adjacencies with `.cuda()`);
- `numpy.float` is set to `float` (MMRec's metrics use the alias numpy 1.24
  removed);
- the modules `lmdb` and `utils.data_utils` (raw-image loading, which needs
  lmdb and torchvision, neither installed; unused with precomputed features)
  are replaced by empty stand-ins before MMRec's dataset module imports them;
- MMRec's `quick_start` loop is written out here (the same calls in the same
  order, one hyperparameter point) so the result can be saved as JSON.
Every hyperparameter is MMRec's file default except the values below, one
point of its grids, the same as recbench's defaults.
Writes OUT/mmrec-MODEL-SEED.json.
"""
import json
import os
import sys
import time
import types

checkout, out, model_name, seed, epochs = sys.argv[1:6]
seed, epochs = int(seed), int(epochs)
src = os.path.join(os.path.abspath(checkout), "src")
out = os.path.abspath(out)
data = os.path.join(out, "mmrec") + os.sep
os.chdir(src)
sys.path.insert(0, src)

import numpy  # noqa: E402
import torch  # noqa: E402

# MMRec's metrics use numpy's `np.float`, removed in numpy 1.24 (installed here).
numpy.float = float
torch.Tensor.cuda = lambda self, *args, **kwargs: self
sys.modules["lmdb"] = types.ModuleType("lmdb")
stub = types.ModuleType("utils.data_utils")
for name in ("ImageResize", "ImagePad", "image_to_tensor", "load_decompress_img_from_lmdb_value"):
    setattr(stub, name, None)
sys.modules["utils.data_utils"] = stub

from utils.configurator import Config  # noqa: E402
from utils.dataloader import EvalDataLoader, TrainDataLoader  # noqa: E402
from utils.dataset import RecDataset  # noqa: E402
from utils.utils import get_model, get_trainer, init_seed  # noqa: E402

POINT = {
    "VBPR": {"reg_weight": 1e-4},
    "LATTICE": {"reg_weight": 1e-4, "learning_rate": 0.001},
    "FREEDOM": {"reg_weight": 1e-4, "dropout": 0.8},
}[model_name]

config_dict = {
    "use_gpu": False,
    "gpu_id": 0,
    "data_path": data,
    "USER_ID_FIELD": "userID",
    "ITEM_ID_FIELD": "itemID",
    "inter_file_name": "ml100kmm.inter",
    "vision_feature_file": "image_feat.npy",
    "text_feature_file": "text_feat.npy",
    "field_separator": "\t",
    "epochs": epochs,
    "stopping_step": 10,
    "seed": seed,
    "save_recommended_topk": False,
    **POINT,
}
config = Config(model_name, "ml100kmm", config_dict)
dataset = RecDataset(config)
train, valid, test = dataset.split()
# quick_start logs str() of each dataset; __str__ is also what sets inter_num.
for part in (dataset, train, valid, test):
    str(part)
train_data = TrainDataLoader(config, train, batch_size=config["train_batch_size"], shuffle=True)
valid_data = EvalDataLoader(config, valid, additional_dataset=train,
                            batch_size=config["eval_batch_size"])
test_data = EvalDataLoader(config, test, additional_dataset=train,
                           batch_size=config["eval_batch_size"])
init_seed(seed)
train_data.pretrain_setup()
model = get_model(model_name)(config, train_data).to(config["device"])
trainer = get_trainer()(config, model, False)
start = time.time()
best_valid_score, best_valid, best_test = trainer.fit(train_data, valid_data=valid_data,
                                                     test_data=test_data, saved=False)
seconds = time.time() - start
result = {
    "model": model_name,
    "seed": seed,
    "epochsMax": epochs,
    "seconds": seconds,
    "parameters": sum(p.numel() for p in model.parameters()),
    "valid": {k: float(v) for k, v in best_valid.items()},
    "test": {k: float(v) for k, v in best_test.items()},
    "point": POINT,
}
path = os.path.join(out, f"mmrec-{model_name}-{seed}.json")
with open(path, "w") as f:
    json.dump(result, f, indent=1)
print(json.dumps(result))
