#!/usr/bin/env python3
"""Random positions written as a catalogue (xyhrdnc), to train a control model on random windows (issue #6).

`seamount train --catalogue` then trains the same autoencoder on windows at these positions instead of at
seamounts (its minReliefM filter still keeps only windows with that much relief). Compare the control's
error with the seamount model's in `ceiling.py --control-errors`: a seamount model that separates seamounts
from look-alikes no better than the control has learnt window simplicity, not seamount shape.

  /usr/bin/python3 bench/accuracy/random_catalogue.py --box=-118/-107/-49/-42:3000 --box=128/134/28/33:1500 \\
      --out out/random.xyhrdnc

Positions are uniform in area (uniform in sin(latitude)); the seed fixes them. Columns: lon, lat, height
1000 m, radius 7.3 km, base depth -4000 m (placeholders: training reads only the position), id RND-#####,
charted 0.
"""
import argparse
import os
import tempfile

import numpy as np


def area_uniform(rng, box, count):
    """(lon, lat) arrays of count positions uniform in area over box (W, E, S, N): uniform lon, uniform sin(lat)."""
    w, e, s, n = box
    lon = rng.uniform(w, e, count)
    lat = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(s)), np.sin(np.radians(n)), count)))
    return lon, lat


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--box', action='append', required=True, help='W/E/S/N:COUNT, repeatable')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    rows = []
    for box in a.box:
        extent, count = box.split(':')
        w, e, s, n = map(float, extent.split('/'))
        if not (w < e and s < n and int(count) > 0):
            ap.error(f'--box {box}: want W<E, S<N and a positive count')
        lon, lat = area_uniform(rng, (w, e, s, n), int(count))
        rows += [f'{x:.4f} {y:.4f} 1000 7.3 -4000 RND-{len(rows) + i + 1:05d} 0' for i, (x, y) in enumerate(zip(lon, lat))]
    folder = os.path.dirname(os.path.abspath(a.out))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix='.tmp-')
    with os.fdopen(fd, 'w') as f:
        f.write('\n'.join(rows) + '\n')
    os.replace(tmp, a.out)
    print(f'{len(rows)} random positions -> {a.out}')


if __name__ == '__main__':
    main()
