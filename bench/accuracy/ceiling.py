#!/usr/bin/env python3
"""How far can any ranking of candidate summits go against a catalogue? (issue #6 analysis)

Takes the peak-prominence baseline's picks (`seamount baseline --method peaks`) as the candidate set and
scores each candidate by: the autoencoder's reconstruction error at the summit (lowest window within
--summit-km, read from detect's error.tif; give one raster per cross-validation fold so each candidate is
judged by the model that did not see it), the baseline's prominence confidence, and shape (height/radius,
radius). For each ranking it reports the F1 of the best cut *chosen with hindsight* (an upper bound for
any threshold on that score), next to the F1 of the given autoencoder picks and of the plain peak picker.
Also: how much high-passed relief the grid shows around matched and missed catalogue seamounts (a
seamount the grid does not show cannot be found by any picker on that grid), and the chance level: the share
of the region within the tolerance of some catalogue seamount, which is the precision of randomly placed picks.

Control (--control-errors): error.tif of models trained the same way on *random* positions instead of
seamounts (`random_catalogue.py`). If the seamount model's summit error separates matched from unmatched
candidates no better than the control's, the error measures how simple a window is, not how seamount-like;
the log ratio control/seamount error is then reported as a ranking too.

Matching is one-to-one, greedy by great-circle distance, within --tolerance-km (as `seamount compare`).

  /usr/bin/python3 bench/accuracy/ceiling.py --grid ../shared/data/grids/spac_33.nc3.nc \\
      --region=-118/-107/-49/-42 --peaks out/peaks/seamounts.csv \\
      --ae out/cv-west/seamounts.csv out/cv-east/seamounts.csv \\
      --errors out/cv-west/error.tif out/cv-east/error.tif \\
      --catalogue ../shared/data/catalogues/KWSMTSv01.txt --catalogue ../shared/data/catalogues/kw_gevorgian2023.xyhrdnc \\
      [--control-errors out/control-west/error.tif out/control-east/error.tif]

Needs numpy, scipy and GDAL's Python bindings (Debian: python3-numpy python3-scipy python3-gdal).
"""
import argparse
import csv
import os
import sys

import numpy as np
from osgeo import gdal
from scipy.io import netcdf_file
from scipy.ndimage import gaussian_filter
from scipy.stats import rankdata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'peer'))
from peer_pick import haversine_km as distance_km  # noqa: E402  (the peer's great-circle distance)
from random_catalogue import area_uniform  # noqa: E402


def read_catalogue(path):
    """KW text (header line 'Longitude ...', tab-separated) or whitespace xyhrdnc: lon, lat, height."""
    lines = open(path).read().splitlines()
    header = [i for i, line in enumerate(lines) if line.startswith('Longitude')]
    if header:
        rows = [line.split('\t') for line in lines[header[0] + 1:] if line.strip() and not line.startswith(('>', '#'))]
        return np.array([[float(r[0]), float(r[1]), float(r[5])] for r in rows])
    return np.loadtxt(path, usecols=(0, 1, 2))


def read_picks(paths):
    rows = [row for p in paths for row in csv.DictReader(open(p))]
    return rows, np.array([float(r['lon']) for r in rows]), np.array([float(r['lat']) for r in rows])


def match(lon, lat, cat, tol):
    """One-to-one greedy matching; returns (precision, recall, F1, matched pick indices, matched catalogue indices)."""
    pairs = []
    for i in range(len(lon)):
        d = distance_km(lon[i], lat[i], cat[:, 0], cat[:, 1])
        pairs += [(d[j], i, j) for j in np.where(d <= tol)[0]]
    pairs.sort()
    used_p, used_c = set(), set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_c:
            used_p.add(i)
            used_c.add(j)
    tp = len(used_p)
    p = tp / len(lon) if len(lon) else 0.0
    r = tp / len(cat) if len(cat) else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), used_p, used_c


def summit_errors(lon, lat, rasters, km):
    """Lowest error of the raster cells (window centres) within km of each point; the first raster covering it."""
    out = np.full(len(lon), np.nan)
    for path in rasters:
        ds = gdal.Open(path)
        gt = ds.GetGeoTransform()
        band = ds.GetRasterBand(1)
        e = band.ReadAsArray().astype(float)
        if band.GetNoDataValue() is not None:
            e[e == band.GetNoDataValue()] = np.nan
        cy, cx = np.mgrid[0:e.shape[0], 0:e.shape[1]]
        clon, clat = gt[0] + (cx + 0.5) * gt[1], gt[3] + (cy + 0.5) * gt[5]
        west, east = gt[0], gt[0] + e.shape[1] * gt[1]
        south, north = gt[3] + e.shape[0] * gt[5], gt[3]
        for k in np.where(np.isnan(out))[0]:
            if not (west <= lon[k] <= east and south <= lat[k] <= north):
                continue
            near = distance_km(lon[k], lat[k], clon, clat) <= km
            vals = e[near & np.isfinite(e)]
            if vals.size:
                out[k] = vals.min()
    return out


def auc(score, positive):
    """Probability that a random positive scores higher than a random negative (ties count half); NaN scores left out."""
    ok = np.isfinite(score)
    pos, neg = score[ok & positive], score[ok & ~positive]
    if not len(pos) or not len(neg):
        return float('nan')
    return float(np.mean(pos[:, None] > neg[None, :]) + 0.5 * np.mean(pos[:, None] == neg[None, :]))


def chance_share(cat, box, tol, n=4000, seed=0):
    """Share of the box (area-uniform samples) within tol km of a catalogue seamount: random picks' precision."""
    lon, lat = area_uniform(np.random.default_rng(seed), box, n)
    return float(np.mean([np.min(distance_km(a, b, cat[:, 0], cat[:, 1])) <= tol for a, b in zip(lon, lat)]))


def highpass_relief(grid, highpass_km):
    f = netcdf_file(grid, mmap=False)
    name = [k for k, v in f.variables.items() if len(v.dimensions) == 2][0]
    var = f.variables[name]
    z = var[:].astype(float)
    fill = getattr(var, '_FillValue', None)
    if fill is not None:
        z[z == fill] = np.nan
    x = f.variables[var.dimensions[1]][:].copy()
    y = f.variables[var.dimensions[0]][:].copy()
    dy = abs(y[1] - y[0]) * 111.2
    dx = abs(x[1] - x[0]) * 111.2 * np.cos(np.radians(np.mean(y)))
    filled = np.where(np.isnan(z), np.nanmean(z), z)
    sigma = highpass_km / 6  # GMT grdfilter -Fg width = 6 sigma, as picking.highpassKm
    return x, y, filled - gaussian_filter(filled, (sigma / dy, sigma / dx)), dx, dy


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--grid', required=True, help='netCDF-3 grid searched (for the relief check)')
    ap.add_argument('--region', required=True, help='W/E/S/N: catalogue seamounts counted')
    ap.add_argument('--peaks', required=True, help='seamounts.csv of baseline --method peaks: the candidates')
    ap.add_argument('--ae', nargs='+', required=True, help="autoencoder picks (seamounts.csv), one per fold")
    ap.add_argument('--errors', nargs='+', required=True, help='error.tif of detect, one per fold')
    ap.add_argument('--control-errors', nargs='+', help='error.tif of models trained on random positions, one per fold')
    ap.add_argument('--catalogue', action='append', required=True)
    ap.add_argument('--tolerance-km', type=float, default=25)
    ap.add_argument('--summit-km', type=float, default=4, help='radius around a summit searched for its lowest window error')
    ap.add_argument('--highpass-km', type=float, default=100)
    a = ap.parse_args()
    w, e, s, n = map(float, a.region.split('/'))
    peaks, plon, plat = read_picks([a.peaks])
    _, alon, alat = read_picks(a.ae)
    err = summit_errors(plon, plat, a.errors, a.summit_km)
    err_rank = rankdata(np.where(np.isfinite(err), err, np.inf))
    prom_rank = rankdata([-float(p['confidence']) for p in peaks])
    h = np.array([float(p['height_m']) for p in peaks])
    rad = np.array([float(p['radius_km']) for p in peaks])
    # each ranking: ascending rank = most seamount-like first
    rankings = {
        'reconstruction error at summit': err_rank,
        'prominence': prom_rank,
        'height / radius': rankdata(-h / rad),
        'error + prominence (rank sum)': err_rank + prom_rank,
        'error + prominence + small radius': err_rank + prom_rank + rankdata(rad),
    }
    if a.control_errors:
        control = summit_errors(plon, plat, a.control_errors, a.summit_km)
        rankings['control model error at summit'] = rankdata(np.where(np.isfinite(control), control, np.inf))
        ratio = np.log(err) - np.log(control)  # low: the seamount model does better than the control
        rankings['error / control error'] = rankdata(np.where(np.isfinite(ratio), ratio, np.inf))
    x, y, hp, dx, dy = highpass_relief(a.grid, a.highpass_km)
    for path in a.catalogue:
        cat = read_catalogue(path)
        cat = cat[(cat[:, 0] >= w) & (cat[:, 0] <= e) & (cat[:, 1] >= s) & (cat[:, 1] <= n)]
        print(f'\n{path}: {len(cat)} seamounts in {a.region}, match within {a.tolerance_km:g} km')
        p, r, f1, used, used_cat = match(plon, plat, cat, a.tolerance_km)
        print(f'  peak picker, all {len(plon)} candidates          P {p:.3f} R {r:.3f} F1 {f1:.3f}')
        p, r, f1, _, _ = match(alon, alat, cat, a.tolerance_km)
        print(f'  autoencoder picks ({len(alon)})                 P {p:.3f} R {r:.3f} F1 {f1:.3f}')
        print(f'  chance: {chance_share(cat, (w, e, s, n), a.tolerance_km):.2f} of the region lies within {a.tolerance_km:g} km '
              'of a catalogue seamount (the precision of random picks)')
        is_tp = np.zeros(len(plon), bool)
        is_tp[list(used)] = True
        print(f'  {np.isfinite(err).sum()} of {len(plon)} candidates have a scored window within {a.summit_km:g} km; '
              'AUC (over those) = how well a ranking separates matched from unmatched candidates')
        for name, score in rankings.items():
            order = np.argsort(score, kind='stable')
            best = max((match(plon[order[:k]], plat[order[:k]], cat, a.tolerance_km)[2], k) for k in range(5, len(order) + 1, 5))
            print(f'  {name:34s} AUC {auc(np.where(np.isfinite(err), -score, np.nan), is_tp):.3f}, best F1 of any cut {best[0]:.3f} (top {best[1]})')
        relief = []
        ry, rx = int(np.ceil(5 / dy)), int(np.ceil(5 / dx))
        for lo, la, _ in cat:
            j, i = int(np.argmin(abs(x - lo))), int(np.argmin(abs(y - la)))
            relief.append(np.nanmax(hp[max(i - ry, 0):i + ry + 1, max(j - rx, 0):j + rx + 1]))
        relief = np.array(relief)
        found = np.zeros(len(cat), bool)
        found[list(used_cat)] = True
        for label, sel in (('found by the peak picker', found), ('missed', ~found)):
            if sel.any():
                print(f'  {label:26s} {sel.sum():4d}: high-passed relief within 5 km median {np.median(relief[sel]):5.0f} m, '
                      f'under 300 m: {(relief[sel] < 300).sum()}; catalogue height median {np.median(cat[sel, 2]):5.0f} m')


if __name__ == '__main__':
    main()
