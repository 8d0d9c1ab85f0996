#pragma once
// Runs the built maskscope binary (MASKSCOPE_BINARY) as a process, for the command-line suites.

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

inline Run runMaskscope(const QStringList& args,
                        const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                        int timeoutMs = 300000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MASKSCOPE_BINARY), args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
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
