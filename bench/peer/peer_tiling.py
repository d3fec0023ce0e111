"""Window plan and window building for the Python peer: the WindowSpec of src/tiling/ with numpy/scipy.

Same plan (km-spaced rows of constant latitude, ids row-major), same windows: a samples x samples
lattice on the Lambert azimuthal equal-area plane of each centre, anti-aliased source (Gaussian of
sigma 0.5*sqrt(d^2 - cell^2) per axis, normalised convolution so no-data drops out), bilinear
interpolation (scipy.ndimage.map_coordinates, order=1), land / no-data rules on the nearest raw cell,
median removal, max-abs scaling, cosine radial taper.

How it streams, like a careful numpy user: the plan is walked in bands of plan rows; each band reads
the grid rows it needs once (plus the filter margin), low-passes that band once, and cuts every
window of each plan row in one vectorised map_coordinates call. Memory is bounded by the band.

Differences from ours, by design of the approach rather than of the spec: ours reads and filters one
patch per run of windows (patches overlap, so cells are filtered several times); the peer filters each
band once. Both read margins wide enough that no filter edge reaches a sample, so the windows agree to
float rounding. Sources finer than 4 cells per window sample (where ours block-averages first) are
refused here; no benchmark grid is that fine.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage

from peer_grid import Geometry, Grid

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180
DEG = math.pi / 180
KERNEL_SIGMAS = 3
MIN_SIGMA_CELLS = 0.1
BLOCK_CELLS_PER_SAMPLE = 4


def js_round(x):
    """JavaScript's Math.round: halves go up."""
    return np.floor(np.asarray(x) + 0.5)


@dataclass
class Spec:
    size_km: float
    samples: int
    anti_alias: bool
    taper: str
    taper_start: float
    normalisation: str
    scale_m: float
    detrend: str = "none"
    misfit: str = "mse"
    centre_weight: float = 0.0

    @property
    def spacing_km(self) -> float:
        return self.size_km / self.samples

    @staticmethod
    def from_bundle(ws: dict) -> "Spec":
        if ws["projection"] != "laea" or ws["interpolation"] != "bilinear":
            raise ValueError(f"window spec {ws}: only laea + bilinear are implemented")
        return Spec(ws["sizeKm"], ws["samples"], ws["antiAlias"], ws["taper"], ws["taperStart"], ws["normalisation"], ws["scaleM"],
                    ws.get("detrend", "none"), ws.get("misfit", "mse"), ws.get("centreWeight", 0.0))

    def misfit_weights(self) -> np.ndarray | None:
        """Weights of the misfit (engine/misfit.ts centreWeights), None for the plain mean squared error."""
        if self.misfit != "relative" and not self.centre_weight > 0:
            return None
        s = self.samples
        if not self.centre_weight > 0:
            return np.ones(s * s, dtype=np.float32)
        c = (s - 1) / 2
        sigma = self.centre_weight * (s / 2)
        j, i = np.mgrid[0:s, 0:s]
        return np.exp(-((i - c) ** 2 + (j - c) ** 2) / (2 * sigma * sigma)).astype(np.float32).ravel()


@dataclass
class PlanConfig:
    max_land_fraction: float
    max_nodata_fraction: float
    land_level_m: float
    max_abs_lat_deg: float

    @staticmethod
    def from_config(plan: dict) -> "PlanConfig":
        return PlanConfig(plan["maxLandFraction"], plan["maxNodataFraction"], plan["landLevelM"], plan["maxAbsLatDeg"])


@dataclass
class Plan:
    region: tuple[float, float, float, float]
    stride_km: float
    count: int
    rows: int
    row_lat: np.ndarray
    row_first: np.ndarray
    row_lon0: np.ndarray
    row_step: np.ndarray
    full_circle: bool

    def row_centres(self, r: int) -> np.ndarray:
        n = self.row_first[r + 1] - self.row_first[r]
        return self.row_lon0[r] + np.arange(n) * self.row_step[r]

    def area_km2(self) -> float:
        """Area of the planned box on the sphere."""
        w, e, s, n = self.region
        return (e - w) * DEG * EARTH_RADIUS_KM ** 2 * (math.sin(n * DEG) - math.sin(s * DEG))


def _align_interval(west: float, span: float, lo: float, hi: float) -> float:
    mid = (lo + hi) / 2
    k0 = float(js_round((mid - (west + span / 2)) / 360))
    best, best_overlap = west + 360 * k0, -math.inf
    for k in (k0, k0 - 1, k0 + 1):
        w = west + 360 * k
        overlap = min(hi, w + span) - max(lo, w)
        if overlap > best_overlap + 1e-9:
            best_overlap, best = overlap, w
    return best


def _centred_range(a: float, b: float, step: float) -> tuple[float, int]:
    n = math.floor((b - a) / step + 1e-9) + 1
    return a + (b - a - (n - 1) * step) / 2, n


def plan_windows(g: Geometry, region: tuple[float, float, float, float] | None, stride_km: float, cfg: PlanConfig) -> Plan:
    """Port of planWindows (src/tiling/plan.ts): the same centres and ids."""
    bw, be, bs, bn = g.bounds()
    full = False
    if region is None:
        west, east = bw, be
        if g.periodic:
            east, full = west + 360, True
        south, north = bs, bn
    else:
        rw, re_, rs, rn = region
        span = re_ - rw
        if span <= 0:
            span += 360
        if span >= 360:
            if not g.periodic:
                span = 360
            else:
                full = True
        if full:
            west, east = bw, bw + 360
        else:
            west = _align_interval(rw, span, bw, bw + 360) if g.periodic else _align_interval(rw, span, bw, be)
            east = west + span
            if not g.periodic:
                west, east = max(west, bw), min(east, be)
        south, north = max(rs, bs), min(rn, bn)
    if not (east >= west and north >= south):
        raise ValueError("window plan: the region does not overlap the grid")
    limit = cfg.max_abs_lat_deg
    south, north = max(south, -limit), min(north, limit)
    if north < south:
        raise ValueError("window plan: the region lies poleward of plan.maxAbsLatDeg")
    lat_step = stride_km / KM_PER_DEG
    first, rows = _centred_range(south, north, lat_step)
    north_first = first + (rows - 1) * lat_step
    row_lat = north_first - np.arange(rows) * lat_step
    row_first = np.zeros(rows + 1, dtype=np.int64)
    row_lon0 = np.zeros(rows)
    row_step = np.zeros(rows)
    count = 0
    for r in range(rows):
        km_per_deg_lon = KM_PER_DEG * math.cos(row_lat[r] * DEG)
        if full:
            n = max(1, math.ceil(360 * km_per_deg_lon / stride_km - 1e-9))
            row_step[r], row_lon0[r] = 360 / n, west
        else:
            step = stride_km / km_per_deg_lon
            row_lon0[r], n = _centred_range(west, east, step)
            row_step[r] = step
        row_first[r] = count
        count += n
    row_first[rows] = count
    return Plan((west, east, south, north), stride_km, count, rows, row_lat, row_first, row_lon0, row_step, full)


def laea_inverse(lon0: float, lat0: float, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spherical LAEA plane (km) -> lon, lat (degrees), as src/tiling/projection.ts."""
    rho = np.hypot(x, y)
    phi0 = lat0 * DEG
    with np.errstate(invalid="ignore", divide="ignore"):
        c = 2 * np.arcsin(rho / (2 * EARTH_RADIUS_KM))
        sin_c, cos_c = np.sin(c), np.cos(c)
        sin_phi = np.clip(cos_c * math.sin(phi0) + np.where(rho > 0, y * sin_c * math.cos(phi0) / np.where(rho > 0, rho, 1), 0), -1, 1)
        dlam = np.arctan2(x * sin_c, rho * math.cos(phi0) * cos_c - y * math.sin(phi0) * sin_c)
    lon = np.where(rho > 0, lon0 + dlam / DEG, lon0)
    lat = np.where(rho > 0, np.arcsin(sin_phi) / DEG, lat0)
    return lon, lat


def lattice_offsets_km(size_km: float, samples: int) -> np.ndarray:
    d = size_km / samples
    return (np.arange(samples) + 0.5 - samples / 2) * d


def window_lattice(spec: Spec, lat_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """(dlon, lat) of every sample, row-major, row 0 north (no rotation)."""
    off = lattice_offsets_km(spec.size_km, spec.samples)
    u = np.tile(off, spec.samples)
    v = np.repeat(-off, spec.samples)
    return laea_inverse(0.0, lat_deg, u, v)


def taper_weights(spec: Spec) -> np.ndarray:
    n = spec.samples
    off = lattice_offsets_km(2, n)
    r = np.hypot(off[None, :], off[:, None]).ravel()
    w = np.ones(n * n)
    if spec.taper == "cosine":
        t = spec.taper_start
        w = np.where(r >= 1, 0.0, np.where(r > t, 0.5 * (1 + np.cos(np.pi * (r - t) / (1 - t))), 1.0))
    return w.astype(np.float32)


def sigma_cells(spacing_km: float, cell_km: float) -> float:
    if not cell_km > 0 or cell_km >= spacing_km:
        return 0.0
    ratio = spacing_km / cell_km
    return 0.5 * math.sqrt(ratio * ratio - 1)


def margin_cells(g: Geometry, spacing_km: float, anti_alias: bool, lat_abs_max: float) -> tuple[int, int]:
    if not anti_alias:
        return 2, 2
    dx = g.dlon * KM_PER_DEG * math.cos(min(lat_abs_max, 89.999) * DEG)
    dy = abs(g.dlat) * KM_PER_DEG

    def axis(cell: float) -> int:
        m = max(1, math.floor(spacing_km / cell / BLOCK_CELLS_PER_SAMPLE))
        return math.ceil(KERNEL_SIGMAS * sigma_cells(spacing_km, cell)) + 3 * m + 2

    return min(axis(dx), math.ceil(360 / g.dlon)), axis(dy)


def _kernel(sigma: float, max_radius: int) -> np.ndarray:
    r = min(math.ceil(KERNEL_SIGMAS * sigma), max(1, max_radius))
    i = np.arange(-r, r + 1)
    return np.exp(-0.5 * i * i / (sigma * sigma))


def _normalised_filter(values: np.ndarray, mask: np.ndarray, kernel: np.ndarray, axis: int) -> np.ndarray:
    """Gaussian normalised convolution along an axis: no-data (mask 0) drops out; NaN where less than half
    the kernel's weight falls on data (filterRows / filterColumns of src/tiling/antialias.ts)."""
    s = ndimage.correlate1d(values, kernel, axis=axis, mode="constant", cval=0.0)
    ws = ndimage.correlate1d(mask, kernel, axis=axis, mode="constant", cval=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ws >= kernel.sum() / 2, s / ws, np.nan).astype(np.float32)


def anti_alias(raw: np.ndarray, lat0_band: float, g: Geometry, spacing_km: float) -> np.ndarray:
    """The field windows are sampled from: `raw` low-passed along rows (sigma from each row's latitude)
    then along columns; `raw` itself when the source is no finer than the window spacing."""
    h, w = raw.shape
    row_lat = lat0_band + np.arange(h) * g.dlat
    lat_abs_min = 0.0 if row_lat[0] * row_lat[-1] <= 0 else min(abs(row_lat[0]), abs(row_lat[-1]))
    dx_widest = g.dlon * KM_PER_DEG * math.cos(lat_abs_min * DEG)
    dy = abs(g.dlat) * KM_PER_DEG
    if max(1, math.floor(spacing_km / dx_widest / BLOCK_CELLS_PER_SAMPLE)) > 1 or max(1, math.floor(spacing_km / dy / BLOCK_CELLS_PER_SAMPLE)) > 1:
        raise ValueError("peer: sources finer than 4 cells per window sample (block averaging) are not implemented")
    sig_x = [sigma_cells(spacing_km, g.dlon * KM_PER_DEG * math.cos(lat * DEG)) for lat in row_lat]
    sig_y = sigma_cells(spacing_km, dy)
    any_x = any(s >= MIN_SIGMA_CELLS for s in sig_x)
    if not any_x and sig_y < MIN_SIGMA_CELLS:
        return raw
    field = raw
    if any_x:
        finite = np.isfinite(raw)
        v0 = np.where(finite, raw, 0).astype(np.float64)
        m0 = finite.astype(np.float64)
        field = raw.copy()
        for j in range(h):
            if sig_x[j] >= MIN_SIGMA_CELLS:
                field[j] = _normalised_filter(v0[j], m0[j], _kernel(sig_x[j], w), 0)
    if sig_y >= MIN_SIGMA_CELLS:
        finite = np.isfinite(field)
        field = _normalised_filter(np.where(finite, field, 0).astype(np.float64), finite.astype(np.float64), _kernel(sig_y, h), 0)
    return field


def detrend_plane(v64: np.ndarray, n: int) -> np.ndarray:
    """(k, n*n) float64 with NaN -> each window minus the least-squares plane of its finite samples (detrendPlane),
    rounded to float32 as ours stores it."""
    j, i = np.mgrid[0:n, 0:n]
    c = (n - 1) / 2
    ii = (i - c).ravel().astype(np.float64)
    jj = (j - c).ravel().astype(np.float64)
    out = v64.copy()
    for k in range(len(v64)):
        z = v64[k]
        ok = ~np.isnan(z)
        if ok.sum() < 3:
            continue
        mi, mj, mz = ii[ok].mean(), jj[ok].mean(), z[ok].mean()
        di, dj, dz = ii[ok] - mi, jj[ok] - mj, z[ok] - mz
        sii, sij, sjj, siz, sjz = (di * di).sum(), (di * dj).sum(), (dj * dj).sum(), (di * dz).sum(), (dj * dz).sum()
        det = sii * sjj - sij * sij
        b = (siz * sjj - sjz * sij) / det if det > 1e-9 else 0.0
        g = (sjz * sii - siz * sij) / det if det > 1e-9 else 0.0
        out[k] = z - (mz + b * (ii - mi) + g * (jj - mj))
    return out.astype(np.float32).astype(np.float64)


def normalise(v: np.ndarray, spec: Spec, taper: np.ndarray) -> np.ndarray:
    """(k, S) float32 samples with NaN -> normalised, tapered float32 (normaliseWindow)."""
    v64 = v.astype(np.float64)
    if spec.detrend == "plane":
        v64 = detrend_plane(v64, spec.samples)
    has_nan = np.isnan(v64).any(axis=1)
    med = np.empty(len(v64))
    if (~has_nan).any():
        med[~has_nan] = np.median(v64[~has_nan], axis=1)
    if has_nan.any():
        med[has_nan] = np.nanmedian(v64[has_nan], axis=1)
    d = v64 - med[:, None]
    if spec.normalisation == "median-maxabs":
        maxabs = np.nanmax(np.abs(d), axis=1)
        scale = np.where(maxabs > 0, 1 / np.where(maxabs > 0, maxabs, 1), 0.0)
    else:
        scale = np.full(len(v64), 1 / spec.scale_m)
    x = np.nan_to_num(v64 - med[:, None]) * scale[:, None]
    np.clip(x, -1, 1, out=x)
    return (x * taper.astype(np.float64)).astype(np.float32)


@dataclass
class TileStats:
    planned: int = 0
    kept: int = 0
    skipped_land: int = 0
    skipped_nodata: int = 0
    cells_read: int = 0
    read_seconds: float = 0.0
    extra: dict = field(default_factory=dict)


def band_reads(grid: Grid, plan: Plan, spec: Spec, band_rows: int):
    """Yields (plan rows, raw band, band origin (c0, r0)) for each band of plan rows."""
    import time

    g = grid.geometry
    for b0 in range(0, plan.rows, band_rows):
        rows = list(range(b0, min(plan.rows, b0 + band_rows)))
        lats = [window_lattice(spec, plan.row_lat[r]) for r in rows]
        lat_min = min(l[1].min() for l in lats)
        lat_max = max(l[1].max() for l in lats)
        mx, my = margin_cells(g, spec.spacing_km, spec.anti_alias, max(abs(lat_min), abs(lat_max)))
        ra, rb = (lat_max - g.lat0) / g.dlat, (lat_min - g.lat0) / g.dlat
        y0 = max(0, math.floor(min(ra, rb)) - my)
        y1 = min(g.height - 1, math.ceil(max(ra, rb)) + my)
        c_lo = min((plan.row_lon0[r] - g.lon0) / g.dlon + l[0].min() / g.dlon for r, l in zip(rows, lats))
        c_hi = max((plan.row_centres(r)[-1] - g.lon0) / g.dlon + l[0].max() / g.dlon for r, l in zip(rows, lats) if plan.row_first[r + 1] > plan.row_first[r])
        x0 = math.floor(c_lo) - mx
        x1 = math.ceil(c_hi) + mx
        if not g.periodic:
            x0, x1 = max(0, x0), min(g.width - 1, x1)
        t = time.perf_counter()
        raw = grid.read(x0, y0, x1 - x0 + 1, y1 - y0 + 1) if x1 >= x0 and y1 >= y0 else np.zeros((0, 0), np.float32)
        yield rows, lats, raw, (x0, y0), time.perf_counter() - t


def stream_windows(grid: Grid, plan: Plan, spec: Spec, cfg: PlanConfig, stats: TileStats, band_rows: int = 32):
    """Yields (ids, windows (k, S) float32) of the kept windows, plan row by plan row."""
    g = grid.geometry
    taper = taper_weights(spec)
    s2 = spec.samples * spec.samples
    for rows, lats, raw, (x0, y0), read_s in band_reads(grid, plan, spec, band_rows):
        stats.read_seconds += read_s
        stats.cells_read += raw.size
        lat0_band = g.lat0 + y0 * g.dlat
        field_ = anti_alias(raw, lat0_band, g, spec.spacing_km) if spec.anti_alias and raw.size else raw
        finite = np.isfinite(field_)
        f0 = np.where(finite, field_, 0).astype(np.float64)
        fm = finite.astype(np.float64)
        h, w = raw.shape
        for r, (dlon_k, lat_k) in zip(rows, lats):
            lon_c = plan.row_centres(r)
            n = len(lon_c)
            if n == 0:
                continue
            stats.planned += n
            fy = (lat_k - lat0_band) / g.dlat
            fx = ((lon_c - g.lon0) / g.dlon - x0)[:, None] + (dlon_k / g.dlon)[None, :]
            fy2 = np.broadcast_to(fy, fx.shape)
            ri = js_round(fy2).astype(np.int64)
            ci = js_round(fx).astype(np.int64)
            inside = (ri >= 0) & (ri < h) & (ci >= 0) & (ci < w)
            nearest = raw[np.clip(ri, 0, max(h - 1, 0)), np.clip(ci, 0, max(w - 1, 0))] if raw.size else np.full(fx.shape, np.nan, np.float32)
            nearest = np.where(inside, nearest, np.nan)
            coords = np.stack([fy2.ravel(), fx.ravel()])
            vals = ndimage.map_coordinates(f0, coords, order=1, mode="grid-constant", cval=0.0, prefilter=False).reshape(fx.shape)
            wsum = ndimage.map_coordinates(fm, coords, order=1, mode="grid-constant", cval=0.0, prefilter=False).reshape(fx.shape)
            bad = np.isnan(nearest) | (wsum < 0.5)
            with np.errstate(invalid="ignore", divide="ignore"):
                v = (vals / wsum).astype(np.float32)
            v[bad] = np.nan
            nodata_frac = bad.sum(axis=1) / s2
            land_frac = ((nearest > cfg.land_level_m) & ~bad).sum(axis=1) / s2
            skip_nodata = nodata_frac > cfg.max_nodata_fraction
            skip_land = ~skip_nodata & (land_frac > cfg.max_land_fraction)
            keep = ~skip_nodata & ~skip_land
            stats.skipped_nodata += int(skip_nodata.sum())
            stats.skipped_land += int(skip_land.sum())
            k = int(keep.sum())
            stats.kept += k
            if k == 0:
                continue
            ids = plan.row_first[r] + np.nonzero(keep)[0]
            yield ids, normalise(v[keep], spec, taper)


def window_centres(plan: Plan, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """lon (grid convention, continuous along a row), lat of plan ids."""
    r = np.searchsorted(plan.row_first, ids, side="right") - 1
    return plan.row_lon0[r] + (ids - plan.row_first[r]) * plan.row_step[r], plan.row_lat[r]
