#!/usr/bin/env python3
"""The seamount-detect job done the way a careful Python user would: numpy/scipy windows, the same
autoencoder (same weights, from our model bundle) in PyTorch, scipy picking. The benchmark peer of
bench/pipeline.ts; every measured configuration runs in its own process.

  peer_pipeline.py --stage {read,tile,score,pick,e2e,windows} --grid FILE --model BUNDLE
                   [--region W/E/S/N] [--config config/default.yaml] [--out DIR] [--threads 2]
                   [--score-windows N] [--band-rows 32] [--read band|region] [--max-windows N]

Prints one JSON object on the last line of stdout: stage, seconds (the stage itself, imports and
start-up excluded), windows, vmHwmMB (peak resident memory of the process), detail.

Stages (the same definitions as bench/stages.ts):
  read     the grid cells the windows need, in bands of plan rows (--read region: one read of the region)
  tile     read + windows (nothing scored)
  score    reconstruction errors of --score-windows windows (the region's first real windows, cycled)
  pick     picking over the errors a finished e2e run saved in --out
  e2e      everything: plan, read, tile, score (batches of tiling.batchSize), pick, seamounts.geojson + .csv
  windows  (cross-check) kept windows, their ids and errors as raw little-endian files in --out; with
           --ours DIR also the peer model's errors of our windows (DIR/windows.f32)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import yaml  # noqa: E402

from peer_grid import open_grid  # noqa: E402
from peer_model import TfjsAutoencoder, load_bundle, reconstruction_errors  # noqa: E402
from peer_pick import pick  # noqa: E402
from peer_tiling import PlanConfig, Spec, TileStats, band_reads, plan_windows, stream_windows, window_centres  # noqa: E402


def vm_hwm_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def parse_region(text: str | None):
    if not text:
        return None
    w, e, s, n = (float(x) for x in text.split("/"))
    return (w, e, s, n)


class Job:
    def __init__(self, a: argparse.Namespace):
        self.a = a
        with open(a.config) as f:
            self.cfg = yaml.safe_load(f)
        self.bundle = load_bundle(a.model)
        self.spec = Spec.from_bundle(self.bundle["meta"]["windowSpec"])
        self.plan_cfg = PlanConfig.from_config(self.cfg["plan"])
        self.stride_km = self.cfg["window"]["strideKm"]
        self.grid = open_grid(a.grid, self.cfg["grid"].get("variable"))
        self.plan = plan_windows(self.grid.geometry, parse_region(a.region), self.stride_km, self.plan_cfg)
        self.threshold = float(self.bundle["meta"]["calibration"]["threshold"])

    def band_rows(self) -> int:
        return self.plan.rows if self.a.read == "region" else self.a.band_rows

    def model(self) -> TfjsAutoencoder:
        torch.set_num_threads(self.a.threads)
        return TfjsAutoencoder(self.bundle).eval()


def stage_read(job: Job) -> dict:
    t = time.perf_counter()
    cells = 0
    reads = 0
    for _rows, _lats, raw, _origin, _s in band_reads(job.grid, job.plan, job.spec, job.band_rows()):
        cells += raw.size
        reads += 1
        del raw
    return {"seconds": time.perf_counter() - t, "windows": job.plan.count, "detail": {"cellsRead": cells, "reads": reads, "planned": job.plan.count, "read": job.a.read}}


def stage_tile(job: Job) -> dict:
    st = TileStats()
    t = time.perf_counter()
    for _ids, _w in stream_windows(job.grid, job.plan, job.spec, job.plan_cfg, st, job.band_rows()):
        pass
    return {
        "seconds": time.perf_counter() - t,
        "windows": st.kept,
        "detail": {"planned": st.planned, "kept": st.kept, "skippedLand": st.skipped_land, "skippedNodata": st.skipped_nodata, "readSeconds": st.read_seconds, "read": job.a.read},
    }


def stage_score(job: Job) -> dict:
    model = job.model()
    st = TileStats()
    pool = []
    have = 0
    want = 4096
    for _ids, w in stream_windows(job.grid, job.plan, job.spec, job.plan_cfg, st, job.band_rows()):
        pool.append(w[: want - have])
        have += len(pool[-1])
        if have >= want and job.a.score_windows:
            break
    if have == 0:
        raise SystemExit(f"{job.a.grid}: the region keeps no windows to score")
    pool = np.concatenate(pool)
    total = job.a.score_windows or st.kept
    batch = job.cfg["tiling"]["batchSize"]
    score_batch = job.cfg["scoring"]["batchSize"]
    reconstruction_errors(model, pool[:score_batch], score_batch, job.spec.misfit_weights(), job.spec.misfit == "relative")  # warm-up, as ours has a warm backend
    t = time.perf_counter()
    cpu0 = time.process_time()
    done = 0
    while done < total:
        start = done % have
        n = min(batch, total - done, have - start)
        reconstruction_errors(model, pool[start:start + n], score_batch, job.spec.misfit_weights(), job.spec.misfit == "relative")
        done += n
    return {"seconds": time.perf_counter() - t, "cpuSeconds": time.process_time() - cpu0, "windows": total, "detail": {"backend": f"torch {torch.__version__} cpu", "threads": torch.get_num_threads(), "distinctWindows": have}}


def write_atomic(path: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def write_outputs(out: str, seamounts: list[dict], meta: dict) -> None:
    os.makedirs(out, exist_ok=True)
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [m["lon"], m["lat"]]}, "properties": {k: v for k, v in m.items() if k not in ("lon", "lat")}}
        for m in seamounts
    ]
    write_atomic(os.path.join(out, "seamounts.geojson"), json.dumps({"type": "FeatureCollection", "metadata": meta, "features": features}))
    cols = ["id", "lon", "lat", "summitDepthM", "baseDepthM", "heightM", "radiusKm", "fitR2", "prominenceM", "reconstructionError"]
    lines = [",".join(cols)] + [",".join(str(m[c]) for c in cols) for m in seamounts]
    write_atomic(os.path.join(out, "seamounts.csv"), "\n".join(lines) + "\n")


def run_pick(job: Job, ids: np.ndarray, errors: np.ndarray):
    lon, lat = window_centres(job.plan, ids)
    return pick(job.grid, lon, lat, errors, job.threshold, job.cfg["picking"], job.stride_km)


def stage_e2e(job: Job) -> dict:
    t0 = time.perf_counter()
    model = job.model()
    st = TileStats()
    batch = job.cfg["tiling"]["batchSize"]
    score_batch = job.cfg["scoring"]["batchSize"]
    ids_parts, err_parts = [], []
    pending_ids, pending_w, pending_n = [], [], 0
    score_s = 0.0

    def score(ids: np.ndarray, w: np.ndarray) -> None:
        nonlocal score_s
        t = time.perf_counter()
        err_parts.append(reconstruction_errors(model, w, score_batch, job.spec.misfit_weights(), job.spec.misfit == "relative"))
        ids_parts.append(ids)
        score_s += time.perf_counter() - t

    for ids, w in stream_windows(job.grid, job.plan, job.spec, job.plan_cfg, st, job.band_rows()):
        pending_ids.append(ids)
        pending_w.append(w)
        pending_n += len(ids)
        if pending_n >= batch:
            # whole batches of tiling.batchSize windows are scored; the rest waits for the next row
            all_ids, all_w = np.concatenate(pending_ids), np.concatenate(pending_w)
            full = (pending_n // batch) * batch
            score(all_ids[:full], all_w[:full])
            pending_ids, pending_w, pending_n = [all_ids[full:]], [all_w[full:]], pending_n - full
    if pending_n:
        score(np.concatenate(pending_ids), np.concatenate(pending_w))
    t_scored = time.perf_counter()
    ids = np.concatenate(ids_parts) if ids_parts else np.zeros(0, np.int64)
    errors = np.concatenate(err_parts) if err_parts else np.zeros(0, np.float32)
    os.makedirs(job.a.out, exist_ok=True)
    np.save(os.path.join(job.a.out, "ids.npy"), ids)
    np.save(os.path.join(job.a.out, "errors.npy"), errors)
    t_pick = time.perf_counter()
    seamounts, counts = run_pick(job, ids, errors)
    t_picked = time.perf_counter()
    write_outputs(job.a.out, seamounts, {"grid": job.a.grid, "model": job.a.model, "region": job.a.region, "threshold": job.threshold, "windows_scored": int(len(ids))})
    t_end = time.perf_counter()
    tile_s = t_scored - t0 - score_s - st.read_seconds
    return {
        "seconds": t_end - t0,
        "windows": int(len(ids)),
        "detail": {
            "planned": st.planned,
            "kept": st.kept,
            "skippedLand": st.skipped_land,
            "skippedNodata": st.skipped_nodata,
            "seamounts": len(seamounts),
            "pick": counts,
            "threshold": job.threshold,
            "timingsMs": {"read": st.read_seconds * 1000, "tile": tile_s * 1000, "score": score_s * 1000, "pick": (t_picked - t_pick) * 1000, "write": (t_end - t_picked + t_pick - t_scored) * 1000},
            "threads": torch.get_num_threads(),
            "read": job.a.read,
        },
    }


def stage_pick(job: Job) -> dict:
    ids = np.load(os.path.join(job.a.out, "ids.npy"))
    errors = np.load(os.path.join(job.a.out, "errors.npy"))
    t = time.perf_counter()
    cpu0 = time.process_time()
    seamounts, counts = run_pick(job, ids, errors)
    return {"seconds": time.perf_counter() - t, "cpuSeconds": time.process_time() - cpu0, "windows": int(len(ids)), "detail": {**counts, "threshold": job.threshold}}


def stage_windows(job: Job) -> dict:
    model = job.model()
    st = TileStats()
    ids_parts, w_parts, n = [], [], 0
    for ids, w in stream_windows(job.grid, job.plan, job.spec, job.plan_cfg, st, job.band_rows()):
        take = min(len(ids), job.a.max_windows - n)
        ids_parts.append(ids[:take])
        w_parts.append(w[:take])
        n += take
        if n >= job.a.max_windows:
            break
    ids = np.concatenate(ids_parts).astype("<i4") if ids_parts else np.zeros(0, "<i4")
    windows = np.concatenate(w_parts) if w_parts else np.zeros((0, job.spec.samples ** 2), np.float32)
    os.makedirs(job.a.out, exist_ok=True)
    ids.tofile(os.path.join(job.a.out, "ids.i32"))
    windows.astype("<f4").tofile(os.path.join(job.a.out, "windows.f32"))
    batch = job.cfg["scoring"]["batchSize"]
    reconstruction_errors(model, windows, batch, job.spec.misfit_weights(), job.spec.misfit == "relative").astype("<f4").tofile(os.path.join(job.a.out, "errors.f32"))
    if job.a.ours:
        with open(os.path.join(job.a.ours, "meta.json")) as f:
            count = json.load(f)["count"]
        ours = np.fromfile(os.path.join(job.a.ours, "windows.f32"), dtype="<f4").reshape(count, -1)
        reconstruction_errors(model, ours, batch, job.spec.misfit_weights(), job.spec.misfit == "relative").astype("<f4").tofile(os.path.join(job.a.out, "errors-of-ours.f32"))
    return {"seconds": 0.0, "windows": int(len(ids)), "detail": {"planned": job.plan.count}}


STAGES = {"read": stage_read, "tile": stage_tile, "score": stage_score, "pick": stage_pick, "e2e": stage_e2e, "windows": stage_windows}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stage", required=True, choices=sorted(STAGES))
    p.add_argument("--grid", required=True)
    p.add_argument("--model", required=True, help="seamount-detect model bundle folder")
    p.add_argument("--region", default=None, help="W/E/S/N degrees (default: the whole grid)")
    p.add_argument("--config", default=os.path.join(HERE, "..", "..", "config", "default.yaml"))
    p.add_argument("--out", default=None)
    p.add_argument("--threads", type=int, default=2, help="torch threads")
    p.add_argument("--score-windows", type=int, default=0, help="score stage: windows to score (0: as many as the region keeps)")
    p.add_argument("--band-rows", type=int, default=32, help="plan rows per band read")
    p.add_argument("--read", choices=["band", "region"], default="band", help="band: bounded bands; region: the whole region in one read (xarray-style)")
    p.add_argument("--max-windows", type=int, default=2000)
    p.add_argument("--ours", default=None, help="windows: a folder of our windows to score with the peer model too")
    a = p.parse_args()
    if a.stage in ("e2e", "pick", "windows") and not a.out:
        p.error(f"--stage {a.stage} needs --out")
    job = Job(a)
    cpu0 = time.process_time()  # every thread of the process
    result = STAGES[a.stage](job)
    result.setdefault("cpuSeconds", time.process_time() - cpu0)
    job.grid.close()
    print(json.dumps({"stage": a.stage, **result, "vmHwmMB": vm_hwm_mb()}))


if __name__ == "__main__":
    main()
