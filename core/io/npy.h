// SPDX-License-Identifier: MIT
#pragma once
// NumPy .npy files (format versions 1.0, 2.0, 3.0): reading untrusted files, writing our own.

#include "base/types.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace maskscope {

/// Element type of an .npy array that MaskScope understands.
enum class NpyType { Float32, Float64, Bool };

const char* npyTypeName(NpyType t); ///< "float32", "float64", "bool"

/// An .npy array held in memory, C order, native (little-endian) byte order.
/// Invariant: data.size() == elementCount() * elementSize(type).
struct NpyArray {
    NpyType type = NpyType::Float32;
    std::vector<std::size_t> shape;
    std::vector<std::uint8_t> data;

    std::size_t elementCount() const;
    /// Element i (C order) widened to double; bool reads as 0 or 1. Precondition: i < count.
    double at(std::size_t i) const;
    bool boolAt(std::size_t i) const;
};

std::size_t npyElementSize(NpyType t);

/// Reads an .npy file. Accepts '<f4', '<f8' and '|b1' (also '<b1', '=f4'-style native spellings on
/// little-endian hosts), fortran_order False, format versions 1-3. The header is treated as hostile:
/// every field is checked, the shape product is checked for overflow and against the file size
/// before anything is allocated. Only a regular file is read (a FIFO, a device or a socket is
/// refused without reading), and its data only when its size is exactly what the header declares.
/// Throws InputError "<path>: <problem>" naming the file and what is wrong.
NpyArray readNpy(const std::string& path);

/// Parses an in-memory .npy image; `name` is used in error messages. Same checks as readNpy.
NpyArray parseNpy(const std::vector<std::uint8_t>& bytes, const std::string& name);

/// Serialises an array as a version 1.0 .npy image.
std::vector<std::uint8_t> serializeNpy(const NpyArray& array);

/// Writes an array as .npy atomically enough for tests (write then rename).
/// Throws InputError on I/O failure.
void writeNpy(const std::string& path, const NpyArray& array);

} // namespace maskscope
