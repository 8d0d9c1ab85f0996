// SPDX-License-Identifier: MIT
#pragma once
// Runs a process and collects what it wrote: the built maskscope binary (MASKSCOPE_BINARY) for the
// command-line suites, or any other program (pythontool.h runs the reference tools with it).

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QtGlobal>

namespace maskscope::testing {

struct Run {
    int status = -1; ///< exit status, or -1 if the process crashed or did not finish
    QByteArray out;
    QByteArray err;
};

/// Runs `program` with `args` and waits up to `timeoutMs` for it; status -1 when it could not
/// start, crashed or did not finish in time.
inline Run runProcess(const QString& program, const QStringList& args,
                      const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                      int timeoutMs = 300000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    const bool finished = p.waitForFinished(timeoutMs);
    if (!finished)
        p.kill();
    return {finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

/// Runs the built maskscope binary with `args` (see runProcess).
inline Run runMaskscope(const QStringList& args,
                        const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                        int timeoutMs = 300000)
{
    return runProcess(QStringLiteral(MASKSCOPE_BINARY), args, env, timeoutMs);
}

/// runMaskscope with this process's environment and the default time limit.
inline Run runCli(const QStringList& args)
{
    return runMaskscope(args);
}

/// The JSON object in `text`; warns (and returns an empty object) if it is not JSON.
inline QJsonObject parseJsonObject(const QByteArray& text)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
    if (err.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(err.errorString()));
    return doc.object();
}

} // namespace maskscope::testing
