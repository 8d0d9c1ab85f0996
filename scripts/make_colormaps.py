#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Print the 256-entry colour tables of ui/colormap.cpp from matplotlib's own data.

viridis: matplotlib's _viridis_data (van der Walt & Smith, CC0), 256 RGB triples.
RdBu_r:  matplotlib's ColorBrewer "RdBu" (Cynthia Brewer, Apache-2.0 style licence),
         reversed (blue = negative, red = positive), sampled at 256 points.
Each entry is rounded to 8 bits per channel and written as 0xffRRGGBB (QRgb).

Usage: /usr/bin/python3 scripts/make_colormaps.py > /tmp/tables.inc
"""

import numpy as np
from matplotlib import colormaps


def table(name):
    rgb = colormaps[name](np.linspace(0.0, 1.0, 256))[:, :3]
    return np.round(rgb * 255).astype(int)


def emit(cname, rows):
    print(f"constexpr std::array<QRgb, 256> {cname} = {{")
    words = [f"0xff{r:02x}{g:02x}{b:02x}" for r, g, b in rows]
    for k in range(0, 256, 8):
        print("    " + ", ".join(words[k:k + 8]) + ",")
    print("};")


if __name__ == "__main__":
    emit("kViridis", table("viridis"))
    print()
    emit("kRdBuR", table("RdBu_r"))
