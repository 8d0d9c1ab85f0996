// SPDX-License-Identifier: MIT
// The conventions panel in the real window: the current mask written in each framework's
// spelling, the copyable snippet, and the polarity switch that shows what a misread bool mask
// does (cells flip, padding attended, rows with no key).

#include "window/conventionspanel.h"
#include "window/mainwindow.h"
#include "document/maskdocument.h"
#include "windowdriver.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace maskscope;
using namespace maskscope::ui;

class TestConventionsPanel : public QObject, public testing::WindowFixture {
    Q_OBJECT

    ConventionsPanel* panel() const { return window()->conventionsPanel(); }

    // Waits for the document and for the panel to have taken in its result.
    void settle()
    {
        WindowFixture::settle();
        QTRY_VERIFY_WITH_TIMEOUT(panel()->isIdle(), testing::kWindowTimeoutMs); // it renders on a worker thread
    }

    void start(const ScenarioConfig& c)
    {
        QVERIFY(openWindow(c, {1400, 860}, QStringLiteral("conventionsDock")));
        settle();
    }

    static ScenarioConfig causal(int length) { return testing::syntheticConfig(length, 2, 16, true); }

private slots:
    void initTestCase() { isolateSettings(); }
    void cleanup() { closeWindow(); }

    void writesTheMaskInTheChosenSpelling()
    {
        start(causal(4));
        panel()->setConvention(Convention::TorchMha);
        settle();
        const QString mha = control<QPlainTextEdit>(QStringLiteral("conventionTensors"))->toPlainText();
        QVERIFY2(mha.contains(QStringLiteral("attn_mask bool (4, 4) \u2014 True = blocked")), qPrintable(mha));
        QVERIFY(mha.contains(QStringLiteral("F T T T\nF F T T")));
        panel()->setConvention(Convention::TorchSdpa);
        settle();
        const QString sdpa = control<QPlainTextEdit>(QStringLiteral("conventionTensors"))->toPlainText();
        QVERIFY2(sdpa.contains(QStringLiteral("T F F F\nT T F F")), qPrintable(sdpa)); // True = attend
        QVERIFY(control<QLabel>(QStringLiteral("conventionSpelling"))->text().contains(QStringLiteral("True = attend")));
        // The snippet is the core's, and the Copy button puts it on the clipboard.
        QVERIFY(panel()->rendering());
        const QString snippet = control<QPlainTextEdit>(QStringLiteral("conventionSnippet"))->toPlainText();
        QCOMPARE(snippet, QString::fromStdString(panel()->rendering()->snippet));
        QVERIFY(snippet.contains(QStringLiteral("scaled_dot_product_attention")));
        control<QPushButton>(QStringLiteral("copySnippetButton"))->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), snippet);
    }

    void followsTheDocument()
    {
        start(causal(4));
        panel()->setConvention(Convention::TorchMha);
        doc()->editConfig([](ScenarioConfig& c) { c.causal = false; });
        settle();
        const QString text = control<QPlainTextEdit>(QStringLiteral("conventionTensors"))->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("F F F F\nF F F F")), qPrintable(text));
    }

    void rendersOnlyWhileShown()
    {
        start(causal(4));
        panel()->setConvention(Convention::TorchSdpa);
        settle();
        QVERIFY(!panel()->rendering()->tensors.at(0).values.at(1)); // True = attend: (0, 1) blocked
        control<QDockWidget>(QStringLiteral("inspectorDock"))->raise();
        QTRY_VERIFY(panel()->visibleRegion().isEmpty());
        doc()->editConfig([](ScenarioConfig& c) { c.causal = false; });
        settle();
        QVERIFY(!panel()->rendering()->tensors.at(0).values.at(1)); // not rendered behind the tab
        control<QDockWidget>(QStringLiteral("conventionsDock"))->raise();
        settle();
        QVERIFY(panel()->rendering()->tensors.at(0).values.at(1)); // now it follows
    }

    void polarityToggleShowsWhatTheMisreadMaskDoes()
    {
        ScenarioConfig c = causal(4);
        c.validLens = {3};
        start(c);
        panel()->setConvention(Convention::TorchSdpa);
        auto* flip = control<QCheckBox>(QStringLiteral("polarityCheck"));
        auto* report = control<QLabel>(QStringLiteral("flipReport"));
        QVERIFY(!report->isVisible() && !panel()->flipEffect());
        flip->click();
        settle();
        QVERIFY(report->isVisible());
        QVERIFY(panel()->flipEffect());
        // Every cell flips: the padded key 3 is attended by every row while real keys are blocked.
        QCOMPARE(panel()->flipEffect()->cellsFlipped, 16);
        QCOMPARE(panel()->flipEffect()->paddingAttended, 4);
        QVERIFY2(report->text().contains(QStringLiteral("16 cell(s) flip")), qPrintable(report->text()));
        QVERIFY(report->text().contains(QStringLiteral("Padding is attended")));
        QVERIFY(report->text().contains(QStringLiteral("True = blocked")));
        flip->click();
        settle();
        QVERIFY(!report->isVisible() && !panel()->flipEffect());
    }

    void flippedCausalMaskLeavesTheLastRowWithoutKeys()
    {
        start(causal(4));
        panel()->setConvention(Convention::TorchSdpa);
        control<QCheckBox>(QStringLiteral("polarityCheck"))->click();
        settle();
        QCOMPARE(panel()->flipEffect()->rowsWithNoKey, std::vector<int>{3});
        QVERIFY(control<QLabel>(QStringLiteral("flipReport"))->text().contains(QStringLiteral("NaN")));
    }

    void largeMasksAreTruncatedOrLeftToTheCommandLine()
    {
        start(causal(40));
        panel()->setConvention(Convention::TorchMha);
        settle();
        const QString text = control<QPlainTextEdit>(QStringLiteral("conventionTensors"))->toPlainText();
        const QStringList lines = text.split(QLatin1Char('\n'));
        QVERIFY(lines.at(1).endsWith(QStringLiteral("\u2026")));
        QCOMPARE(lines.at(1).count(QLatin1Char('T')), 15); // 16 cells written: key 0 allowed
        QVERIFY(lines.contains(QStringLiteral("\u22EE")));
        doc()->editConfig([](ScenarioConfig& cfg) { cfg.seqLen = 2048; });
        settle();
        QVERIFY(!panel()->rendering());
        QVERIFY(control<QLabel>(QStringLiteral("conventionNote"))->text().contains(QStringLiteral("dump --convention")));
    }
};

QTEST_MAIN(TestConventionsPanel)
#include "tst_conventionspanel.moc"
