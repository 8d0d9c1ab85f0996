// SPDX-License-Identifier: MIT
#include "figure/largebuffer.h"

#include <cstdlib>
#include <limits>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace maskscope::ui {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Huge pages only pay for buffers of several of them; smaller ones stay with the allocator.
constexpr std::size_t kWorthAligning = 2 * kHugePage;

std::uint8_t* allocate(std::size_t size)
{
    if (size < kWorthAligning)
        return static_cast<std::uint8_t*>(std::malloc(size));
    if (size > std::numeric_limits<std::size_t>::max() - kHugePage)
        return nullptr; // rounding up would wrap around
    const std::size_t rounded = (size + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p)
        madvise(p, rounded, MADV_HUGEPAGE); // advice only: without THP it changes nothing
#endif
    return static_cast<std::uint8_t*>(p);
}

void freeImageBuffer(void* info)
{
    std::free(info);
}

} // namespace

void LargeBuffer::Free::operator()(std::uint8_t* p) const
{
    std::free(p);
}

LargeBuffer::LargeBuffer(std::size_t size) : data_(size ? allocate(size) : nullptr), size_(size) {}

QImage largeImage(QSize size, QImage::Format format)
{
    if (size.isEmpty())
        return {};
    const qsizetype bytesPerLine = static_cast<qsizetype>(size.width()) * 4;
    const auto bytes = static_cast<std::size_t>(bytesPerLine) * static_cast<std::size_t>(size.height());
    if (bytes / static_cast<std::size_t>(size.height()) != static_cast<std::size_t>(bytesPerLine))
        return {};
    std::uint8_t* data = allocate(bytes);
    if (!data)
        return {};
    return QImage(data, size.width(), size.height(), bytesPerLine, format, &freeImageBuffer, data);
}

} // namespace maskscope::ui
