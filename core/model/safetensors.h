// SPDX-License-Identifier: MIT
#pragma once
// safetensors files (Hugging Face): an 8-byte little-endian header length, a JSON header
// {"name": {"dtype": "BF16", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the tensor bytes. The file is memory-mapped, never read whole; tensors are views into it.
// The header is untrusted: every offset, size and shape is checked before a view is made.

#include "model/checkpoint.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace maskscope {

/// The tensors of one safetensors file and the mapping that keeps them alive.
struct SafetensorsFile {
    std::shared_ptr<const MappedFile> file;
    std::map<std::string, TensorView> tensors;
};

/// Largest header accepted (the reference implementation's limit): beyond it a header is
/// hostile, not big.
inline constexpr std::uint64_t kMaxSafetensorsHeader = 100u * 1024 * 1024;

/// Maps `path` and reads its header. Throws InputError "<path>: <problem>" (one line, naming
/// the tensor when one is at fault): header length past the end, invalid JSON, a dtype other
/// than F32/F16/BF16, shapes that are not non-negative integers, offsets out of range, reversed
/// or overlapping, a byte size that is not product(shape) × the dtype's size.
SafetensorsFile openSafetensors(const std::string& path);

/// The header check of openSafetensors on bytes in memory (`name` is used in messages): views
/// point into `data`, which must outlive them.
std::map<std::string, TensorView> parseSafetensors(const std::uint8_t* data, std::size_t size,
                                                    const std::string& name);

} // namespace maskscope
