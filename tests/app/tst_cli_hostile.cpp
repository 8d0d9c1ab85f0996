// The command line against hostile inputs and destinations, run as a process: fills the compute
// type cannot hold are warned about, failed writes are failures, and sizes that would not fit
// are refused before they are allocated.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "processrun.h"

namespace {

using maskscope::testing::Run;

Run runCli(const QStringList& args)
{
    return maskscope::testing::runMaskscope(args);
}

QJsonObject json(const QByteArray& text)
{
    return maskscope::testing::parseJsonObject(text);
}

const QStringList kSmall{"--seq-len", "4", "--heads", "1", "--d-model", "4", "--causal"};

// Runs maskscope with its standard output going to `file` (such as /dev/full).
Run runInto(const QString& file, const QStringList& args)
{
    QProcess p;
    p.setStandardOutputFile(file);
    p.start(QStringLiteral(MASKSCOPE_BINARY), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, {}, p.readAllStandardError()};
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
        const QJsonArray warnings = json(r.out)["config"].toObject()["warnings"].toArray();
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
        QCOMPARE(json(r.out)["config"].toObject()["warnings"].toArray().size(), 2);
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
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "tst_cli_hostile.moc"
