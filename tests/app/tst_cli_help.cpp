// SPDX-License-Identifier: MIT
// `maskscope SUBCOMMAND --help`, run as a process: each subcommand's usage and options, derived
// from the option tables, and the one-line error of an option it does not take.
#include "scenario/options.h"

#include <QTest>

#include "processrun.h"

namespace {

using maskscope::testing::Run;
using maskscope::testing::runCli;

struct Subcommand {
    const char* name;
    unsigned bit;
};
const Subcommand kSubcommands[] = {{"dump", maskscope::ForDump},
                                   {"bench", maskscope::ForBench},
                                   {"export", maskscope::ForExport}};

} // namespace

class TestCliHelp : public QObject {
    Q_OBJECT
private slots:
    void everySharedOptionIsInTheHelpOfEachSubcommandThatTakesIt()
    {
        for (const Subcommand& command : kSubcommands) {
            const Run help = runCli({command.name, "--help"});
            QCOMPARE(help.status, 0);
            QVERIFY(help.err.isEmpty());
            for (const auto& option : maskscope::scenarioOptionTable().options())
                if (option.commands & command.bit)
                    QVERIFY2(help.out.contains(option.name), option.name);
        }
    }

    void eachSubcommandListsItsOwnOptionsOnly_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("listed");
        QTest::addColumn<QStringList>("absent");
        QTest::newRow("dump") << "dump" << QStringList{"maskscope dump", "--out FILE", "--convention NAME"}
                              << QStringList{"maskscope export", "maskscope bench", "--repeat", "--dpi", "--mask-only"};
        QTest::newRow("bench") << "bench"
                               << QStringList{"maskscope bench --ui", "maskscope bench --mask-only", "--repeat N",
                                              "--mask-only", "--ui", "--view V", "--head N|all|mean"}
                               << QStringList{"maskscope dump", "maskscope export", "--out", "--convention", "--dpi"};
        QTest::newRow("export") << "export"
                                << QStringList{"maskscope export", "--out FILE", "--view V", "--head H", "--batch-item",
                                               "--dpi", "--width", "--height", "--title", "--theme", "--numbers",
                                               "--block-overlay", "--font-size", "--lang", "--no-colorbar",
                                               "--no-legend", "--before-after", "SVG and PDF draw each cell"}
                                << QStringList{"maskscope dump", "maskscope bench", "--repeat", "--mask-only", "--ui",
                                               "--convention", "Numbers in JSON"};
    }
    void eachSubcommandListsItsOwnOptionsOnly()
    {
        QFETCH(QString, command);
        QFETCH(QStringList, listed);
        QFETCH(QStringList, absent);
        for (const QStringList& args : {QStringList{command, "--help"}, QStringList{command, "--seq-len", "4", "-h"}}) {
            const Run help = runCli(args);
            QCOMPARE(help.status, 0);
            for (const QString& text : listed)
                QVERIFY2(help.out.contains(text.toUtf8()), qPrintable(text));
            for (const QString& text : absent)
                QVERIFY2(!help.out.contains(text.toUtf8()), qPrintable(text));
        }
    }

    void globalHelpNamesEverySubcommandAndTheirHelp()
    {
        const Run help = runCli({"--help"});
        QCOMPARE(help.status, 0);
        for (const char* text : {"maskscope [options]", "maskscope dump", "maskscope bench --ui", "maskscope export",
                                 "maskscope dump|bench|export --help", "Export options:", "--mask-apply M"})
            QVERIFY2(help.out.contains(text), text);
    }

    void anUnknownOptionIsOneLineAndStatusTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("dump") << QStringList{"dump", "--frobnicate"}
                              << QByteArray("maskscope: unknown option '--frobnicate' for 'dump' (see maskscope --help)\n");
        QTest::newRow("bench") << QStringList{"bench", "--dpi", "100"}
                               << QByteArray("maskscope: unknown option '--dpi' for 'bench' (see maskscope --help)\n");
        QTest::newRow("bench --ui") << QStringList{"bench", "--ui", "--mask-only"}
                                    << QByteArray("maskscope: unknown option '--mask-only' for 'bench --ui' (see maskscope --help)\n");
        QTest::newRow("export") << QStringList{"export", "--out", "x.png", "--repeat", "3"}
                                << QByteArray("maskscope: unknown option '--repeat' for 'export' (see maskscope --help)\n");
        QTest::newRow("flag with a value") << QStringList{"dump", "--causal=1"}
                                           << QByteArray("maskscope: unknown option '--causal=1' for 'dump' (see maskscope --help)\n");
    }
    void anUnknownOptionIsOneLineAndStatusTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, line);
        const Run r = runCli(args);
        QCOMPARE(r.status, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err, line);
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_cli_help.moc"
