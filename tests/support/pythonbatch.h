// SPDX-License-Identifier: MIT
#pragma once
// Runs many independent Python scripts in one python3 process. Importing torch costs 1.5-2 s,
// far more than a small script: a suite that checks dozens of snippets writes them all first,
// runs them as one batch, and then asserts each data row on its own script's result.
//
// Each script runs as if it were started alone: its own globals, its own output, and the torch
// functions a script may replace (a reference F.scaled_dot_product_attention) put back afterwards.
// A script that raises fails only itself; its output then ends with python's traceback.

#include "processrun.h"
#include "pythontool.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QString>
#include <QStringList>

#include <map>

namespace maskscope::testing {

class PythonBatch {
public:
    /// What one script did: `ran` is false when the batch ended (crashed, timed out) before it.
    struct Result {
        bool ran = false;
        bool ok = false;
        QString output; ///< its stdout and stderr, then the traceback if it raised
    };

    /// A batch whose scripts' outputs are kept under `workDir`, an existing directory that
    /// outlives the batch's results.
    explicit PythonBatch(QString workDir) : workDir_(std::move(workDir)) {}

    /// Adds the script at `scriptPath` as `key` (unique); it runs in the order added.
    void add(const QString& key, const QString& scriptPath)
    {
        scripts_.emplace(key, scriptPath);
        order_.push_back(key);
    }

    /// Adds a run of tests/tools/<script> with `args` as its command line, as `key`: the tool
    /// runs as if started alone (sys.argv, __name__ == "__main__"; sys.exit(0) is success).
    void addTool(const QString& key, const QString& script, const QStringList& args)
    {
        QJsonArray argv{toolPath(script)};
        for (const QString& arg : args)
            argv.append(arg);
        const QString wrapper = QDir(workDir_).filePath(QString("tool_%1.py").arg(order_.size()));
        writeFile(wrapper, "import runpy, sys\nsys.argv = " + QJsonDocument(argv).toJson(QJsonDocument::Compact) +
                               "\nrunpy.run_path(sys.argv[0], run_name='__main__')\n");
        add(key, wrapper); // unwritten, it fails as a script that did not run
    }

    /// Runs every script added so far with `python`, waiting up to `timeoutMs` for all of them.
    /// False (with the process's own output in `processOutput()`) only when the driver could not
    /// be written or python failed outside the scripts.
    bool run(const QString& python, int timeoutMs = 600000)
    {
        QStringList lines;
        for (const QString& key : order_)
            lines << scripts_.at(key) + '\t' + resultStem(key);
        if (!writeFile(QDir(workDir_).filePath("scripts.tsv"), lines.join('\n').toUtf8() + '\n') ||
            !writeFile(QDir(workDir_).filePath("driver.py"), kDriver))
            return false;
        const Run r = runProcess(python, {QDir(workDir_).filePath("driver.py"), QDir(workDir_).filePath("scripts.tsv")},
                                 QProcessEnvironment::systemEnvironment(), timeoutMs);
        processOutput_ = QString::fromUtf8(r.out + r.err);
        return r.status == 0;
    }

    /// The result of the script added as `key` (after run()).
    Result result(const QString& key) const
    {
        Result res;
        QFile status(resultStem(key) + ".status"), output(resultStem(key) + ".out");
        if (!status.open(QIODevice::ReadOnly))
            return {false, false, "the batched python3 ended before this script ran:\n" + processOutput_};
        res.ran = true;
        res.ok = status.readAll().trimmed() == "ok";
        if (output.open(QIODevice::ReadOnly))
            res.output = QString::fromUtf8(output.readAll());
        return res;
    }

    /// What the python process itself printed (nothing, unless it failed outside the scripts).
    QString processOutput() const { return processOutput_; }

private:
    QString resultStem(const QString& key) const
    {
        return QDir(workDir_).filePath(QString("result_%1").arg(order_.indexOf(key)));
    }

    static bool writeFile(const QString& path, const QByteArray& bytes)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
    }

    // The status is written last, so a script that crashed python has no status and counts as
    // not run. torch.nn.functional's attributes are restored by value: a script may replace one.
    static constexpr const char* kDriver = R"PY(import contextlib, io, sys, traceback
try:
    import torch.nn.functional as F
    functional = dict(vars(F))
except Exception:  # no torch (or a broken one): the numpy scripts still run
    F = None
for line in open(sys.argv[1], encoding='utf-8').read().splitlines():
    script, stem = line.split('\t')
    out = io.StringIO()
    status = 'ok'
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = compile(open(script, encoding='utf-8').read(), script, 'exec')
            exec(code, {'__name__': '__main__', '__file__': script})
        except SystemExit as e:
            if e.code not in (None, 0):
                traceback.print_exc()
                status = 'failed'
        except BaseException:
            traceback.print_exc()
            status = 'failed'
    if F is not None:
        for name in set(vars(F)) - set(functional):
            delattr(F, name)
        for name, value in functional.items():
            if getattr(F, name, None) is not value:
                setattr(F, name, value)
    open(stem + '.out', 'w', encoding='utf-8').write(out.getvalue())
    open(stem + '.status', 'w', encoding='utf-8').write(status)
)PY";

    QString workDir_;
    std::map<QString, QString> scripts_;
    QStringList order_;
    QString processOutput_;
};

} // namespace maskscope::testing
