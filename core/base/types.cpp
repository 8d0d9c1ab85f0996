// SPDX-License-Identifier: MIT
#include "base/types.h"

namespace maskscope {

const char* dtypeName(DType d)
{
    switch (d) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Float16: return "float16";
    case DType::BFloat16: return "bfloat16";
    }
    return "float32";
}

} // namespace maskscope
