// SPDX-License-Identifier: MIT
// The Layers strip, driven by clicks on its cells offscreen: a published configuration's layer
// sets that layer's rules; a real checkpoint (stories260K, from ../shared, never copied) shows
// its own layers and a click shows that layer.

#include "document/maskdocument.h"
#include "window/layersstrip.h"
#include "window/mainwindow.h"

#include <QComboBox>
#include <QLabel>

#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

using maskscope::testing::kModel;
using maskscope::testing::kModelDir;
using maskscope::testing::kTokenizer;

int familyNamed(const char* name)
{
    const std::vector<LayerPattern>& patterns = layerPatterns();
    for (std::size_t k = 0; k < patterns.size(); ++k)
        if (patterns[k].name == name)
            return static_cast<int>(k);
    return -1;
}

} // namespace

class TestLayersStrip : public QObject, public testing::WindowFixture {
    Q_OBJECT

    LayersStrip* strip() const { return window()->findChild<LayersStrip*>(); }
    QComboBox* family() const { return strip()->findChild<QComboBox*>(QStringLiteral("layerFamilyCombo")); }
    QString summary() const { return strip()->findChild<QLabel*>(QStringLiteral("layersSummary"))->text(); }

    void chooseFamily(const char* name)
    {
        const int index = familyNamed(name);
        QVERIFY(index >= 0);
        family()->setCurrentIndex(index);
    }

    void clickLayer(int layer)
    {
        LayerCells* cells = strip()->cells();
        const QRect r = cells->cellRect(layer);
        QVERIFY(!r.isEmpty());
        QTest::mouseClick(cells, Qt::LeftButton, {}, r.center());
    }

private slots:
    void initTestCase() { isolateSettings(); }
    void init() { QVERIFY(openWindow(testing::syntheticConfig(8, 2, 8))); }
    void cleanup() { closeWindow(); }

    void theWindowShowsOneCellPerLayerOfTheChosenFamily()
    {
        QVERIFY(strip());
        QVERIFY(strip()->isVisible());
        for (const LayerPattern& p : layerPatterns()) {
            chooseFamily(std::string(p.name).c_str());
            QCOMPARE(static_cast<int>(strip()->cells()->cells().rules.size()), p.layers);
            QVERIFY(!strip()->cells()->cellRect(p.layers - 1).isEmpty());
            QVERIFY(strip()->cells()->cellRect(p.layers - 1).right() <= strip()->cells()->width());
        }
    }

    void aSessionStartedWithALayersRulesOpensOnItsFamily()
    {
        QCOMPARE(strip()->familyIndex(), 0); // nothing matches the plain synthetic start
        closeWindow();
        ScenarioConfig c = testing::syntheticConfig(8, 2, 8);
        applyLayerRule(layerPatterns()[static_cast<std::size_t>(familyNamed("gpt-oss"))].rule(0), c);
        QVERIFY(openWindow(c));
        QCOMPARE(strip()->familyIndex(), familyNamed("gpt-oss"));
        QVERIFY(strip()->cells()->cells().matching[0]);
        QVERIFY(!strip()->cells()->cells().matching[1]);
    }

    void pickingAGemma3LocalLayerSetsCausalAndItsWindow()
    {
        chooseFamily("gemma3");
        clickLayer(4);
        settle();
        const ScenarioConfig& c = doc()->config();
        QVERIFY(c.causal);
        QCOMPARE(c.rules.windowLeft, 1023);
        QCOMPARE(c.rules.windowRight, 0);
        QCOMPARE(strip()->cells()->cells().picked, std::optional<int>(4));
        QVERIFY(summary().contains(QStringLiteral("layer 4")));
        // every local layer has that mask, the global ones not
        const std::vector<bool>& matching = strip()->cells()->cells().matching;
        QVERIFY(matching[0] && matching[33] && !matching[5] && !matching[11]);
        // at L = 8 a window of 1024 cuts nothing off: the cell says so
        QVERIFY(strip()->cells()->cells().sameAsFull[4]);
        QVERIFY(strip()->cells()->cells().tips[4].contains(QStringLiteral("L = 8")));

        clickLayer(5);
        settle();
        QVERIFY(doc()->config().causal);
        QVERIFY(!doc()->config().rules.hasWindow());
        QCOMPARE(strip()->cells()->cells().picked, std::optional<int>(5));
    }

    void pickingALlama4ChunkedLayerSetsTheChunkRule()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.seqLen = 9000; });
        chooseFamily("llama4");
        clickLayer(0);
        const ScenarioConfig& c = doc()->config();
        QVERIFY(c.causal);
        QCOMPARE(c.rules.chunk, 8192);
        QVERIFY(!strip()->cells()->cells().sameAsFull[0]); // 9000 > 8192: the chunks show
        clickLayer(3);
        QCOMPARE(doc()->config().rules.chunk, 0);
        doc()->editConfig([](ScenarioConfig& cfg) { cfg.seqLen = 8; });
    }

    void pickingAGptOssLayerSetsItsWindowAndASinkLogit()
    {
        chooseFamily("gpt-oss");
        clickLayer(0);
        settle();
        QCOMPARE(doc()->config().rules.windowLeft, 127);
        QCOMPARE(doc()->config().scoreModifiers.sinkLogits, std::vector<double>{kStandInSinkLogit});
        QVERIFY(doc()->error().isEmpty());
    }

    void changingARuleByHandDropsThePick()
    {
        chooseFamily("mistral");
        clickLayer(2);
        QCOMPARE(strip()->cells()->cells().picked, std::optional<int>(2));
        doc()->editConfig([](ScenarioConfig& c) { c.rules.windowLeft = 2; });
        QVERIFY(!strip()->cells()->cells().picked);
        QVERIFY(!strip()->cells()->cells().matching[2]);
    }

    void aRealModelShowsItsOwnLayersAndAClickShowsThatLayer()
    {
        QVERIFY2(QFile::exists(kModel), "stories260K is expected in ../shared/models");
        ScenarioConfig model;
        model.modelPath = kModel.toStdString();
        model.tokenizerPath = kTokenizer.toStdString();
        model.texts = {"Once upon a time"};
        doc()->setConfig(model);
        settle();
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
        QVERIFY(!family()->isVisible());
        const LayerCells::Cells& cells = strip()->cells()->cells();
        QCOMPARE(static_cast<int>(cells.rules.size()), 5);
        for (const LayerRule& rule : cells.rules)
            QCOMPARE(rule.kind, LayerKind::Full);
        QCOMPARE(cells.picked, std::optional<int>(4)); // the default: the last layer
        const ScenarioConfig before = doc()->config();
        clickLayer(1);
        settle();
        QCOMPARE(doc()->config().layer, std::optional<int>(1));
        ScenarioConfig expected = before;
        expected.layer = 1;
        QVERIFY(doc()->config() == expected); // the rules stay: only the layer changed
        QCOMPARE(strip()->cells()->cells().picked, std::optional<int>(1));
        QVERIFY(summary().contains(QStringLiteral("layer 1")));
    }
};

QTEST_MAIN(TestLayersStrip)
#include "tst_layersstrip.moc"
