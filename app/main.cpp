#include "cli.h"
#include "windowapp.h"

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (maskscope::cli::isCommandLine(args))
        return maskscope::cli::run(args);
    return maskscope::ui::runWindowApp(argc, argv, MASKSCOPE_VERSION);
}
