// SPDX-License-Identifier: MIT
#include "outputfile.h"

#include "descriptorbuffer.h"

#include "base/types.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <ostream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace maskscope::cli {

namespace {

std::string cannotWrite(const std::string& path, const std::string& why)
{
    return "cannot write '" + path + "': " + why;
}

std::string directoryOf(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : slash == 0 ? std::string("/") : path.substr(0, slash);
}

// The descriptor N that `path` names as /proc/self/fd/N or /dev/fd/N, or -1.
int namedDescriptor(const std::string& path)
{
    for (const std::string prefix : {"/proc/self/fd/", "/dev/fd/"}) {
        if (path.rfind(prefix, 0) != 0 || path.size() == prefix.size())
            continue;
        const std::string digits = path.substr(prefix.size());
        if (digits.size() < 9 && digits.find_first_not_of("0123456789") == std::string::npos)
            return std::stoi(digits);
    }
    return -1;
}

// The end of the chain of symbolic links starting at `path`, also when that end does not exist
// yet (as QSaveFile resolves them): the file a rename must replace. `descriptor` is set to N when
// the chain passes /proc/self/fd/N (/dev/stdout does): a file this process already has open.
std::string followLinks(std::string path, int& descriptor)
{
    descriptor = -1;
    for (int depth = 0; depth < 40; ++depth) {
        if (descriptor < 0)
            descriptor = namedDescriptor(path);
        char target[PATH_MAX];
        const ssize_t n = readlink(path.c_str(), target, sizeof target);
        if (n < 0 || n == static_cast<ssize_t>(sizeof target))
            return path; // not a link (or one too long to follow: opening it will say why)
        const std::string next(target, static_cast<std::size_t>(n));
        path = next.front() == '/' ? next : directoryOf(path) + "/" + next;
    }
    errno = ELOOP;
    return std::string();
}

struct Destination {
    std::string path;      ///< what to open or replace
    bool direct = false;   ///< a special file (or one reached through /proc): written in place
    int descriptor = -1;   ///< an open descriptor of this process to write to instead (/dev/stdout)
    bool exists = false;
    mode_t mode = 0;       ///< of the existing file
};

// Where `path` really leads. A file this process has open (/dev/stdout -> /proc/self/fd/1) is
// written through that descriptor, at its offset and with its O_APPEND, as a shell's >/dev/stdout
// does; a link whose end is not the file it opens is written through as it is.
Destination destinationOf(const std::string& path)
{
    int descriptor = -1;
    struct stat st {};
    if (stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            throw InputError(cannotWrite(path, std::strerror(EISDIR)));
        const std::string end = followLinks(path, descriptor);
        struct stat endSt {};
        const bool sameFile = !end.empty() && stat(end.c_str(), &endSt) == 0 && endSt.st_dev == st.st_dev &&
                              endSt.st_ino == st.st_ino;
        const bool direct = !S_ISREG(st.st_mode) || !sameFile || descriptor >= 0;
        return {direct ? path : end, direct, descriptor, true, static_cast<mode_t>(st.st_mode & 07777)};
    }
    if (errno != ENOENT)
        throw InputError(cannotWrite(path, std::strerror(errno)));
    const std::string end = followLinks(path, descriptor);
    if (end.empty())
        throw InputError(cannotWrite(path, std::strerror(errno)));
    return {end, false, -1, false, 0};
}

// A temporary file beside `target`, already with the mode the result must have.
int createTemporary(const std::string& target, std::string& tmp, const Destination& d)
{
    tmp = target + ".XXXXXX";
    const int fd = mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0)
        return -1;
    mode_t mode = d.mode;
    if (!d.exists) { // a new file gets what the umask leaves of 0666, as open(O_CREAT) gives
        const mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0) {
        const int error = errno;
        close(fd);
        std::remove(tmp.c_str());
        errno = error;
        return -1;
    }
    return fd;
}

// Runs `write` into `fd`, flushes and closes it; returns 0 or the errno of the first failure.
int writeAndClose(int fd, const std::function<void(std::ostream&)>& write, bool synchronise)
{
    DescriptorBuffer buffer(fd);
    std::ostream out(&buffer);
    try {
        write(out);
    } catch (...) {
        close(fd);
        throw;
    }
    out.flush();
    int error = buffer.error();
    if (error == 0 && synchronise && fsync(fd) != 0 && errno != EINVAL)
        error = errno;
    if (close(fd) != 0 && error == 0 && errno != EINTR)
        error = errno;
    return error;
}

void writeDirectly(const Destination& d, const std::function<void(std::ostream&)>& write)
{
    const std::string& path = d.path;
    const int fd = d.descriptor >= 0 ? fcntl(d.descriptor, F_DUPFD_CLOEXEC, 0)
                                     : open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        throw std::runtime_error(cannotWrite(path, std::strerror(errno)));
    if (const int error = writeAndClose(fd, write, false); error != 0)
        throw std::runtime_error(cannotWrite(path, std::strerror(error)));
}

} // namespace

void checkOutputFile(const std::string& path)
{
    const Destination d = destinationOf(path);
    if (d.direct || d.exists) {
        if (access(d.path.c_str(), W_OK) != 0)
            throw InputError(cannotWrite(path, std::strerror(errno)));
        if (d.direct)
            return;
    }
    std::string probe;
    const int fd = createTemporary(d.path, probe, d);
    if (fd < 0)
        throw InputError(cannotWrite(path, std::strerror(errno)));
    close(fd);
    std::remove(probe.c_str());
}

void writeOutputFile(const std::string& path, const std::function<void(std::ostream&)>& write)
{
    const Destination d = destinationOf(path);
    if (d.direct) {
        writeDirectly(d, write);
        return;
    }
    std::string tmp;
    const int fd = createTemporary(d.path, tmp, d);
    if (fd < 0)
        throw std::runtime_error(cannotWrite(path, std::strerror(errno)));
    int error = 0;
    try {
        error = writeAndClose(fd, write, true);
    } catch (...) {
        std::remove(tmp.c_str());
        throw;
    }
    if (error == 0 && std::rename(tmp.c_str(), d.path.c_str()) != 0)
        error = errno;
    if (error != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error(cannotWrite(path, std::strerror(error)));
    }
}

} // namespace maskscope::cli
