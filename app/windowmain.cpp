// SPDX-License-Identifier: MIT
// maskscope-window: the window and `bench --ui`, started by `maskscope` (windowlauncher.h).
#include "cli.h"
#include "uibenchmark.h"
#include "windowapp.h"

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (maskscope::cli::isUiBenchmark(args))
        return maskscope::ui::runUiBenchmark(maskscope::cli::uiBenchmarkOptions(args));
    return maskscope::ui::runWindowApp(argc, argv, MASKSCOPE_VERSION);
}
