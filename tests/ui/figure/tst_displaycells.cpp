// SPDX-License-Identifier: MIT
// The window's figures at display resolution: a large matrix reduced to the pixels of its panel
// must still show every NaN, hatch only what is wholly blocked, keep its largest weights, keep
// one pixel per cell when the cells fit, and leave exact values and exports untouched.
#include "figure/colormap.h"
#include "figure/displaycells.h"
#include "figure/figurebuilder.h"
#include "figure/figurerenderer.h"
#include "figure/figurerenderer_p.h"
#include "figure/screenfigure.h"
#include "document/tracejob.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

ScenarioConfig config(int seqLen, std::vector<int> validLens = {})
{
    ScenarioConfig c;
    c.seqLen = seqLen;
    c.validLens = std::move(validLens);
    c.heads = 1;
    c.dModel = 8;
    return c;
}

// Batch item 0 with every matrix of head 0.
BatchTrace<float> fullTrace(const Scenario& s)
{
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    TraceRequest r;
    r.batchItem = 0;
    r.head = 0;
    r.meanWeights = false;
    r.output = false;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, r, trace);
    return trace.batches.front();
}

// The one panel of `view`, filled for a square of `pixels` pixels.
Heatmap filledPanel(const Scenario& s, const BatchTrace<float>& trace, ViewKind view, int pixels)
{
    Figure f = buildFigureOutline(s, trace, view, 0);
    Heatmap map = f.panels.front();
    fillPanelCells(map, s, trace, QSize(pixels, pixels));
    return map;
}

// The pixel of `pixels` that cell `cell` of `cells` falls in.
int pixelOf(int cell, int cells, int pixels)
{
    const std::vector<int> bounds = pixelBounds(cells, pixels);
    int p = 0;
    while (bounds[static_cast<size_t>(p) + 1] <= cell)
        ++p;
    return p;
}

} // namespace

class TestDisplayCells : public QObject {
    Q_OBJECT
private slots:
    void everyCellBelongsToExactlyOnePixel()
    {
        for (const auto& [cells, pixels] : {std::pair{2048, 500}, {7, 7}, {1000, 3}, {513, 512}}) {
            const std::vector<int> b = pixelBounds(cells, pixels);
            QCOMPARE(b.size(), size_t(pixels) + 1);
            QCOMPARE(b.front(), 0);
            QCOMPARE(b.back(), cells);
            for (int p = 0; p < pixels; ++p) {
                const int size = b[size_t(p) + 1] - b[size_t(p)];
                QVERIFY(size == cells / pixels || size == cells / pixels + 1);
            }
        }
    }

    void theLargestKeyIsTheSummary()
    {
        // One row of logits: keys order NaN > +inf > numbers by magnitude (sign kept) > blocked.
        const std::vector<float> row{0.1f, -0.7f, 0.5f, -INFINITY, INFINITY, NAN, 0.0f};
        const std::vector<unsigned char> allowed(row.size(), 1);
        std::vector<std::uint32_t> words(row.size()), keys(row.size());
        std::memcpy(words.data(), row.data(), row.size() * sizeof(float));
        KeyScan<std::uint32_t> scan;
        rowCellKeys(words.data(), allowed.data(), long(row.size()), CellFlags{}, keys.data());
        rowCellKinds(words.data(), allowed.data(), long(row.size()), CellFlags{}, scan);
        using Key = CellKey<std::uint32_t>;
        const auto summary = [&](size_t from, size_t to) {
            return Key::decode(*std::max_element(keys.begin() + long(from), keys.begin() + long(to)));
        };
        QVERIFY(summary(0, 3) == std::pair(CellState::Value, static_cast<double>(-0.7f)));
        QCOMPARE(summary(3, 4).first, CellState::Blocked); // -inf alone: drawn as blocked
        QVERIFY(summary(2, 4) == std::pair(CellState::Value, 0.5));
        QCOMPARE(summary(0, 5).first, CellState::PosInf);
        QCOMPARE(summary(0, 7).first, CellState::NaN);
        QVERIFY(summary(6, 7) == std::pair(CellState::Value, 0.0));
        QVERIFY(scan.nan && scan.blocked && scan.nonZero);
        QCOMPARE(std::bit_cast<float>(scan.largest), 0.7f);
    }

    void nanCellOfALargeMatrixStaysVisible()
    {
        const Scenario s = buildScenario(config(2048));
        BatchTrace<float> trace = fullTrace(s);
        trace.heads.front().weights(1234, 777) = NAN;
        const Heatmap map = filledPanel(s, trace, ViewKind::Weights, 500);
        QVERIFY(map.isReduced());
        QVERIFY(map.values.empty()); // no 2048 x 2048 copy
        QCOMPARE(map.cellImage.size(), QSize(500, 500));
        QVERIFY(map.reducedKinds->nan);
        const int x = pixelOf(777, 2048, 500), y = pixelOf(1234, 2048, 500);
        QCOMPARE(map.cellImage.pixel(x, y), kNaNColor);
        QVERIFY(map.cellImage.pixel(x + 1, y) != kNaNColor);
        QVERIFY(map.cellImage.pixel(x, y - 1) != kNaNColor);
        // The legend learns of the NaN without any cell being kept.
        Figure f;
        f.panels.push_back(map);
        const auto legend = detail::legendEntriesOf(f, FigureStyle{});
        QVERIFY(std::any_of(legend.begin(), legend.end(),
                            [](const LegendEntry& e) { return e.kind == LegendEntry::Kind::NaN; }));
    }

    void onlyWhollyBlockedPixelsAreHatched()
    {
        // Keys 1500.. are padding: blocked in every row.
        const Scenario s = buildScenario(config(2048, {1500}));
        const BatchTrace<float> trace = fullTrace(s);
        const Heatmap map = filledPanel(s, trace, ViewKind::Weights, 500);
        QVERIFY(map.isReduced());
        const int lastMixed = pixelOf(1499, 2048, 500);
        for (int y = 0; y < 500; y += 37) {
            for (int x = lastMixed + 1; x < 500; ++x)
                QCOMPARE(map.cellImage.pixel(x, y), kBlockedPixel);
            // The pixel holding both key 1499 (allowed) and padded keys is not hatched.
            QVERIFY(map.cellImage.pixel(lastMixed, y) != kBlockedPixel);
        }
    }

    void aOneCellWideDiagonalIsNeverHatchedAway()
    {
        ScenarioConfig c = config(2048);
        c.rules.windowLeft = 0;
        c.rules.windowRight = 0; // each query sees only its own key
        const Scenario s = buildScenario(c);
        const Heatmap map = filledPanel(s, fullTrace(s), ViewKind::Mask, 500);
        QVERIFY(map.isReduced());
        for (int i = 0; i < 2048; i += 97)
            QCOMPARE(map.cellImage.pixel(pixelOf(i, 2048, 500), pixelOf(i, 2048, 500)), kAllowedColor);
        QCOMPARE(map.cellImage.pixel(400, 10), kBlockedPixel);
    }

    void aStrongWeightIsNotDilutedByItsNeighbours()
    {
        const Scenario s = buildScenario(config(2048));
        BatchTrace<float> trace = fullTrace(s);
        Matrix<float>& w = trace.heads.front().weights;
        w.setConstant(0.0f);
        w(100, 200) = 0.9f; // one key takes most of the row
        const Heatmap map = filledPanel(s, trace, ViewKind::Weights, 500);
        QCOMPARE(map.cellImage.pixel(pixelOf(200, 2048, 500), pixelOf(100, 2048, 500)),
                 Colormap::viridis().at(static_cast<double>(0.9f)));
    }

    void cellsThatFitKeepOnePixelEach()
    {
        // 100 x 100 = 10 000 cells: outlined, but 300 pixels hold them all.
        const Scenario s = buildScenario(config(100, {70}));
        const BatchTrace<float> trace = fullTrace(s);
        const Figure full = buildFigure(s, trace, ViewKind::Weights, 0);
        Figure outline = buildFigureOutline(s, trace, ViewKind::Weights, 0);
        QVERIFY(outline.panels.front().isReduced());
        fillPanelCells(outline.panels.front(), s, trace, QSize(300, 300));
        const Heatmap& map = outline.panels.front();
        QVERIFY(!map.isReduced());
        QCOMPARE(map.cellImage.size(), QSize(100, 100));
        QCOMPARE(map.cellImage, full.panels.front().cellImage);
        QVERIFY(map.states == full.panels.front().states);
        QVERIFY(map.values == full.panels.front().values);
    }

    void outlineKnowsWhatTheFullFigureHas()
    {
        ScenarioConfig c = config(200, {150});
        c.causal = true;
        c.padSide = PadSide::Left; // rows 0..49 see no key: NaN
        const Scenario s = buildScenario(c);
        const BatchTrace<float> trace = fullTrace(s);
        const Figure full = buildFigure(s, trace, ViewKind::Pipeline, 0);
        const Figure outline = buildFigureOutline(s, trace, ViewKind::Pipeline, 0);
        QCOMPARE(outline.panels.size(), full.panels.size());
        for (size_t k = 0; k < full.panels.size(); ++k) {
            const Heatmap& o = outline.panels[k];
            QVERIFY(o.isReduced());
            const CellKinds kinds = detail::cellKindsOf(full.panels[k]);
            QCOMPARE(o.reducedKinds->blocked, kinds.blocked);
            QCOMPARE(o.reducedKinds->nan, kinds.nan);
            QCOMPARE(o.reducedKinds->maskAddsNonZero, kinds.maskAddsNonZero);
            QCOMPARE(o.lo, full.panels[k].lo); // the shared logit range
            QCOMPARE(o.hi, full.panels[k].hi);
        }
        QVERIFY(outline.panels.back().reducedKinds->nan);
    }

    void outlineScanAgreesWithTheCellRulesOnEveryKindOfNumber()
    {
        // The outline's scan restates the cell rules on the numbers' bits: feed it every case.
        const Scenario s = buildScenario(config(80, {60}));
        BatchTrace<float> trace = fullTrace(s);
        HeadTrace<float>& h = trace.heads.front();
        for (Matrix<float>* m : {&h.logits, &h.maskedLogits, &h.weights}) {
            (*m)(3, 70) = 0.0f;        // blocked key, zero
            (*m)(4, 70) = -1e9f;       // blocked key, finite fill
            (*m)(5, 10) = -INFINITY;
            (*m)(6, 11) = NAN;
            (*m)(7, 12) = -37.5f;      // the largest magnitude
        }
        for (ViewKind v : {ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights, ViewKind::Mask}) {
            const Heatmap full = buildFigure(s, trace, v, 0).panels.front();
            const Heatmap outline = buildFigureOutline(s, trace, v, 0).panels.front();
            QVERIFY(outline.isReduced());
            const CellKinds kinds = detail::cellKindsOf(full);
            QCOMPARE(outline.reducedKinds->blocked, kinds.blocked);
            QCOMPARE(outline.reducedKinds->nan, kinds.nan);
            QCOMPARE(outline.reducedKinds->maskAddsNonZero, kinds.maskAddsNonZero);
            QCOMPARE(outline.lo, full.lo);
            QCOMPARE(outline.hi, full.hi);
        }
        h.logits(8, 8) = INFINITY; // +inf is off the scale: not the range
        const Heatmap full = buildFigure(s, trace, ViewKind::Logits, 0).panels.front();
        QCOMPARE(buildFigureOutline(s, trace, ViewKind::Logits, 0).panels.front().hi, full.hi);
        QCOMPARE(full.hi, 1e9); // the finite -1e9 logit is a number there
    }

    void readOutsAreExactAndFromTheTrace()
    {
        const Scenario s = buildScenario(config(2048));
        const BatchTrace<float> trace = fullTrace(s);
        const Heatmap map = filledPanel(s, trace, ViewKind::Logits, 400);
        QVERIFY(map.isReduced());
        const auto [state, value] = panelCell(map, s, trace, 1000, 33);
        QCOMPARE(state, CellState::Value);
        QCOMPARE(value, static_cast<double>(trace.heads.front().logits(1000, 33)));
    }

    void theWindowReducesToTheRenderedPixelsAndExportsKeepEveryCell()
    {
        TraceJob job;
        job.id = 1;
        job.config = config(1024);
        job.config.causal = true;
        job.outlines = true;
        const TraceResultPtr r = computeTrace(job);
        QVERIFY2(r->ok(), qPrintable(r->error));
        QVERIFY(r->figure.panels.front().isReduced());
        QVERIFY(r->figure.panels.front().cellImage.isNull()); // an outline: no pixels in the job

        const ScreenFigure shown = renderForScreen(std::shared_ptr<const Figure>(r, &r->figure), r->scenario.get(),
                                                   r->trace, {QSize(700, 600), 1.0, FigureStyle{}});
        QVERIFY(shown.figure);
        QVERIFY(r->figure.panels.front().cellImage.isNull()); // the result is left as it was
        const Heatmap& map = shown.figure->panels.front();
        QVERIFY(map.isReduced());
        const QRect pixels = devicePixelRect(shown.layout.panels.front().matrix, QTransform());
        QCOMPARE(map.cellImage.size(), pixels.size());
        // The rendered image shows the reduced cells one to one (inside the frame).
        // Points below the causal diagonal: allowed cells, not hatching.
        const int w = pixels.width(), h = pixels.height();
        for (const QPoint at : {QPoint(3, h - 4), QPoint(w / 3, h - 4), QPoint(3, h / 2), QPoint(w / 2, h / 2 + 9)}) {
            QVERIFY(qAlpha(map.cellImage.pixel(at)) == 255);
            QCOMPARE(shown.image.pixel(pixels.topLeft() + at), map.cellImage.pixel(at));
        }

        const Figure full = exportableFigure(*r);
        QVERIFY(!hasReducedPanels(full));
        QCOMPARE(full.panels.front().values.size(), size_t(1024) * 1024);
        QCOMPARE(full.panels.front().cellImage.size(), QSize(1024, 1024));
        QCOMPARE(full.title, r->figure.title);
    }

    // Every head of a grid is filled, on one core too: a grid of 8 heads at L = 256 has fewer
    // cells than the work worth a second core, and once showed head 0 alone.
    void everyPanelOfAGridIsFilled_data()
    {
        QTest::addColumn<int>("seqLen");
        QTest::addColumn<int>("heads");
        QTest::addRow("8 heads at L = 256 (one core)") << 256 << 8;
        QTest::addRow("4 heads at L = 1024 (every core)") << 1024 << 4;
    }

    void everyPanelOfAGridIsFilled()
    {
        QFETCH(int, seqLen);
        QFETCH(int, heads);
        TraceJob job;
        job.id = 1;
        job.config = config(seqLen);
        job.config.heads = heads;
        job.config.causal = true;
        job.view.layout = Layout::AllHeads;
        job.outlines = true;
        const TraceResultPtr r = computeTrace(job);
        QVERIFY2(r->ok(), qPrintable(r->error));
        QCOMPARE(int(r->figure.panels.size()), heads);
        const ScreenFigure shown = renderForScreen(std::shared_ptr<const Figure>(r, &r->figure), r->scenario.get(),
                                                   r->trace, {QSize(700, 600), 1.0, FigureStyle{}});
        QVERIFY(shown.figure);
        for (size_t k = 0; k < shown.figure->panels.size(); ++k) {
            const Heatmap& map = shown.figure->panels[k];
            QVERIFY(map.isReduced());
            const QRect pixels = devicePixelRect(shown.layout.panels[k].matrix, QTransform());
            QCOMPARE(map.cellImage.size(), pixels.size());
            // The bottom-left cell is allowed (causal): drawn in its colour, not left blank.
            const QPoint at = pixels.topLeft() + QPoint(1, pixels.height() - 2);
            QCOMPARE(shown.image.pixel(at), map.cellImage.pixel(QPoint(1, pixels.height() - 2)));
        }
    }

    void aNewSizeIsReducedAgainFromTheSameResult()
    {
        TraceJob job;
        job.id = 1;
        job.config = config(1024);
        job.outlines = true;
        const TraceResultPtr r = computeTrace(job);
        QVERIFY2(r->ok(), qPrintable(r->error));
        const auto figure = std::shared_ptr<const Figure>(r, &r->figure);
        const ScreenFigure large = renderForScreen(figure, r->scenario.get(), r->trace, {QSize(700, 600), 1.0, {}});
        const ScreenFigure small = renderForScreen(figure, r->scenario.get(), r->trace, {QSize(350, 300), 1.0, {}});
        const ScreenFigure sharp = renderForScreen(figure, r->scenario.get(), r->trace, {QSize(350, 300), 2.0, {}});
        const QSize largePixels = large.figure->panels.front().cellImage.size();
        const QSize smallPixels = small.figure->panels.front().cellImage.size();
        QVERIFY(smallPixels.width() < largePixels.width());
        QCOMPARE(smallPixels, devicePixelRect(small.layout.panels.front().matrix, QTransform()).size());
        QCOMPARE(sharp.image.size(), QSize(700, 600));
        QCOMPARE(sharp.figure->panels.front().cellImage.size(),
                 devicePixelRect(sharp.layout.panels.front().matrix, QTransform::fromScale(2, 2)).size());
    }

    void aStaleRenderStopsEarly()
    {
        TraceJob job;
        job.id = 1;
        job.config = config(256);
        job.outlines = true;
        const TraceResultPtr r = computeTrace(job);
        const ScreenFigure given = renderForScreen(std::shared_ptr<const Figure>(r, &r->figure), r->scenario.get(),
                                                   r->trace, {QSize(300, 300), 1.0, {}}, [] { return true; });
        QVERIFY(!given.figure);
        QVERIFY(given.image.isNull());
    }
};

QTEST_MAIN(TestDisplayCells)
#include "tst_displaycells.moc"
