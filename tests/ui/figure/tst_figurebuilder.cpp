// SPDX-License-Identifier: MIT
// The figure builder: which panels a view gets, and how each cell is classified and labelled.
#include "figure/colormap.h"
#include "figure/figurebuilder.h"
#include "figure/numberformat.h"

#include <QTest>

#include <cmath>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

ScenarioConfig config(int seqLen, bool causal, std::vector<int> validLens = {}, int heads = 4)
{
    ScenarioConfig c;
    c.seqLen = seqLen;
    c.causal = causal;
    c.validLens = std::move(validLens);
    c.heads = heads;
    c.dModel = 8 * heads;
    return c;
}

// The full trace of batch item b, as the window computes it.
BatchTrace<float> fullTrace(const Scenario& s, int b = 0)
{
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    TraceRequest r;
    r.batchItem = b;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, r, trace);
    return trace.batches.front();
}

CellState stateAt(const Heatmap& h, int i, int j)
{
    return h.states[static_cast<size_t>(i * h.cols + j)];
}

double valueAt(const Heatmap& h, int i, int j)
{
    return h.values[static_cast<size_t>(i * h.cols + j)];
}

} // namespace

class TestFigureBuilder : public QObject {
    Q_OBJECT
private slots:
    void causalMaskViewMarksEveryBlockedCell()
    {
        const Scenario s = buildScenario(config(6, true));
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::Mask, 0);
        QCOMPARE(f.panels.size(), size_t(1));
        const Heatmap& m = f.panels.front();
        QCOMPARE(m.scale, ColorScale::Mask);
        QCOMPARE(m.view, ViewKind::Mask);
        QCOMPARE(m.rows, 6);
        QCOMPARE(m.cols, 6);
        for (int i = 0; i < 6; ++i) {
            for (int j = 0; j < 6; ++j) {
                QCOMPARE(stateAt(m, i, j), j <= i ? CellState::Value : CellState::Blocked);
                QCOMPARE(valueAt(m, i, j), j <= i ? 0.0 : -INFINITY);
            }
        }
        QCOMPARE(f.fillText, QString::fromUtf8("\u2212\u221E"));
        QCOMPARE(f.title, QStringLiteral("Attention mask"));
        QVERIFY(f.subtitle.contains(QStringLiteral("causal")));
    }

    void aNeighbourhoodGridLabelsRowAndColumn()
    {
        ScenarioConfig c = config(6, false, {});
        c.rules.neighborhood = {2, 3, 1, 3};
        const Scenario s = buildScenario(c);
        const Figure f = buildFigure(s, fullTrace(s, 0), ViewKind::Mask, 0);
        const QStringList grid{"(0, 0)", "(0, 1)", "(0, 2)", "(1, 0)", "(1, 1)", "(1, 2)"};
        QCOMPARE(f.panels.front().colLabels, grid);
        QCOMPARE(f.panels.front().rowLabels, grid);
    }

    void labelsAndPaddingComeFromTheBatchItem()
    {
        ScenarioConfig c = config(5, false, {5, 3});
        c.tokens = "我 爱 北京 天安门";
        const Scenario s = buildScenario(c);
        const Figure f = buildFigure(s, fullTrace(s, 1), ViewKind::Weights, 1);
        const Heatmap& w = f.panels.front();
        QCOMPARE(w.colLabels, (QStringList{"我", "爱", "北京", "<pad>", "<pad>"}));
        QCOMPARE(w.rowLabels, w.colLabels);
        QCOMPARE(w.colPad, (std::vector<bool>{false, false, false, true, true}));
        QCOMPARE(w.rowPad, w.colPad);
        QVERIFY(f.subtitle.contains(QStringLiteral("valid length 3 of 5")));
        QVERIFY(f.subtitle.contains(QStringLiteral("batch item 1 of 2")));
        // Padded keys get no weight: blocked, never a small number.
        for (int i = 0; i < 5; ++i)
            for (int j = 3; j < 5; ++j)
                QCOMPARE(stateAt(w, i, j), CellState::Blocked);
    }

    void weightsAreSequentialOnZeroToOne()
    {
        const Scenario s = buildScenario(config(6, true));
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::Weights, 2);
        const Heatmap& w = f.panels.front();
        QCOMPARE(w.scale, ColorScale::Sequential);
        QCOMPARE(w.lo, 0.0);
        QCOMPARE(w.hi, 1.0);
        QCOMPARE(w.head, 2);
        QCOMPARE(f.title, QString::fromUtf8("Attention weights \u2014 head 2"));
        for (int i = 0; i < 6; ++i) {
            double sum = 0;
            for (int j = 0; j < 6; ++j) {
                QCOMPARE(stateAt(w, i, j), j <= i ? CellState::Value : CellState::Blocked);
                sum += valueAt(w, i, j);
            }
            QVERIFY(std::fabs(sum - 1.0) < 1e-5);
        }
    }

    void fullyBlockedRowIsNaNUnderNegInf()
    {
        // Left padding + causal: query 0 may only see key 0, which is padding.
        ScenarioConfig c = config(6, true, {3});
        c.padSide = PadSide::Left;
        const Scenario s = buildScenario(c);
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::Weights, 0);
        const Heatmap& w = f.panels.front();
        QVERIFY(w.rowFullyBlocked[0]);
        for (int j = 0; j < 6; ++j)
            QCOMPARE(stateAt(w, 0, j), CellState::NaN);
        QVERIFY(!w.rowFullyBlocked[5]);
        QCOMPARE(stateAt(w, 5, 5), CellState::Value);
    }

    void finiteFillLeaksWeightThatStaysVisible()
    {
        ScenarioConfig c = config(6, true, {3});
        c.padSide = PadSide::Left;
        c.fill = Fill::parse("-1e9");
        const Scenario s = buildScenario(c);
        const BatchTrace<float> t = fullTrace(s);
        const Figure weights = buildFigure(s, t, ViewKind::Weights, 0);
        const Heatmap& w = weights.panels.front();
        // Row 0 is fully blocked; under -1e9 it spreads its weight over the blocked keys it
        // cannot see. Those weights are not zero, so they keep their colour.
        QCOMPARE(stateAt(w, 0, 0), CellState::Value);
        QVERIFY(valueAt(w, 0, 0) > 0);
        const Figure masked = buildFigure(s, t, ViewKind::MaskedLogits, 0);
        const Heatmap& m = masked.panels.front();
        QCOMPARE(stateAt(m, 0, 1), CellState::Blocked); // -1e9 + logit: finite, still blocked
        QVERIFY(std::isfinite(valueAt(m, 0, 1)));
        QVERIFY(m.hi < 1e3); // the fill did not stretch the colour scale
        QCOMPARE(masked.fillText, QString::fromUtf8("\u22121e9"));
    }

    void logitsAreDivergingAndSymmetric()
    {
        const Scenario s = buildScenario(config(6, true));
        const BatchTrace<float> t = fullTrace(s);
        const Figure f = buildFigure(s, t, ViewKind::Logits, 1);
        const Heatmap& l = f.panels.front();
        QCOMPARE(l.scale, ColorScale::Diverging);
        double largest = 0;
        for (int i = 0; i < 6; ++i) {
            for (int j = 0; j < 6; ++j) {
                QCOMPARE(stateAt(l, i, j), CellState::Value); // logits exist before masking
                QCOMPARE(valueAt(l, i, j), double(t.heads[1].logits(i, j)));
                largest = std::max(largest, std::fabs(valueAt(l, i, j)));
            }
        }
        QCOMPARE(l.hi, largest);
        QCOMPARE(l.lo, -largest);
    }

    void maskedLogitsMarkNegInf()
    {
        const Scenario s = buildScenario(config(5, true));
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::MaskedLogits, 0);
        const Heatmap& m = f.panels.front();
        QCOMPARE(stateAt(m, 0, 1), CellState::NegInf);
        QCOMPARE(stateAt(m, 1, 0), CellState::Value);
    }

    void pipelineHasFourStepsSharingTheLogitRange()
    {
        const Scenario s = buildScenario(config(6, true, {4}));
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::Pipeline, 3);
        QCOMPARE(f.columns, 4);
        QCOMPARE(f.panels.size(), size_t(4));
        const ViewKind order[] = {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights};
        for (int k = 0; k < 4; ++k)
            QCOMPARE(f.panels[static_cast<size_t>(k)].view, order[k]);
        QCOMPARE(f.panels[1].hi, f.panels[2].hi);
        QCOMPARE(f.panels[1].lo, f.panels[2].lo);
        QCOMPARE(f.panels[3].head, 3);
        QVERIFY(f.panels[1].title.contains(QStringLiteral("logits")));
    }

    void allHeadsMakeAGridWithOneRange()
    {
        const Scenario s = buildScenario(config(6, false, {}, 8));
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::Logits, kAllHeads);
        QCOMPARE(f.panels.size(), size_t(8));
        QCOMPARE(f.columns, 3);
        for (int h = 0; h < 8; ++h) {
            QCOMPARE(f.panels[static_cast<size_t>(h)].head, h);
            QCOMPARE(f.panels[static_cast<size_t>(h)].title, QStringLiteral("head %1").arg(h));
            QCOMPARE(f.panels[static_cast<size_t>(h)].hi, f.panels.front().hi);
        }
        QVERIFY(f.title.contains(QStringLiteral("all 8 heads")));
        const Figure mask = buildFigure(s, fullTrace(s), ViewKind::Mask, kAllHeads);
        QCOMPARE(mask.panels.size(), size_t(1)); // the same for every head
    }

    void groupedKeyValueHeadsAreNamedInTheGrid()
    {
        ScenarioConfig c = config(6, false, {}, 6);
        c.kvHeads = 3;
        const Scenario s = buildScenario(c);
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::Weights, kAllHeads);
        QCOMPARE(f.panels.size(), size_t(6));
        for (int h = 0; h < 6; ++h)
            QCOMPARE(f.panels[static_cast<size_t>(h)].title,
                     QStringLiteral("head %1 (heads %2–%3 · K/V %4)").arg(h).arg(h / 2 * 2).arg(h / 2 * 2 + 1).arg(h / 2));
    }

    void meanIsTheAverageOverHeads()
    {
        const Scenario s = buildScenario(config(5, true, {}, 4));
        const BatchTrace<float> t = fullTrace(s);
        const Figure f = buildFigure(s, t, ViewKind::Weights, kMeanHead);
        QCOMPARE(f.panels.size(), size_t(1));
        QCOMPARE(f.panels.front().head, kMeanHead);
        QVERIFY(f.title.contains(QStringLiteral("mean over 4 heads")));
        for (int i = 0; i < 5; ++i) {
            for (int j = 0; j <= i; ++j) {
                double sum = 0;
                for (const auto& h : t.heads)
                    sum += h.weights(i, j);
                QVERIFY(std::fabs(valueAt(f.panels.front(), i, j) - sum / 4) < 1e-6);
            }
        }
        // The mean of logits has no engine shortcut: it is averaged from every head.
        const Figure logits = buildFigure(s, t, ViewKind::Logits, kMeanHead);
        double sum = 0;
        for (const auto& h : t.heads)
            sum += h.logits(2, 3);
        QVERIFY(std::fabs(valueAt(logits.panels.front(), 2, 3) - sum / 4) < 1e-6);
    }

    void minimalRequestsBuildTheSameFigure()
    {
        const Scenario s = buildScenario(config(6, true, {5}, 4));
        const auto& inputs = std::get<AttentionInputs<float>>(s.inputs);
        for (ViewKind v : {ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights, ViewKind::Pipeline}) {
            for (int head : {1, kAllHeads, kMeanHead}) {
                const TraceRequest r = figureTraceRequest(v, head, 0);
                QVERIFY(!r.output);
                AttentionEngine<float> engine;
                AttentionTrace<float> small;
                engine.compute(inputs, s.mask, r, small);
                const Figure a = buildFigure(s, small.batches.front(), v, head);
                const Figure b = buildFigure(s, fullTrace(s), v, head);
                QCOMPARE(a.panels.size(), b.panels.size());
                for (size_t k = 0; k < a.panels.size(); ++k) {
                    QCOMPARE(a.panels[k].states, b.panels[k].states);
                    for (size_t c = 0; c < a.panels[k].values.size(); ++c)
                        QVERIFY(std::fabs(a.panels[k].values[c] - b.panels[k].values[c]) < 1e-6 ||
                                a.panels[k].values[c] == b.panels[k].values[c]);
                }
            }
        }
        const TraceRequest one = figureTraceRequest(ViewKind::Weights, 2, 0);
        QCOMPARE(one.head, 2);
        QVERIFY(!one.logits && !one.maskedLogits && one.weights && !one.meanWeights);
        const TraceRequest mean = figureTraceRequest(ViewKind::Weights, kMeanHead, 0);
        QVERIFY(mean.meanWeights && !mean.weights);
    }

    void maskOnlyTraceMatchesTheEngine()
    {
        const Scenario s = buildScenario(config(7, true, {7, 4}));
        const BatchTrace<float> full = fullTrace(s, 1);
        const BatchTrace<float> mask = maskOnlyTrace<float>(s.mask, 1);
        QVERIFY((mask.allowed == full.allowed).all());
        QCOMPARE(mask.queryIsPad, full.queryIsPad);
        QCOMPARE(mask.keyIsPad, full.keyIsPad);
        QCOMPARE(mask.rowFullyBlocked, full.rowFullyBlocked);
        QVERIFY(mask.heads.empty());
        const Figure f = buildFigure(s, mask, ViewKind::Mask, 0);
        QCOMPARE(f.panels.front().states, buildFigure(s, full, ViewKind::Mask, 0).panels.front().states);
    }

    void missingMatricesAreAClearError()
    {
        const Scenario s = buildScenario(config(4, false));
        const BatchTrace<float> mask = maskOnlyTrace<float>(s.mask, 0);
        QVERIFY_THROWS_EXCEPTION(InputError, buildFigure(s, mask, ViewKind::Weights, 0));
        QVERIFY_THROWS_EXCEPTION(InputError, buildFigure(s, fullTrace(s), ViewKind::Weights, 7));
        BatchTrace<float> empty;
        QVERIFY_THROWS_EXCEPTION(InputError, buildFigure(s, empty, ViewKind::Mask, 0));
    }

    void doublePrecisionFromLoadedFiles()
    {
        ScenarioConfig c;
        c.loadDir = MASKSCOPE_TEST_DATA "/parity/causal_kpm_f64";
        c.heads = 4;
        const Scenario s = buildScenario(c);
        QCOMPARE(s.dtype(), DType::Float64);
        AttentionEngine<double> engine;
        AttentionTrace<double> trace;
        TraceRequest r;
        r.batchItem = 2; // valid length 2
        engine.compute(std::get<AttentionInputs<double>>(s.inputs), s.mask, r, trace);
        const Figure f = buildFigure(s, trace.batches.front(), ViewKind::Pipeline, 1, QStringLiteral("mine"));
        QCOMPARE(f.title, QStringLiteral("mine"));
        QCOMPARE(f.panels.size(), size_t(4));
        QVERIFY(f.panels.front().colPad.back());
        QCOMPARE(f.panels.front().colLabels.back(), QStringLiteral("<pad>"));
        QVERIFY(f.subtitle.contains(QStringLiteral("loaded attn_mask")));
    }

    void cellImageHasOnePixelPerCell()
    {
        const Scenario s = buildScenario(config(6, true));
        const Figure f = buildFigure(s, fullTrace(s), ViewKind::Weights, 0);
        const Heatmap& w = f.panels.front();
        QCOMPARE(w.cellImage.size(), QSize(6, 6));
        QCOMPARE(w.cellImage.pixel(1, 0), kBlockedPixel);         // blocked: transparent
        QCOMPARE(w.cellImage.pixel(0, 0), Colormap::viridis().entry(255)); // weight 1
    }

    void numbersAreShortAndUseRealSigns()
    {
        QCOMPARE(prettyNumber(0.25, 2), QStringLiteral("0.25"));
        QCOMPARE(prettyNumber(1.0, 2), QStringLiteral("1"));
        QCOMPARE(prettyNumber(0.0047, 1), QStringLiteral("0"));
        QCOMPARE(prettyNumber(-0.04, 1), QStringLiteral("0"));
        QCOMPARE(prettyNumber(-1.26, 1), QString::fromUtf8("\u22121.3"));
        QCOMPARE(prettyNumber(-1e9, 2), QString::fromUtf8("\u22121e9"));
        QCOMPARE(prettyNumber(-INFINITY, 2), QString::fromUtf8("\u2212\u221E"));
        QCOMPARE(prettyNumber(NAN, 2), QStringLiteral("NaN"));
    }
};

QTEST_GUILESS_MAIN(TestFigureBuilder)
#include "tst_figurebuilder.moc"
