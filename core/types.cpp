#include "types.h"

namespace maskscope {

const char* dtypeName(DType d)
{
    return d == DType::Float32 ? "float32" : "float64";
}

} // namespace maskscope
