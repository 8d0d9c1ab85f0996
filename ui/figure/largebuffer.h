// SPDX-License-Identifier: MIT
#pragma once
// Memory for the few large buffers an export writes once from start to end (the figure's image,
// the PNG encoder's filtered rows): aligned to 2 MiB and advised for transparent huge pages where
// the system offers them (Linux, THP "madvise" or "always"), so that touching it for the first
// time costs one page fault per 2 MiB instead of one per 4 KiB. On virtual machines a fault is
// dear: 11 µs each on the development machine, where the 8-head grid's 12 MB image alone took
// 3000 of them (docs/figures.md, "Speed against PyTorch + matplotlib").

#include <QImage>
#include <QSize>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace maskscope::ui {

/// A byte buffer of fixed size; its contents are undefined until written.
class LargeBuffer {
public:
    /// `size` bytes; data() is null when the memory cannot be had (or size is 0).
    explicit LargeBuffer(std::size_t size);

    std::uint8_t* data() { return data_.get(); }
    const std::uint8_t* data() const { return data_.get(); }
    std::size_t size() const { return data_ ? size_ : 0; }

private:
    struct Free {
        void operator()(std::uint8_t* p) const;
    };
    std::unique_ptr<std::uint8_t, Free> data_;
    std::size_t size_ = 0;
};

/// A `size` image of `format` (32 bits per pixel) over a LargeBuffer, which it frees with its last
/// copy; uninitialised pixels. A null image when the size is empty or the memory cannot be had.
QImage largeImage(QSize size, QImage::Format format);

} // namespace maskscope::ui
