// SPDX-License-Identifier: MIT
// The pitfall lab in the window, driven through its real controls offscreen: the mistake
// switches, the before/after toggle, the number format, blocked-row and fill menus. Assertions
// are about the numbers the document then holds, the figure on screen and the status line.

#include "window/controlpanel.h"
#include "figure/figurejob.h"
#include "window/heatmapview.h"
#include "window/inspectorpanel.h"
#include "window/mainwindow.h"
#include "document/maskdocument.h"
#include "window/pitfallpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "windowdriver.h"

#include <cmath>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

constexpr int kL = 6;

ScenarioConfig startConfig()
{
    return testing::syntheticConfig(kL, 2, 16, true);
}

using testing::floatTrace;

// Head 0's weights of batch item `b` of `c`, straight from the engine.
Matrix<float> engineWeights(const ScenarioConfig& c, int b = 0)
{
    const Scenario s = buildScenario(c);
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    TraceRequest request;
    request.batchItem = b;
    request.head = 0;
    request.meanWeights = false;
    request.output = false;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, request, trace);
    return trace.batches.front().heads.front().weights;
}

bool rowHasBlockedKey(const BoolMatrix& allowed, int i)
{
    return !allowed.row(i).all();
}

} // namespace

class TestPitfallPanel : public QObject, public testing::WindowFixture {
    Q_OBJECT

    void click(QAbstractButton* button)
    {
        QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(8, button->height() / 2));
        settle();
    }

    void choose(const QString& combo, int index)
    {
        control<QComboBox>(combo)->setCurrentIndex(index);
        settle();
    }

    QString status() const { return control<QLabel>(QStringLiteral("statusWarning"))->text(); }

    // Batch item 1 of the batched-generation case, padded on the left: rows 0-2 have no key.
    void leftPaddedGeneration()
    {
        click(control<QPushButton>(QStringLiteral("leftPaddingButton")));
        QCOMPARE(doc()->view().batchItem, 1);
        QCOMPARE(doc()->config().padSide, PadSide::Left);
        const auto& t = floatTrace(doc()->result());
        for (int i = 0; i < kL; ++i)
            QCOMPARE(bool(t.rowFullyBlocked[size_t(i)]), i < 3);
    }

private slots:
    void initTestCase() { isolateSettings(); }
    void init() { QVERIFY(openWindow(startConfig(), {1400, 900}, QStringLiteral("pitfallDock"))); }
    void cleanup() { closeWindow(); }

    void maskedFillNotInplaceLeavesTheWeightsUnmasked()
    {
        click(control<QCheckBox>(QStringLiteral("bug_masked-fill-not-inplace")));
        QVERIFY(doc()->config().pitfalls.has(Pitfall::MaskedFillNotInplace));
        const auto& t = floatTrace(doc()->result());
        QVERIFY(!t.maskApplied);
        QVERIFY(!t.allowed(0, 1)); // the mask was built all the same
        ScenarioConfig unmasked = startConfig();
        unmasked.causal = false;
        QCOMPARE(t.heads.at(0).weights, engineWeights(unmasked)); // bit for bit
        QVERIFY2(status().contains(QStringLiteral("never applied")), qPrintable(status()));
        QVERIFY(control<QLabel>(QStringLiteral("labOutcome"))->text().contains(QStringLiteral("never applied")));
        // Its explanation and fix are on show while it is on.
        bool paragraphShown = false;
        for (const QLabel* label : window()->pitfallPanel()->findChildren<QLabel*>())
            paragraphShown = paragraphShown ||
                             (label->isVisible() && label->text().startsWith(QStringLiteral("Seed 001 writes")));
        QVERIFY(paragraphShown);
        click(control<QCheckBox>(QStringLiteral("bug_masked-fill-not-inplace")));
        QVERIFY(floatTrace(doc()->result()).maskApplied);
        QVERIFY(!status().contains(QStringLiteral("never applied")));
    }

    void zeroPolicyGivesZeroRowsAndTheStatusNamesThem()
    {
        leftPaddedGeneration();
        QVERIFY2(status().contains(QStringLiteral("rows 0\u20132")) && status().contains(QStringLiteral("NaN")),
                 qPrintable(status()));
        choose(QStringLiteral("blockedRowsCombo"), 1); // zeros
        QCOMPARE(doc()->config().pitfalls.blockedRows, BlockedRows::Zero);
        const auto& t = floatTrace(doc()->result());
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(t.blockedRowOutcomes[size_t(i)], BlockedRowOutcome::Zero);
            for (int j = 0; j < kL; ++j)
                QCOMPARE(t.heads.at(0).weights(i, j), 0.0f);
        }
        QCOMPARE(t.heads.at(0).weights.row(3).sum(), 1.0f); // the other rows are untouched
        QVERIFY2(status().contains(QStringLiteral("rows 0\u20132: no allowed key; the safe softmax returns zeros")),
                 qPrintable(status()));
        QVERIFY(!status().contains(QStringLiteral("NaN")));
    }

    void float16WithLowestStaysFinite()
    {
        leftPaddedGeneration();
        choose(QStringLiteral("formatCombo"), 2); // float16
        QCOMPARE(doc()->config().pitfalls.format, NumberFormat::Float16);
        auto* fill = control<QComboBox>(QStringLiteral("fillCombo"));
        QVERIFY2(fill->itemText(2).contains(QStringLiteral("65504")), qPrintable(fill->itemText(2)));
        QVERIFY2(fill->itemText(1).contains(QStringLiteral("\u2212\u221E in float16")), qPrintable(fill->itemText(1)));
        // -1e9 does not fit: the menu says so, and the blocked rows turn NaN.
        fill->setCurrentIndex(1);
        settle();
        auto* hint = control<QLabel>(QStringLiteral("fillHint"));
        QVERIFY2(hint->isVisible() && hint->text().contains(QStringLiteral("not representable in float16")),
                 qPrintable(hint->text()));
        QVERIFY(std::isnan(floatTrace(doc()->result()).heads.at(0).weights(0, 0)));
        QVERIFY2(status().contains(QStringLiteral("does not fit in float16")), qPrintable(status()));
        // finfo(float16).min fits: every weight is a number.
        fill->setCurrentIndex(2);
        settle();
        QCOMPARE(doc()->config().fill.kind, Fill::Kind::Lowest);
        const auto& t = floatTrace(doc()->result());
        QCOMPARE(t.additiveMask(0, 0), -65504.0f);
        QVERIFY(t.heads.at(0).weights.allFinite());
        QVERIFY(!hint->text().contains(QStringLiteral("not representable")));
    }

    void beforeAfterDiffersExactlyWhereTheBugActs()
    {
        auto* compare = control<QCheckBox>(QStringLiteral("compareCheck"));
        QVERIFY(!compare->isEnabled()); // nothing to compare without a mistake
        click(control<QCheckBox>(QStringLiteral("bug_masked-fill-not-inplace")));
        QVERIFY(compare->isEnabled());
        click(compare);
        QVERIFY(doc()->view().compareFixed);
        const TraceResultPtr r = window()->heatmapView()->shownResult();
        QVERIFY(r->fixedScenario);
        const Figure& fig = window()->heatmapView()->shownFigure();
        QCOMPARE(fig.panels.size(), size_t(2));
        QCOMPARE(fig.panels[0].title, QStringLiteral("with the mistake"));
        QCOMPARE(fig.panels[1].title, QStringLiteral("fixed"));
        QVERIFY(fig.panels[1].fixedSide && !fig.panels[0].fixedSide);
        QCOMPARE(fig.columns, 2); // side by side, whatever the window's shape
        // The not-in-place mistake changes exactly the rows the causal mask blocks something in.
        const BoolMatrix& allowed = floatTrace(r).allowed;
        for (int i = 0; i < kL; ++i) {
            bool differs = false;
            for (int j = 0; j < kL; ++j) {
                const size_t k = size_t(i * kL + j);
                differs = differs || fig.panels[0].values[k] != fig.panels[1].values[k];
            }
            QCOMPARE(differs, rowHasBlockedKey(allowed, i));
        }
        // The fixed half is the correct forward pass, number for number.
        const Matrix<float> correct = engineWeights(startConfig());
        for (int i = 0; i < kL; ++i)
            for (int j = 0; j < kL; ++j)
                QCOMPARE(fig.panels[1].values[size_t(i * kL + j)], double(correct(i, j)));
        // The inspector explains each half with its own numbers.
        InspectorPanel* inspector = window()->inspector();
        inspector->explain(r, 0, 0, 3);
        QVERIFY2(inspector->explanationText().contains(QStringLiteral("never applied")),
                 qPrintable(inspector->explanationText()));
        inspector->explain(r, 1, 0, 3);
        QVERIFY(!inspector->explanationText().contains(QStringLiteral("never applied")));
        QVERIFY(inspector->explanationText().contains(QStringLiteral("a future key")));
        // The export computes the very same figure.
        FigureRequest request; // the weights of head 0
        request.compareFixed = true;
        const Figure exported = computeFigure(*r->scenario, request);
        QCOMPARE(exported.panels.size(), size_t(2));
        QCOMPARE(exported.panels[0].values, fig.panels[0].values);
        QCOMPARE(exported.panels[1].values, fig.panels[1].values);
        QCOMPARE(exported.panels[1].title, fig.panels[1].title);
        // Without the mistake the toggle has nothing to compare: one panel again.
        click(control<QCheckBox>(QStringLiteral("bug_masked-fill-not-inplace")));
        QCOMPARE(window()->heatmapView()->shownResult()->figure.panels.size(), size_t(1));
        QVERIFY(!compare->isEnabled());
    }

    void pipelineBeforeAfterKeepsItsRows()
    {
        doc()->setLayout(Layout::Pipeline);
        click(control<QCheckBox>(QStringLiteral("bug_causal-backwards")));
        click(control<QCheckBox>(QStringLiteral("compareCheck")));
        const Figure& fig = window()->heatmapView()->shownFigure();
        QCOMPARE(fig.panels.size(), size_t(8));
        for (size_t k = 0; k < 8; ++k)
            QCOMPARE(fig.panels[k].fixedSide, k >= 4);
        QCOMPARE(fig.panels[0].view, ViewKind::Mask);
        QCOMPARE(fig.panels[4].view, ViewKind::Mask);
        QVERIFY(fig.columns == 4 || fig.columns == 8); // a row of steps is never split
        // The mask with the mistake blocks the diagonal; the fixed one allows it.
        QCOMPARE(fig.panels[0].states[0], CellState::Blocked);
        QCOMPARE(fig.panels[4].states[0], CellState::Value);
    }

    void causalBackwardsSwitchesCausalOn()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.causal = false; });
        settle();
        click(control<QCheckBox>(QStringLiteral("bug_causal-backwards")));
        QVERIFY(doc()->config().causal);
        const auto& t = floatTrace(doc()->result());
        QVERIFY(!t.allowed(2, 2) && t.allowed(2, 3)); // only the future is visible
        QCOMPARE(t.blockedRowOutcomes[kL - 1], BlockedRowOutcome::Nan);
    }

    void settingsShowTheirExplanations()
    {
        choose(QStringLiteral("maskApplyCombo"), 1);
        QCOMPARE(doc()->config().pitfalls.maskApply, MaskApply::Replace);
        choose(QStringLiteral("formatCombo"), 3);
        QCOMPARE(doc()->config().pitfalls.format, NumberFormat::BFloat16);
        QVERIFY(window()->heatmapView()->shownResult()->figure.subtitle.contains(QStringLiteral("bfloat16")));
        // The panel follows the document when it changes from elsewhere.
        doc()->editConfig([](ScenarioConfig& c) { c.pitfalls.mistakes.set(Pitfall::QprojForKv); });
        settle();
        QVERIFY(control<QCheckBox>(QStringLiteral("bug_qproj-for-kv"))->isChecked());
        QCOMPARE(control<QComboBox>(QStringLiteral("formatCombo"))->currentIndex(), 3);
    }
};

QTEST_MAIN(TestPitfallPanel)
#include "tst_pitfallpanel.moc"
