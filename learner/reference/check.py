"""Cross-checks the learner against ref.py, an independent numpy (float64) implementation of torch 1.13.1's
formulas: for every configuration below, bin/epochstream replay trains on a small deterministic data set and
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
ES = os.path.join(ROOT, "bin", "epochstream")

BASE = {"epoch.window": "count:32", "train.batch-size": "8", "train.shuffle": "false",
        "train.holdout": "0", "epoch.passes": "1", "schedule": "constant", "snapshot.optimizer-state": "true"}
CLS = {"model.layers": "6,8,3", "model.activations": "relu,softmax", "model.loss": "cce"}
BIN = {"model.layers": "6,1", "model.activations": "sigmoid", "model.loss": "bce"}
REG = {"model.layers": "6,8,1", "model.activations": "tanh,identity", "model.loss": "mse"}

C = []
def add(name, data, arch, **kw):
    cfg = dict(BASE); cfg.update(arch); cfg.update({k.replace("_", "-").replace("__", "."): v for k, v in kw.items()})
    C.append((name, data, cfg))
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


# one deliberate deviation from a torch formula per entry (ref.MUT), and a configuration it must change
MUTATIONS = [("adam_bc2_nosqrt", "cls adam"), ("adamw_coupled", "cls adamw wd=0.1"),
             ("buf_zero_init", "cls momentum dampening=0.3"), ("nesterov_plain", "cls nesterov"),
             ("rms_eps_inside", "cls rmsprop"), ("rms_not_centered", "cls rmsprop centered"),
             ("adagrad_decay_t", "cls adagrad lr-decay=0.1 acc=0.1"), ("adadelta_eps_out", "cls adadelta"),
             ("clip_noeps", "cls sgd clip=0.1"), ("clip_noeps", "cls adam clip=0.1"), ("sgd_wd_half", "cls sgd wd=0.05"),
             ("mse_no2", "reg mse sgd"), ("huber_delta1", "reg huber d=0.5 sgd"),
             ("drop_partial", "cls adam win40 batch10 (partials)")]


def write_datasets(work):
    """96 events of 6 dense features, key "default": 3-class, binary and regression labels (seed 20240601)."""
    rng = np.random.default_rng(20240601)
    n, d = 96, 6
    X = rng.normal(0.0, 1.0, size=(n, d))
    A = rng.normal(size=(d, 3))
    cls = np.argmax(X @ A + 0.3 * rng.normal(size=(n, 3)), axis=1)
    binl = ((X[:, 0] - 0.7 * X[:, 2] + 0.5 * X[:, 4] + 0.2 * rng.normal(size=n)) > 0).astype(int)
    reg = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] - 0.3 * X[:, 3] + 0.1 * rng.normal(size=n)
    for name, labels in [("cls3.jsonl", [int(v) for v in cls]), ("bin.jsonl", [int(v) for v in binl]),
                         ("reg.jsonl", [float(v) for v in reg])]:
        with open(os.path.join(work, name), "w") as f:
            for i in range(n):
                f.write(json.dumps({"id": f"e{i}", "key": "default", "time": 1700000000000 + 1000 * i,
                                    "features": [float(v) for v in X[i]], "label": labels[i]}) + "\n")
    open(os.path.join(work, "empty.jsonl"), "w").close()


def run(args):
    r = subprocess.run([ES] + args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{args}: rc={r.returncode}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def flat(ps):
    return np.concatenate([np.ravel(p) for p in ps])


def rel_diff(j, r):
    diff = np.abs(j - r)
    den = np.maximum(np.abs(j), np.abs(r))
    nz = den > 0
    return diff.max(), (diff[nz] / den[nz]).max() if nz.any() else 0.0


def compare(work, k, fin=None, init=None):
    """Max abs and rel difference of configuration k's Java final weights against ref.train (with ref.MUT)."""
    name, data, cfg = C[k]
    d = os.path.join(work, f"{k:02d}")
    init = init or json.loads(run(["inspect", f"{d}/init.snap"]))
    fin = fin or json.loads(run(["inspect", f"{d}/final.snap"]))
    X, labels = ref.load_events(os.path.join(work, data))
    params, epochs, opt = ref.train(cfg, init, X, labels)
    a, r = rel_diff(flat(ref.params_from_snapshot(fin)), flat(params))
    return a, r, params, epochs, opt, init, fin


def check_configurations(work, only):
    ok_all = True
    for k, (name, data, cfg) in enumerate(C):
        if only and only not in name:
            continue
        d = os.path.join(work, f"{k:02d}")
        os.makedirs(d, exist_ok=True)
        with open(f"{d}/job.properties", "w") as f:
            f.write("".join(f"{a}={b}\n" for a, b in cfg.items()))
        run(["replay", "--config", f"{d}/job.properties", "--events", os.path.join(work, "empty.jsonl"),
             "--out", f"{d}/init.snap"])
        run(["replay", "--config", f"{d}/job.properties", "--events", os.path.join(work, data),
             "--out", f"{d}/final.snap", "--metrics", f"{d}/metrics.jsonl"])
        a, rel, params, epochs, opt, init, fin = compare(work, k)
        moved = np.abs(flat(params) - flat(ref.params_from_snapshot(init))).max()
        met = [json.loads(line) for line in open(f"{d}/metrics.jsonl")]
        pd = max(abs(m["prequential"]["loss"] - e["prequential_loss"]) / abs(e["prequential_loss"])
                 for m, e in zip(met, epochs))
        td = max(abs(m["trainingLoss"] - e["training_loss"]) / abs(e["training_loss"]) for m, e in zip(met, epochs))
        meta_ok = (len(met) == len(epochs) and fin["version"] == len(epochs)
                   and (fin["optimizer"] or {}).get("step") == opt.step_t
                   and fin["counters"]["refusedUpdates"] == 0 and not any(m["updateRefused"] for m in met))
        ok = rel < 1e-9 and pd < 1e-9 and td < 1e-9 and meta_ok and moved > 1e-3
        ok_all &= ok
        print(f"{name:42s} abs {a:.2e} rel {rel:.2e} | moved {moved:.2e} | preq-loss rel {pd:.1e} "
              f"train-loss rel {td:.1e} | epochs {len(met)} v{fin['version']} meta {'ok' if meta_ok else 'BAD'} | "
              f"{'AGREE' if ok else 'DISAGREE'}", flush=True)
    return ok_all


def check_mutations(work, only):
    names = [c[0] for c in C]
    ok_all = True
    for mutation, cname in MUTATIONS:
        if only and only not in cname:
            continue
        k = names.index(cname)
        ref.MUT.clear()
        ref.MUT.add(mutation)
        try:
            a, rel = compare(work, k)[:2]
        finally:
            ref.MUT.clear()
        detected = rel > 1e-9
        ok_all &= detected
        print(f"mutation {mutation:18s} on {cname:36s} rel {rel:.1e} -> {'detected' if detected else 'NOT DETECTED'}")
    return ok_all


def main():
    work = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else tempfile.mkdtemp(prefix="epochstream-reference-")
    only = sys.argv[2] if len(sys.argv) > 2 else None
    os.makedirs(work, exist_ok=True)
    write_datasets(work)
    agree = check_configurations(work, only)
    sensitive = check_mutations(work, only)
    print(f"reference check: {'OK' if agree and sensitive else 'FAILED'} (work dir {work})")
    sys.exit(0 if agree and sensitive else 1)


if __name__ == "__main__":
    main()
