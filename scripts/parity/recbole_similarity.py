"""Loads RecBole's ItemKNN similarity routine from a user's RecBole checkout.

Only the class `ComputeSimilarity` of recbole/model/general_recommender/itemknn.py
is taken, by parsing that file and executing the class definition with numpy and
scipy, so RecBole's other dependencies (torch, pandas, ...) are not needed. Nothing
of RecBole is copied into recbench: the code is read from the checkout at run time.
"""
import ast
import os
import subprocess

import numpy as np
import scipy.sparse as sp

ITEMKNN_FILE = "recbole/model/general_recommender/itemknn.py"


def load_compute_similarity(checkout):
    """Returns (ComputeSimilarity class, commit of the checkout or None)."""
    path = os.path.join(checkout, ITEMKNN_FILE)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    tree = ast.parse(source, filename=path)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ComputeSimilarity"]
    if len(classes) != 1:
        raise SystemExit(f"{path}: expected one class ComputeSimilarity, found {len(classes)}")
    module = ast.Module(body=classes, type_ignores=[])
    namespace = {"np": np, "sp": sp}
    exec(compile(module, path, "exec"), namespace)
    commit = None
    try:
        commit = subprocess.run(
            ["git", "-C", checkout, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return namespace["ComputeSimilarity"], commit


def recbole_itemknn_scores(compute_similarity, matrix, k, shrink):
    """RecBole's ItemKNN scores X . W for a users-by-items csr matrix (float32)."""
    _, w = compute_similarity(matrix, topk=k, shrink=shrink, method="item").compute_similarity()
    return matrix.dot(w).toarray()
