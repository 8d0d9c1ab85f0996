#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes NumPy-produced .npy files read by tests/core/tst_npy.cpp into tests/data/npy_valid/.

Needs NumPy:  python3 tests/tools/make_npy_valid.py
The values are spelled out in tst_npy.cpp (numpyFiles_data); keep the two in step. The output is
committed so the tests do not need NumPy.
"""

import pathlib

import numpy as np

OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "data" / "npy_valid"


def write_version(path, array, version):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    # Exactly representable float32 values, C order.
    np.save(OUT_DIR / "float32_2x3.npy", np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1)
    # float64 values that float32 cannot hold, plus the extremes.
    np.save(OUT_DIR / "float64_3x2.npy", np.array([[0.1, -2.5], [1e300, -0.0], [np.inf, -np.inf]]))
    np.save(OUT_DIR / "bool_5.npy", np.array([True, False, False, True, True]))
    np.save(OUT_DIR / "float64_scalar.npy", np.float64(2.75))
    # A transposed array made C-contiguous, as the Fortran-order error message tells users to do.
    np.save(OUT_DIR / "float32_contiguous_transpose.npy",
            np.ascontiguousarray(np.arange(6, dtype=np.float32).reshape(2, 3).T))
    write_version(OUT_DIR / "float32_v2.npy", np.arange(4, dtype=np.float32).reshape(2, 2, 1), (2, 0))
    write_version(OUT_DIR / "bool_v3.npy", np.array([[False, True]]), (3, 0))
    print("wrote", OUT_DIR)


if __name__ == "__main__":
    main()
