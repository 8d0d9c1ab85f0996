// SPDX-License-Identifier: MIT
#include "io/readonlyfile.h"

#include "base/contract.h"
#include "base/types.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace maskscope {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw InputError(path + ": " + problem);
}

const char* fileKind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "something that is not a regular file";
}

} // namespace

std::string errnoText()
{
    return errno ? std::strerror(errno) : "unknown error";
}

ReadOnlyFile::ReadOnlyFile(const std::string& path, const std::string& expected) : path_(path)
{
    errno = 0;
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0)
        fail(path, "cannot open (" + errnoText() + ")");
    struct stat st {};
    std::string problem;
    if (::fstat(fd_, &st) != 0)
        problem = "cannot open (" + errnoText() + ")";
    else if (S_ISDIR(st.st_mode))
        problem = "cannot open (is a directory)";
    else if (!S_ISREG(st.st_mode))
        problem = std::string("cannot read ") + fileKind(st.st_mode) + "; expected " + expected;
    if (!problem.empty()) {
        ::close(fd_);
        fd_ = -1;
        fail(path, problem);
    }
    size_ = static_cast<std::size_t>(st.st_size);
}

ReadOnlyFile::ReadOnlyFile(ReadOnlyFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), path_(std::move(other.path_))
{
}

ReadOnlyFile& ReadOnlyFile::operator=(ReadOnlyFile&& other) noexcept
{
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        size_ = other.size_;
        path_ = std::move(other.path_);
    }
    return *this;
}

ReadOnlyFile::~ReadOnlyFile()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void ReadOnlyFile::readAt(std::size_t offset, std::size_t count, std::vector<std::uint8_t>& out) const
{
    MASKSCOPE_EXPECTS(valid() && offset <= size_ && count <= size_ - offset);
    out.resize(count);
    std::size_t done = 0;
    while (done < count) {
        errno = 0;
        const ssize_t n = ::pread(fd_, out.data() + done, count - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail(path_, n == 0 ? std::string("cannot read (the file shrank while being read)")
                               : "cannot read (" + errnoText() + ")");
        done += static_cast<std::size_t>(n);
    }
}

MappedFile::MappedFile(const std::string& path, const std::string& expected) : path_(path)
{
    const ReadOnlyFile file(path, expected);
    size_ = file.size();
    if (size_ == 0)
        return;
    errno = 0;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, file.fd_, 0);
    if (p == MAP_FAILED)
        fail(path, "cannot map (" + errnoText() + ")");
    data_ = static_cast<const std::uint8_t*>(p);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      path_(std::move(other.path_))
{
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept
{
    if (this != &other) {
        if (data_)
            ::munmap(const_cast<std::uint8_t*>(data_), size_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        path_ = std::move(other.path_);
    }
    return *this;
}

MappedFile::~MappedFile()
{
    if (data_)
        ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

void MappedFile::release(std::size_t offset, std::size_t count) const
{
    MASKSCOPE_EXPECTS(offset <= size_ && count <= size_ - offset);
    if (!data_ || count == 0)
        return;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t begin = (offset + page - 1) / page * page; // whole pages inside the range
    const std::size_t end = (offset + count) / page * page;
    if (end > begin)
        ::madvise(const_cast<std::uint8_t*>(data_) + begin, end - begin, MADV_DONTNEED);
}

void populatePages(const std::uint8_t* p, std::size_t count)
{
#ifdef MADV_POPULATE_READ
    if (!p || count == 0)
        return;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto first = reinterpret_cast<std::uintptr_t>(p) / page * page;
    const auto end = reinterpret_cast<std::uintptr_t>(p) + count;
    ::madvise(reinterpret_cast<void*>(first), end - first, MADV_POPULATE_READ);
#else
    (void)p;
    (void)count;
#endif
}

} // namespace maskscope
