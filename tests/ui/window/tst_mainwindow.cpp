// SPDX-License-Identifier: MIT
// The window driven through its real controls, offscreen: spin boxes, sliders, check boxes,
// the view and head selectors, hover and click on heatmap cells; and a stress test of thousands
// of random control changes. Assertions are about what the document and the views then hold.

#include "window/controlpanel.h"
#include "window/heatmapview.h"
#include "window/inspectorpanel.h"
#include "window/mainwindow.h"
#include "document/longcontext.h"
#include "document/maskdocument.h"
#include "window/longmaskview.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QRandomGenerator>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

ScenarioConfig startConfig()
{
    return testing::syntheticConfig(8, 4, 32);
}

using testing::floatTrace;
using testing::typeInto;

} // namespace

class TestMainWindow : public QObject, public testing::WindowFixture {
    Q_OBJECT

    const Heatmap& shownPanel(int k = 0) const { return view()->shownFigure().panels.at(size_t(k)); }

    InspectorPanel* inspector() const { return window()->inspector(); }

private slots:
    void initTestCase() { isolateSettings(); }
    void init() { QVERIFY(openWindow(startConfig(), {1300, 800})); }
    void cleanup() { closeWindow(); }

    void causalCheckBoxBlocksTheFuture()
    {
        QTest::mouseClick(control<QAbstractButton>(QStringLiteral("matrixButton0")), Qt::LeftButton);
        auto* causal = control<QCheckBox>(QStringLiteral("causalCheck"));
        QTest::mouseClick(causal, Qt::LeftButton, {}, QPoint(8, causal->height() / 2));
        settle();
        QVERIFY(doc()->config().causal);
        QCOMPARE(shownPanel().view, ViewKind::Mask);
        QCOMPARE(shownPanel().states[0 * 8 + 1], CellState::Blocked);
        QCOMPARE(shownPanel().states[1 * 8 + 0], CellState::Value);
        QVERIFY(!floatTrace(doc()->result()).allowed(0, 1));
    }

    void validLengthZeroesThePaddedColumns()
    {
        auto* padding = control<QCheckBox>(QStringLiteral("paddingCheck"));
        QTest::mouseClick(padding, Qt::LeftButton, {}, QPoint(8, padding->height() / 2));
        settle();
        typeInto(control<QSpinBox>(QStringLiteral("validLenSpin0")), 3);
        settle();
        QCOMPARE(doc()->config().validLens, std::vector<int>{3});
        const auto& w = floatTrace(doc()->result()).heads.at(0).weights;
        const Heatmap& panel = shownPanel();
        for (int i = 0; i < 8; ++i)
            for (int j = 3; j < 8; ++j) {
                QCOMPARE(w(i, j), 0.0f);
                QCOMPARE(panel.states[size_t(i * 8 + j)], CellState::Blocked);
            }
        QVERIFY(panel.colPad[3] && !panel.colPad[2]);
        // The status bar teaches what the padded rows mean.
        QVERIFY(control<QLabel>(QStringLiteral("statusWarning"))->text().contains(QStringLiteral("padded query rows 3\u20137")));
    }

    void sliderAndSpinBoxMoveTogether()
    {
        auto* slider = control<QSlider>(QStringLiteral("seqLenSlider"));
        auto* spin = control<QSpinBox>(QStringLiteral("seqLenSpin"));
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_Right);
        QTest::keyClick(slider, Qt::Key_Right);
        settle();
        QCOMPARE(spin->value(), 10);
        QCOMPARE(doc()->config().effectiveSeqLen(), 10);
        QCOMPARE(shownPanel().rows, 10);
        typeInto(spin, 5);
        settle();
        QCOMPARE(slider->value(), 5);
        QCOMPARE(shownPanel().cols, 5);
    }

    void headSelectorPicksTheHead()
    {
        typeInto(control<QSpinBox>(QStringLiteral("headSpin")), 2);
        settle();
        QCOMPARE(doc()->view().head, 2);
        QCOMPARE(floatTrace(doc()->result()).heads.at(0).head, 2);
        QCOMPARE(shownPanel().head, 2);
    }

    void layoutButtonsChangeThePanels()
    {
        QTest::mouseClick(control<QAbstractButton>(QStringLiteral("layoutButton1")), Qt::LeftButton);
        settle();
        QCOMPARE(view()->shownResult()->figure.panels.size(), size_t(4));
        QTest::mouseClick(control<QAbstractButton>(QStringLiteral("layoutButton3")), Qt::LeftButton);
        settle();
        QCOMPARE(doc()->view().layout, Layout::Pipeline);
        QCOMPARE(view()->shownResult()->figure.panels.size(), size_t(4));
        QCOMPARE(shownPanel(0).view, ViewKind::Mask);
        QCOMPARE(shownPanel(3).view, ViewKind::Weights);
        // The matrix buttons have nothing to choose in the pipeline.
        QVERIFY(!control<QAbstractButton>(QStringLiteral("matrixButton1"))->isEnabled());
    }

    void impossibleHeadsShowAnInlineMessage()
    {
        const TraceResultPtr before = doc()->result();
        typeInto(control<QSpinBox>(QStringLiteral("headsSpin")), 3);
        settle();
        auto* error = control<QLabel>(QStringLiteral("errorLabel"));
        QVERIFY(!error->isHidden());
        QVERIFY(error->text().contains(QStringLiteral("divisible")));
        QVERIFY(control<QLabel>(QStringLiteral("headDimLabel"))->text().contains(QStringLiteral("do not divide")));
        QCOMPARE(view()->shownResult(), before); // the last good figure stays
        QVERIFY(QApplication::activeModalWidget() == nullptr); // no dialog
        typeInto(control<QSpinBox>(QStringLiteral("headsSpin")), 8);
        settle();
        QVERIFY(error->isHidden());
        QCOMPARE(doc()->result()->scenario->heads(), 8);
    }

    void validLengthCannotExceedTheSequence()
    {
        auto* padding = control<QCheckBox>(QStringLiteral("paddingCheck"));
        QTest::mouseClick(padding, Qt::LeftButton, {}, QPoint(8, padding->height() / 2));
        settle();
        auto* valid = control<QSpinBox>(QStringLiteral("validLenSpin0"));
        QCOMPARE(valid->maximum(), 8);
        typeInto(valid, 50); // the spin box takes the "5" and refuses the "0"
        settle();
        QVERIFY(valid->value() <= 8);
        QCOMPARE(doc()->config().validLens, std::vector<int>{valid->value()});
        typeInto(control<QSpinBox>(QStringLiteral("seqLenSpin")), 4); // shortens the sentence too
        settle();
        QCOMPARE(doc()->config().validLens, std::vector<int>{4});
        QVERIFY(doc()->error().isEmpty());
    }

    // The view renders the document's figure for its own pixels: a new size needs no recompute,
    // and the large panel is reduced again to exactly the pixels it now covers.
    void aResizeRendersTheSameResultForTheNewSize()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.seqLen = 1024; });
        settle();
        const TraceResultPtr r = doc()->result();
        QVERIFY(shownPanel().isReduced());
        QVERIFY(r->figure.panels.front().cellImage.isNull()); // the job leaves the pixels to the view
        const QSize before = shownPanel().cellImage.size();
        window()->resize(window()->size() - QSize(400, 300));
        const QTransform device = QTransform::fromScale(view()->devicePixelRatioF(), view()->devicePixelRatioF());
        const auto pixelsOnScreen = [&] { return devicePixelRect(view()->figureLayout().panels.front().matrix, device).size(); };
        QTRY_COMPARE(shownPanel().cellImage.size(), pixelsOnScreen());
        QVERIFY(shownPanel().cellImage.width() < before.width());
        QCOMPARE(doc()->result(), r);
        QCOMPARE(view()->paintedJobId(), r->jobId);
    }

    void hoverShowsTheCellAndClickExplainsIt()
    {
        auto* causal = control<QCheckBox>(QStringLiteral("causalCheck"));
        QTest::mouseClick(causal, Qt::LeftButton, {}, QPoint(8, causal->height() / 2));
        settle();
        const Heatmap& panel = shownPanel();
        QTest::mouseMove(view(), view()->cellCenter(0, 3, 1));
        QTRY_VERIFY(view()->hoveredCell().has_value());
        QCOMPARE(view()->hoveredCell()->row, 3);
        QCOMPARE(view()->hoveredCell()->col, 1);
        const QString hover = inspector()->hoverText();
        QVERIFY2(hover.contains(panel.rowLabels[3]) && hover.contains(panel.colLabels[1]), qPrintable(hover));
        QVERIFY(hover.contains(QStringLiteral("allowed")));
        QVERIFY(hover.contains(QStringLiteral("weight")));

        QTest::mouseMove(view(), view()->cellCenter(0, 1, 5));
        QTRY_VERIFY(inspector()->hoverText().contains(QStringLiteral("blocked")));
        QVERIFY(inspector()->hoverText().contains(QStringLiteral("future key")));

        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->cellCenter(0, 3, 1));
        const QString steps = inspector()->explanationText();
        for (const char* step : {"1. score", "2. scale", "3. + mask", "4. exp", "5. \u00F7 sum"})
            QVERIFY2(steps.contains(QString::fromUtf8(step)), qPrintable(steps));
    }

    void hoverInTheGridNamesThePanelsHead()
    {
        QTest::mouseClick(control<QAbstractButton>(QStringLiteral("layoutButton1")), Qt::LeftButton);
        settle();
        QTest::mouseMove(view(), view()->cellCenter(2, 4, 2));
        QTRY_VERIFY(inspector()->hoverText().contains(QStringLiteral("head 2")));
    }

    void presetsDriveTheBatchSelector()
    {
        // Preset 4 of resources/presets: three sentences of 10, 6 and 8 words.
        window()->controlPanel()->applyPreset(3);
        settle();
        auto* item = control<QSpinBox>(QStringLiteral("batchItemSpin"));
        QCOMPARE(item->maximum(), 2);
        typeInto(item, 2);
        settle();
        const auto& t = floatTrace(doc()->result());
        QCOMPARE(t.batchItem, 2);
        QCOMPARE(t.heads.at(0).weights(0, 8), 0.0f);
        QVERIFY(t.heads.at(0).weights(0, 7) > 0.0f);
        QCOMPARE(control<QSpinBox>(QStringLiteral("validLenSpin2"))->value(), 8);
    }

    void theReadOutsBelongToTheCurrentResult()
    {
        QTest::mouseMove(view(), view()->cellCenter(0, 5, 2));
        QTRY_VERIFY(!inspector()->hoverText().isEmpty());
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->cellCenter(0, 5, 2));
        QVERIFY(inspector()->explanationText().contains(QStringLiteral("5. \u00F7 sum")));
        QCOMPARE(inspector()->explainedJobId(), std::optional(doc()->result()->jobId));
        // The same cell of the next result is explained again with that result's numbers.
        control<QSpinBox>(QStringLiteral("seedSpin"))->setValue(7);
        settle();
        QCOMPARE(inspector()->explainedJobId(), std::optional(doc()->result()->jobId));
        QVERIFY(inspector()->explanationText().contains(QStringLiteral("5. \u00F7 sum")));

        window()->controlPanel()->applyPreset(longContextPreset());
        settle();
        QVERIFY(doc()->result()->longContext);
        QCOMPARE(window()->longMaskView()->isVisible(), true);
        QVERIFY2(inspector()->explanationText().isEmpty(), qPrintable(inspector()->explanationText()));
        QCOMPARE(inspector()->explainedJobId(), std::nullopt);
        QVERIFY(inspector()->hoverText().isEmpty());
    }

    void theExplanationOfACellThatIsGoneIsCleared()
    {
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->cellCenter(0, 6, 6));
        QVERIFY(!inspector()->explanationText().isEmpty());
        doc()->editConfig([](ScenarioConfig& c) { c.seqLen = 4; }); // row and column 6 are gone
        settle();
        QVERIFY(inspector()->explanationText().isEmpty());
        QCOMPARE(inspector()->explainedJobId(), std::nullopt);
    }

    void settingsRememberTheLastSession()
    {
        closeWindow();
        {
            MainWindow first(startConfig(), FigureRequest{}, WindowOptions{true});
            first.resize(1234, 777);
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first));
            first.document()->editConfig([](ScenarioConfig& c) { c.seqLen = 13; c.causal = true; });
            first.document()->setLayout(Layout::Pipeline);
            first.close();
        }
        const std::optional<ScenarioConfig> saved = MainWindow::savedConfig();
        QVERIFY(saved.has_value());
        QCOMPARE(saved->effectiveSeqLen(), 13);
        QVERIFY(saved->causal);
        QCOMPARE(MainWindow::savedView()->layout, Layout::Pipeline);
        MainWindow second(*saved, MainWindow::savedView(), WindowOptions{true});
        QCOMPARE(second.size(), QSize(1234, 777));
        QCOMPARE(second.document()->config().effectiveSeqLen(), 13);
    }

    void thousandsOfRandomChangesEndConsistent()
    {
        QRandomGenerator rng(20240601); // fixed: the same sequence of changes every run
        const QStringList matrixButtons = {"matrixButton0", "matrixButton1", "matrixButton2", "matrixButton3"};
        const QStringList layoutButtons = {"layoutButton0", "layoutButton1", "layoutButton2", "layoutButton3"};
        for (int step = 0; step < 3000; ++step) {
            switch (rng.bounded(12)) {
            case 0: // now and then a length whose jobs last long enough to be overtaken midway
                control<QSpinBox>(QStringLiteral("seqLenSpin"))->setValue(1 + rng.bounded(rng.bounded(10) ? 40 : 400));
                break;
            case 1: control<QSlider>(QStringLiteral("seqLenSlider"))->setValue(1 + rng.bounded(40)); break;
            case 2: control<QCheckBox>(QStringLiteral("causalCheck"))->toggle(); break;
            case 3: control<QCheckBox>(QStringLiteral("paddingCheck"))->toggle(); break;
            case 4: control<QSpinBox>(QStringLiteral("batchSpin"))->setValue(1 + rng.bounded(4)); break;
            case 5:
                if (auto* v = window()->findChild<QSpinBox*>(QStringLiteral("validLenSpin%1").arg(rng.bounded(4))))
                    v->setValue(rng.bounded(45));
                break;
            case 6: control<QSpinBox>(QStringLiteral("headsSpin"))->setValue(QList<int>{1, 2, 3, 4, 8}[rng.bounded(5)]); break;
            case 7: control<QSpinBox>(QStringLiteral("dModelSpin"))->setValue(QList<int>{16, 24, 32, 48}[rng.bounded(4)]); break;
            case 8: control<QComboBox>(QStringLiteral("fillCombo"))->setCurrentIndex(rng.bounded(4)); break;
            case 9: control<QComboBox>(QStringLiteral("padSideCombo"))->setCurrentIndex(rng.bounded(2)); break;
            case 10: control<QAbstractButton>(matrixButtons[rng.bounded(4)])->click(); break;
            default:
                control<QAbstractButton>(layoutButtons[rng.bounded(4)])->click();
                control<QSpinBox>(QStringLiteral("headSpin"))->setValue(rng.bounded(8));
                control<QSpinBox>(QStringLiteral("batchItemSpin"))->setValue(rng.bounded(4));
                break;
            }
            if (rng.bounded(8) == 0)
                QCoreApplication::processEvents(); // let some jobs start, finish or be overtaken
        }
        settle();
        checkConsistent();
    }

private:
    // The index of the preset of 131072 tokens, which the long-context mask view shows.
    int longContextPreset() const
    {
        const QList<Preset>& presets = window()->controlPanel()->presets().presets();
        for (int k = 0; k < presets.size(); ++k)
            if (needsLongContextView(presets.at(k).config))
                return k;
        qFatal("no long-context preset");
    }

    // The document, the figure on screen and the controls all describe the last inputs.
    void checkConsistent()
    {
        const ScenarioConfig& c = doc()->config();
        QCOMPARE(control<QSpinBox>(QStringLiteral("seqLenSpin"))->value(), c.effectiveSeqLen());
        QCOMPARE(control<QCheckBox>(QStringLiteral("causalCheck"))->isChecked(), c.causal);
        QCOMPARE(control<QSpinBox>(QStringLiteral("headsSpin"))->value(), c.heads);
        QCOMPARE(control<QCheckBox>(QStringLiteral("paddingCheck"))->isChecked(), !c.validLens.empty());
        for (const int v : c.validLens)
            QVERIFY(v >= 0 && v <= c.effectiveSeqLen());
        if (c.effectiveDModel() % c.heads != 0) {
            QVERIFY(doc()->error().contains(QStringLiteral("divisible")));
            return;
        }
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
        const TraceResultPtr r = doc()->result();
        QCOMPARE(view()->shownResult(), r);
        QVERIFY(sameInputs(r->scenario->config, c) && r->scenario->config.causal == c.causal &&
                r->scenario->config.fill == c.fill);
        QCOMPARE(r->view.layout, doc()->view().layout);
        // The numbers are those of a fresh computation of the same inputs.
        TraceJob fresh;
        fresh.id = 1;
        fresh.config = c;
        fresh.view = doc()->view();
        const TraceResultPtr expected = computeTrace(fresh);
        const Figure& shown = view()->shownFigure();
        QCOMPARE(shown.panels.size(), expected->figure.panels.size());
        for (size_t k = 0; k < shown.panels.size(); ++k) {
            QCOMPARE(shown.panels[k].rows, c.effectiveQueryLen());
            QVERIFY(shown.panels[k].states == expected->figure.panels[k].states);
        }
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
