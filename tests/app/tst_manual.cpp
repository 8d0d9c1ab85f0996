// SPDX-License-Identifier: MIT
// The manual page and the bash completion the build writes (maskscope --man-page,
// --bash-completion): every option each subcommand's help lists is in the page, groff renders it
// without a warning, its examples run, and bash completes subcommands, each command's own
// options and file names where an option takes a file.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "processrun.h"

namespace {

using maskscope::testing::Run;
using maskscope::testing::runMaskscope;

QByteArray built(const char* name)
{
    QFile f(QFileInfo(QStringLiteral(MASKSCOPE_BINARY)).dir().filePath(QString::fromLatin1(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The option names a help text lists ("--seq-len" of "  --seq-len N   ...").
QSet<QString> optionsListed(const QByteArray& help)
{
    QSet<QString> names;
    static const QRegularExpression option(QStringLiteral("(?<![\\w-])--[a-z][a-z0-9-]*"));
    for (const auto& match : option.globalMatch(QString::fromUtf8(help)))
        names.insert(match.captured());
    return names;
}

// The output of `maskscope option` written to `name` in `dir`; its path, empty if it cannot be written.
QString writtenOutput(const QTemporaryDir& dir, const char* option, const char* name)
{
    const QString path = dir.filePath(QString::fromLatin1(name));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(runMaskscope({QString::fromLatin1(option)}).out) < 0)
        return {};
    return path;
}

// What _maskscope offers for the words typed so far (the last one being completed).
QStringList complete(const QString& script, const QStringList& words, const QString& cwd = QString())
{
    QProcess bash;
    if (!cwd.isEmpty())
        bash.setWorkingDirectory(cwd);
    QString quoted;
    for (const QString& w : words)
        quoted += " '" + w + "'";
    bash.start("bash", {"-c", "source \"$1\"; COMP_WORDS=(" + quoted + "); COMP_CWORD=" + QString::number(words.size() - 1)
                                  + "; _maskscope; printf '%s\\n' \"${COMPREPLY[@]}\"",
                        "bash", script});
    bash.waitForFinished(60000);
    return QString::fromUtf8(bash.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
}

} // namespace

class TestManual : public QObject {
    Q_OBJECT
private slots:
    void theBuiltFilesAreWhatTheProgramWrites();
    void thePageNamesEveryOptionOfEveryHelp();
    void groffRendersThePageWithoutWarnings();
    void theExamplesRun();
    void bashCompletesCommandsOptionsAndFiles();
};

void TestManual::theBuiltFilesAreWhatTheProgramWrites()
{
    const Run page = runMaskscope({"--man-page"});
    const Run completion = runMaskscope({"--bash-completion"});
    QCOMPARE(page.status, 0);
    QCOMPARE(completion.status, 0);
    QVERIFY(page.out.startsWith(".\\\""));
    QCOMPARE(built("maskscope.1"), page.out);
    QCOMPARE(built("maskscope.bash"), completion.out);
}

void TestManual::thePageNamesEveryOptionOfEveryHelp()
{
    const QByteArray page = runMaskscope({"--man-page"}).out;
    for (const QStringList& help : {QStringList{"--help"}, {"dump", "--help"}, {"bench", "--help"}, {"export", "--help"}}) {
        const QSet<QString> names = optionsListed(runMaskscope(help).out);
        QVERIFY(names.size() > 20);
        for (const QString& name : names) {
            const QByteArray escaped = QString(name).replace("-", "\\-").toUtf8();
            QVERIFY2(page.contains(escaped), qPrintable(help.join(' ') + ": " + name));
        }
    }
}

void TestManual::groffRendersThePageWithoutWarnings()
{
    QTemporaryDir dir;
    const QString path = writtenOutput(dir, "--man-page", "maskscope.1");
    QVERIFY(!path.isEmpty());
    QProcess groff;
    groff.start("groff", {"-man", "-Tutf8", "-ww", path});
    QVERIFY2(groff.waitForFinished(60000), "groff (Debian's groff-base) did not run");
    QCOMPARE(groff.exitCode(), 0);
    const QByteArray warnings = groff.readAllStandardError();
    QVERIFY2(warnings.isEmpty(), warnings.constData());
    const QString text = QString::fromUtf8(groff.readAllStandardOutput()).remove(QRegularExpression(".\b"));
    for (const char* heading : {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES"})
        QVERIFY2(text.contains(QString::fromLatin1(heading)), heading);
    QVERIFY(text.contains(QString::fromUtf8("Q\u00b7K\u1d40/\u221ad_k")));
}

void TestManual::theExamplesRun()
{
    const QString page = QString::fromUtf8(runMaskscope({"--man-page"}).out);
    const qsizetype from = page.indexOf(".SH EXAMPLES\n.nf\n");
    QVERIFY(from >= 0);
    const QStringList lines = page.mid(from).section(".nf\n", 1).section(".fi\n", 0, 0).split('\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 3);
    QTemporaryDir dir;
    for (QString line : lines) {
        line.replace("\\-", "-");
        QStringList words = line.split(' ');
        QCOMPARE(words.takeFirst(), QStringLiteral("maskscope"));
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(QStringLiteral(MASKSCOPE_BINARY), words);
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                 qPrintable(line + ": " + p.readAllStandardError()));
    }
}

void TestManual::bashCompletesCommandsOptionsAndFiles()
{
    QTemporaryDir dir;
    const QString script = writtenOutput(dir, "--bash-completion", "maskscope.bash");
    QVERIFY(!script.isEmpty());
    QProcess syntax;
    syntax.start("bash", {"-n", script});
    QVERIFY(syntax.waitForFinished(60000));
    QCOMPARE(syntax.exitCode(), 0);

    QCOMPARE(complete(script, {"maskscope", "ex"}), QStringList{"export"});
    const QStringList exportD = complete(script, {"maskscope", "--seq-len", "4", "export", "--d"});
    QVERIFY(exportD.contains("--dpi") && exportD.contains("--d-model") && exportD.contains("--dtype"));
    const QStringList dumpD = complete(script, {"maskscope", "dump", "--d"});
    QVERIFY(dumpD.contains("--d-model") && !dumpD.contains("--dpi"));
    QVERIFY(complete(script, {"maskscope", "bench", "--mask"}).contains("--mask-only"));
    QVERIFY(complete(script, {"maskscope", "dump", "--seq-len", ""}).isEmpty());

    QVERIFY(QDir(dir.path()).mkdir("inputs"));
    QFile(dir.filePath("figure.png")).open(QIODevice::WriteOnly);
    QCOMPARE(complete(script, {"maskscope", "export", "--out", "fig"}, dir.path()), QStringList{"figure.png"});
    QCOMPARE(complete(script, {"maskscope", "dump", "--load", ""}, dir.path()), QStringList{"inputs"});
}

QTEST_GUILESS_MAIN(TestManual)
#include "tst_manual.moc"
