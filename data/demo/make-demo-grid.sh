#!/bin/sh
# Rebuilds data/demo/demo_grid.tif from Debian's ferret-datasets package (NOAA ETOPO5, public domain).
# Needs: apt-get (download only, no install), dpkg-deb, gdal_translate (Debian gdal-bin).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download ferret-datasets            # ferret-datasets_7.6.0-5_all.deb on Debian 12
dpkg-deb -x ferret-datasets_*_all.deb pkg
src=pkg/usr/share/ferret-vis/data/etopo5.cdf
# Magellan and Marshall seamounts, western Pacific: 150°E–165°E, 10°N–22°N at ETOPO5's 5′ spacing
gdal_translate -q -of GTiff -ot Int16 -projwin 150 22 165 10 -a_nodata -32768 \
  -co TILED=YES -co BLOCKXSIZE=128 -co BLOCKYSIZE=128 -co COMPRESS=DEFLATE -co PREDICTOR=2 \
  "NETCDF:\"$src\":ROSE" demo_grid.tif
mv demo_grid.tif "$here/demo_grid.tif.tmp" && mv "$here/demo_grid.tif.tmp" "$here/demo_grid.tif"
sha256sum "$src" "$here/demo_grid.tif"
