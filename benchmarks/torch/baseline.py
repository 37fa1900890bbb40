"""PyTorch on this machine, for the issue's side-by-side figures: the same cases as the JMH learner benchmarks
(float64, one thread), trained the way a hand-written PyTorch loop would train them: zero_grad, forward, loss,
backward, step, over a pool of 2,048 random rows drawn once (as benchmarks' TrainingFixture does).

    python3 benchmarks/torch/baseline.py [SECONDS_PER_CASE]

Needs a python3 with torch (this machine: the CPU wheel in /opt/wheels; see BENCHMARKS.md). Prints examples/s
per case: the mean over three timed rounds after a warm-up round, and the rounds' spread.
"""
import sys, time, warnings
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
warnings.filterwarnings("ignore", message="Sparse invariant checks")   # Adagrad's sparse path says it once
torch.manual_seed(42)
POOL = 2048
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0


def dense_case(layers, acts, loss, opt, batch):
    mods = []
    for i, a in enumerate(acts):
        mods.append(nn.Linear(layers[i], layers[i + 1]))
        if a == "relu":
            mods.append(nn.ReLU())
    model = nn.Sequential(*mods)
    x = torch.randn(POOL, layers[0])
    if loss == "cce":
        y = torch.randint(0, layers[-1], (POOL,))
        criterion = nn.CrossEntropyLoss()
    else:
        y = torch.randint(0, 2, (POOL, 1)).double()
        criterion = nn.BCEWithLogitsLoss()
    optimizer = (torch.optim.Adam(model.parameters(), lr=1e-3) if opt == "adam"
                 else torch.optim.SGD(model.parameters(), lr=0.01))
    batches = [(x[i:i + batch], y[i:i + batch]) for i in range(0, POOL - batch + 1, batch)]

    def step(k):
        xb, yb = batches[k % len(batches)]
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    return step


def sparse_case(batch, inputs=1 << 20, nnz=30):
    """2^20 inputs, 30 non-zeros a row, [2^20, 1] logistic: the torch way, an EmbeddingBag with sparse gradients."""
    bag = nn.EmbeddingBag(inputs, 1, mode="sum", sparse=True)
    nn.init.zeros_(bag.weight)
    bias = nn.Parameter(torch.zeros(1))
    idx = torch.stack([torch.randperm(inputs)[:nnz].sort().values for _ in range(POOL)])
    val = torch.randn(POOL, nnz)
    y = torch.randint(0, 2, (POOL, 1)).double()
    criterion = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adagrad([bag.weight, bias], lr=0.01)
    batches = [(idx[i:i + batch].reshape(-1), torch.arange(0, batch * nnz, nnz), val[i:i + batch].reshape(-1),
                y[i:i + batch]) for i in range(0, POOL - batch + 1, batch)]

    def step(k):
        i, offsets, w, yb = batches[k % len(batches)]
        optimizer.zero_grad()
        criterion(bag(i, offsets, per_sample_weights=w) + bias, yb).backward()
        optimizer.step()
    return step


def measure(step, batch):
    rates = []
    for rnd in range(4):   # round 0 warms up
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < SECONDS:
            for _ in range(16):
                step(n)
                n += 1
        rate = n * batch / (time.perf_counter() - start)
        if rnd > 0:
            rates.append(rate)
    return sum(rates) / len(rates), max(rates) - min(rates)


CASES = [
    ("[64,32,10] relu/softmax cce, Adam, batch 32", lambda: dense_case([64, 32, 10], ["relu", "none"], "cce", "adam", 32), 32),
    ("[64,32,10] relu/softmax cce, SGD, batch 32", lambda: dense_case([64, 32, 10], ["relu", "none"], "cce", "sgd", 32), 32),
    ("logistic [30,1] bce, Adam, batch 1", lambda: dense_case([30, 1], ["none"], "bce", "adam", 1), 1),
    ("logistic [30,1] bce, SGD, batch 1", lambda: dense_case([30, 1], ["none"], "bce", "sgd", 1), 1),
    ("[784,256,10] relu/softmax cce, Adam, batch 128", lambda: dense_case([784, 256, 10], ["relu", "none"], "cce", "adam", 128), 128),
    ("sparse 2^20 x 30 nnz [2^20,1] bce, Adagrad (sparse), batch 32", lambda: sparse_case(32), 32),
]

if __name__ == "__main__":
    print(f"torch {torch.__version__}, float64, {torch.get_num_threads()} thread, {SECONDS:g} s rounds")
    for name, make, batch in CASES:
        mean, spread = measure(make(), batch)
        print(f"{name:62s} {mean:12,.0f} examples/s (rounds within {spread:,.0f})", flush=True)
