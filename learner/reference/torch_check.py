"""Cross-checks the learner against torch itself: check.py's configurations (and data sets) replayed with
bin/epochstream, then trained again with torch's own modules, losses, autograd, clip_grad_norm_ and
torch.optim optimizers (foreach=False: the single-tensor updates) in float64, inside the same epoch contract as
ref.py (prequential scoring, holdout, standardisation, batching, shuffle and schedules are README's, not torch's).

    python3 learner/reference/torch_check.py [WORK_DIR] [NAME_FILTER]

Needs a python3 with numpy and torch; not run by CI (CI machines have no torch). The learner follows torch
1.13.1; the single-tensor updates, losses and clip_grad_norm_ compared here did not change in their arithmetic
since (torch 2.13.0 was checked), so any torch from 1.13.1 on will do. Exits 1 on any disagreement.
"""
import os, sys, tempfile
import numpy as np
import torch
import torch.nn.functional as F

import check
import ref

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)   # one summation order per run


class TorchOptimizer:
    """A torch.optim optimizer as ref.train drives one: lr (set by the schedule once per epoch) and step_t."""

    def __init__(self, cfg, params):
        h = ref.Optim(cfg, [p.detach().numpy() for p in params])   # the hyper-parameters as README defines them
        n = h.name
        if n in ("sgd", "momentum", "nesterov"):
            self.torch = torch.optim.SGD(params, lr=h.lr, momentum=h.mom, dampening=h.damp, weight_decay=h.wd,
                                         nesterov=n == "nesterov", foreach=False)
        elif n in ("adam", "adamw"):
            kind = torch.optim.Adam if n == "adam" else torch.optim.AdamW
            self.torch = kind(params, lr=h.lr, betas=(h.b1, h.b2), eps=h.eps, weight_decay=h.wd, amsgrad=h.amsgrad,
                              foreach=False)
        elif n == "rmsprop":
            self.torch = torch.optim.RMSprop(params, lr=h.lr, alpha=h.alpha, eps=h.eps, weight_decay=h.wd,
                                             momentum=h.mom, centered=h.centered, foreach=False)
        elif n == "adagrad":
            self.torch = torch.optim.Adagrad(params, lr=h.lr, lr_decay=h.lr_decay, weight_decay=h.wd,
                                             initial_accumulator_value=float(cfg.get("optimizer.initial-accumulator", 0.0)),
                                             eps=h.eps, foreach=False)
        elif n == "adadelta":
            self.torch = torch.optim.Adadelta(params, lr=h.lr, rho=h.rho, eps=h.eps, weight_decay=h.wd, foreach=False)
        else:
            raise ValueError(f"no torch optimizer for '{n}'")
        self.clip = h.clip
        self.step_t = 0

    @property
    def lr(self):
        return self.torch.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value):
        for group in self.torch.param_groups:
            group["lr"] = value


class TorchMath:
    """ref.train's batch math done by torch: nn.functional layers and losses, autograd, torch.optim."""

    def __init__(self, cfg, params):
        self.cfg = cfg
        self.acts = cfg["model.activations"].split(",")
        self.loss = cfg["model.loss"]
        self.slope = float(cfg.get("model.leaky-slope", 0.01))
        self.delta = float(cfg.get("model.loss.delta", 1.0))
        self.params = [torch.tensor(p, requires_grad=True) for p in params]
        self.opt = TorchOptimizer(cfg, self.params)

    def forward(self, X):
        a = torch.from_numpy(np.ascontiguousarray(X))
        z = a
        for l, name in enumerate(self.acts):
            z = F.linear(a, self.params[2 * l], self.params[2 * l + 1])
            a = {"identity": lambda t: t, "relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
                 "leaky_relu": lambda t: F.leaky_relu(t, self.slope),
                 "softmax": lambda t: F.softmax(t, dim=1)}[name](z)
        return z, a

    def batch_losses(self, X, Y, reduction):
        """The loss of torch.nn's class for this model.loss (of the output layer's input where the class takes
        logits), per event ('none', averaged over the outputs) or as its mean reduction."""
        z, a = self.forward(X)
        y = torch.from_numpy(np.ascontiguousarray(Y))
        per_element = reduction == "none"
        r = "none" if per_element else "mean"
        if self.loss == "cce":
            return F.cross_entropy(z, y, reduction=r)
        if self.loss == "triplet":   # README's batch-hard mining (not differentiated), then torch's loss
            i, p, q = (torch.from_numpy(v) for v in ref.mine_triplets(a.detach().numpy(), Y[:, 0]))
            v = (F.triplet_margin_loss(a[i], a[p], a[q], margin=float(self.cfg.get("model.loss.margin", 1.0)), p=2,
                                       eps=1e-6) if len(i) else a.sum() * 0.0)
            return v.expand(a.shape[0]) if per_element else v
        if self.loss == "kl":
            v = F.kl_div(F.log_softmax(z, dim=1), y, reduction="none" if per_element else "batchmean")
            return v.sum(dim=1) if per_element else v
        if self.loss == "hinge" and a.shape[1] > 1:
            return F.multi_margin_loss(a, y, reduction=r)
        if self.loss == "hinge":   # no torch class: the binary hinge max(0, 1 - y·a), y in {-1, 1}
            v = torch.clamp(1 - (2 * y - 1) * a, min=0)
        elif self.loss == "bce":
            v = F.binary_cross_entropy_with_logits(z, y, reduction="none")
        elif self.loss == "mse":
            v = F.mse_loss(a, y, reduction="none")
        elif self.loss == "mae":
            v = F.l1_loss(a, y, reduction="none")
        elif self.loss == "huber":
            v = F.huber_loss(a, y, reduction="none", delta=self.delta)
        else:
            raise ValueError(self.loss)
        return v.mean(dim=1) if per_element else v.mean()

    def losses(self, params, X, Y):
        with torch.no_grad():
            return self.batch_losses(X, Y, "none").numpy()

    def outputs(self, params, X):
        with torch.no_grad():
            return self.forward(X)[1].numpy()

    def step(self, params, X, Y):
        self.opt.torch.zero_grad(set_to_none=False)
        self.batch_losses(X, Y, "mean").backward()
        if self.opt.clip is not None:
            torch.nn.utils.clip_grad_norm_(self.params, self.opt.clip, foreach=False)
        self.opt.torch.step()
        self.opt.step_t += 1
        return [p.detach().numpy().copy() for p in self.params]


def main():
    work = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else tempfile.mkdtemp(prefix="epochstream-torch-")
    only = sys.argv[2] if len(sys.argv) > 2 else None
    os.makedirs(work, exist_ok=True)
    check.write_datasets(work)
    print(f"torch {torch.__version__}")
    # FTRL-Proximal has no torch class: ref.py's FTRL is the only reference for it
    ok = check.check_configurations(work, only, TorchMath, include=lambda cfg: cfg.get("optimizer") != "ftrl")
    print(f"torch check: {'OK' if ok else 'FAILED'} (work dir {work})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
