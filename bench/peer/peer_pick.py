"""Picking for the Python peer: a reasonable scipy version of src/picking/ (not a port).

1. Error field: Gaussian low-pass (FWHM picking.smoothingKm) of the window errors over neighbouring
   windows (scipy.spatial.cKDTree on 3-D unit vectors), only near raw hits; hits = smoothed < threshold.
2. Candidates: hits whose smoothed error is the lowest within picking.minSeparationKm.
3. Each candidate: summit = highest cell within max(measureRadiusKm / 2, 1.5 stride) of it; regional
   plane by least squares on the lower three quarters of the measuring disc; elliptical Gaussian on that
   plane fitted by scipy.optimize.least_squares (trf, numerical Jacobian); prominence above the
   Gaussian-weighted regional mean (sigma = highpassKm / 6); the same guards (prominence, fit R^2,
   basal radius 3 sigma).
4. Picks closer than minSeparationKm: the lower error is kept.

Where it differs from ours: ours walks every hit uphill on the bathymetry and clusters hits by the summit
they reach (so two seamounts under one low-error patch split at the saddle), refines the Gaussian fit
over up to four passes with a guyot plateau rule, keeps close picks apart when a saddle separates them,
and re-measures crowded picks without their neighbours. The peer does none of that.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.optimize import least_squares
from scipy.spatial import cKDTree

from peer_grid import Grid

R_KM = 6371.0088
KM_PER_DEG = 111.19492664455873
DEG = math.pi / 180
MAX_FIT_POINTS = 1500


def _xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.asarray(lon) * DEG, np.asarray(lat) * DEG
    return R_KM * np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def haversine_km(lon1, lat1, lon2, lat2):
    dlat = (lat2 - lat1) * DEG
    dlon = (lon2 - lon1) * DEG
    a = np.sin(dlat / 2) ** 2 + np.cos(lat1 * DEG) * np.cos(lat2 * DEG) * np.sin(dlon / 2) ** 2
    return 2 * R_KM * np.arcsin(np.minimum(1, np.sqrt(a)))


def smoothed_hits(lon, lat, errors, threshold, smoothing_km):
    """Indices of windows whose smoothed error is under the threshold, and those smoothed errors."""
    raw = np.where(np.isfinite(errors), errors, np.inf).astype(np.float64)
    if smoothing_km <= 0:
        idx = np.nonzero(raw < threshold)[0]
        return idx, raw[idx]
    sigma = smoothing_km / (2 * math.sqrt(2 * math.log(2)))
    reach = 3 * sigma
    pts = _xyz(lon, lat)
    tree = cKDTree(pts)
    raw_hits = np.nonzero(raw < threshold)[0]
    if len(raw_hits) == 0:
        return raw_hits, raw[raw_hits]
    near = np.unique(np.concatenate([np.asarray(x, dtype=np.int64) for x in tree.query_ball_point(pts[raw_hits], reach)]))
    pairs = cKDTree(pts[near]).sparse_distance_matrix(tree, reach, output_type="ndarray")
    i, j, d = pairs["i"], pairs["j"], pairs["v"]
    finite = np.isfinite(raw[j])
    i, j, d = i[finite], j[finite], d[finite]
    w = np.exp(-0.5 * d * d / (sigma * sigma))
    sw = np.bincount(i, weights=w, minlength=len(near))
    swe = np.bincount(i, weights=w * raw[j], minlength=len(near))
    with np.errstate(invalid="ignore", divide="ignore"):
        sm = np.where(sw > 0, swe / sw, np.inf)
    keep = sm < threshold
    return near[keep], sm[keep]


def local_minima(lon, lat, values, radius_km):
    """Indices (into the arrays) of points whose value is the lowest within radius_km (ties: lowest index)."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    pts = _xyz(lon, lat)
    tree = cKDTree(pts)
    pairs = tree.sparse_distance_matrix(tree, radius_km, output_type="ndarray")
    i, j = pairs["i"], pairs["j"]
    # a point is beaten by a neighbour with a lower value, or an equal value and a lower index
    beaten = (values[j] < values[i]) | ((values[j] == values[i]) & (j < i))
    lost = np.zeros(n, dtype=bool)
    lost[i[beaten]] = True
    return np.nonzero(~lost)[0]


def _gauss_model(p, x, y):
    a, x0, y0, lsa, lsb, th, c0, cx, cy = p
    dx, dy = x - x0, y - y0
    s, c = math.sin(th), math.cos(th)
    u = dx * s + dy * c
    v = dx * c - dy * s
    return c0 + cx * x + cy * y + a * np.exp(-0.5 * (u * u * math.exp(-2 * lsa) + v * v * math.exp(-2 * lsb)))


def measure(grid: Grid, lon: float, lat: float, o: dict, climb_km: float):
    """Summit, base, height, ellipse, fit R^2 and prominence near (lon, lat); None when not measurable."""
    g = grid.geometry
    cell_y = abs(g.dlat) * KM_PER_DEG
    cos_lat = max(math.cos(lat * DEG), 1e-3)
    cell_x = g.dlon * KM_PER_DEG * cos_lat
    cell = min(cell_x, cell_y)
    search = 1.5 * cell_y
    radius = climb_km + max(o["measureRadiusKm"], o["highpassKm"] / 2) + search
    cx = (lon - g.lon0) / g.dlon
    cy = (lat - g.lat0) / g.dlat
    hx, hy = radius / cell_x, radius / cell_y
    x0, x1 = math.ceil(cx - hx), math.floor(cx + hx)
    y0, y1 = max(0, math.ceil(min(cy - hy, cy + hy))), min(g.height - 1, math.floor(max(cy - hy, cy + hy)))
    if y1 < y0:
        return None
    z = grid.read(x0, y0, x1 - x0 + 1, y1 - y0 + 1).astype(np.float64)
    xs = ((np.arange(x0, x1 + 1) - cx) * g.dlon * KM_PER_DEG * cos_lat)[None, :]
    ys = ((np.arange(y0, y1 + 1) - cy) * g.dlat * KM_PER_DEG)[:, None]
    X = np.broadcast_to(xs, z.shape)
    Y = np.broadcast_to(ys, z.shape)
    finite = np.isfinite(z)
    near = finite & (X * X + Y * Y <= climb_km * climb_km)
    if not near.any():
        return None
    k = np.argmax(np.where(near, z, -np.inf))
    sj, si = np.unravel_index(k, z.shape)
    sx, sy = X[sj, si], Y[sj, si]
    d2 = (X - sx) ** 2 + (Y - sy) ** 2
    disc = finite & (d2 <= o["measureRadiusKm"] ** 2)
    if disc.sum() < 10:
        return None
    zd, xd, yd = z[disc], X[disc], Y[disc]
    low = zd <= np.percentile(zd, 75)
    A = np.stack([np.ones(low.sum()), xd[low], yd[low]], axis=1)
    plane = np.linalg.lstsq(A, zd[low], rcond=None)[0]
    detr = z - (plane[0] + plane[1] * X + plane[2] * Y)
    h0 = detr[sj, si]
    if not h0 > 0:
        return None
    half_area = np.count_nonzero(disc & (detr > h0 / 2)) * cell_x * cell_y
    sigma0 = max(math.sqrt(half_area / (2 * math.pi * math.log(2))), cell / 2)
    fit_r = min(o["measureRadiusKm"], max(6 * cell, 6 * sigma0))
    pts = finite & (d2 <= fit_r * fit_r)
    step = max(1, math.ceil(math.sqrt(np.count_nonzero(pts) / MAX_FIT_POINTS)))
    if step > 1:
        thin = np.zeros(z.shape, dtype=bool)
        thin[::step, ::step] = True
        pts &= thin
    px, py, pz = X[pts], Y[pts], z[pts]
    if len(pz) < 10:
        return None
    lo = [-np.inf, -np.inf, -np.inf, math.log(cell / 3), math.log(cell / 3), -np.inf, -np.inf, -np.inf, -np.inf]
    hi = [np.inf, np.inf, np.inf, math.log(o["measureRadiusKm"]), math.log(o["measureRadiusKm"]), np.inf, np.inf, np.inf, np.inf]
    ls0 = min(max(math.log(sigma0), lo[3] + 1e-9), hi[3] - 1e-9)
    p0 = [h0, sx, sy, ls0, ls0, 0.0, plane[0], plane[1], plane[2]]
    try:
        fit = least_squares(lambda p: _gauss_model(p, px, py) - pz, p0, bounds=(lo, hi), method="trf", x_scale="jac", max_nfev=200)
    except (ValueError, np.linalg.LinAlgError):
        return None
    p = fit.x
    plane_fit = p[6] + p[7] * px + p[8] * py
    ss_res = float(np.sum(fit.fun ** 2))
    ss_bump = float(np.sum((pz - plane_fit) ** 2))
    r2 = 1 - ss_res / ss_bump if ss_bump > 0 else float("nan")
    sa, sb = math.exp(p[3]), math.exp(p[4])
    if not (p[0] > 0 and math.hypot(p[1] - sx, p[2] - sy) <= fit_r):
        return None
    ex, ey = (p[1], p[2]) if r2 >= 0.5 else (sx, sy)
    near_km = max(1.5 * cell, min(min(sa, sb), o["measureRadiusKm"] / 4))
    d2c = (X - ex) ** 2 + (Y - ey) ** 2
    top = finite & (d2c <= near_km * near_km)
    summit = float(z[top].max()) if top.any() else float(z[sj, si])
    base = p[6] + p[7] * ex + p[8] * ey
    sig = o["highpassKm"] / 6
    reg = finite & (d2c <= 9 * sig * sig)
    wgt = np.exp(-0.5 * d2c[reg] / (sig * sig))
    prominence = summit - float(np.sum(wgt * z[reg]) / np.sum(wgt)) if o["highpassKm"] > 0 else summit - base
    return {
        "lon": lon + ex / (KM_PER_DEG * cos_lat),
        "lat": lat + ey / KM_PER_DEG,
        "summitDepthM": summit,
        "baseDepthM": float(base),
        "heightM": float(summit - base),
        "radiusKm": 3 * math.sqrt(sa * sb),
        "fitR2": r2,
        "prominenceM": prominence,
    }


def passes_guards(m: dict, o: dict) -> bool:
    return (
        m["heightM"] > 0
        and m["prominenceM"] >= o["minProminenceM"]
        and m["fitR2"] >= o["minFitR2"]
        and o["minRadiusKm"] <= m["radiusKm"] <= o["maxRadiusKm"]
    )


def pick(grid: Grid, lon: np.ndarray, lat: np.ndarray, errors: np.ndarray, threshold: float, o: dict, stride_km: float) -> tuple[list[dict], dict]:
    """Seamounts (dicts, best first) from the window centres and errors; and counts for the log."""
    hits, sm = smoothed_hits(lon, lat, errors, threshold, o["smoothingKm"])
    cand = hits[local_minima(lon[hits], lat[hits], sm, o["minSeparationKm"])] if len(hits) else hits
    climb_km = max(o["measureRadiusKm"] / 2, 1.5 * stride_km)
    picks = []
    rejected = 0
    for idx in cand:
        m = measure(grid, float(lon[idx]), float(lat[idx]), o, climb_km)
        if m is not None and passes_guards(m, o):
            m["reconstructionError"] = float(errors[idx])
            picks.append(m)
        else:
            rejected += 1
    picks.sort(key=lambda m: (m["reconstructionError"], m["lon"], m["lat"]))
    kept: list[dict] = []
    if picks:
        plon = np.array([m["lon"] for m in picks])
        plat = np.array([m["lat"] for m in picks])
        neighbours = cKDTree(_xyz(plon, plat)).query_ball_point(_xyz(plon, plat), o["minSeparationKm"])
        is_kept = np.zeros(len(picks), dtype=bool)
        for i, m in enumerate(picks):
            # picks are best first: one is dropped when a better one within the separation was kept
            if not any(is_kept[j] for j in neighbours[i] if j < i):
                is_kept[i] = True
                kept.append(m)
    for i, m in enumerate(kept):
        m["id"] = f"PEER-{i + 1:06d}"
        m["lon"] = (m["lon"] + 180) % 360 - 180
    return kept, {"hits": int(len(hits)), "candidates": int(len(cand)), "rejected": rejected, "seamounts": len(kept)}
