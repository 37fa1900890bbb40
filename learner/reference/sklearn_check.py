"""Cross-checks the learner's metrics against scikit-learn, and `predict` against the reference's forward pass.

For every configuration of check.py (replayed into WORK_DIR unless already there), ref.py trains the model again
and keeps, epoch by epoch, the outputs it scored: the window's events before the update (prequential) and the
held-out ones after it (validation). scikit-learn's functions then compute README's "Metrics" table from those
outputs, and every value of every `EpochMetrics` line of `replay --metrics` must agree, as must its nulls:
`prequential`, `validation` and `rolling` (the prequential outputs of the last `metrics.rolling-epochs` epochs
together). Then `predict` on the final snapshot scores every event of the data set, and its `scores` must agree
with the reference's forward pass under the final weights and standardisation statistics.

    python3 learner/reference/sklearn_check.py [WORK_DIR] [NAME_FILTER]

Needs a python3 with numpy and scikit-learn; not run by CI (no scikit-learn there). Exits 1 on any disagreement.
"""
import json, math, os, sys, tempfile
import numpy as np
from sklearn import metrics as skm

import check
import ref

NAMES = ["accuracy", "precision", "recall", "f1", "macroF1", "logLoss", "mae", "mse", "rmse", "r2"]
EPS = np.finfo(np.float64).eps   # README: probabilities clipped to [2^-52, 1 - 2^-52]


def task(cfg, outputs):
    loss = cfg["model.loss"]
    if loss == "triplet":
        return "embedding"
    if loss in ("mse", "mae", "huber"):
        return "regression"
    if loss == "kl":
        return "distribution"
    return "multilabel" if loss == "bce" and outputs > 1 else "classification"


def expected(cfg, out, y):
    """README's metrics of scored outputs `out` (rows × outputs) against targets `y`, by scikit-learn."""
    n, k = out.shape
    e = dict.fromkeys(NAMES)
    kind = task(cfg, k)
    loss = cfg["model.loss"]
    if n == 0 or kind == "embedding":
        return e
    if kind == "regression":
        t = np.asarray(y, dtype=float).reshape(n, -1)
        e["mae"] = skm.mean_absolute_error(t, out)
        e["mse"] = skm.mean_squared_error(t, out)
        e["rmse"] = math.sqrt(e["mse"])
        e["r2"] = skm.r2_score(t, out, multioutput="uniform_average", force_finite=True) if n >= 2 else None
        return e
    if kind == "multilabel":
        t = np.asarray(y, dtype=int)
        p = (out > 0.5).astype(int)
        e["accuracy"] = skm.accuracy_score(t, p)
        for name, f in [("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)]:
            e[name] = f(t, p, average="micro", zero_division=0)
        e["macroF1"] = skm.f1_score(t, p, average="macro", zero_division=0)
        e["logLoss"] = np.mean([skm.log_loss(t[:, j], np.clip(out[:, j], EPS, 1 - EPS), labels=[0, 1])
                                for j in range(k)])
        return e
    # classification and distribution
    if kind == "distribution":
        true = np.argmax(np.asarray(y, dtype=float), axis=1)
    else:
        true = np.asarray(y, dtype=float).reshape(n).astype(int)
    if k == 1:
        pred = (out[:, 0] > (0.0 if loss == "hinge" else 0.5)).astype(int)
        classes = 2
    else:
        pred = np.argmax(out, axis=1)   # ties to the lower class
        classes = k
    e["accuracy"] = skm.accuracy_score(true, pred)
    average = "binary" if classes == 2 else "micro"
    for name, f in [("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)]:
        e[name] = f(true, pred, average=average, labels=list(range(classes)) if average == "micro" else None,
                    zero_division=0)
    e["macroF1"] = skm.f1_score(true, pred, average="macro", labels=list(range(classes)), zero_division=0)
    if kind == "classification" and loss in ("bce", "cce"):
        probs = out[:, 0] if k == 1 else out
        e["logLoss"] = skm.log_loss(true, np.clip(probs, EPS, 1 - EPS), labels=list(range(classes)))
    return e


def agree(got, want):
    if want is None or got is None:
        return got is None and want is None
    return abs(got - want) <= 1e-9 * max(abs(got), abs(want)) + 1e-15


def compare_metrics(cfg, record, epochs, i):
    """Mismatches of EpochMetrics line i against scikit-learn on the reference's outputs."""
    e = epochs[i]
    rolling = int(cfg.get("metrics.rolling-epochs", 10))
    window = epochs[max(0, i + 1 - rolling):i + 1]
    sets = {"prequential": (e["prequential_outputs"], e["prequential_targets"]),
            "rolling": (np.concatenate([w["prequential_outputs"] for w in window]),
                        np.concatenate([w["prequential_targets"] for w in window]))}
    if e["validation_outputs"] is not None:
        sets["validation"] = (e["validation_outputs"], e["validation_targets"])
    bad = []
    if (record.get("validation") is None) != (e["validation_outputs"] is None):
        bad.append(f"epoch {i + 1} validation present {record.get('validation') is not None}")
    for name, (out, y) in sets.items():
        want = expected(cfg, out, y)
        got = record[name]
        if got["count"] != len(out):
            bad.append(f"epoch {i + 1} {name}.count {got['count']} != {len(out)}")
        for m in NAMES:
            if not agree(got[m], want[m]):
                bad.append(f"epoch {i + 1} {name}.{m} {got[m]} != {want[m]}")
    return bad


def compare_predictions(work, k, cfg, data, params, st):
    """predict's scores of every event of the data set against the reference's forward pass."""
    d = os.path.join(work, f"{k:02d}")
    lines = check.run(["predict", "--snapshot", f"{d}/final.snap", "--events", os.path.join(work, data)]).splitlines()
    got = np.array([json.loads(line)["scores"] for line in lines if line.strip()])
    X, _, _ = ref.load_events(os.path.join(work, data), cfg)
    want = ref.outputs(params, cfg, st.apply(X))
    if cfg["model.loss"] == "triplet" and cfg["model.activations"].endswith("identity"):
        # every embedding carries the output bias, which is rounding noise here (check.compare): compared without it
        fin = json.loads(check.run(["inspect", f"{d}/final.snap"]))
        got, want = got - np.array(fin["biases"][-1]), want - params[-1]
    return check.rel_diff(got, want)[1] if got.shape == want.shape else float("inf")


def main():
    work = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else tempfile.mkdtemp(prefix="epochstream-sklearn-")
    only = sys.argv[2] if len(sys.argv) > 2 else None
    os.makedirs(work, exist_ok=True)
    check.write_datasets(work)
    ok_all = True
    for k, (name, data, cfg) in enumerate(check.C):
        if only and only not in name:
            continue
        if not os.path.exists(os.path.join(work, f"{k:02d}", "final.snap")):
            check.replay(work, k)
        init = json.loads(check.run(["inspect", os.path.join(work, f"{k:02d}", "init.snap")]))
        X, labels, ids = ref.load_events(os.path.join(work, data), cfg)
        params, epochs, _, st = ref.train(cfg, init, X, labels, ids)
        records = [json.loads(line) for line in open(os.path.join(work, f"{k:02d}", "metrics.jsonl"))]
        bad = [] if len(records) == len(epochs) else [f"{len(records)} metric lines for {len(epochs)} epochs"]
        for i, record in enumerate(records[:len(epochs)]):
            bad += compare_metrics(cfg, record, epochs, i)
        predict = compare_predictions(work, k, cfg, data, params, st)
        ok = not bad and predict < 1e-9
        ok_all &= ok
        print(f"{name:42s} metrics {'ok' if not bad else 'BAD: ' + '; '.join(bad[:3])} | predict rel {predict:.1e} | "
              f"{'AGREE' if ok else 'DISAGREE'}", flush=True)
    print(f"sklearn check: {'OK' if ok_all else 'FAILED'} (work dir {work})")
    sys.exit(0 if ok_all else 1)


if __name__ == "__main__":
    main()
