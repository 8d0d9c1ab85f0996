// SPDX-License-Identifier: MIT
#pragma once
// Runs the reference tools of tests/tools with Debian's python3 at test time. What they write is
// derived from the shared models (../shared) and so never committed: the suites write it into a
// temporary directory. Without python3 or one of its modules a suite fails, saying what is
// missing (CI installs them); it never skips.

#include "processrun.h"

#include <QFile>
#include <QString>
#include <QStringList>

namespace maskscope::testing {

inline const QString kPython = QStringLiteral("/usr/bin/python3");

/// The path of tests/tools/<script>.
inline QString toolPath(const QString& script)
{
    return QStringLiteral(MASKSCOPE_TEST_DATA "/../tools/") + script;
}

/// Whether Debian's python3 imports `modules` (comma-separated, as after `import`).
inline bool pythonImports(const QString& modules)
{
    return runProcess(kPython, {"-c", "import " + modules}, QProcessEnvironment::systemEnvironment(), 120000).status == 0;
}

/// Runs tests/tools/<script> with `args` under Debian's python3. Returns an empty string on
/// success; otherwise why it failed in one message: python3 missing, a module of `modules`
/// (comma-separated, e.g. "numpy, torch") not importable, or the tool's own error output.
/// Modules are checked only after a failure, so a passing run starts python once.
inline QString runPythonTool(const QString& script, const QStringList& args, const QString& modules,
                             int timeoutMs = 300000)
{
    if (!QFile::exists(kPython))
        return kPython + " is missing: the reference tools need Debian's python3 with " + modules + " (CI installs them)";
    const Run run = runProcess(kPython, QStringList{toolPath(script)} + args, QProcessEnvironment::systemEnvironment(),
                               timeoutMs);
    if (run.status == 0)
        return {};
    for (const QString& module : modules.split(',', Qt::SkipEmptyParts))
        if (!pythonImports(module.trimmed()))
            return QString("%1 cannot import %2: install Debian's python3-%2 to run %3 (CI installs it)")
                .arg(kPython, module.trimmed(), script);
    return QString("%1 %2 failed (status %3): %4")
        .arg(script, args.join(' '))
        .arg(run.status)
        .arg(QString::fromLocal8Bit(run.err).trimmed());
}

} // namespace maskscope::testing
