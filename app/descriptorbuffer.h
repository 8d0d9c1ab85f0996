// SPDX-License-Identifier: MIT
#pragma once
// An output stream buffer over a file descriptor that keeps the errno of the first failed write,
// which std::ofstream and std::cout lose: error messages can say why a write failed.

#include <cerrno>
#include <streambuf>
#include <unistd.h>

namespace maskscope::cli {

class DescriptorBuffer : public std::streambuf {
public:
    /// Writes to `fd`, which stays open (its owner closes it).
    explicit DescriptorBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
    DescriptorBuffer(const DescriptorBuffer&) = delete;
    DescriptorBuffer& operator=(const DescriptorBuffer&) = delete;

    /// 0, or the errno of the first write that failed (later text is dropped).
    int error() const { return error_; }

protected:
    int_type overflow(int_type c) override
    {
        if (!drain())
            return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain()
    {
        for (const char* p = pbase(); p < pptr() && error_ == 0;) {
            const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                error_ = n < 0 ? errno : EIO;
            else
                p += n;
        }
        setp(buffer_, buffer_ + sizeof buffer_);
        return error_ == 0;
    }

    int fd_;
    int error_ = 0;
    char buffer_[1 << 16];
};

} // namespace maskscope::cli
