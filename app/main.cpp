// SPDX-License-Identifier: MIT
#include "cli.h"
#include "windowlauncher.h"

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (maskscope::cli::isCommandLine(args) && !maskscope::cli::isUiBenchmark(args))
        return maskscope::cli::run(args);
    return maskscope::app::startWindowProgram(argv);
}
