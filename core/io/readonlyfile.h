// SPDX-License-Identifier: MIT
#pragma once
// Untrusted files opened for reading: only regular files (a FIFO would block forever, /dev/zero
// never ends), read with checked positional reads or mapped read-only. Errors are InputError
// "<path>: <problem>", one line.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace maskscope {

/// A regular file open for reading. Move-only; closes on destruction.
/// Invariant: valid() objects refer to a regular file of size() bytes at open time.
class ReadOnlyFile {
public:
    /// Opens `path` without blocking and refuses anything but a regular file before a byte is
    /// read. `expected` ("an .npy file", "a checkpoint") completes the message for special files.
    /// Throws InputError "<path>: cannot open (<reason>)" or "<path>: cannot read a FIFO; expected …".
    ReadOnlyFile(const std::string& path, const std::string& expected);
    ReadOnlyFile(ReadOnlyFile&& other) noexcept;
    ReadOnlyFile& operator=(ReadOnlyFile&& other) noexcept;
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
    ~ReadOnlyFile();

    bool valid() const { return fd_ >= 0; }
    std::size_t size() const { return size_; }
    const std::string& path() const { return path_; }

    /// Reads `count` bytes at `offset` into `out` (resized). Precondition: offset + count <=
    /// size(). Throws InputError if the file shrank or the read fails.
    void readAt(std::size_t offset, std::size_t count, std::vector<std::uint8_t>& out) const;

private:
    friend class MappedFile;
    int fd_ = -1;
    std::size_t size_ = 0;
    std::string path_;
};

/// A whole regular file mapped read-only (MAP_PRIVATE): its pages are read on first touch and
/// can be dropped by the kernel at any time, so a multi-GiB checkpoint costs no resident memory
/// until used. Move-only; unmaps on destruction. An empty file maps to data() == nullptr.
class MappedFile {
public:
    MappedFile() = default;
    /// Maps `path` (see ReadOnlyFile for what is refused). Throws InputError.
    MappedFile(const std::string& path, const std::string& expected);
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    const std::string& path() const { return path_; }

    /// Tells the kernel these bytes will not be needed soon (their pages may be dropped).
    /// Precondition: [offset, offset + count) inside the file. A hint: never fails.
    void release(std::size_t offset, std::size_t count) const;

private:
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::string path_;
};

/// Asks the kernel to map in one call the pages holding [p, p + count) of a read-only mapping
/// (MADV_POPULATE_READ, Linux 5.14), so that reading them takes no page fault per 4 KiB: on a
/// multi-GiB checkpoint those faults cost more than the arithmetic. A hint: never fails, and
/// does nothing on older kernels or for memory that is not a mapping.
void populatePages(const std::uint8_t* p, std::size_t count);

/// strerror(errno), or "unknown error" when errno is 0.
std::string errnoText();

} // namespace maskscope
