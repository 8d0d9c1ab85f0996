// SPDX-License-Identifier: MIT
// The labels of positions: a 2-D neighbourhood grid reads (y, x) in row-major order unless the
// words are the user's; every other scenario shows its tokens.
#include "scenario/options.h"
#include "scenario/scenario.h"

#include <QTest>

using namespace maskscope;

namespace {

Scenario scenarioOf(std::vector<std::string> args)
{
    std::vector<std::string> unknown;
    const ScenarioConfig config = parseScenarioOptions(args, unknown);
    if (!unknown.empty())
        qFatal("unknown option %s", unknown.front().c_str());
    return buildScenario(config);
}

} // namespace

class TestScenario : public QObject {
    Q_OBJECT
private slots:
    void aGridReadsRowAndColumn_data()
    {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::newRow("3 x 4") << 3 << 4;
        QTest::newRow("1 x 5") << 1 << 5;
        QTest::newRow("5 x 1") << 5 << 1;
        QTest::newRow("4 x 7") << 4 << 7;
    }
    void aGridReadsRowAndColumn()
    {
        QFETCH(int, height);
        QFETCH(int, width);
        const QString grid = QStringLiteral("%1,%2,1,1").arg(height).arg(width);
        const Scenario s = scenarioOf({"--seq-len", std::to_string(height * width), "--neighborhood", grid.toStdString()});
        for (bool queries : {true, false}) {
            const std::vector<std::string> labels = displayLabels(s, 0, queries);
            QCOMPARE(labels.size(), static_cast<size_t>(height * width));
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    QCOMPARE(QString::fromStdString(labels[static_cast<size_t>(y * width + x)]),
                             QStringLiteral("(%1, %2)").arg(y).arg(x));
        }
    }
    void padsStayPads()
    {
        const Scenario s = scenarioOf({"--seq-len", "6", "--neighborhood", "2,3,1,3", "--valid-lens", "4,6",
                                       "--pad-side", "left"});
        QCOMPARE(displayLabels(s, 0, false),
                 (std::vector<std::string>{"<pad>", "<pad>", "(0, 2)", "(1, 0)", "(1, 1)", "(1, 2)"}));
        QCOMPARE(displayLabels(s, 1, true).front(), std::string("(0, 0)"));
    }
    void theUsersWordsAndOtherRulesKeepTheTokens_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("words given") << QStringList{"--seq-len", "4", "--neighborhood", "2,2,1,1", "--tokens", "a b c d"};
        QTest::newRow("no grid") << QStringList{"--seq-len", "6", "--causal", "--window", "2,0"};
    }
    void theUsersWordsAndOtherRulesKeepTheTokens()
    {
        QFETCH(QStringList, args);
        std::vector<std::string> a;
        for (const QString& arg : args)
            a.push_back(arg.toStdString());
        const Scenario s = scenarioOf(a);
        QCOMPARE(displayLabels(s, 0, true), s.tokensQ[0]);
        QCOMPARE(displayLabels(s, 0, false), s.tokensK[0]);
    }
};

QTEST_APPLESS_MAIN(TestScenario)
#include "tst_scenario.moc"
