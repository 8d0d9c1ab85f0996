#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the corrupted .npy corpus read by tests/core/tst_npy.cpp into tests/data/npy_corrupt/.

Standard library only, so it runs without NumPy:  python3 tests/tools/make_npy_corpus.py
Each file is named after its one defect; tst_npy.cpp holds the phrase its error message must
contain, and fails when a file has no phrase or a phrase no file. The output is committed.
"""

import pathlib
import struct

MAGIC = b"\x93NUMPY"
OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "data" / "npy_corrupt"


def npy(header, data=b"", major=1, length=None):
    """An .npy image: prelude, header padded like NumPy's (to 64 bytes, ending in a newline), data.

    `header` is str (encoded latin1, or utf8 for version 3) or raw bytes; `length` overrides the
    header-length field to lie about the header.
    """
    if isinstance(header, str):
        header = header.encode("utf8" if major == 3 else "latin1")
    length_format = "<H" if major == 1 else "<I"
    unpadded = len(MAGIC) + 2 + struct.calcsize(length_format) + len(header) + 1
    header += b" " * (-unpadded % 64) + b"\n"
    field = struct.pack(length_format, len(header) if length is None else length)
    return MAGIC + bytes([major, 0]) + field + header + data


def dict_text(descr="'<f4'", fortran="False", shape="(2, 3)"):
    return "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)


def f4(*values):
    return struct.pack("<%df" % len(values), *values)


SIX_FLOATS = f4(0, 1, 2, 3, 4, 5)
GOOD = npy(dict_text(), SIX_FLOATS)

CASES = {
    # The prelude: magic, version, header length.
    "empty": b"",
    "too_short": MAGIC[:4],
    "text_file": b"0.5 1.5 2.5\n",
    "bad_magic": b"\x93NUMPZ" + GOOD[6:],
    "bad_version": MAGIC + b"\x04\x00" + GOOD[8:],
    "bad_minor_version": MAGIC + b"\x01\x01" + GOOD[8:],
    "truncated_length_field": MAGIC + b"\x02\x00\x40\x00",
    "header_beyond_file": npy(dict_text(), SIX_FLOATS, length=4096),
    "header_length_4gb": npy(dict_text(), SIX_FLOATS, major=2, length=0xFFFFFFFF),
    "truncated_header": GOOD[:40],
    # The dict syntax.
    "empty_header": MAGIC + b"\x01\x00\x00\x00",
    "not_a_dict": npy("[1, 2, 3]"),
    "unterminated_dict": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ", SIX_FLOATS),
    "unterminated_string": npy("{'fortran_order': False, 'shape': (2, 3), 'descr': '<f4}", SIX_FLOATS),
    "missing_colon": npy("{'descr' '<f4', 'fortran_order': False, 'shape': (2, 3)}", SIX_FLOATS),
    "missing_comma": npy("{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", SIX_FLOATS),
    "escape_in_string": npy(dict_text(descr=r"'<f\x34'"), SIX_FLOATS),
    "nul_in_header": npy(b"{'descr': '<f4',\x00 'fortran_order': False, 'shape': (2, 3)}", SIX_FLOATS),
    "text_after_dict": npy(dict_text() + " junk", SIX_FLOATS),
    "unquoted_key": npy("{descr: '<f4', 'fortran_order': False, 'shape': (2, 3)}", SIX_FLOATS),
    # The keys.
    "missing_key_shape": npy("{'descr': '<f4', 'fortran_order': False}", SIX_FLOATS),
    "missing_key_descr": npy("{'fortran_order': False, 'shape': (2, 3)}", SIX_FLOATS),
    "extra_key": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", SIX_FLOATS),
    "duplicate_key": npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}",
                         SIX_FLOATS),
    "non_ascii_key_v3": npy("{'d\u00e9scr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", SIX_FLOATS,
                            major=3),
    # The dtype.
    "dtype_int64": npy(dict_text(descr="'<i8'"), SIX_FLOATS * 2),
    "dtype_big_endian": npy(dict_text(descr="'>f4'"), SIX_FLOATS),
    "dtype_complex64": npy(dict_text(descr="'<c8'"), SIX_FLOATS * 2),
    "dtype_uint8": npy(dict_text(descr="'|u1'"), bytes(6)),
    "dtype_structured": npy(dict_text(descr="[('a', '<f4')]"), SIX_FLOATS),
    "dtype_control_char": npy(b"{'descr': '<f\x014', 'fortran_order': False, 'shape': (2, 3)}", SIX_FLOATS),
    "dtype_not_string": npy(dict_text(descr="4"), SIX_FLOATS),
    # fortran_order.
    "fortran_order_true": npy(dict_text(fortran="True"), SIX_FLOATS),
    "fortran_order_not_bool": npy(dict_text(fortran="0"), SIX_FLOATS),
    # The shape.
    "negative_dim": npy(dict_text(shape="(2, -3)"), SIX_FLOATS),
    "float_dim": npy(dict_text(shape="(2, 3.0)"), SIX_FLOATS),
    "name_dim": npy(dict_text(shape="(2, n)"), SIX_FLOATS),
    "shape_int": npy(dict_text(shape="6"), SIX_FLOATS),
    "shape_parenthesised_int": npy(dict_text(shape="(6)"), SIX_FLOATS),
    "shape_list": npy(dict_text(shape="[2, 3]"), SIX_FLOATS),
    "shape_empty_entry": npy(dict_text(shape="(2, , 3)"), SIX_FLOATS),
    "unterminated_shape": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3", SIX_FLOATS),
    "dim_beyond_int64": npy(dict_text(shape="(%d,)" % 2**64), SIX_FLOATS),
    "shape_count_overflows": npy(dict_text(shape="(%d, %d)" % (2**40, 2**40)), SIX_FLOATS),
    "shape_bytes_overflow": npy(dict_text(descr="'<f8'", shape="(%d, 4)" % 2**62), SIX_FLOATS),
    "huge_shape": npy(dict_text(shape="(%d, %d)" % (2**30, 2**30)), SIX_FLOATS),
    # The data.
    "truncated_data": npy(dict_text(), SIX_FLOATS[:20]),
    "no_data": npy(dict_text()),
    "trailing_bytes": GOOD + b"xyz",
    "bool_byte_2": npy(dict_text(descr="'|b1'"), bytes([1, 0, 2, 0, 1, 1])),
}


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for stale in OUT_DIR.glob("*.npy"):
        stale.unlink()
    for name, image in sorted(CASES.items()):
        (OUT_DIR / (name + ".npy")).write_bytes(image)
    print("wrote %d files to %s" % (len(CASES), OUT_DIR))


if __name__ == "__main__":
    main()
