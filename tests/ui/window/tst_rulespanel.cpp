// SPDX-License-Identifier: MIT
// The mask-rules panel driven through its real controls in the real window (offscreen): each
// control changes the document's rules, every view then shows the rule, impossible values are
// refused inline, cells painted on the mask view toggle and change the weights, and the controls
// follow the document when it changes from elsewhere.

#include "window/alignmentcompare.h"
#include "figure/blockoverlay.h"
#include "document/configjson.h"
#include "window/controlpanel.h"
#include "figure/figurerenderer.h"
#include "window/heatmapview.h"
#include "window/inspectorpanel.h"
#include "window/mainwindow.h"
#include "window/maskcellpainter.h"
#include "document/maskdocument.h"
#include "window/rulespanel.h"
#include "npywriter.h"
#include "windowdriver.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

ScenarioConfig startConfig()
{
    return testing::syntheticConfig(8, 2, 16);
}

using testing::floatTrace;

} // namespace

class TestRulesPanel : public QObject, public testing::WindowFixture {
    Q_OBJECT

    QTemporaryDir dir_;

    const BoolMatrix& shownAllowed() const { return floatTrace(doc()->result()).allowed; }

private slots:
    void initTestCase() { isolateSettings(); }
    void init() { QVERIFY(openWindow(startConfig(), {1400, 900}, QStringLiteral("rulesDock"))); }
    void cleanup() { closeWindow(); }

    void windowTwoZeroBlocksCellFiveTwo()
    {
        QVERIFY(shownAllowed()(5, 2));
        testing::typeInto(control<QSpinBox>(QStringLiteral("windowLeftSpin")), 2);
        testing::typeInto(control<QSpinBox>(QStringLiteral("windowRightSpin")), 0);
        settle();
        QCOMPARE(doc()->config().rules.windowLeft, 2);
        QCOMPARE(doc()->config().rules.windowRight, 0);
        QVERIFY(!shownAllowed()(5, 2));
        QVERIFY(shownAllowed()(5, 3) && shownAllowed()(5, 5) && !shownAllowed()(5, 6));
        // Blocked cells get no weight; the summary says which rule is on.
        QCOMPARE(floatTrace(doc()->result()).heads.at(0).weights(5, 2), 0.0f);
        QVERIFY(control<QLabel>(QStringLiteral("rulesSummary"))->text().contains(QStringLiteral("window 2 left, 0 right")));
    }

    void everyRuleReachesTheViews_data()
    {
        QTest::addColumn<QString>("spin");
        QTest::addColumn<int>("value");
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("col");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("dilation 2") << "dilationSpin" << 2 << 4 << 3 << false;
        QTest::newRow("prefix 3 sees ahead inside") << "prefixSpin" << 3 << 1 << 2 << true;
        QTest::newRow("prefix 3 blocks later keys") << "prefixSpin" << 3 << 3 << 5 << false;
        QTest::newRow("chunk 4") << "chunkSpin" << 4 << 3 << 4 << false;
        QTest::newRow("global 1 with window") << "globalSpin" << 1 << 7 << 0 << true;
    }
    void everyRuleReachesTheViews()
    {
        QFETCH(QString, spin);
        QFETCH(int, value);
        QFETCH(int, row);
        QFETCH(int, col);
        QFETCH(bool, allowed);
        doc()->editConfig([](ScenarioConfig& c) { c.rules.windowLeft = c.rules.windowRight = 1; });
        settle();
        testing::typeInto(control<QSpinBox>(spin), value);
        settle();
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
        QCOMPARE(bool(shownAllowed()(row, col)), allowed);
        // The window computed exactly what the core says the config means (every rule applied,
        // also on the path that reuses the inputs).
        const MaskSpec expected = buildMaskSpec(doc()->config());
        QVERIFY((shownAllowed() == allowedMatrix(expected, 0)).all());
    }

    void documentsAreCheckedInline()
    {
        auto* edit = control<QLineEdit>(QStringLiteral("segmentsEdit"));
        auto* error = control<QLabel>(QStringLiteral("segmentsError"));
        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral("3,4"));
        QVERIFY(error->isVisible());
        QVERIFY(error->text().contains(QStringLiteral("7")));
        QVERIFY(doc()->config().rules.segments.empty()); // never sent to the document
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, QStringLiteral("5"));
        settle();
        QVERIFY(!error->isVisible());
        QCOMPARE(doc()->config().rules.segments, (std::vector<int>{3, 5}));
        QVERIFY(shownAllowed()(2, 0) && !shownAllowed()(3, 2) && shownAllowed()(7, 3));
        // Causal within each document.
        auto* within = control<QCheckBox>(QStringLiteral("withinCausalCheck"));
        within->click();
        settle();
        QVERIFY(doc()->config().causal && !shownAllowed()(3, 4) && shownAllowed()(4, 3));
    }

    void alignmentIsOfferedOnlyWhenLengthsDiffer()
    {
        auto* align = control<QComboBox>(QStringLiteral("alignCombo"));
        QVERIFY(!align->isEnabled());
        doc()->editConfig([](ScenarioConfig& c) {
            c.queryLen = 3;
            c.causal = true;
        });
        settle();
        QVERIFY(align->isEnabled());
        QVERIFY(!shownAllowed()(0, 1)); // top-left: query 0 sees key 0 only
        align->setCurrentIndex(1);
        settle();
        QCOMPARE(doc()->config().rules.causalAlign, CausalAlign::BottomRight);
        QVERIFY(shownAllowed()(0, 5) && !shownAllowed()(0, 6)); // query 0 sits at key 5
    }

    void bothAlignmentsSideBySide()
    {
        doc()->editConfig([](ScenarioConfig& c) {
            c.queryLen = 3;
            c.seqLen = 6;
            c.causal = true;
        });
        settle();
        control<QPushButton>(QStringLiteral("compareAlignButton"))->click();
        auto* dialog = window()->findChild<AlignmentCompareDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        const Figure& f = dialog->figure();
        QCOMPARE(f.panels.size(), size_t(2));
        const auto state = [&](int panel, int i, int j) { return f.panels[size_t(panel)].states[size_t(i * 6 + j)]; };
        QCOMPARE(state(0, 0, 0), CellState::Value);   // top-left: query 0 sees key 0 only
        QCOMPARE(state(0, 0, 1), CellState::Blocked);
        QCOMPARE(state(1, 0, 3), CellState::Value);   // bottom-right: query 0 sits at key 3
        QCOMPARE(state(1, 0, 4), CellState::Blocked);
        QVERIFY(dialog->message().isEmpty());
        // It follows the document: equal lengths say both are the same.
        doc()->editConfig([](ScenarioConfig& c) { c.queryLen.reset(); });
        settle();
        QVERIFY(dialog->message().contains(QStringLiteral("same mask")));
        dialog->close();
    }

    void clickOnAMaskCellTogglesItAndTheWeightsChange()
    {
        doc()->setLayout(Layout::Pipeline); // mask, logits, masked logits, weights side by side
        settle();
        const Matrix<float> before = floatTrace(doc()->result()).heads.at(0).weights;
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->cellCenter(0, 1, 3));
        settle();
        QVERIFY(doc()->config().rules.toggled.contains(1, 3));
        QVERIFY(!shownAllowed()(1, 3));
        const Matrix<float>& after = floatTrace(doc()->result()).heads.at(0).weights;
        QCOMPARE(after(1, 3), 0.0f);
        QVERIFY(after(1, 0) > before(1, 0)); // the row's weight went to the other keys
        QCOMPARE(after.row(2), before.row(2));
        QVERIFY(control<QLabel>(QStringLiteral("toggledLabel"))->text().contains(QStringLiteral("1 cell")));
        // The click was also explained, as on every other view.
        QVERIFY(!window()->inspector()->explanationText().isEmpty());
        // A click on a weight cell inspects only.
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->cellCenter(3, 2, 2));
        settle();
        QCOMPARE(doc()->config().rules.toggled.size(), size_t(1));
    }

    void dragPaintsEveryCellItCrosses()
    {
        doc()->setMatrix(ViewKind::Mask);
        settle();
        const QPoint from = view()->cellCenter(0, 6, 0);
        QTest::mousePress(view(), Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, view()->cellCenter(0, 6, 5), view()->mapToGlobal(view()->cellCenter(0, 6, 5)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view(), &move);
        QTest::mouseRelease(view(), Qt::LeftButton, {}, view()->cellCenter(0, 6, 5));
        settle();
        for (int j = 0; j <= 5; ++j)
            QVERIFY2(!shownAllowed()(6, j), qPrintable(QString::number(j)));
        QVERIFY(shownAllowed()(6, 6));
        QCOMPARE(doc()->config().rules.toggled.size(), size_t(6));
        control<QPushButton>(QStringLiteral("clearToggledButton"))->click();
        settle();
        QVERIFY(doc()->config().rules.toggled.empty() && shownAllowed().all());
        // Painting can be switched off: a click then only inspects.
        control<QCheckBox>(QStringLiteral("paintCheck"))->click();
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->cellCenter(0, 2, 2));
        settle();
        QVERIFY(doc()->config().rules.toggled.empty());
    }

    void paintedCellsAreKeptWithTheSessionAndClippedWhenTheLengthShrinks()
    {
        doc()->editConfig([](ScenarioConfig& c) {
            c.rules.toggled.toggle(1, 2);
            c.rules.toggled.toggle(7, 7);
            c.rules.prefix = 8;
            c.rules.segments = {5, 3};
        });
        settle();
        // The session is saved as command-line options: the toggles come back.
        std::vector<std::string> rest;
        const ScenarioConfig back = parseScenarioOptions(scenarioOptionArgs(doc()->config()), rest);
        QVERIFY(rest.empty());
        QCOMPARE(back.rules.toggled, doc()->config().rules.toggled);
        // ... and so do presets written as JSON (configjson.h).
        const ScenarioConfig preset = configFromJson(
            QJsonObject{{QStringLiteral("toggle"), QJsonArray{QStringLiteral("1:2"), QStringLiteral("7:7")}}});
        QCOMPARE(preset.rules.toggled, doc()->config().rules.toggled);
        testing::typeInto(control<QSpinBox>(QStringLiteral("seqLenSpin")), 6);
        settle();
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
        QVERIFY(doc()->config().rules.toggled.contains(1, 2));
        QVERIFY(!doc()->config().rules.toggled.contains(7, 7));
        QCOMPARE(doc()->config().rules.prefix, 6);
        QCOMPARE(doc()->config().rules.segments, (std::vector<int>{5, 1})); // the last document ends at 6
        QCOMPARE(control<QSpinBox>(QStringLiteral("prefixSpin"))->maximum(), 6);
    }

    void controlsFollowTheDocument()
    {
        ScenarioConfig c = startConfig();
        c.rules.windowLeft = 3;
        c.rules.dilation = 2;
        c.rules.globalTokens = 1;
        c.blockSize = 32;
        c.scoreModifiers.alibi = true;
        c.scoreModifiers.softcap = 20.0;
        doc()->setConfig(c);
        QCOMPARE(control<QSpinBox>(QStringLiteral("windowLeftSpin"))->value(), 3);
        QCOMPARE(control<QSpinBox>(QStringLiteral("windowRightSpin"))->text(), QStringLiteral("unbounded"));
        QCOMPARE(control<QSpinBox>(QStringLiteral("dilationSpin"))->value(), 2);
        QCOMPARE(control<QSpinBox>(QStringLiteral("globalSpin"))->value(), 1);
        QCOMPARE(control<QSpinBox>(QStringLiteral("blockSpin"))->value(), 32);
        QVERIFY(control<QCheckBox>(QStringLiteral("alibiCheck"))->isChecked());
        QCOMPARE(control<QDoubleSpinBox>(QStringLiteral("softcapSpin"))->value(), 20.0);
        const QString summary = control<QLabel>(QStringLiteral("rulesSummary"))->text();
        QVERIFY(summary.contains(QStringLiteral("dilation 2")) && summary.contains(QStringLiteral("1 global token")));
        QVERIFY(control<QLabel>(QStringLiteral("modifiersSummary"))->text().contains(QStringLiteral("soft-cap 20")));
        settle();
        QCOMPARE(doc()->config(), c); // following the document changed nothing in it
    }

    void scoreModifiersChangeWeightsNotAllowance()
    {
        settle();
        const BatchTrace<float> plain = floatTrace(doc()->result());
        control<QCheckBox>(QStringLiteral("alibiCheck"))->click();
        settle();
        const BatchTrace<float>& alibi = floatTrace(doc()->result());
        QVERIFY((alibi.allowed == plain.allowed).all());
        QVERIFY(!alibi.heads.at(0).weights.isApprox(plain.heads.at(0).weights, 1e-3f));
        control<QCheckBox>(QStringLiteral("softcapCheck"))->click();
        settle();
        QVERIFY(doc()->config().scoreModifiers.softcap.has_value());
        QVERIFY(control<QDoubleSpinBox>(QStringLiteral("softcapSpin"))->minimum() > 0.0); // no cap of 0
    }

    void badMaskFileIsRefusedInline()
    {
        auto* rules = window()->rulesPanel();
        const QString bad = dir_.filePath(QStringLiteral("wrong.npy"));
        writeNpy(bad.toStdString(), testing::boolNpy({"111", "111", "111"}));
        QVERIFY(!rules->setMaskFile(bad));
        QVERIFY(control<QLabel>(QStringLiteral("maskFileError"))->isVisible());
        QVERIFY(control<QLabel>(QStringLiteral("maskFileError"))->text().contains(QStringLiteral("shape")));
        QVERIFY(doc()->config().maskFile.empty());
        const QString good = dir_.filePath(QStringLiteral("good.npy"));
        writeNpy(good.toStdString(), testing::npyArray(NpyType::Bool, {8, 8}, [](size_t i) { return i % 9 == 0; }));
        QVERIFY(rules->setMaskFile(good));
        settle();
        QVERIFY(!control<QLabel>(QStringLiteral("maskFileError"))->isVisible());
        QVERIFY(shownAllowed()(3, 3) && !shownAllowed()(3, 2));
    }

    void refusedRulesAreExplainedInThePanel()
    {
        auto* error = control<QLabel>(QStringLiteral("rulesError"));
        QVERIFY(!error->isVisible());
        doc()->editConfig([](ScenarioConfig& c) { c.pitfalls.mistakes.set(Pitfall::CausalBackwards); });
        settle();
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("causal")), qPrintable(error->text()));
    }

    void packedDocumentsPresetFillsThePanel()
    {
        const PresetLibrary& presets = window()->controlPanel()->presets();
        int index = -1;
        for (int k = 0; k < presets.presets().size(); ++k)
            if (presets.presets().at(k).name.startsWith(QStringLiteral("Packed documents")))
                index = k;
        QVERIFY(index >= 0);
        window()->controlPanel()->applyPreset(index);
        settle();
        QCOMPARE(control<QLineEdit>(QStringLiteral("segmentsEdit"))->text(), QStringLiteral("5,4,7"));
        QVERIFY(control<QCheckBox>(QStringLiteral("withinCausalCheck"))->isChecked());
        QVERIFY(control<QLabel>(QStringLiteral("rulesSummary"))->text().contains(QStringLiteral("3 document(s) (5,4,7)")));
        QVERIFY(shownAllowed()(6, 5) && !shownAllowed()(6, 4) && !shownAllowed()(5, 6));
    }

    void blockOverlayMatchesCoreAndReachesTheFigure()
    {
        doc()->editConfig([](ScenarioConfig& c) {
            c.seqLen = 40;
            c.causal = true;
            c.blockSize = 16;
        });
        settle();
        QAction* toggle = nullptr;
        for (QAction* a : window()->menuBar()->findChildren<QAction*>())
            if (a->text().contains(QStringLiteral("Block-sparsity")))
                toggle = a;
        QVERIFY(toggle);
        QVERIFY(!view()->figureStyle().blockOverlay);
        toggle->trigger();
        QVERIFY(view()->figureStyle().blockOverlay);
        const Figure& fig = view()->shownFigure();
        const BlockSparsity expected = blockSparsity(doc()->result()->scenario->mask, 0, 16);
        // 3 x 3 tiles: 3 below the diagonal full, 3 on it partial, 3 above it empty.
        QCOMPARE(fig.blocks.figures.fullTiles, expected.fullTiles);
        QCOMPARE(fig.blocks.figures.partialTiles, expected.partialTiles);
        QCOMPARE(fig.blocks.figures.emptyTiles, expected.emptyTiles);
        QCOMPARE(expected.emptyTiles, 3);
        QCOMPARE(fig.blocks.classes.size(), size_t(9));
        QCOMPARE(fig.blocks.classes[1], TileClass::Empty);
        QCOMPARE(fig.blocks.classes[3], TileClass::Full);
        // The legend (on screen and in every export) carries the figures.
        const FigureLayout layout = FigureRenderer::layout(fig, QSizeF(900, 700), view()->figureStyle());
        bool found = false;
        for (const LegendEntry& e : layout.legend)
            found = found || (e.kind == LegendEntry::Kind::EmptyTile &&
                              e.text.contains(blockOverlaySummary(expected)));
        QVERIFY(found);
        QVERIFY(blockOverlaySummary(expected).contains(QStringLiteral("33.3% of tiles skipped")));
    }
};

QTEST_MAIN(TestRulesPanel)
#include "tst_rulespanel.moc"
