// SPDX-License-Identifier: MIT
// The command line against hostile inputs and destinations, run as a process: fills the compute
// type cannot hold are warned about, failed writes are failures, and sizes that would not fit
// are refused before they are allocated.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "sanitizers.h"

#include "processrun.h"

#include <sys/resource.h>
#include <sys/stat.h>

namespace {

using maskscope::testing::Run;
using maskscope::testing::runCli;
using maskscope::testing::parseJsonObject;

const QStringList kSmall{"--seq-len", "4", "--heads", "1", "--d-model", "4", "--causal"};

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

mode_t modeOf(const QString& path)
{
    struct stat st {};
    return stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : mode_t(~0u);
}

// Runs maskscope with its standard output going to `file` (such as /dev/full).
Run runInto(const QString& file, const QStringList& args)
{
    QProcess p;
    p.setStandardOutputFile(file);
    p.start(QStringLiteral(MASKSCOPE_BINARY), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, {}, p.readAllStandardError()};
}

// Runs maskscope under an address-space limit (ulimit -v) of `mib` MiB, standard output into
// `outFile` (or kept in Run::out when empty).
Run runLimited(int mib, const QStringList& args, const QString& outFile = QString())
{
    QProcess p;
    p.setChildProcessModifier([mib] {
        const rlimit limit{rlim_t(mib) << 20, rlim_t(mib) << 20};
        setrlimit(RLIMIT_AS, &limit);
    });
    if (!outFile.isEmpty())
        p.setStandardOutputFile(outFile);
    p.start(QStringLiteral(MASKSCOPE_BINARY), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

} // namespace

class TestCliHostile : public QObject {
    Q_OBJECT
private slots:
    void aFillBeyondFloat32IsWarnedAbout()
    {
        const Run r = runCli(QStringList{"dump"} + kSmall + QStringList{"--fill", "-1e39"});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("maskscope: warning: the fill -1e+39 does not fit in float32"), r.err.constData());
        const QJsonArray warnings = parseJsonObject(r.out)["config"].toObject()["warnings"].toArray();
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings[0].toString().contains("turns it into -inf"));
    }
    void aPositiveFillIsWarnedAbout()
    {
        const Run r = runCli(QStringList{"dump"} + kSmall + QStringList{"--fill", "1e39"});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.err.count('\n'), 2); // beyond float32, and not negative
        QVERIFY(r.err.contains("maskscope: warning: the fill 1e+39 does not fit in float32"));
        QVERIFY(r.err.contains("maskscope: warning: the fill 1e+39 is not negative"));
        QCOMPARE(parseJsonObject(r.out)["config"].toObject()["warnings"].toArray().size(), 2);
        const Run five = runCli(QStringList{"bench", "--repeat", "1", "--fill", "5"} + kSmall);
        QCOMPARE(five.status, 0);
        QVERIFY(five.err.startsWith("maskscope: warning: the fill 5 is not negative"));
    }
    void aFailedWriteToStandardOutputIsAFailure_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("dump") << QStringList{"dump", "--seq-len", "64"};
        QTest::newRow("small dump") << (QStringList{"dump"} + kSmall);
        QTest::newRow("bench") << QStringList{"bench", "--seq-len", "16", "--repeat", "1"};
        QTest::newRow("bench --mask-only") << QStringList{"bench", "--mask-only", "--seq-len", "64", "--repeat", "1"};
        QTest::newRow("help") << QStringList{"--help"};
        QTest::newRow("dump --out -") << (QStringList{"dump", "--out", "-"} + kSmall);
        QTest::newRow("export --out -") << QStringList{"export", "--out", "-", "--format", "png", "--seq-len", "8"};
    }
    void dumpOutDashIsStandardOutput()
    {
        const Run plain = runCli(QStringList{"dump"} + kSmall);
        const Run dash = runCli(QStringList{"dump", "--out", "-"} + kSmall);
        QCOMPARE(dash.status, 0);
        QVERIFY(!plain.out.isEmpty());
        QVERIFY(dash.out == plain.out);
    }
    void aFailedWriteToStandardOutputIsAFailure()
    {
        QFETCH(QStringList, args);
        if (!QFile::exists("/dev/full"))
            QSKIP("no /dev/full here");
        const Run r = runInto("/dev/full", args);
        QCOMPARE(r.status, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("maskscope: cannot write to standard output: No space left on device"),
                 r.err.constData());
    }
    void dumpOutFollowsSymbolicLinks()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath("target.json"), link = dir.filePath("link.json");
        QVERIFY(QFile(target).open(QIODevice::WriteOnly));
        QVERIFY(QFile::link("target.json", link)); // relative, as ln -s makes it
        const Run r = runCli(QStringList{"dump", "--out", link} + kSmall);
        QCOMPARE(r.status, 0);
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(parseJsonObject(readAll(target))["config"].toObject()["seq_len"].toInt(), 4);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::System).size(), 2); // no temporary left
        // A link to a file that does not exist yet makes it.
        const QString dangling = dir.filePath("dangling.json");
        QVERIFY(QFile::link(dir.filePath("new.json"), dangling));
        QCOMPARE(runCli(QStringList{"dump", "--out", dangling} + kSmall).status, 0);
        QVERIFY(QFileInfo(dangling).isSymLink());
        QVERIFY(!readAll(dir.filePath("new.json")).isEmpty());
    }
    void dumpOutWritesIntoAFifo()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath("pipe");
        QVERIFY(mkfifo(QFile::encodeName(fifo).constData(), 0644) == 0);
        QProcess dump;
        dump.start(QStringLiteral(MASKSCOPE_BINARY), QStringList{"dump", "--out", fifo} + kSmall);
        QFile reader(fifo);
        QVERIFY(reader.open(QIODevice::ReadOnly)); // waits for the writer, as cat would
        const QByteArray text = reader.readAll();
        QVERIFY(dump.waitForFinished(300000));
        QCOMPARE(dump.exitCode(), 0);
        QCOMPARE(parseJsonObject(text)["config"].toObject()["seq_len"].toInt(), 4);
        struct stat st {};
        QVERIFY(lstat(QFile::encodeName(fifo).constData(), &st) == 0 && S_ISFIFO(st.st_mode)); // not replaced
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::System).size(), 1);
    }
    void dumpOutToDevStdoutWritesTheOpenFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("log.txt");
        QFile log(path);
        QVERIFY(log.open(QIODevice::WriteOnly) && log.write("before\n") == 7);
        log.close();
        QProcess p;
        p.setStandardOutputFile(path, QIODevice::Append);
        p.start(QStringLiteral(MASKSCOPE_BINARY), QStringList{"dump", "--out", "/dev/stdout"} + kSmall);
        QVERIFY(p.waitForFinished(300000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray text = readAll(path);
        QVERIFY(text.startsWith("before\n{")); // appended to the file stdout has open, not replacing it
        QCOMPARE(parseJsonObject(text.mid(7))["config"].toObject()["seq_len"].toInt(), 4);
    }
    void dumpOutKeepsTheModeOfTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("trace.json");
        QVERIFY(QFile(path).open(QIODevice::WriteOnly));
        QVERIFY(chmod(QFile::encodeName(path).constData(), 0640) == 0);
        QCOMPARE(runCli(QStringList{"dump", "--out", path} + kSmall).status, 0);
        QCOMPARE(modeOf(path), mode_t(0640));
        const QString fresh = dir.filePath("fresh.json");
        QCOMPARE(runCli(QStringList{"dump", "--out", fresh} + kSmall).status, 0);
        const mode_t mask = umask(0);
        umask(mask);
        QCOMPARE(modeOf(fresh), mode_t(0666 & ~mask)); // as any new file, not 0600
    }
    void dumpOutIsCheckedBeforeTheComputation()
    {
        QTemporaryDir dir;
        // A directory: refused at once (exit 2), not after the whole computation.
        const Run r = runCli(QStringList{"dump", "--out", dir.path()} + kSmall);
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err == "maskscope: cannot write '" + dir.path().toUtf8() + "': Is a directory\n", r.err.constData());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::System).size(), 0);
        const Run missing = runCli(QStringList{"dump", "--out", dir.filePath("no/such/dir/t.json")} + kSmall);
        QCOMPARE(missing.status, 2);
        QVERIFY2(missing.err.contains("': No such file or directory"), missing.err.constData());
    }
    void failedWritesSayWhichFileAndWhy()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("trace.json");
        // Writing to a full device (written in place, never replaced): the reason, not "write failed".
        const QString full = dir.filePath("full");
        if (!QFile::exists("/dev/full") || !QFile::link("/dev/full", full))
            QSKIP("no /dev/full here");
        const Run r = runCli(QStringList{"dump", "--out", full} + kSmall);
        QCOMPARE(r.status, 1);
        QCOMPARE(r.err, "maskscope: cannot write '" + full.toUtf8() + "': No space left on device\n");
        QVERIFY(QFileInfo(full).isSymLink());
    }
    // Under a 2 GiB address-space limit (as a container's memory.max would be), sizes that would
    // not fit are refused with status 2 before they are allocated, never killed or "out of memory".
    void sizesThatWouldNotFitAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("what");
        QTest::newRow("a 12 GiB in-projection") << QStringList{"dump", "--d-model", "32768", "--heads", "1", "--seq-len", "16"}
                                                << "for the inputs and parameters";
        QTest::newRow("4096 x 4096 inputs") << QStringList{"export", "--seq-len", "4096", "--batch", "4096", "--out", "x.png"}
                                            << "for the inputs and parameters";
        QTest::newRow("matrices") << QStringList{"dump", "--seq-len", "6000"} << "for the matrices";
        QTest::newRow("bench") << QStringList{"bench", "--seq-len", "6000", "--repeat", "1"} << "for the matrices";
    }
    void sizesThatWouldNotFitAreRefused()
    {
        if (maskscope::testing::addressSpaceIsReservedBySanitizer())
            QSKIP("AddressSanitizer reserves terabytes of address space: RLIMIT_AS cannot bind (tested in the ordinary build)");
        QFETCH(QStringList, args);
        QFETCH(QString, what);
        QTemporaryDir dir;
        args.replaceInStrings(QRegularExpression("^x\\.png$"), dir.filePath("x.png"));
        const Run r = runLimited(2048, args);
        QCOMPARE(r.status, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(what.toUtf8()) && r.err.contains("more fits in the address-space limit (ulimit -v)"),
                 r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("x.png")));
    }
    // The mask view needs no matrix at any length (drawn from the rules): L = 131072 exports in
    // every format within 600 MiB of address space, the budget of issue #13.
    void aLongMaskExportsWithinTheLimit()
    {
        if (maskscope::testing::addressSpaceIsReservedBySanitizer())
            QSKIP("AddressSanitizer reserves terabytes of address space: RLIMIT_AS cannot bind (tested in the ordinary build)");
        QTemporaryDir dir;
        for (const char* suffix : {"png", "svg", "pdf"}) {
            const QString out = dir.filePath(QStringLiteral("long.") + QLatin1String(suffix));
            const Run r = runLimited(600, {"export", "--view", "mask", "--seq-len", "131072", "--causal", "--window",
                                           "4096,0", "--sink", "4", "--block-overlay", "--out", out});
            QVERIFY2(r.status == 0, r.err.constData());
            QVERIFY(QFileInfo(out).size() > 1000);
        }
    }
    void theDumpIsStreamedNotHeldInMemory()
    {
        if (maskscope::testing::addressSpaceIsReservedBySanitizer())
            QSKIP("AddressSanitizer reserves terabytes of address space: RLIMIT_AS cannot bind (tested in the ordinary build)");
        // 80 MB of JSON from 12 MB of matrices: held in memory, its text would not fit in 200 MiB.
        QTemporaryDir dir;
        const QStringList args{"dump", "--seq-len", "512", "--heads", "8", "--d-model", "64"};
        const QString limited = dir.filePath("limited.json"), free = dir.filePath("free.json");
        const Run r = runLimited(200, args, limited);
        QCOMPARE(r.status, 0);
        QCOMPARE(runInto(free, args).status, 0);
        QVERIFY(QFileInfo(free).size() > 50'000'000);
        QCOMPARE(QFileInfo(limited).size(), QFileInfo(free).size());
    }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "tst_cli_hostile.moc"
