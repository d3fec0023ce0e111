"""The autoencoder of a seamount-detect model bundle, run by PyTorch with the bundle's own weights.

Reads model.json (tfjs layers format) and weights.bin, and rebuilds the layers in PyTorch with TensorFlow's
conventions so the numbers match ours:
- NHWC kernels: conv2d [kh, kw, in, out] -> torch [out, in, kh, kw]; conv2dTranspose [kh, kw, out, in] ->
  torch [in, out, kh, kw] (both a transpose(3, 2, 0, 1)); dense [in, out] -> linear weight [out, in];
- 'same' padding is TensorFlow's: the odd pixel of padding goes after (bottom/right), so stride-2
  convolutions pad (0, 1) rather than PyTorch's symmetric (1, 1), and transposed convolutions keep the
  first 2n outputs of the full transposed convolution;
- Flatten / Reshape work in NHWC order (channels last), so the dense layers see the same vector order.
"""
from __future__ import annotations

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F


def load_bundle(folder: str) -> dict:
    with open(os.path.join(folder, "bundle.json")) as f:
        meta = json.load(f)
    with open(os.path.join(folder, "model.json")) as f:
        model_json = json.load(f)
    blob = np.fromfile(os.path.join(folder, "weights.bin"), dtype="<f4")
    weights: dict[str, np.ndarray] = {}
    offset = 0
    for group in model_json["weightsManifest"]:
        for spec in group["weights"]:
            if spec.get("dtype", "float32") != "float32":
                raise ValueError(f"{folder}: weight {spec['name']} is {spec['dtype']}, only float32 is supported")
            n = int(np.prod(spec["shape"])) if spec["shape"] else 1
            weights[spec["name"]] = blob[offset:offset + n].reshape(spec["shape"])
            offset += n
    if offset != blob.size:
        raise ValueError(f"{folder}: weights.bin holds {blob.size} floats, the manifest {offset}")
    topology = model_json["modelTopology"]
    layers = (topology.get("model_config") or topology)["config"]["layers"]
    return {"meta": meta, "layers": layers, "weights": weights}


def _same_pad(n: int, stride: int, k: int) -> tuple[int, int]:
    out = math.ceil(n / stride)
    total = max((out - 1) * stride + k - n, 0)
    return total // 2, total - total // 2


class TfjsAutoencoder(torch.nn.Module):
    def __init__(self, bundle: dict):
        super().__init__()
        self.ops: list[tuple] = []
        w = bundle["weights"]
        for layer in bundle["layers"]:
            kind, cfg = layer["class_name"], layer["config"]
            name = cfg["name"]
            act = cfg.get("activation", "linear")
            if act not in ("linear", "relu"):
                raise ValueError(f"layer {name}: activation {act} is not supported")
            if kind == "InputLayer":
                continue
            if kind in ("Conv2D", "Conv2DTranspose"):
                if cfg.get("padding") != "same" or cfg.get("data_format", "channels_last") != "channels_last":
                    raise ValueError(f"layer {name}: only 'same' padding, channels_last is supported")
                kernel = torch.from_numpy(np.ascontiguousarray(w[f"{name}/kernel"].transpose(3, 2, 0, 1)))
                bias = torch.from_numpy(w[f"{name}/bias"].copy()) if cfg.get("use_bias", True) else None
                self.ops.append((kind, kernel, bias, tuple(cfg["strides"]), tuple(cfg["kernel_size"]), act))
            elif kind == "Dense":
                kernel = torch.from_numpy(np.ascontiguousarray(w[f"{name}/kernel"].T))
                bias = torch.from_numpy(w[f"{name}/bias"].copy()) if cfg.get("use_bias", True) else None
                self.ops.append(("Dense", kernel, bias, act))
            elif kind == "Flatten":
                self.ops.append(("Flatten",))
            elif kind == "Reshape":
                self.ops.append(("Reshape", tuple(cfg["target_shape"])))
            else:
                raise ValueError(f"layer {name}: {kind} is not supported")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (N, 1, S, S) -> reconstruction (N, 1, S, S)."""
        for op in self.ops:
            kind = op[0]
            if kind == "Conv2D":
                _, kernel, bias, (sh, sw), (kh, kw), act = op
                ph, pw = _same_pad(x.shape[2], sh, kh), _same_pad(x.shape[3], sw, kw)
                x = F.conv2d(F.pad(x, (pw[0], pw[1], ph[0], ph[1])), kernel, bias, stride=(sh, sw))
            elif kind == "Conv2DTranspose":
                _, kernel, bias, (sh, sw), (kh, kw), act = op
                h, w = x.shape[2] * sh, x.shape[3] * sw
                # padding of the forward convolution this transposes (input h, output x's size)
                top = _same_pad(h, sh, kh)[0]
                left = _same_pad(w, sw, kw)[0]
                x = F.conv_transpose2d(x, kernel, bias, stride=(sh, sw))[:, :, top:top + h, left:left + w]
            elif kind == "Flatten":
                x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
                continue
            elif kind == "Reshape":
                hh, ww, cc = op[1]
                x = x.reshape(x.shape[0], hh, ww, cc).permute(0, 3, 1, 2)
                continue
            elif kind == "Dense":
                _, kernel, bias, act = op
                x = F.linear(x, kernel, bias)
            if act == "relu":
                x = F.relu(x)
        return x


def reconstruction_errors(model: TfjsAutoencoder, windows: np.ndarray, batch: int, weights: np.ndarray | None = None,
                          relative: bool = False) -> np.ndarray:
    """Reconstruction error of each window ((n, S*S) or (n, S, S) float32): the mean squared error, or with
    `weights` the misfit of engine/misfit.ts (sum w d^2 / sum w, or relative: / (sum w x^2 + 1e-6 sum w))."""
    n = len(windows)
    out = np.empty(n, dtype=np.float32)
    if n == 0:
        return out
    s = int(round(math.sqrt(windows[0].size)))
    with torch.inference_mode():
        for i in range(0, n, batch):
            x = torch.from_numpy(np.ascontiguousarray(windows[i:i + batch], dtype=np.float32)).reshape(-1, 1, s, s)
            if weights is None:
                out[i:i + len(x)] = ((model(x) - x) ** 2).mean(dim=(1, 2, 3)).numpy()
                continue
            w = torch.from_numpy(weights.astype(np.float32)).reshape(1, 1, s, s)
            num = (w * (model(x) - x) ** 2).sum(dim=(1, 2, 3))
            den = (w * x * x).sum(dim=(1, 2, 3)) + 1e-6 * w.sum() if relative else w.sum()
            out[i:i + len(x)] = (num / den).numpy()
    return out
