"""Cross-checks the learner against ref.py, an independent numpy (float64) implementation of torch 1.13.1's
formulas: for every configuration below, bin/epochstream replay trains on a small deterministic or a real data set and
the final weights, the per-epoch prequential and training losses, and the version and step counts must agree
with the reference to 1e-9 relative (they agree to ~1e-14: only summation order and exp/log differ). Then each
deliberate one-formula change in ref.py (MUTATIONS) must make its configuration disagree: the check can fail.

    python3 learner/reference/check.py [WORK_DIR] [NAME_FILTER]

Needs python3 with numpy, and the project built (bin/epochstream builds it on first use). Exits 1 on any
disagreement or undetected mutation.
"""
import json, os, subprocess, sys, tempfile
import numpy as np
import ref

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ES = os.environ.get("EPOCHSTREAM_BIN") or os.path.join(ROOT, "bin", "epochstream")   # override: another checkout's built CLI

BASE = {"epoch.window": "count:32", "train.batch-size": "8", "train.shuffle": "false",
        "train.holdout": "0", "epoch.passes": "1", "schedule": "constant", "snapshot.optimizer-state": "true"}
CLS = {"model.layers": "6,8,3", "model.activations": "relu,softmax", "model.loss": "cce"}
BIN = {"model.layers": "6,1", "model.activations": "sigmoid", "model.loss": "bce"}
REG = {"model.layers": "6,8,1", "model.activations": "tanh,identity", "model.loss": "mse"}

C = []
def o(**kw):  # optimizer keys
    return {("optimizer." + k.replace("_", "-")): str(v) for k, v in kw.items()}

for opt in ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta"]:
    C.append((f"cls {opt}", "cls3.jsonl", {**BASE, **CLS, "optimizer": opt}))
C.append(("cls rmsprop centered", "cls3.jsonl", {**BASE, **CLS, "optimizer": "rmsprop", **o(centered="true")}))
C.append(("cls sgd lr=0.1 init=torch", "cls3.jsonl", {**BASE, **CLS, "optimizer": "sgd", "model.init": "torch", **o(lr=0.1)}))
C.append(("cls adam passes=2", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adam", "epoch.passes": "2"}))
C.append(("cls momentum passes=2", "cls3.jsonl", {**BASE, **CLS, "optimizer": "momentum", "epoch.passes": "2"}))
C.append(("cls adam win40 batch10 (partials)", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adam", "epoch.window": "count:40", "train.batch-size": "10"}))
C.append(("bin [6,1] bce adam", "bin.jsonl", {**BASE, **BIN, "optimizer": "adam", **o(lr=0.01)}))
C.append(("reg mse sgd", "reg.jsonl", {**BASE, **REG, "optimizer": "sgd", **o(lr=0.05)}))
C.append(("reg mse adam", "reg.jsonl", {**BASE, **REG, "optimizer": "adam", **o(lr=0.01)}))
C.append(("reg huber d=0.5 adam", "reg.jsonl", {**BASE, **REG, "model.loss": "huber", "model.loss.delta": "0.5", "optimizer": "adam", **o(lr=0.01)}))
C.append(("reg huber d=0.5 sgd", "reg.jsonl", {**BASE, **REG, "model.loss": "huber", "model.loss.delta": "0.5", "optimizer": "sgd", **o(lr=0.1)}))
C.append(("cls sgd wd=0.05", "cls3.jsonl", {**BASE, **CLS, "optimizer": "sgd", **o(lr=0.1, weight_decay=0.05)}))
C.append(("cls adam wd=0.05", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adam", **o(lr=0.01, weight_decay=0.05)}))
C.append(("cls adamw wd=0.1", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adamw", **o(lr=0.01, weight_decay=0.1)}))
C.append(("cls sgd clip=0.1", "cls3.jsonl", {**BASE, **CLS, "optimizer": "sgd", **o(lr=0.1, clip_norm=0.1)}))
C.append(("cls adam clip=0.1", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adam", **o(lr=0.01, clip_norm=0.1)}))
C.append(("reg mse sgd clip=0.2", "reg.jsonl", {**BASE, **REG, "optimizer": "sgd", **o(lr=0.05, clip_norm=0.2)}))
# extras
C.append(("cls adam amsgrad", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adam", **o(lr=0.01, amsgrad="true")}))
C.append(("cls rmsprop mom=0.5 centered", "cls3.jsonl", {**BASE, **CLS, "optimizer": "rmsprop", **o(momentum=0.5, centered="true")}))
C.append(("cls adagrad lr-decay=0.1 acc=0.1", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adagrad", **o(lr_decay=0.1, initial_accumulator=0.1)}))
C.append(("cls momentum dampening=0.3", "cls3.jsonl", {**BASE, **CLS, "optimizer": "momentum", **o(lr=0.05, dampening=0.3)}))
C.append(("cls adadelta wd=0.01", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adadelta", **o(weight_decay=0.01)}))
C.append(("cls rmsprop wd=0.01", "cls3.jsonl", {**BASE, **CLS, "optimizer": "rmsprop", **o(weight_decay=0.01)}))
C.append(("cls adagrad wd=0.01", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adagrad", **o(weight_decay=0.01)}))
C.append(("cls nesterov wd=0.01", "cls3.jsonl", {**BASE, **CLS, "optimizer": "nesterov", **o(lr=0.05, weight_decay=0.01)}))
C.append(("reg mae sgd", "reg.jsonl", {**BASE, **REG, "model.loss": "mae", "optimizer": "sgd", **o(lr=0.1)}))
C.append(("cls hinge [6,8,3] relu,identity sgd", "cls3.jsonl", {**BASE, "model.layers": "6,8,3", "model.activations": "relu,identity", "model.loss": "hinge", "optimizer": "sgd", **o(lr=0.1)}))
C.append(("bin hinge [6,1] identity sgd", "bin.jsonl", {**BASE, "model.layers": "6,1", "model.activations": "identity", "model.loss": "hinge", "optimizer": "sgd", **o(lr=0.1)}))
C.append(("reg mse [6,8,1] sigmoid,identity adam", "reg.jsonl", {**BASE, **REG, "model.activations": "sigmoid,identity", "optimizer": "adam", **o(lr=0.01)}))
# README "What an epoch is" steps 2-4 and the standardisation note; kl, multilabel bce, leaky_relu's slope
STD = {"features.standardize": "true"}
C.append(("shift cls sgd standardize", "shift.jsonl", {**BASE, **CLS, **STD, "optimizer": "sgd", **o(lr=0.1)}))
C.append(("shift cls adam standardize passes=2", "shift.jsonl", {**BASE, **CLS, **STD, "optimizer": "adam", "epoch.passes": "2", **o(lr=0.01)}))
C.append(("shift reg mse sgd standardize win40", "shift_reg.jsonl", {**BASE, **REG, **STD, "optimizer": "sgd", "epoch.window": "count:40", **o(lr=0.05)}))
C.append(("cls sgd holdout=0.25", "cls3.jsonl", {**BASE, **CLS, "train.holdout": "0.25", "optimizer": "sgd", **o(lr=0.1)}))
# schedules: windows of 16 give six epochs, enough for the step boundaries and a plateau's reductions
C.append(("cls sgd schedule=step", "cls3.jsonl", {**BASE, **CLS, "optimizer": "sgd", "epoch.window": "count:16",
                                                  "schedule": "step", "schedule.step-size": "2", "schedule.gamma": "0.3",
                                                  **o(lr=0.1)}))
C.append(("cls adam schedule=exponential", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adam", "epoch.window": "count:16",
                                                          "schedule": "exponential", "schedule.gamma": "0.7", **o(lr=0.01)}))
C.append(("reg sgd schedule=inverse-time", "reg.jsonl", {**BASE, **REG, "optimizer": "sgd", "epoch.window": "count:16",
                                                         "schedule": "inverse-time", "schedule.decay": "0.5", **o(lr=0.05)}))
C.append(("cls sgd schedule=plateau", "cls3.jsonl", {**BASE, **CLS, "optimizer": "sgd", "epoch.window": "count:16",
                                                     "schedule": "plateau", "schedule.patience": "0",
                                                     "schedule.factor": "0.5", "schedule.min-lr": "0.02", **o(lr=0.2)}))
C.append(("cls adam shuffle passes=2", "cls3.jsonl", {**BASE, **CLS, "optimizer": "adam", "train.shuffle": "true",
                                                     "epoch.passes": "2", "model.seed": "-7"}))
C.append(("cls sgd shuffle holdout=0.25", "cls3.jsonl", {**BASE, **CLS, "optimizer": "sgd", "train.shuffle": "true",
                                                        "train.holdout": "0.25", **o(lr=0.1)}))
C.append(("shift cls adam holdout=0.25 standardize", "shift.jsonl", {**BASE, **CLS, **STD, "train.holdout": "0.25", "optimizer": "adam", **o(lr=0.01)}))
C.append(("kl [6,8,3] relu,softmax sgd", "kl.jsonl", {**BASE, "model.layers": "6,8,3", "model.activations": "relu,softmax", "model.loss": "kl", "optimizer": "sgd", **o(lr=0.2)}))
C.append(("kl [6,8,3] tanh,softmax adam holdout=0.25", "kl.jsonl", {**BASE, "model.layers": "6,8,3", "model.activations": "tanh,softmax", "model.loss": "kl", "train.holdout": "0.25", "optimizer": "adam", **o(lr=0.01)}))
C.append(("multilabel bce [6,8,3] sigmoid adam", "ml.jsonl", {**BASE, "model.layers": "6,8,3", "model.activations": "relu,sigmoid", "model.loss": "bce", "optimizer": "adam", **o(lr=0.01)}))
C.append(("multilabel bce [6,8,3] sgd", "ml.jsonl", {**BASE, "model.layers": "6,8,3", "model.activations": "tanh,sigmoid", "model.loss": "bce", "optimizer": "sgd", **o(lr=0.5)}))
C.append(("cls leaky_relu slope=0.1 sgd", "cls3.jsonl", {**BASE, "model.layers": "6,8,8,3", "model.activations": "leaky_relu,leaky_relu,softmax", "model.leaky-slope": "0.1", "model.loss": "cce", "optimizer": "sgd", **o(lr=0.1)}))
C.append(("reg leaky_relu slope=0.1 adam", "reg.jsonl", {**BASE, **REG, "model.activations": "leaky_relu,identity", "model.leaky-slope": "0.1", "optimizer": "adam", **o(lr=0.01)}))
# the sparse first layer (hashed attributes, or inputs over 4,096): its lazy updates, the deferred weight decay caught
# up on reads and exports, and FTRL must give the dense run's model
HASH = {"features.hash-bits": "4", "model.layers": "19,1", "model.activations": "sigmoid", "model.loss": "bce"}
SPARSE = {"model.layers": "5000,3", "model.activations": "softmax", "model.loss": "cce"}
C.append(("hashed [19,1] adagrad wd=0.01", "hashed.jsonl", {**BASE, **HASH, "optimizer": "adagrad", **o(lr=0.1, weight_decay=0.01)}))
C.append(("hashed [19,1] sgd wd=0.05", "hashed.jsonl", {**BASE, **HASH, "optimizer": "sgd", **o(lr=0.2, weight_decay=0.05)}))
C.append(("hashed [19,1] ftrl l1=0.01 l2=0.1", "hashed.jsonl", {**BASE, **HASH, "optimizer": "ftrl",
                                                                "optimizer.ftrl.alpha": "0.3", "optimizer.ftrl.l1": "0.01",
                                                                "optimizer.ftrl.l2": "0.1"}))
C.append(("hashed [19,8,1] ftrl schedule=exponential", "hashed.jsonl",
          {**BASE, **HASH, "model.layers": "19,8,1", "model.activations": "tanh,sigmoid", "optimizer": "ftrl",
           "epoch.window": "count:16", "schedule": "exponential", "schedule.gamma": "0.7"}))
C.append(("hashed [19,8,1] adam std", "hashed.jsonl", {**BASE, **HASH, **STD, "model.layers": "19,8,1",
                                                       "model.activations": "relu,sigmoid", "optimizer": "adam", **o(lr=0.01)}))
C.append(("sparse [5000,3] adagrad wd=0.01 passes=2", "sparse.jsonl", {**BASE, **SPARSE, "optimizer": "adagrad",
                                                                       "epoch.passes": "2", **o(lr=0.1, weight_decay=0.01)}))
C.append(("sparse [5000,3] sgd wd=0.01 clip=0.5", "sparse.jsonl", {**BASE, **SPARSE, "optimizer": "sgd",
                                                                   **o(lr=0.5, weight_decay=0.01, clip_norm=0.5)}))
C.append(("sparse [5000,4,3] ftrl", "sparse.jsonl", {**BASE, **SPARSE, "model.layers": "5000,4,3",
                                                     "model.activations": "relu,softmax", "optimizer": "ftrl"}))
C.append(("sparse [5000,3] rmsprop", "sparse.jsonl", {**BASE, **SPARSE, "optimizer": "rmsprop"}))
# triplet: batch-hard mining within each batch (and each scoring chunk of up to 256 rows, so windows stay within one)
TRIP = {"model.loss": "triplet"}
C.append(("triplet [6,8,3] relu,identity adam", "cls3.jsonl", {**BASE, **TRIP, "model.layers": "6,8,3",
                                                               "model.activations": "relu,identity", "optimizer": "adam",
                                                               **o(lr=0.01)}))
C.append(("triplet [6,8,2] tanh,tanh sgd margin=0.5", "cls3.jsonl", {**BASE, **TRIP, "model.layers": "6,8,2",
                                                                     "model.activations": "tanh,tanh",
                                                                     "model.loss.margin": "0.5", "optimizer": "sgd",
                                                                     **o(lr=0.1)}))
# real data sets (data/README.md): the rows of five public data sets in a fixed shuffled order, with their raw
# magnitudes (wine's proline up to 1,680, breast cancer's areas up to 4,254, diabetes' targets 25..346)
RCLS = {"model.activations": "relu,softmax", "model.loss": "cce"}
C.append(("real iris [4,8,3] adam std shuffle passes=2 holdout=0.2", "iris.jsonl",
          {**BASE, **RCLS, "model.layers": "4,8,3", **STD, "epoch.window": "count:30", "train.batch-size": "10",
           "train.shuffle": "true", "epoch.passes": "2", "train.holdout": "0.2", "optimizer": "adam", **o(lr=0.01)}))
C.append(("real wine [13,16,3] momentum std", "wine.jsonl",
          {**BASE, "model.layers": "13,16,3", "model.activations": "tanh,softmax", "model.loss": "cce", **STD,
           "optimizer": "momentum", **o(lr=0.05)}))
C.append(("real wine raw [13,3] rmsprop", "wine.jsonl",
          {**BASE, "model.layers": "13,3", "model.activations": "softmax", "model.loss": "cce", "optimizer": "rmsprop",
           **o(lr=0.001)}))
C.append(("real breast cancer [30,1] bce adam std holdout=0.2", "breast_cancer.jsonl",
          {**BASE, "model.layers": "30,1", "model.activations": "sigmoid", "model.loss": "bce", **STD,
           "epoch.window": "count:64", "train.batch-size": "16", "train.holdout": "0.2", "optimizer": "adam", **o(lr=0.01)}))
C.append(("real breast cancer [30,16,1] adagrad std clip=1", "breast_cancer.jsonl",
          {**BASE, "model.layers": "30,16,1", "model.activations": "relu,sigmoid", "model.loss": "bce", **STD,
           "epoch.window": "count:64", "train.batch-size": "16", "optimizer": "adagrad", **o(lr=0.05, clip_norm=1.0)}))
C.append(("real diabetes [10,16,1] mse adam std passes=3", "diabetes.jsonl",
          {**BASE, **REG, "model.layers": "10,16,1", **STD, "epoch.window": "count:64", "train.batch-size": "16",
           "epoch.passes": "3", "optimizer": "adam", **o(lr=0.05)}))
C.append(("real diabetes [10,1] huber d=20 sgd std exponential", "diabetes.jsonl",
          {**BASE, "model.layers": "10,1", "model.activations": "identity", "model.loss": "huber",
           "model.loss.delta": "20", **STD, "epoch.window": "count:64", "train.batch-size": "16", "optimizer": "sgd",
           "schedule": "exponential", "schedule.gamma": "0.8", **o(lr=0.05)}))
C.append(("real digits [64,32,10] adam", "digits.jsonl",
          {**BASE, **RCLS, "model.layers": "64,32,10", "epoch.window": "count:256", "train.batch-size": "32",
           "optimizer": "adam"}))
C.append(("real digits [64,32,10] nesterov std wd", "digits.jsonl",
          {**BASE, **RCLS, "model.layers": "64,32,10", **STD, "epoch.window": "count:256", "train.batch-size": "32",
           "optimizer": "nesterov", **o(lr=0.01, weight_decay=0.0001)}))
C.append(("real digits [64,10] hinge adadelta", "digits.jsonl",
          {**BASE, "model.layers": "64,10", "model.activations": "identity", "model.loss": "hinge",
           "epoch.window": "count:256", "train.batch-size": "32", "optimizer": "adadelta"}))
C.append(("real iris [4,8,2] triplet std rmsprop", "iris.jsonl",
          {**BASE, **TRIP, "model.layers": "4,8,2", "model.activations": "tanh,identity", **STD,
           "epoch.window": "count:30", "train.batch-size": "10", "optimizer": "rmsprop"}))
C.append(("real digits [64,16,4] triplet adam", "digits.jsonl",
          {**BASE, **TRIP, "model.layers": "64,16,4", "model.activations": "relu,identity", "epoch.window": "count:256",
           "train.batch-size": "32", "optimizer": "adam"}))
# one deliberate deviation from a torch formula per entry (ref.MUT), and a configuration it must change
MUTATIONS = [("adam_bc2_nosqrt", "cls adam"), ("adamw_coupled", "cls adamw wd=0.1"),
             ("buf_zero_init", "cls momentum dampening=0.3"), ("nesterov_plain", "cls nesterov"),
             ("rms_eps_inside", "cls rmsprop"), ("rms_not_centered", "cls rmsprop centered"),
             ("adagrad_decay_t", "cls adagrad lr-decay=0.1 acc=0.1"), ("adadelta_eps_out", "cls adadelta"),
             ("clip_noeps", "cls sgd clip=0.1"), ("clip_noeps", "cls adam clip=0.1"), ("sgd_wd_half", "cls sgd wd=0.05"),
             ("mse_no2", "reg mse sgd"), ("huber_delta1", "reg huber d=0.5 sgd"),
             ("drop_partial", "cls adam win40 batch10 (partials)"),
             ("std_after", "shift cls sgd standardize"), ("std_sample", "shift reg mse sgd standardize win40"),
             ("holdout_signed", "cls sgd holdout=0.25"), ("std_after", "shift cls adam holdout=0.25 standardize"),
             ("std_heldout", "shift cls adam holdout=0.25 standardize"),
             ("kl_mean", "kl [6,8,3] relu,softmax sgd"), ("leaky_default_slope", "cls leaky_relu slope=0.1 sgd"),
             ("leaky_default_slope", "reg leaky_relu slope=0.1 adam"),
             ("shuffle_pass_ignored", "cls adam shuffle passes=2"), ("step_early", "cls sgd schedule=step"),
             ("plateau_ge", "cls sgd schedule=plateau"), ("adam_bc2_nosqrt", "real digits [64,32,10] adam"),
             ("std_sample", "real diabetes [10,16,1] mse adam std passes=3"),
             ("ftrl_z_zero", "hashed [19,8,1] ftrl schedule=exponential"), ("hash_no_sign", "hashed [19,1] adagrad wd=0.01"),
             ("triplet_no_eps", "triplet [6,8,3] relu,identity adam")]

# MurmurHash3_x86_32 known answers (seed 0 unless given): the holdout rule rests on it
MURMUR_VECTORS = [(b"", 0, 0), (b"hello", 0, 0x248bfa47), (b"The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723),
                  (b"", 1, 0x514e28b7), (b"", 0xffffffff, 0x81f16f39), (b"\xff\xff\xff\xff", 0, 0x76293b50),
                  (b"\x21\x43\x65\x87", 0, 0xf55b516b), (b"\x21\x43\x65", 0, 0x7e4a8634), (b"abc", 0, 0xb3dd93fa)]


def write_datasets(work):
    """96 events of 6 dense features, key "default": 3-class, binary and regression labels (seed 20240601)."""
    rng = np.random.default_rng(20240601)
    n, d = 96, 6
    X = rng.normal(0.0, 1.0, size=(n, d))
    A = rng.normal(size=(d, 3))
    cls = np.argmax(X @ A + 0.3 * rng.normal(size=(n, 3)), axis=1)
    binl = ((X[:, 0] - 0.7 * X[:, 2] + 0.5 * X[:, 4] + 0.2 * rng.normal(size=n)) > 0).astype(int)
    reg = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] - 0.3 * X[:, 3] + 0.1 * rng.normal(size=n)
    # standardisation needs inputs far from N(0,1): shifted and scaled columns, and a constant one (zero std)
    Xs = X * np.array([1.0, 2.0, 5.0, 0.5, 3.0, 0.0]) + np.array([3.0, -2.0, 10.0, 0.0, 1.0, 4.0])
    # kl: distributions in eighths (they sum to exactly 1; zeros exercise 0·log 0), drawn around softmax(X·A)
    logits = X @ A; p = np.exp(logits - logits.max(axis=1, keepdims=True)); p /= p.sum(axis=1, keepdims=True)
    kl = [[float(c) / 8 for c in rng.multinomial(8, p[i])] for i in range(n)]
    ml = [[int(X[i, 0] > 0), int(X[i, 1] + X[i, 2] > 0), int(cls[i] == 2)] for i in range(n)]
    for name, labels, feats in [("cls3.jsonl", [int(v) for v in cls], X), ("bin.jsonl", [int(v) for v in binl], X),
                                ("reg.jsonl", [float(v) for v in reg], X), ("shift.jsonl", [int(v) for v in cls], Xs),
                                ("shift_reg.jsonl", [float(v) for v in reg], Xs), ("kl.jsonl", kl, X), ("ml.jsonl", ml, X)]:
        with open(os.path.join(work, name), "w") as f:
            for i in range(n):
                f.write(json.dumps({"id": f"e{i}", "key": "default", "time": 1700000000000 + 1000 * i,
                                    "features": [float(v) for v in feats[i]], "label": labels[i]}) + "\n")
    open(os.path.join(work, "empty.jsonl"), "w").close()
    write_sparse_datasets(work)
    for name in REAL_DATA_SETS:
        write_real(work, name)


def write_sparse_datasets(work):
    """96 events each (seed 20261129), for the learner's sparse first layer: hashed.jsonl, 3 dense features and four
    string attributes (features.hash-bits=4: 16 columns, so attributes collide), a binary label; sparse.jsonl,
    sparse vectors of size 5,000 (the learner keeps inputs over 4,096 sparse) with 12 non-zeros drawn from 300
    columns (so that columns recur across batches, skipped by some and read again), a 3-class label."""
    rng = np.random.default_rng(20261129)
    n = 96
    with open(os.path.join(work, "hashed.jsonl"), "w") as f:
        for i in range(n):
            x = rng.normal(size=3)
            a = {"color": f"c{rng.integers(6)}", "shape": f"s{rng.integers(5)}", "size": f"z{rng.integers(4)}",
                 "user": f"u{rng.integers(30)}"}
            label = int(x[0] + (0.8 if a["color"] in ("c1", "c4") else -0.4) + 0.3 * rng.normal() > 0)
            f.write(json.dumps({"id": f"h{i}", "key": "default", "time": 1700000000000 + 1000 * i,
                                "features": [float(v) for v in x], "attributes": a, "label": label}) + "\n")
    pool = rng.choice(5000, size=300, replace=False)
    weights = rng.normal(size=(5000, 3))
    with open(os.path.join(work, "sparse.jsonl"), "w") as f:
        for i in range(n):
            idx = np.sort(rng.choice(pool, size=12, replace=False))
            val = rng.normal(size=12)
            label = int(np.argmax(val @ weights[idx] + 0.3 * rng.normal(size=3)))
            f.write(json.dumps({"id": f"s{i}", "key": "default", "time": 1700000000000 + 1000 * i,
                                "features": {"size": 5000, "indices": [int(v) for v in idx],
                                             "values": [float(v) for v in val]}, "label": label}) + "\n")


REAL_DATA_SETS = ["iris", "wine", "breast_cancer", "diabetes", "digits"]


def write_real(work, name):
    """data/NAME.csv (features, then the label; a header line) as NAME.jsonl, one event a row in the file's order."""
    rows = [line.strip().split(",") for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                  "data", name + ".csv"))][1:]
    with open(os.path.join(work, name + ".jsonl"), "w") as f:
        for i, row in enumerate(rows):
            label = float(row[-1]) if name == "diabetes" else int(row[-1])
            f.write(json.dumps({"id": f"{name}-{i}", "key": "default", "time": 1700000000000 + 1000 * i,
                                "features": [float(v) for v in row[:-1]], "label": label}) + "\n")


def run(args):
    r = subprocess.run([ES] + args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{args}: rc={r.returncode}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def flat(ps):
    return np.concatenate([np.ravel(p) for p in ps])


def rel_diff(j, r):
    """The largest absolute and relative difference. Relative to the larger of the two values, but never to less
    than 1e-6 of the largest value: a weight that cancels to about zero (a bias whose batch gradients are ±k/8)
    is 0.0 in one implementation and 7e-18 in another that rounds one product differently (torch's add_ with
    alpha is a fused multiply-add on AVX2), and that is no disagreement."""
    diff = np.abs(j - r)
    den = np.maximum(np.maximum(np.abs(j), np.abs(r)), 1e-6 * max(np.abs(j).max(initial=0.0), np.abs(r).max(initial=0.0)))
    nz = den > 0
    return diff.max(), (diff[nz] / den[nz]).max() if nz.any() else 0.0


def rel1(j, r):
    """Relative difference of two losses; both None (no held-out events) counts as equal."""
    if j is None or r is None:
        return 0.0 if j is None and r is None else float("inf")
    return abs(j - r) / max(abs(j), abs(r), 1e-300)


def compare(work, k, math_of=ref.NumpyMath):
    """Configuration k's Java results against ref.train (with ref.MUT) over `math_of`'s batch math: the weights, every epoch's
    prequential, training and validation loss, the standardisation statistics, and the bookkeeping."""
    name, data, cfg = C[k]
    d = os.path.join(work, f"{k:02d}")
    init = json.loads(run(["inspect", f"{d}/init.snap"]))
    fin = json.loads(run(["inspect", f"{d}/final.snap"]))
    met = [json.loads(line) for line in open(f"{d}/metrics.jsonl")]
    X, labels, ids = ref.load_events(os.path.join(work, data), cfg)
    params, epochs, opt, st = ref.train(cfg, init, X, labels, ids, math_of)
    r = dict(params=params, epochs=epochs, opt=opt, met=met, init=init, fin=fin)
    java = ref.params_from_snapshot(fin)
    if cfg["model.loss"] == "triplet" and cfg["model.activations"].endswith("identity"):
        # Distances ignore a shift of every embedding, so an identity output layer's bias has a gradient of zero up
        # to rounding (5e-17, its sign set by summation order), which Adam and RMSprop normalise into steps of
        # ~lr·1e-9: the bias must stay about zero in both, and is left out of the element-wise comparison.
        r["bias"] = 0.0 if max(np.abs(java[-1]).max(), np.abs(params[-1]).max()) < 1e-6 else float("inf")
        java, params = java[:-1], params[:-1]
    else:
        r["bias"] = 0.0
    r["abs"], r["w"] = rel_diff(flat(java), flat(params))
    r["preq"] = max(rel1(m["prequential"]["loss"], e["prequential_loss"]) for m, e in zip(met, epochs))
    r["train"] = max(rel1(m["trainingLoss"], e["training_loss"]) for m, e in zip(met, epochs))
    r["val"] = max(rel1((m.get("validation") or {}).get("loss"), e["validation_loss"]) for m, e in zip(met, epochs))
    r["lr"] = max(rel1(m["learningRate"], e["lr"]) for m, e in zip(met, epochs))   # the schedule's rate per epoch
    pre = fin.get("preprocessing") or {}
    if st.on:   # the snapshot's count/means/m2 against the reference's Welford statistics
        r["std"] = (max(rel_diff(np.array(pre["means"]), st.mean)[1], rel_diff(np.array(pre["m2"]), st.m2)[1])
                    if pre.get("count") == st.count else float("inf"))
    else:
        r["std"] = 0.0 if not pre.get("standardize") else float("inf")
    versions = sum(e["trained"] for e in epochs)
    r["meta"] = (len(met) == len(epochs) and fin["version"] == versions
                 and (fin["optimizer"] or {}).get("step") == opt.step_t
                 and fin["counters"]["refusedUpdates"] == 0 and not any(m["updateRefused"] for m in met)
                 and fin["counters"]["heldOut"] == sum(e["n_held"] for e in epochs)
                 and fin["counters"]["trained"] == sum(e["n_trained"] for e in epochs)
                 and all(m["heldOut"] == sum(e["n_held"] for e in epochs[:i + 1]) for i, m in enumerate(met)))
    r["worst"] = max(r["w"], r["preq"], r["train"], r["val"], r["std"], r["lr"], r["bias"])   # the largest relative disagreement
    return r


def replay(work, k):
    """Trains configuration k with bin/epochstream replay into WORK/k: init.snap (no events), final.snap and
    metrics.jsonl."""
    name, data, cfg = C[k]
    d = os.path.join(work, f"{k:02d}")
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/job.properties", "w") as f:
        f.write("".join(f"{a}={b}\n" for a, b in cfg.items()))
    run(["replay", "--config", f"{d}/job.properties", "--events", os.path.join(work, "empty.jsonl"),
         "--out", f"{d}/init.snap"])
    run(["replay", "--config", f"{d}/job.properties", "--events", os.path.join(work, data),
         "--out", f"{d}/final.snap", "--metrics", f"{d}/metrics.jsonl"])


def check_configurations(work, only, math_of=ref.NumpyMath, include=lambda cfg: True):
    """Every configuration whose name contains `only` and that `include`s, replayed and compared with the reference
    over `math_of`'s batch math."""
    ok_all = True
    for k, (name, data, cfg) in enumerate(C):
        if (only and only not in name) or not include(cfg):
            continue
        replay(work, k)
        r = compare(work, k, math_of)
        moved = np.abs(flat(r["params"]) - flat(ref.params_from_snapshot(r["init"]))).max()
        held = sum(e["n_held"] for e in r["epochs"])
        ok = r["worst"] < 1e-9 and r["meta"] and moved > 1e-3
        ok_all &= ok
        print(f"{name:42s} abs {r['abs']:.2e} rel {r['w']:.2e} | moved {moved:.2e} | loss rel preq {r['preq']:.1e} "
              f"train {r['train']:.1e} val {r['val']:.1e} | lr {r['lr']:.1e} | std rel {r['std']:.1e} | held {held} | "
              f"epochs {len(r['met'])} v{r['fin']['version']} meta {'ok' if r['meta'] else 'BAD'} | "
              f"{'AGREE' if ok else 'DISAGREE'}", flush=True)
    return ok_all


def check_mutations(work, only):
    """A mutation is detected when any compared quantity (weights, losses, statistics) moves past 1e-9."""
    names = [c[0] for c in C]
    ok_all = True
    for mutation, cname in MUTATIONS:
        if only and only not in cname:
            continue
        k = names.index(cname)
        ref.MUT.clear()
        ref.MUT.add(mutation)
        try:
            rel = compare(work, k)["worst"]
        finally:
            ref.MUT.clear()
        detected = rel > 1e-9
        ok_all &= detected
        print(f"mutation {mutation:19s} on {cname:40s} rel {rel:.1e} -> {'detected' if detected else 'NOT DETECTED'}")
    return ok_all


def check_murmur():
    bad = [(d, s, e) for d, s, e in MURMUR_VECTORS if ref.murmur3_x86_32(d, s) != e]
    print(f"MurmurHash3_x86_32 known answers: {len(MURMUR_VECTORS) - len(bad)}/{len(MURMUR_VECTORS)}"
          + "".join(f"; {d!r} seed {s:#x}: {ref.murmur3_x86_32(d, s):#010x} != {e:#010x}" for d, s, e in bad))
    return not bad


# java.util.SplittableRandom(7).nextInt(i + 1) for i = 95 down to 1, as jshell (JDK 17) printed them: the
# shuffle's generator, ported in ref.SplittableRandom
SPLITTABLE_RANDOM_7 = [int(v) for v in """40 48 79 63 77 88 11 40 68 0 65 5 52 80 42 64 57 69 47 53 63 7 30 5 11 7 31 45
    8 44 15 19 53 33 43 12 29 39 23 30 19 32 37 38 48 16 0 4 3 31 41 25 12 17 38 6 2 34 13 4 22 13 0 20 15 17 8 7 4
    16 12 7 10 7 3 11 11 7 1 15 2 5 8 2 7 9 4 6 4 5 1 0 0 0 1""".split()]


def check_splittable_random():
    r = ref.SplittableRandom(7)
    got = [r.next_int(i + 1) for i in range(95, 0, -1)]
    print(f"SplittableRandom known answers: {'ok' if got == SPLITTABLE_RANDOM_7 else 'WRONG'}")
    return got == SPLITTABLE_RANDOM_7


def main():
    work = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else tempfile.mkdtemp(prefix="epochstream-reference-")
    only = sys.argv[2] if len(sys.argv) > 2 else None
    os.makedirs(work, exist_ok=True)
    write_datasets(work)
    murmur = check_murmur() and check_splittable_random()
    agree = check_configurations(work, only)
    sensitive = check_mutations(work, only)
    ok = murmur and agree and sensitive
    print(f"reference check: {'OK' if ok else 'FAILED'} (work dir {work})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
