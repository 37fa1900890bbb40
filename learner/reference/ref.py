"""Independent float64 reference of the training math (torch 1.13.1 formulas), written from the
torch documentation / single-tensor optimizer source semantics, not from the Java code."""
import json, math
import numpy as np

MUT = set()   # deliberate deviations, for check.py's sensitivity test only; empty = the torch formulas

# ---------------- activations ----------------
def act(name, z, slope=0.01):
    if name == "identity": return z
    if name == "relu": return np.maximum(z, 0.0)
    if name == "leaky_relu": return np.where(z > 0, z, slope * z)
    if name == "tanh": return np.tanh(z)
    if name == "sigmoid": return 1.0 / (1.0 + np.exp(-z))
    if name == "softmax":
        m = z.max(axis=1, keepdims=True); e = np.exp(z - m); return e / e.sum(axis=1, keepdims=True)
    raise ValueError(name)

def dact(name, z, a, slope=0.01):
    if name == "identity": return np.ones_like(z)
    if name == "relu": return (z > 0).astype(float)          # torch threshold_backward: 0 at z == 0
    if name == "leaky_relu": return np.where(z > 0, 1.0, slope)
    if name == "tanh": return 1.0 - a * a
    if name == "sigmoid": return a * (1.0 - a)
    raise ValueError(name)

def log_softmax(z):
    m = z.max(axis=1, keepdims=True); s = z - m
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))

# ---------------- network ----------------
def forward(params, acts, X, slope=0.01):
    zs, as_ = [], [X]
    a = X
    for l, name in enumerate(acts):
        W, b = params[2 * l], params[2 * l + 1]
        z = a @ W.T + b
        a = act(name, z, slope)
        zs.append(z); as_.append(a)
    return zs, as_

def targets(loss, labels, nout):
    if loss in ("cce", "hinge") and nout > 1:
        return np.array(labels, dtype=int)
    return np.array(labels, dtype=float).reshape(len(labels), -1)

def mine_triplets(a, y):
    """README's batch-hard mining: for each anchor i, the farthest other row with its label and the nearest row with
    another label, by plain Euclidean distance (ties to the lowest index); anchors lacking either are left out.
    Returns the anchors, positives and negatives as index arrays."""
    d = np.sqrt(((a[:, None, :] - a[None, :, :]) ** 2).sum(axis=2))
    anchors, pos, neg = [], [], []
    for i in range(len(a)):
        same = [j for j in range(len(a)) if j != i and y[j] == y[i]]
        other = [j for j in range(len(a)) if y[j] != y[i]]
        if same and other:
            anchors.append(i)
            pos.append(same[int(np.argmax(d[i, same]))])
            neg.append(other[int(np.argmin(d[i, other]))])
    return np.array(anchors, dtype=int), np.array(pos, dtype=int), np.array(neg, dtype=int)

def triplet(cfg, aL, Y):
    """torch 1.13.1's triplet_margin_loss(margin, p=2, eps=1e-6, reduction='mean') on the mined triplets (0 without
    any), and its gradient with respect to every row of aL (a row is an anchor, positive or negative)."""
    m = float(cfg.get("model.loss.margin", 1.0)); eps = 0.0 if 'triplet_no_eps' in MUT else 1e-6
    i, p, q = mine_triplets(aL, Y[:, 0])
    grad = np.zeros_like(aL)
    if len(i) == 0:
        return 0.0, grad
    dp_vec, dq_vec = aL[i] - aL[p] + eps, aL[i] - aL[q] + eps      # pairwise_distance: ||x1 - x2 + eps||
    dp, dq = np.sqrt((dp_vec ** 2).sum(axis=1)), np.sqrt((dq_vec ** 2).sum(axis=1))
    t = m + dp - dq
    live = t >= 0                                                   # clamp_min's backward passes self >= min
    gp = np.where(dp[:, None] > 0, dp_vec / np.where(dp > 0, dp, 1.0)[:, None], 0.0) * live[:, None] / len(i)
    gq = np.where(dq[:, None] > 0, dq_vec / np.where(dq > 0, dq, 1.0)[:, None], 0.0) * live[:, None] / len(i)
    np.add.at(grad, i, gp - gq); np.add.at(grad, p, -gp); np.add.at(grad, q, gq)
    return np.maximum(t, 0.0).mean(), grad

def per_event_loss(loss, cfg, zL, aL, Y):
    """Per-event loss values; the batch loss is their mean (torch mean reductions). Triplet's loss belongs to the
    batch as a whole (its mining spans the rows): every event gets it."""
    B, O = zL.shape
    if loss == "triplet":
        return np.full(B, triplet(cfg, aL, Y)[0])
    if loss == "cce":
        return -log_softmax(zL)[np.arange(B), Y]
    if loss == "bce":   # BCEWithLogitsLoss on the sigmoid layer's input, mean over all elements
        l = np.maximum(zL, 0) - zL * Y + np.log1p(np.exp(-np.abs(zL)))
        return l.mean(axis=1)
    if loss == "mse":
        return ((aL - Y) ** 2).mean(axis=1)
    if loss == "mae":
        return np.abs(aL - Y).mean(axis=1)
    if loss == "huber":
        d = float(cfg.get("model.loss.delta", 1.0)); r = np.abs(aL - Y)
        return np.where(r < d, 0.5 * r * r, d * (r - 0.5 * d)).mean(axis=1)
    if loss == "hinge":
        if O == 1:
            y = 2 * Y - 1; return np.maximum(0, 1 - y * aL)[:, 0]
        sy = aL[np.arange(B), Y][:, None]
        m = np.maximum(0, 1 - sy + aL); m[np.arange(B), Y] = 0
        return m.sum(axis=1) / O
    if loss == "kl":   # KLDivLoss(reduction='batchmean')(log_softmax(z), target): sum over classes, mean over rows
        xlogy = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1.0)), 0.0)   # torch's xlogy: 0·log 0 = 0
        per = (xlogy - Y * log_softmax(zL)).sum(axis=1)
        return per / O if 'kl_mean' in MUT else per   # 'mean' would also divide by the class count
    raise ValueError(loss)

def grad_out(loss, cfg, acts, zL, aL, Y, slope):
    """dLoss/dz of the last layer, for the mean-reduced batch loss."""
    B, O = zL.shape
    last = acts[-1]
    if loss == "cce":
        assert last == "softmax"
        p = act("softmax", zL); p[np.arange(B), Y] -= 1.0; return p / B
    if loss == "bce":
        assert last == "sigmoid"
        return (act("sigmoid", zL) - Y) / (B * O)
    if loss == "kl":   # d/dz of -sum(t·log_softmax(z)) is softmax(z)·sum(t) - t; batchmean divides by B
        assert last == "softmax"
        g = act("softmax", zL) * Y.sum(axis=1, keepdims=True) - Y
        return g / (B * O) if 'kl_mean' in MUT else g / B
    if loss == "triplet": da = triplet(cfg, aL, Y)[1]
    elif loss == "mse": da = (1.0 if 'mse_no2' in MUT else 2.0) * (aL - Y) / (B * O)
    elif loss == "mae": da = np.sign(aL - Y) / (B * O)
    elif loss == "huber":
        d = float(cfg.get("model.loss.delta", 1.0)); da = (np.clip(aL - Y, -1.0, 1.0) if 'huber_delta1' in MUT else np.clip(aL - Y, -d, d)) / (B * O)
    elif loss == "hinge":
        if O == 1:
            y = 2 * Y - 1; da = np.where(1 - y * aL > 0, -y, 0.0) / B
        else:
            sy = aL[np.arange(B), Y][:, None]
            act_m = (1 - sy + aL > 0).astype(float); act_m[np.arange(B), Y] = 0
            da = act_m / O
            da[np.arange(B), Y] -= act_m.sum(axis=1) / O
            da /= B
    else: raise ValueError(loss)
    return da * dact(last, zL, aL, slope)

def leaky_slope(cfg):
    return 0.01 if 'leaky_default_slope' in MUT else float(cfg.get("model.leaky-slope", 0.01))

def gradients(params, cfg, X, Y):
    acts = cfg["model.activations"].split(","); loss = cfg["model.loss"]
    slope = leaky_slope(cfg)
    zs, as_ = forward(params, acts, X, slope)
    dz = grad_out(loss, cfg, acts, zs[-1], as_[-1], Y, slope)
    grads = [None] * len(params)
    for l in range(len(acts) - 1, -1, -1):
        grads[2 * l] = dz.T @ as_[l]
        grads[2 * l + 1] = dz.sum(axis=0)
        if l > 0:
            da = dz @ params[2 * l]
            dz = da * dact(acts[l - 1], zs[l - 1], as_[l], slope)
    return grads

def batch_loss(params, cfg, X, Y):
    acts = cfg["model.activations"].split(",")
    zs, as_ = forward(params, acts, X, leaky_slope(cfg))
    return per_event_loss(cfg["model.loss"], cfg, zs[-1], as_[-1], Y)

def outputs(params, cfg, X):
    """The output layer's activations (what predict reports as scores)."""
    return forward(params, cfg["model.activations"].split(","), X, leaky_slope(cfg))[1][-1]

# ---------------- optimizers: torch 1.13.1 _single_tensor_* ----------------
DEF_LR = dict(sgd=0.01, momentum=0.01, nesterov=0.01, adam=1e-3, adamw=1e-3, rmsprop=1e-2, adagrad=1e-2, adadelta=1.0,
              ftrl=0.1)
DEF_EPS = dict(adam=1e-8, adamw=1e-8, rmsprop=1e-8, adagrad=1e-10, adadelta=1e-6)

class Optim:
    def __init__(self, cfg, params):
        g = lambda k, d: float(cfg.get(k, d))
        self.name = cfg.get("optimizer", "adam")
        self.lr = g("optimizer.lr", g("optimizer.ftrl.alpha", DEF_LR[self.name]))
        self.wd = g("optimizer.weight-decay", 0.01 if self.name == "adamw" else 0.0)
        self.eps = g("optimizer.eps", DEF_EPS.get(self.name, 0.0))
        self.mom = g("optimizer.momentum", 0.9 if self.name in ("momentum", "nesterov") else 0.0)
        self.damp = g("optimizer.dampening", 0.0)
        self.b1, self.b2 = g("optimizer.beta1", 0.9), g("optimizer.beta2", 0.999)
        self.alpha, self.rho = g("optimizer.alpha", 0.99), g("optimizer.rho", 0.9)
        self.lr_decay = g("optimizer.lr-decay", 0.0)
        self.amsgrad = cfg.get("optimizer.amsgrad", "false") == "true"
        self.centered = cfg.get("optimizer.centered", "false") == "true"
        self.clip = float(cfg["optimizer.clip-norm"]) if "optimizer.clip-norm" in cfg else None
        init_acc = g("optimizer.initial-accumulator", 0.0)
        z = lambda: [np.zeros_like(p) for p in params]
        self.step_t = 0
        self.buf = [None] * len(params)
        self.m, self.v, self.vmax, self.gavg, self.acc = z(), z(), z(), z(), z()
        self.sum = [np.full_like(p, init_acc) for p in params]
        # FTRL-Proximal (README: McMahan et al. 2013, Algorithm 1): z starts where its weight at n = 0 is the
        # initial weight (0 for a zero weight, as in the paper), n at 0
        self.ftrl_beta, self.l1, self.l2 = g("optimizer.ftrl.beta", 1.0), g("optimizer.ftrl.l1", 0.0), g("optimizer.ftrl.l2", 0.0)
        scale = self.ftrl_beta / self.lr + self.l2
        self.z = [np.zeros_like(p) if 'ftrl_z_zero' in MUT else np.where(p == 0, 0.0, -p * scale - np.sign(p) * self.l1)
                  for p in params]
        self.n = z()

    def step(self, params, grads):
        if self.clip is not None:   # torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=2)
            total = np.linalg.norm(np.array([np.linalg.norm(g.ravel()) for g in grads]))
            coef = min(self.clip / (total + (0.0 if 'clip_noeps' in MUT else 1e-6)), 1.0)
            grads = [g * coef for g in grads]
        self.step_t += 1
        n, lr, wd, eps, t = self.name, self.lr, self.wd, self.eps, self.step_t
        out = []
        for i, (p, g) in enumerate(zip(params, grads)):
            p = p.copy()
            if n in ("sgd", "momentum", "nesterov"):
                d = g + (0.5 * wd if 'sgd_wd_half' in MUT else wd) * p if wd else g
                if self.mom != 0:
                    if self.buf[i] is None: self.buf[i] = (1 - self.damp) * d if 'buf_zero_init' in MUT else d.copy()
                    else: self.buf[i] = self.buf[i] * self.mom + (1 - self.damp) * d
                    d = d + self.mom * self.buf[i] if (n == "nesterov" and 'nesterov_plain' not in MUT) else self.buf[i]
                p = p - lr * d
            elif n in ("adam", "adamw"):
                if n == "adamw" and 'adamw_coupled' not in MUT: p = p * (1 - lr * wd)
                elif wd: g = g + wd * p
                self.m[i] = self.m[i] * self.b1 + (1 - self.b1) * g
                self.v[i] = self.v[i] * self.b2 + (1 - self.b2) * g * g
                bc1 = 1 - self.b1 ** t; bc2 = 1 - self.b2 ** t
                step_size = lr / bc1; bc2s = bc2 if 'adam_bc2_nosqrt' in MUT else math.sqrt(bc2)
                if self.amsgrad:
                    self.vmax[i] = np.maximum(self.vmax[i], self.v[i]); denom = np.sqrt(self.vmax[i]) / bc2s + eps
                else:
                    denom = np.sqrt(self.v[i]) / bc2s + eps
                p = p + (-step_size) * self.m[i] / denom
            elif n == "rmsprop":
                if wd: g = g + wd * p
                self.v[i] = self.v[i] * self.alpha + (1 - self.alpha) * g * g
                if self.centered and 'rms_not_centered' not in MUT:
                    self.gavg[i] = self.gavg[i] * self.alpha + (1 - self.alpha) * g
                    avg = np.sqrt(self.v[i] - self.gavg[i] * self.gavg[i])
                else:
                    avg = np.sqrt(self.v[i])
                avg = np.sqrt(avg * avg + eps) if 'rms_eps_inside' in MUT else avg + eps
                if self.mom > 0:
                    if self.buf[i] is None: self.buf[i] = np.zeros_like(p)
                    self.buf[i] = self.buf[i] * self.mom + g / avg
                    p = p - lr * self.buf[i]
                else:
                    p = p + (-lr) * g / avg
            elif n == "adagrad":
                if wd: g = g + wd * p
                clr = lr / (1 + (t if 'adagrad_decay_t' in MUT else t - 1) * self.lr_decay)
                self.sum[i] = self.sum[i] + g * g
                std = np.sqrt(self.sum[i]) + eps
                p = p + (-clr) * g / std
            elif n == "adadelta":
                if wd: g = g + wd * p
                self.v[i] = self.v[i] * self.rho + (1 - self.rho) * g * g
                std = np.sqrt(self.v[i] + eps)
                delta = (np.sqrt(self.acc[i]) + eps if 'adadelta_eps_out' in MUT else np.sqrt(self.acc[i] + eps)) / std * g
                self.acc[i] = self.acc[i] * self.rho + (1 - self.rho) * delta * delta
                p = p - lr * delta
            elif n == "ftrl":   # per coordinate with a non-zero gradient; alpha is the schedule's rate
                nz = g != 0
                n_new = self.n[i] + g * g
                sigma = (np.sqrt(n_new) - np.sqrt(self.n[i])) / lr
                z_new = self.z[i] + g - sigma * p
                w = np.where(np.abs(z_new) <= self.l1, 0.0,
                             -(z_new - np.sign(z_new) * self.l1) / ((self.ftrl_beta + np.sqrt(n_new)) / lr + self.l2))
                self.z[i], self.n[i] = np.where(nz, z_new, self.z[i]), np.where(nz, n_new, self.n[i])
                p = np.where(nz, w, p)
            else: raise ValueError(n)
            out.append(p)
        return out

# ---------------- holdout: README "What an epoch is", step 2 ----------------
def murmur3_x86_32(data, seed=0):
    """MurmurHash3_x86_32 (Austin Appleby's reference algorithm) of bytes, as an unsigned 32-bit int."""
    c1, c2, M = 0xcc9e2d51, 0x1b873593, 0xffffffff
    rotl = lambda x, r: ((x << r) | (x >> (32 - r))) & M
    h, n = seed & M, len(data)
    for i in range(0, n - n % 4, 4):                       # body: little-endian 4-byte blocks
        k = int.from_bytes(data[i:i + 4], "little")
        k = rotl((k * c1) & M, 15) * c2 & M
        h = (rotl(h ^ k, 13) * 5 + 0xe6546b64) & M
    tail, k = data[n - n % 4:], 0
    for j in reversed(range(len(tail))):                   # tail: the switch's fall-through, bytes 2, 1, 0
        k ^= tail[j] << (8 * j)
    if tail:
        h ^= rotl((k * c1) & M, 15) * c2 & M
    h ^= n                                                 # finalisation mix (fmix32)
    h ^= h >> 16; h = (h * 0x85ebca6b) & M
    h ^= h >> 13; h = (h * 0xc2b2ae35) & M
    return h ^ (h >> 16)

# ---------------- learning-rate schedules (README: advanced once per epoch, after it trained) ----------------
class Schedule:
    """torch 1.13.1's chainable StepLR and ExponentialLR (the rate is multiplied by gamma at each boundary, not
    recomputed by pow), ReduceLROnPlateau (mode 'min', threshold 1e-4 'rel', cooldown 0, eps 1e-8), README's
    inverse-time (base / (1 + decay * epoch)), and constant. step() takes the epoch's monitored loss: the
    validation loss, else the prequential one."""

    def __init__(self, cfg, base):
        g = lambda k, d: float(cfg.get(k, d))
        self.name = cfg.get("schedule", "constant")
        self.base = self.lr = base
        self.epoch = 0                                   # torch's last_epoch: steps taken
        self.gamma, self.step_size = g("schedule.gamma", 0.1), int(g("schedule.step-size", 10))
        self.decay = g("schedule.decay", 0.01)
        self.factor, self.patience, self.min_lr = g("schedule.factor", 0.1), int(g("schedule.patience", 10)), g("schedule.min-lr", 0.0)
        self.best, self.bad = math.inf, 0

    def step(self, monitored):
        self.epoch += 1
        if self.name == "step":
            if self.epoch % self.step_size == (1 if 'step_early' in MUT else 0):
                self.lr = self.lr * self.gamma
        elif self.name == "exponential":
            self.lr = self.lr * self.gamma
        elif self.name == "inverse-time":
            self.lr = self.base / (1 + self.decay * self.epoch)
        elif self.name == "plateau":
            if monitored < self.best * (1 - 1e-4):       # is_better, mode 'min', threshold_mode 'rel'
                self.best, self.bad = monitored, 0
            else:
                self.bad += 1
            if (self.bad >= self.patience) if 'plateau_ge' in MUT else (self.bad > self.patience):
                new = max(self.lr * self.factor, self.min_lr)
                if self.lr - new > 1e-8:
                    self.lr = new
                self.bad = 0


# ---------------- shuffle (README, "What an epoch is", step 3) ----------------
M64 = (1 << 64) - 1


def splitmix64_finaliser(z):
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M64
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64
    return z ^ (z >> 31)


class SplittableRandom:
    """java.util.SplittableRandom(seed) as far as nextInt(bound) goes: the seed advances by the golden gamma, each
    draw is mix32 of it, and a bound that is not a power of two rejects the draws its modulo would bias (the
    JDK's algorithm; check.py compares a sequence with jshell's output)."""
    GOLDEN_GAMMA = 0x9e3779b97f4a7c15

    def __init__(self, seed):
        self.seed = seed & M64

    def _next_int_unsigned(self):
        self.seed = (self.seed + self.GOLDEN_GAMMA) & M64
        z = ((self.seed ^ (self.seed >> 33)) * 0x62a9d9ed799705f5) & M64
        return (((z ^ (z >> 28)) * 0xcb24d0a5c88c35b3) & M64) >> 32

    def next_int(self, bound):
        r = self._next_int_unsigned()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = r >> 1
        while True:
            r = u % bound
            if u + m - r <= 0x7fffffff:    # Java's int sum would not overflow
                return r
            u = self._next_int_unsigned() >> 1


def shuffle_seed(model_seed, key, epoch, pas):
    h = model_seed & M64
    h = splitmix64_finaliser(h ^ murmur3_x86_32(key.encode("utf-8"), 0))
    h = splitmix64_finaliser(h ^ (epoch & M64))
    return splitmix64_finaliser(h ^ ((0 if 'shuffle_pass_ignored' in MUT else pas) & M64))


def shuffled(n, seed):
    """Fisher-Yates from the last index down, j = nextInt(i + 1)."""
    order = list(range(n))
    rnd = SplittableRandom(seed)
    for i in range(n - 1, 0, -1):
        j = rnd.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def held_out(event_id, f):
    """unsigned(MurmurHash3_x86_32(UTF-8(id), seed 0)) / 2^32 < f."""
    h = murmur3_x86_32(event_id.encode("utf-8"), 0)
    if 'holdout_signed' in MUT and h >= 2 ** 31: h -= 2 ** 32     # the hash read as a signed int
    return h / 2.0 ** 32 < f

# ---------------- standardisation: README's configuration notes ----------------
class Standardizer:
    """Welford running mean/m2 per dense input over training events; x' = (x - mean) / std with
    std = sqrt(m2/count), a zero std counting as 1 (so before any training event, x' = x - 0)."""
    def __init__(self, pre, d):
        self.on = bool(pre and pre.get("standardize"))
        self.count = int(pre.get("count", 0)) if self.on else 0
        self.mean = np.array(pre["means"], dtype=float) if self.on and pre.get("means") else np.zeros(d)
        self.m2 = np.array(pre["m2"], dtype=float) if self.on and pre.get("m2") else np.zeros(d)

    def update(self, X):
        if not self.on: return
        for x in X[:, :len(self.mean)]:                    # one event at a time, arrival order; dense inputs only
            self.count += 1
            delta = x - self.mean
            self.mean = self.mean + delta / self.count
            self.m2 = self.m2 + delta * (x - self.mean)

    def apply(self, X):
        if not self.on: return X
        n = self.count - 1 if 'std_sample' in MUT else self.count
        std = np.sqrt(self.m2 / n) if n > 0 else np.zeros_like(self.m2)
        out = X.copy()   # the hashed attribute columns after the dense inputs are left as they are
        out[:, :len(self.mean)] = (X[:, :len(self.mean)] - self.mean) / np.where(std == 0, 1.0, std)
        return out

    def copy(self):
        c = Standardizer(None, 0); c.on, c.count, c.mean, c.m2 = self.on, self.count, self.mean.copy(), self.m2.copy()
        return c

# ---------------- the epoch contract (README "What an epoch is") ----------------
def hashed(attributes, bits):
    """README's hashing trick: attribute name=value adds ±1 at column unsigned(MurmurHash3_x86_32(UTF-8("name=value"),
    0)) mod 2^B, +1 when bit B of the hash is 0, else -1; colliding attributes add up."""
    x = np.zeros(2 ** bits)
    for name, value in (attributes or {}).items():
        h = murmur3_x86_32(f"{name}={value}".encode("utf-8"), 0)
        x[h % 2 ** bits] += 1.0 if 'hash_no_sign' in MUT or (h >> bits) & 1 == 0 else -1.0
    return x

def load_events(path, cfg=None):
    """Network input rows, labels and ids of a JSON-lines event file: the dense features (a sparse
    {"size", "indices", "values"} vector densified), then, with features.hash-bits = B > 0, the 2^B hashed
    attribute columns."""
    ev = [json.loads(l) for l in open(path) if l.strip()]
    bits = int((cfg or {}).get("features.hash-bits", 0))
    rows = []
    for e in ev:
        f = e["features"]
        if isinstance(f, dict):
            x = np.zeros(f["size"]); x[f["indices"]] = f["values"]
        else:
            x = np.array(f, dtype=float)
        rows.append(np.concatenate([x, hashed(e.get("attributes"), bits)]) if bits else x)
    return np.array(rows, dtype=float), [e["label"] for e in ev], [e["id"] for e in ev]

def params_from_snapshot(snap):
    ps = []
    for W, b in zip(snap["weights"], snap["biases"]):
        ps += [np.array(W, dtype=float), np.array(b, dtype=float)]
    return ps

class NumpyMath:
    """The batch math of this module: per-event losses, the scored outputs, and a step's gradients applied by Optim."""
    def __init__(self, cfg, params):
        self.cfg = cfg
        self.opt = Optim(cfg, params)

    def losses(self, params, X, Y):
        return batch_loss(params, self.cfg, X, Y)

    def outputs(self, params, X):
        return outputs(params, self.cfg, X)

    def step(self, params, X, Y):
        return self.opt.step(params, gradients(params, self.cfg, X, Y))


def train(cfg, snap, X, labels, ids, math_of=NumpyMath):
    """Returns final params, per-epoch records (prequential loss, training loss after the passes, validation
    loss on held-out events or None), the optimizer and the standardiser. `math_of(cfg, params)` gives the
    batch math (losses, outputs, step, and an optimizer with lr and step_t): this module's by default, torch's in
    torch_check.py; the epoch contract around it is the same."""
    params = params_from_snapshot(snap)
    nout = params[-1].shape[0]
    Y = targets(cfg["model.loss"], labels, nout)
    win = int(cfg["epoch.window"].split(":")[1]); bs = int(cfg["train.batch-size"])
    passes = int(cfg.get("epoch.passes", 1)); f = float(cfg.get("train.holdout", 0))
    hold = np.array([held_out(i, f) for i in ids], dtype=bool)
    bits = int(cfg.get("features.hash-bits", 0))
    st = Standardizer(snap.get("preprocessing"), X.shape[1] - (2 ** bits if bits else 0))
    engine = math_of(cfg, params)
    opt = engine.opt
    schedule = Schedule(cfg, opt.lr)
    epochs = []
    for s in range(0, len(X), win):           # count windows in arrival order; partial last window trained at the end
        Xw, Yw, hw = X[s:s + win], Y[s:s + win], hold[s:s + win]
        # 1. prequential: every event of the window, scored before training and before the window's own
        #    standardisation update (step 3 comes after step 1)
        scorer = st.copy()
        if 'std_after' in MUT: scorer.update(Xw[~hw])
        preq = engine.losses(params, scorer.apply(Xw), Yw).mean()
        preq_out = engine.outputs(params, scorer.apply(Xw))
        # 2.-3. held-out events are never trained on, nor counted in the statistics
        Xt, Yt = Xw[~hw], Yw[~hw]
        st.update(Xw if 'std_heldout' in MUT else Xt)
        Xs = st.apply(Xt)                     # the statistics stay fixed during the passes
        steps0 = opt.step_t
        epoch = len(epochs) + 1              # the key's epoch number, 1 for its first (the model starts at 0)
        for pas in range(passes):
            if cfg.get("train.shuffle") == "true":
                order = shuffled(len(Xs), shuffle_seed(int(cfg.get("model.seed", 0)), "default", epoch, pas))
            else:
                order = list(range(len(Xs)))
            Xo, Yo = Xs[order], Yt[order]
            for b in range(0, (len(Xs) // bs) * bs if 'drop_partial' in MUT else len(Xs), bs):   # consecutive slices, last partial batch as its own step
                params = engine.step(params, Xo[b:b + bs], Yo[b:b + bs])
        # 4. training loss over the trained events, validation loss over the held-out ones, after the update
        tl = engine.losses(params, Xs, Yt).mean() if len(Xs) else None
        vl = engine.losses(params, st.apply(Xw[hw]), Yw[hw]).mean() if hw.any() else None
        val_out = engine.outputs(params, st.apply(Xw[hw])) if hw.any() else None
        lr_used = opt.lr
        schedule.step(vl if vl is not None else preq)      # 6. the schedule advances for the next epoch
        opt.lr = schedule.lr
        epochs.append(dict(prequential_loss=preq, training_loss=tl, validation_loss=vl, steps=opt.step_t, lr=lr_used,
                           prequential_outputs=preq_out, prequential_targets=Yw, validation_outputs=val_out,
                           validation_targets=Yw[hw],
                           trained=opt.step_t > steps0, n_trained=int((~hw).sum()), n_held=int(hw.sum())))
    return params, epochs, opt, st
