#!/usr/bin/env python3
"""PyTorch peer of the seamount autoencoder, for side-by-side speed figures (bench/model.ts).

Same architecture as src/model/autoencoder.ts (strided k x k conv encoder with ReLU, linear dense
bottleneck, dense + ReLU back to the encoder's last feature map, stride-2 transposed-conv decoder with
ReLU, linear 1-channel output), same input size, same batch sizes, Adam, mean squared error.
Only speed is compared; weights are not shared.

Usage: peer_speed.py --samples 32 --filters 16,32,64 --kernel 3 --bottleneck 32 \
         --train-batch 32 --train-samples 2048 --score-batch 256 --score-windows 8192 --threads 2
Prints one JSON object on stdout: {"torch": version, "threads": n, "trainSamplesPerSec": x,
"scoreWindowsPerSec": y, ...}.
"""
import argparse
import json
import time

import torch
from torch import nn


def build(samples: int, filters: list[int], kernel: int, bottleneck: int) -> nn.Module:
    if samples % (2 ** len(filters)) != 0:
        raise SystemExit(f"samples {samples} is not divisible by 2^{len(filters)}")
    pad = kernel // 2
    enc: list[nn.Module] = []
    cin = 1
    for f in filters:
        enc += [nn.Conv2d(cin, f, kernel, stride=2, padding=pad), nn.ReLU()]
        cin = f
    side = samples // (2 ** len(filters))
    flat = side * side * filters[-1]
    dec: list[nn.Module] = []
    outs = list(reversed(filters[:-1])) + [1]
    for i, f in enumerate(outs):
        dec.append(nn.ConvTranspose2d(cin, f, kernel, stride=2, padding=pad, output_padding=1))
        if i < len(outs) - 1:
            dec.append(nn.ReLU())
        cin = f
    return nn.Sequential(
        *enc,
        nn.Flatten(),
        nn.Linear(flat, bottleneck),
        nn.Linear(bottleneck, flat),
        nn.ReLU(),
        nn.Unflatten(1, (filters[-1], side, side)),
        *dec,
    )


def windows(count: int, samples: int, gen: torch.Generator) -> torch.Tensor:
    """Gaussian bumps with random centres and widths, in [-1, 1]-ish, like normalised seamount windows."""
    ax = torch.linspace(-1, 1, samples)
    yy, xx = torch.meshgrid(ax, ax, indexing="ij")
    cx = (torch.rand(count, 1, 1, generator=gen) - 0.5) * 0.4
    cy = (torch.rand(count, 1, 1, generator=gen) - 0.5) * 0.4
    s = 0.1 + torch.rand(count, 1, 1, generator=gen) * 0.3
    bump = torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * s * s))
    noise = 0.05 * torch.randn(count, samples, samples, generator=gen)
    return (bump + noise).unsqueeze(1).float()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--samples", type=int, default=32)
    p.add_argument("--filters", default="16,32,64")
    p.add_argument("--kernel", type=int, default=3)
    p.add_argument("--bottleneck", type=int, default=32)
    p.add_argument("--train-batch", type=int, default=32)
    p.add_argument("--train-samples", type=int, default=2048)
    p.add_argument("--score-batch", type=int, default=256)
    p.add_argument("--score-windows", type=int, default=8192)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    filters = [int(f) for f in a.filters.split(",")]
    model = build(a.samples, filters, a.kernel, a.bottleneck)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()

    data = windows(a.train_samples, a.samples, gen)
    steps = a.train_samples // a.train_batch

    def train_pass() -> None:
        model.train()
        perm = torch.randperm(a.train_samples, generator=gen)
        for s in range(steps):
            xb = data[perm[s * a.train_batch:(s + 1) * a.train_batch]]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), xb)
            loss.backward()
            opt.step()

    # warm-up: first calls pick kernels and allocate
    for s in range(3):
        xb = data[s * a.train_batch:(s + 1) * a.train_batch]
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xb), xb).backward()
        opt.step()
    t0 = time.perf_counter()
    train_pass()
    train_s = time.perf_counter() - t0

    score_data = windows(a.score_windows, a.samples, gen)
    model.eval()
    errors = torch.empty(a.score_windows)
    with torch.inference_mode():
        model(score_data[: a.score_batch])  # warm-up
        t0 = time.perf_counter()
        for i in range(0, a.score_windows, a.score_batch):
            xb = score_data[i:i + a.score_batch]
            errors[i:i + a.score_batch] = ((model(xb) - xb) ** 2).mean(dim=(1, 2, 3))
        score_s = time.perf_counter() - t0

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "samples": a.samples,
        "filters": filters,
        "trainBatch": a.train_batch,
        "trainSamples": steps * a.train_batch,
        "trainSeconds": train_s,
        "trainSamplesPerSec": steps * a.train_batch / train_s,
        "scoreBatch": a.score_batch,
        "scoreWindows": a.score_windows,
        "scoreSeconds": score_s,
        "scoreWindowsPerSec": a.score_windows / score_s,
        "parameters": sum(p.numel() for p in model.parameters()),
    }))


if __name__ == "__main__":
    main()
