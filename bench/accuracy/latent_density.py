#!/usr/bin/env python3
"""Does the autoencoder's code, rather than its reconstruction error, tell seamounts from look-alikes? (issue #6)

For each cross-validation fold: every window of the grid is cut (the peer's tiling, as ours) and encoded by
the fold's model (the layers up to the bottleneck, run by PyTorch with the bundle's weights). The codes of
the windows centred within --train-km of a catalogue seamount in the fold's *training* half stand for the
seamounts the model learnt; each candidate summit (peak picker's picks) in the held-out half is scored by the
nearest of its windows (within --summit-km) to them: mean distance to the k nearest training codes (each
code dimension scaled by the training codes' spread), and Mahalanobis distance to their mean. Reports the
AUC of each score, and of the reconstruction error, for matched vs unmatched candidates.

  /usr/bin/python3 bench/accuracy/latent_density.py --grid ../shared/data/grids/spac_33.nc3.nc \\
      --candidates out/peaks/seamounts.csv \\
      --fold out/cv-east-model:-118/-112.5/-49/-42 --fold out/cv-west-model:-112.5/-107/-49/-42 \\
      --catalogue ../shared/data/catalogues/KWSMTSv01.txt --catalogue ../shared/data/catalogues/kw_gevorgian2023.xyhrdnc

--fold MODEL:W/E/S/N: a model and the box it did not see (it is evaluated there). Needs numpy, scipy, PyTorch,
PyYAML (the peer's requirements) and GDAL's Python bindings.
"""
import argparse
import os
import sys

import numpy as np
import torch
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'peer'))
from peer_grid import open_grid  # noqa: E402
from peer_model import TfjsAutoencoder, load_bundle, reconstruction_errors  # noqa: E402
from peer_pick import haversine_km  # noqa: E402
from peer_tiling import PlanConfig, Spec, TileStats, plan_windows, stream_windows, window_centres  # noqa: E402
from ceiling import auc, match, read_catalogue, read_picks  # noqa: E402


def inside(lon, lat, box):
    w, e, s, n = box
    return (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)


def encode_grid(grid, folder, plan_cfg, stride_km):
    """(lon, lat, codes, errors) of every kept window of the grid under the model in folder."""
    bundle = load_bundle(folder)
    spec = Spec.from_bundle(bundle['meta']['windowSpec'])
    model = TfjsAutoencoder(bundle).eval()
    plan = plan_windows(grid.geometry, None, stride_km, plan_cfg)
    ids, wins = [], []
    for i, w in stream_windows(grid, plan, spec, plan_cfg, TileStats(), 32):
        ids.append(i)
        wins.append(w)
    ids, wins = np.concatenate(ids), np.concatenate(wins).astype(np.float32)
    lon, lat = window_centres(plan, ids)
    errors = reconstruction_errors(model, wins, 512)
    bottleneck = next(k for k, op in enumerate(model.ops) if op[0] == 'Dense')
    model.ops = model.ops[:bottleneck + 1]
    with torch.inference_mode():
        codes = model(torch.from_numpy(wins).reshape(-1, 1, spec.samples, spec.samples)).numpy()
    return lon, lat, codes, errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--grid', required=True)
    ap.add_argument('--candidates', required=True, help='seamounts.csv of baseline --method peaks')
    ap.add_argument('--fold', action='append', required=True, help='MODEL_FOLDER:W/E/S/N (the box the model did not see)')
    ap.add_argument('--catalogue', action='append', required=True)
    ap.add_argument('--config', default=os.path.join(HERE, '..', '..', 'config', 'default.yaml'))
    ap.add_argument('--tolerance-km', type=float, default=25)
    ap.add_argument('--summit-km', type=float, default=4)
    ap.add_argument('--train-km', type=float, default=3)
    ap.add_argument('--k', type=int, default=5)
    a = ap.parse_args()
    cfg = yaml.safe_load(open(a.config))
    plan_cfg = PlanConfig.from_config(cfg['plan'])
    grid = open_grid(a.grid)
    _, plon, plat = read_picks([a.candidates])
    cats = [read_catalogue(p) for p in a.catalogue]
    folds = [(f.rsplit(':', 1)[0], tuple(map(float, f.rsplit(':', 1)[1].split('/')))) for f in a.fold]
    knn = np.full(len(plon), np.nan)
    maha = np.full(len(plon), np.nan)
    err = np.full(len(plon), np.nan)
    for folder, box in folds:
        lon, lat, codes, errors = encode_grid(grid, folder, plan_cfg, cfg['window']['strideKm'])
        seen = np.zeros(len(lon), bool)
        for c in cats:
            for clon, clat in c[~inside(c[:, 0], c[:, 1], box), :2]:
                seen |= haversine_km(clon, clat, lon, lat) <= a.train_km
        seen &= ~inside(lon, lat, box)
        train = codes[seen]
        mean, spread = train.mean(0), train.std(0) + 1e-9
        inv_cov = np.linalg.inv(np.cov(train.T) + 1e-6 * np.eye(train.shape[1]))
        print(f'{folder}: {len(lon)} windows, {len(train)} training-seamount codes')
        for k in np.where(inside(plon, plat, box))[0]:
            near = np.where(haversine_km(plon[k], plat[k], lon, lat) <= a.summit_km)[0]
            if not len(near):
                continue
            z = codes[near]
            d = np.sqrt((((z[:, None, :] - train[None]) / spread) ** 2).sum(-1))
            knn[k] = np.sort(d, 1)[:, :a.k].mean(1).min()
            dz = z - mean
            maha[k] = np.einsum('ij,jk,ik->i', dz, inv_cov, dz).min()
            err[k] = errors[near].min()
    region = np.array([box for _, box in folds])
    outer = (region[:, 0].min(), region[:, 1].max(), region[:, 2].min(), region[:, 3].max())
    for path, c in zip(a.catalogue, cats):
        c = c[inside(c[:, 0], c[:, 1], outer)]
        used = match(plon, plat, c, a.tolerance_km)[3]
        matched = np.zeros(len(plon), bool)
        matched[list(used)] = True
        print(f'{path}: {len(c)} seamounts, {matched.sum()} of {len(plon)} candidates matched; AUC (low = seamount-like) '
              f'reconstruction error {auc(-err, matched):.3f}, k-NN code distance {auc(-knn, matched):.3f}, '
              f'Mahalanobis code distance {auc(-maha, matched):.3f}')


if __name__ == '__main__':
    main()
