// SPDX-License-Identifier: MIT
#include "windowlauncher.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

namespace maskscope::app {

namespace {

constexpr const char* kWindowProgram = "maskscope-window";

std::filesystem::path ownDirectory()
{
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::path() : self.parent_path();
}

} // namespace

int startWindowProgram(char** argv)
{
    const std::filesystem::path dir = ownDirectory();
    const std::filesystem::path candidates[] = {dir / kWindowProgram,
                                                (dir / MASKSCOPE_WINDOW_FROM_BINDIR).lexically_normal()};
    for (const std::filesystem::path& program : candidates) {
        if (dir.empty() || access(program.c_str(), X_OK) != 0)
            continue;
        argv[0] = const_cast<char*>(program.c_str());
        execv(program.c_str(), argv);
        std::cerr << "maskscope: cannot start the window program " << program << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::cerr << "maskscope: the window program " << kWindowProgram << " is missing (looked in " << candidates[0]
              << " and " << candidates[1] << "); reinstall MaskScope\n";
    return 1;
}

} // namespace maskscope::app
