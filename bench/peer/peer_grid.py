"""Windowed grid reading for the Python peer, in bounded memory.

GeoTIFF (and anything else GDAL opens) through GDAL's Python bindings with windowed ReadAsArray;
netCDF-3 through scipy.io.netcdf_file(mmap=True). Values come back as float32 metres, positive up,
NaN for no-data, like our GridSource. Geometry is of cell centres (lon0, dlon, lat0, dlat), the
convention of src/types.ts, so both implementations plan the same windows.

Supported netCDF-3 layouts: one 2-D variable over 1-D lon/lat coordinate variables (CF / COARDS /
GMT), with scale_factor, add_offset, _FillValue / missing_value, and units of km converted to m.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass
class Geometry:
    width: int
    height: int
    lon0: float
    dlon: float
    lat0: float
    dlat: float
    periodic: bool

    def period(self) -> int:
        return round(360 / self.dlon)

    def bounds(self) -> tuple[float, float, float, float]:
        """west, east, south, north of the cell centres (file's longitude convention)."""
        lats = (self.lat0, self.lat0 + (self.height - 1) * self.dlat)
        return self.lon0, self.lon0 + (self.width - 1) * self.dlon, min(lats), max(lats)


def covers_all_longitudes(width: int, dlon: float) -> bool:
    n = round(360 / dlon)
    return n <= width <= n + 1 and abs(n * dlon - 360) < dlon * 1e-3


class Grid:
    """Base: `read(x0, y0, w, h)` with rows inside the grid; columns wrap on a periodic grid and are NaN
    off a non-periodic one."""

    geometry: Geometry
    path: str

    def _read_rect(self, x0: int, y0: int, w: int, h: int) -> np.ndarray:
        raise NotImplementedError

    def read(self, x0: int, y0: int, w: int, h: int) -> np.ndarray:
        g = self.geometry
        if y0 < 0 or y0 + h > g.height:
            raise ValueError(f"{self.path}: rows {y0}..{y0 + h - 1} outside 0..{g.height - 1}")
        out = np.full((h, w), np.nan, dtype=np.float32)
        if g.periodic:
            period = g.period()
            x = x0
            while x < x0 + w:
                xs = x % period
                n = min(x0 + w - x, period - xs, g.width - xs)
                out[:, x - x0:x - x0 + n] = self._read_rect(xs, y0, n, h)
                x += n
        else:
            a = max(0, x0)
            b = min(g.width, x0 + w)
            if b > a:
                out[:, a - x0:b - x0] = self._read_rect(a, y0, b - a, h)
        return out

    def close(self) -> None:
        pass


class GdalGrid(Grid):
    def __init__(self, path: str):
        from osgeo import gdal

        gdal.UseExceptions()
        self.path = path
        self.ds = gdal.Open(path)
        if self.ds is None:
            raise ValueError(f"{path}: GDAL cannot open it")
        self.band = self.ds.GetRasterBand(1)
        gt = self.ds.GetGeoTransform()
        if gt[2] != 0 or gt[4] != 0:
            raise ValueError(f"{path}: rotated geotransforms are not supported")
        w, h = self.ds.RasterXSize, self.ds.RasterYSize
        # a GDAL geotransform gives cell edges: centres are half a cell in
        self.geometry = Geometry(w, h, gt[0] + gt[1] / 2, gt[1], gt[3] + gt[5] / 2, gt[5], covers_all_longitudes(w, gt[1]))
        self.nodata = self.band.GetNoDataValue()
        self.scale = self.band.GetScale() or 1.0
        self.offset = self.band.GetOffset() or 0.0

    def _read_rect(self, x0: int, y0: int, w: int, h: int) -> np.ndarray:
        raw = self.band.ReadAsArray(x0, y0, w, h)
        out = raw.astype(np.float32)
        if self.nodata is not None:
            out[raw == self.nodata] = np.nan
        if self.scale != 1.0 or self.offset != 0.0:
            out = out * np.float32(self.scale) + np.float32(self.offset)
        return out

    def close(self) -> None:
        self.band = None
        self.ds = None


_LON_NAMES = ("lon", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")


def _attr(var, name):
    v = getattr(var, name, None)
    if isinstance(v, bytes):
        v = v.decode()
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.item()
    return v


class Netcdf3Grid(Grid):
    def __init__(self, path: str, variable: str | None = None):
        from scipy.io import netcdf_file

        self.path = path
        self.nc = netcdf_file(path, "r", mmap=True, maskandscale=False)
        candidates = [n for n, v in self.nc.variables.items() if len(v.dimensions) == 2 and all(d in self.nc.variables for d in v.dimensions)]
        if variable is None:
            if len(candidates) != 1:
                raise ValueError(f"{path}: {len(candidates)} 2-D grid variables ({', '.join(candidates)}); name one")
            variable = candidates[0]
        self.var = self.nc.variables[variable]
        ydim, xdim = self.var.dimensions
        lon = np.asarray(self.nc.variables[xdim][:], dtype=np.float64)
        lat = np.asarray(self.nc.variables[ydim][:], dtype=np.float64)
        if len(lon) < 2 or len(lat) < 2:
            raise ValueError(f"{path}: {variable} needs at least 2 cells per axis")
        dlon = (lon[-1] - lon[0]) / (len(lon) - 1)
        dlat = (lat[-1] - lat[0]) / (len(lat) - 1)
        self.geometry = Geometry(len(lon), len(lat), float(lon[0]), float(dlon), float(lat[0]), float(dlat), covers_all_longitudes(len(lon), dlon))
        self.fill = _attr(self.var, "_FillValue")
        if self.fill is None:
            self.fill = _attr(self.var, "missing_value")
        self.scale = float(_attr(self.var, "scale_factor") or 1.0)
        self.offset = float(_attr(self.var, "add_offset") or 0.0)
        units = (_attr(self.var, "units") or "m").strip().lower()
        self.unit_m = 1000.0 if units in ("km", "kilometer", "kilometers", "kilometre", "kilometres") else 1.0

    def _read_rect(self, x0: int, y0: int, w: int, h: int) -> np.ndarray:
        raw = np.asarray(self.var.data[y0:y0 + h, x0:x0 + w])
        out = raw.astype(np.float32)
        bad = np.zeros(raw.shape, dtype=bool)
        if self.fill is not None:
            fill = float(self.fill)
            # huge float fills (-1e34) are stored rounded: compare loosely
            bad |= (np.abs(raw) >= abs(fill) * 0.999) if abs(fill) > 1e30 else (raw == self.fill)
        if np.issubdtype(raw.dtype, np.floating):
            bad |= np.isnan(raw)
        out[bad] = np.nan
        factor = self.scale * self.unit_m
        if factor != 1.0 or self.offset != 0.0:
            out = (out * factor + self.offset * self.unit_m).astype(np.float32)
        return out

    def close(self) -> None:
        self.var = None
        self.nc.close()


def open_grid(path: str, variable: str | None = None) -> Grid:
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:3] == b"CDF":
        return Netcdf3Grid(path, variable)
    return GdalGrid(path)


def lon_to_column(g: Geometry, lon):
    """Fractional column of a longitude, the 360-degree alias nearest the grid's middle (src/grid/geometry.ts)."""
    x = (lon - g.lon0) / g.dlon
    period = 360 / g.dlon
    mid = (g.width - 1) / 2
    return x + np.floor((mid - x) / period + 0.5) * period


def km_per_deg() -> float:
    return 6371.0088 * math.pi / 180
