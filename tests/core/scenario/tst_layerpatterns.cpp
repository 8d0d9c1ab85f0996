// SPDX-License-Identifier: MIT
// The per-layer patterns against the published configurations, written out layer by layer here
// (not by the pattern's formula), and the masks their rules give against transformers'
// masking_utils definitions.
#include "scenario/layerpatterns.h"

#include "model/checkpoint.h"
#include "scenario/options.h"
#include "scenario/scenario.h"

#include <QTest>

#include <set>

using namespace maskscope;

namespace {

const LayerPattern& pattern(const char* name)
{
    const LayerPattern* p = findLayerPattern(name);
    if (!p)
        throw std::runtime_error(std::string("no pattern ") + name);
    return *p;
}

// The layers whose kind is `kind`.
std::set<int> layersOf(const LayerPattern& p, LayerKind kind)
{
    std::set<int> layers;
    for (int i = 0; i < p.layers; ++i)
        if (p.rule(i).kind == kind)
            layers.insert(i);
    return layers;
}

std::set<int> range(int from, int to, int step)
{
    std::set<int> s;
    for (int i = from; i < to; i += step)
        s.insert(i);
    return s;
}

ScenarioConfig parsed(const std::vector<std::string>& args)
{
    std::vector<std::string> rest;
    ScenarioConfig c = parseScenarioOptions(args, rest);
    if (!rest.empty())
        throw std::runtime_error("unparsed " + rest.front());
    return c;
}

} // namespace

class TestLayerPatterns : public QObject {
    Q_OBJECT
private slots:
    void theFamiliesAreListedInOrder()
    {
        std::vector<std::string> names;
        for (const LayerPattern& p : layerPatterns())
            names.emplace_back(p.name);
        QCOMPARE(names, (std::vector<std::string>{"mistral", "gemma2", "gemma3", "llama4", "gpt-oss"}));
        QCOMPARE(layerPatternNames(), std::string("mistral, gemma2, gemma3, llama4, gpt-oss"));
        QVERIFY(findLayerPattern("gemma") == nullptr);
    }

    void mistralSlidesEverywhere()
    {
        const LayerPattern& p = pattern("mistral");
        QCOMPARE(p.layers, 32);
        for (int i = 0; i < 32; ++i)
            QVERIFY(p.rule(i) == (LayerRule::sliding(4096)));
    }

    void gemma2AlternatesLocalAndGlobalWithSoftcapping()
    {
        const LayerPattern& p = pattern("gemma2");
        QCOMPARE(p.layers, 26);
        // Gemma2Config: layer_types[i] = sliding if (i + 1) % 2 -> 0, 2, 4, ... local.
        QCOMPARE(layersOf(p, LayerKind::Sliding), (std::set<int>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}));
        QCOMPARE(layersOf(p, LayerKind::Full), (std::set<int>{1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25}));
        for (int i = 0; i < p.layers; ++i) {
            QCOMPARE(p.rule(i).softcap, std::optional<double>(50.0));
            QCOMPARE(p.rule(i).span, i % 2 == 0 ? 4096 : 0);
        }
    }

    void gemma3HasOneGlobalLayerInSix()
    {
        const LayerPattern& p = pattern("gemma3");
        QCOMPARE(p.layers, 34);
        QCOMPARE(layersOf(p, LayerKind::Full), (std::set<int>{5, 11, 17, 23, 29}));
        QCOMPARE(layersOf(p, LayerKind::Sliding).size(), std::size_t(29));
        QVERIFY(p.rule(0) == (LayerRule::sliding(1024)));
        QVERIFY(p.rule(33) == (LayerRule::sliding(1024)));
        QVERIFY(p.rule(5) == LayerRule{});
    }

    void llama4ChunksThreeLayersInFourAndTheFourthIsGlobalWithoutPositions()
    {
        const LayerPattern& p = pattern("llama4");
        QCOMPARE(p.layers, 48);
        const std::set<int> global{3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47};
        QCOMPARE(layersOf(p, LayerKind::Full), global);
        for (int i = 0; i < p.layers; ++i) {
            QCOMPARE(p.rule(i).noPositions, global.count(i) == 1);
            if (global.count(i) == 0)
                QVERIFY(p.rule(i) == (LayerRule::chunked(8192)));
        }
    }

    void gptOssAlternatesWindowsOf128AndFullWithSinksEverywhere()
    {
        const LayerPattern& p = pattern("gpt-oss");
        QCOMPARE(p.layers, 24);
        QCOMPARE(layersOf(p, LayerKind::Sliding), range(0, 24, 2));
        QCOMPARE(layersOf(p, LayerKind::Full), range(1, 24, 2));
        for (int i = 0; i < p.layers; ++i) {
            QVERIFY(p.rule(i).sinkLogit);
            QCOMPARE(p.rule(i).span, i % 2 == 0 ? 128 : 0);
        }
    }

    // transformers' sliding_window_overlay on the causal mask: kv > q - W and kv <= q.
    void aSlidingLayerIsHuggingFacesWindow()
    {
        ScenarioConfig c = parsed({"--layer-pattern", "gemma3:4", "--seq-len", "1100"});
        QVERIFY(c.causal);
        QCOMPARE(c.rules.windowLeft, 1023);
        QCOMPARE(c.rules.windowRight, 0);
        const MaskSpec spec = buildMaskSpec(c);
        for (int q : {0, 500, 1023, 1024, 1050, 1099})
            for (int k : {0, 26, 27, 28, 76, 77, 500, 1023, 1024, 1050, 1099})
                QCOMPARE(allowedAt(spec, 0, q, k), k <= q && k > q - 1024);
    }

    // chunked_overlay on the causal mask: kv // C == q // C and kv <= q.
    void aChunkedLayerIsCausalWithinItsChunk()
    {
        ScenarioConfig c = parsed({"--seq-len", "20000", "--layer-pattern", "llama4:0"});
        QVERIFY(c.causal);
        QCOMPARE(c.rules.chunk, 8192);
        QVERIFY(!c.rules.hasWindow());
        const MaskSpec spec = buildMaskSpec(c);
        for (int q : {0, 8191, 8192, 9000, 16383, 16384, 19999})
            for (int k : {0, 100, 8191, 8192, 8999, 9000, 9001, 16383, 16384, 19999})
                QCOMPARE(allowedAt(spec, 0, q, k), k <= q && k / 8192 == q / 8192);
    }

    void aGlobalLayerClearsTheLocalRulesAndModifiers()
    {
        const ScenarioConfig c = parsed({"--window", "3,3", "--chunk", "4", "--softcap", "5", "--sink-logit", "1",
                                         "--sink", "2", "--layer-pattern", "llama4:3"});
        QVERIFY(c.causal);
        QVERIFY(!c.rules.hasWindow());
        QCOMPARE(c.rules.chunk, 0);
        QVERIFY(!c.scoreModifiers.softcap);
        QVERIFY(c.scoreModifiers.sinkLogits.empty());
        QCOMPARE(c.rules.sink, 2); // not the layer's business: composes with it
    }

    void sinkLayersKeepASetSinkLogitElseStandIn()
    {
        QCOMPARE(parsed({"--layer-pattern", "gpt-oss:1"}).scoreModifiers.sinkLogits, std::vector<double>{0.0});
        const ScenarioConfig kept = parsed({"--sink-logit", "0.5,1", "--heads", "2", "--layer-pattern", "gpt-oss:0"});
        QCOMPARE(kept.scoreModifiers.sinkLogits, (std::vector<double>{0.5, 1.0}));
        QCOMPARE(kept.rules.windowLeft, 127);
        QCOMPARE(parsed({"--layer-pattern", "gemma2:1"}).scoreModifiers.softcap, std::optional<double>(50.0));
    }

    void laterOptionsChangeTheLayersRules()
    {
        const ScenarioConfig c = parsed({"--layer-pattern", "mistral", "--window", "2,0"});
        QCOMPARE(c.rules.windowLeft, 2);
    }

    void showsLayerRuleTellsWhichLayersTheConfigShows()
    {
        const LayerPattern& p = pattern("gemma3");
        ScenarioConfig c;
        c.rules.sink = 3;
        QVERIFY(!showsLayerRule(p.rule(0), c));
        applyLayerRule(p.rule(0), c);
        for (int i = 0; i < p.layers; ++i)
            QCOMPARE(showsLayerRule(p.rule(i), c), (i + 1) % 6 != 0);
        c.rules.windowLeft = 5;
        QVERIFY(!showsLayerRule(p.rule(0), c));
    }

    void aWindowOrChunkAsLongAsTheSequenceIsFullAttention()
    {
        QVERIFY(sameAsFullAt(LayerRule{}, 1));
        QVERIFY(sameAsFullAt(LayerRule::sliding(128), 128));
        QVERIFY(!sameAsFullAt(LayerRule::sliding(128), 129));
        QVERIFY(sameAsFullAt(LayerRule::chunked(8192), 8));
        QVERIFY(!sameAsFullAt(LayerRule::chunked(8192), 8193));
    }

    void badOptionValuesAreRefused_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("name") << "gemma" << "--layer-pattern expects one of mistral, gemma2, gemma3, llama4, gpt-oss, got 'gemma'";
        QTest::newRow("past the last") << "gemma3:34" << "--layer-pattern gemma3 has layers 0 to 33, got '34'";
        QTest::newRow("negative") << "gpt-oss:-1" << "--layer-pattern gpt-oss has layers 0 to 23, got '-1'";
        QTest::newRow("empty") << "llama4:" << "--layer-pattern llama4 has layers 0 to 47, got ''";
    }
    void badOptionValuesAreRefused()
    {
        QFETCH(QString, value);
        QFETCH(QString, message);
        try {
            parsed({"--layer-pattern", value.toStdString()});
            QFAIL("accepted");
        } catch (const InputError& e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void aRealModelsLayersComeFromItsConfig()
    {
        ModelConfig m;
        m.layers = 4;
        QVERIFY(modelLayerRules(m) == std::vector<LayerRule>(4));
        m.slidingWindow = 16; // Mistral: every layer
        QVERIFY(modelLayerRules(m) == std::vector<LayerRule>(4, LayerRule::sliding(16)));
        m.layerAttention = {LayerAttention::Full, LayerAttention::Sliding, LayerAttention::Full, LayerAttention::Sliding};
        const std::vector<LayerRule> rules = modelLayerRules(m);
        QCOMPARE(rules[0].kind, LayerKind::Full);
        QVERIFY(rules[1] == (LayerRule::sliding(16)));
        QCOMPARE(rules[2].kind, LayerKind::Full);
        QCOMPARE(rules[3].kind, LayerKind::Sliding);
    }
};

QTEST_APPLESS_MAIN(TestLayerPatterns)
#include "tst_layerpatterns.moc"
