// SPDX-License-Identifier: MIT
#include "cli.h"
#include "uibenchmark.h"
#include "windowapp.h"

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (maskscope::cli::isUiBenchmark(args))
        return maskscope::ui::runUiBenchmark(maskscope::cli::uiBenchmarkOptions(args));
    if (maskscope::cli::isCommandLine(args))
        return maskscope::cli::run(args);
    return maskscope::ui::runWindowApp(argc, argv, MASKSCOPE_VERSION);
}
