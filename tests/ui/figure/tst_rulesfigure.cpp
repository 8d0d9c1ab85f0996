// SPDX-License-Identifier: MIT
// Mask figures drawn from the rules: any length in every format without an L x L matrix, pixels
// that agree with the rules' definition (tests/support/maskreference.h), an honest reduction in
// which a lone cell survives, and regions equal to the matching cells of the full figure.
#include "figure/colormap.h"
#include "figure/displaycells.h"
#include "figure/figurebuilder.h"
#include "figure/figureexport.h"
#include "figure/figurerenderer.h"
#include "figure/pngencoder.h"
#include "figure/rulesfigure.h"

#include "maskreference.h"

#include <QGuiApplication>
#include <QPainter>
#include <QSvgRenderer>
#include <QTest>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <atomic>
#include <memory>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

// The mask of `config` alone (no inputs), as the long-context paths build it.
Scenario maskScenario(const ScenarioConfig& config)
{
    Scenario s;
    s.config = config;
    s.mask = buildMaskSpec(config);
    std::get<AttentionInputs<float>>(s.inputs).heads = 1;
    return s;
}

// A streaming mask at L = 131072: a 4096-key window, 4 sinks, one toggled cell.
ScenarioConfig longConfig()
{
    ScenarioConfig c;
    c.seqLen = 131072;
    c.causal = true;
    c.rules.windowLeft = 4096;
    c.rules.windowRight = 0;
    c.rules.sink = 4;
    return c;
}

// A hand-made spec with position labels, for the comparisons with the matrix figure.
Scenario scenarioOf(const MaskSpec& mask)
{
    Scenario s;
    s.mask = mask;
    std::get<AttentionInputs<float>>(s.inputs).heads = 1;
    for (int b = 0; b < mask.batch; ++b) {
        std::vector<std::string> q, k;
        for (int i = 0; i < mask.queryLen; ++i)
            q.push_back(std::string("q").append(std::to_string(i)));
        for (int j = 0; j < mask.keyLen; ++j)
            k.push_back(std::string("k").append(std::to_string(j)));
        s.tokensQ.push_back(q);
        s.tokensK.push_back(k);
    }
    return s;
}

// The allowed cells of rows [r0, r1) x keys [c0, c1) by the definition, cell by cell.
long long referenceCount(const MaskSpec& mask, int b, int r0, int r1, int c0, int c1)
{
    long long n = 0;
    for (int i = r0; i < r1; ++i)
        for (int j = c0; j < c1; ++j)
            n += testing::definitionAllows(mask, b, i, j);
    return n;
}

bool isBlockedGrey(QRgb pixel, const Palette& pal)
{
    return qRgb(qRed(pixel), qGreen(pixel), qBlue(pixel)) == pal.blockedFill.rgb() ||
           qRgb(qRed(pixel), qGreen(pixel), qBlue(pixel)) == pal.blockedHatch.rgb();
}

} // namespace

// Counts the cell images asked of a panel's source.
class CountingSource : public CellSource {
public:
    explicit CountingSource(std::shared_ptr<const CellSource> inner) : inner_(std::move(inner)) {}
    QImage cellImage(QSize pixels) const override
    {
        ++calls;
        return inner_->cellImage(pixels);
    }
    mutable std::atomic<int> calls = 0;

private:
    std::shared_ptr<const CellSource> inner_;
};

class TestRulesFigure : public QObject {
    Q_OBJECT
private slots:
    void aLongMaskIsARasterPanelWithoutCells()
    {
        const Scenario s = maskScenario(longConfig());
        const Figure f = buildRulesMaskFigure(s, 0, wholeMatrix(s.mask));
        QCOMPARE(f.panels.size(), size_t(1));
        const Heatmap& map = f.panels.front();
        QCOMPARE(map.rows, 131072);
        QCOMPARE(map.cols, 131072);
        QVERIFY(map.source != nullptr);
        QVERIFY(map.values.empty() && map.states.empty());
        QVERIFY(map.reducedKinds && map.reducedKinds->blocked);
        QVERIFY(f.subtitle.contains(QStringLiteral("L = 131072")));
        QVERIFY(!f.blocks.isEmpty()); // the overlay's figures, for the legend
    }

    // A PNG export paints its figure once per band of rows: the cells are drawn from the rules
    // once, not once per band.
    void bandsOfOneExportDrawTheCellsOnce()
    {
        const Scenario s = maskScenario(longConfig());
        Figure f = buildRulesMaskFigure(s, 0, wholeMatrix(s.mask));
        auto counting = std::make_shared<CountingSource>(f.panels.front().source);
        f.panels.front().source = counting;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("long.png"));
        const ExportResult r = exportFigure(f, {}, path);
        QVERIFY2(r.ok(), qPrintable(r.error));
        const QImage png(path);
        QVERIFY(png.height() > 2 * pngBandRows(png.width())); // several bands
        QCOMPARE(counting->calls.load(), 1);
        // Outside an export each paint draws them anew; a scope keeps them for its paints.
        const FigureLayout layout = FigureRenderer::layout(f, QSizeF(400, 300), {});
        QImage image(400, 300, QImage::Format_RGB32);
        const auto paintTwice = [&] {
            for (int k = 0; k < 2; ++k) {
                QPainter p(&image);
                FigureRenderer::paint(p, QPointF(0, 0), layout, f, {});
            }
        };
        paintTwice();
        QCOMPARE(counting->calls.load(), 3);
        {
            const RepeatedPaintScope scope;
            paintTwice();
        }
        QCOMPARE(counting->calls.load(), 4);
    }

    void exportsAt131072InEveryFormat()
    {
        const Scenario s = maskScenario(longConfig());
        const Figure f = buildRulesMaskFigure(s, 0, wholeMatrix(s.mask));
        FigureStyle style;
        style.blockOverlay = true;
        const ExportGeometry g = exportGeometry(f, style, {}, ExportFormat::Png);
        QVERIFY2(exportSizeError(f, style, {}, ExportFormat::Png).isEmpty(),
                 qPrintable(exportSizeError(f, style, {}, ExportFormat::Png)));
        QVERIFY(g.output.width() < 2000); // the preferred size of a slide, not one pixel per cell
        const QImage png = QImage::fromData(encodePng(renderFigureImage(f, style, {})), "PNG");
        QCOMPARE(png.size(), g.output);

        const QByteArray svg = renderFigureSvg(f, style, {});
        QXmlStreamReader xml(svg);
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(QSvgRenderer(svg).isValid());
        QVERIFY(svg.size() < 8'000'000);

        const QByteArray pdf = renderFigurePdf(f, style, {});
        QVERIFY(pdf.startsWith("%PDF"));
        QVERIFY(pdf.contains("/Type /Page") || pdf.contains("/Type/Page"));
    }

    // Sampled pixels of the exported PNG against the rules' definition: allowed pixels in the
    // allowed colour, fully blocked ones grey or hatched, the others the blend of their count.
    void renderedPixelsAgreeWithTheDefinition()
    {
        const Scenario s = maskScenario(longConfig());
        const Figure f = buildRulesMaskFigure(s, 0, wholeMatrix(s.mask));
        FigureStyle style;
        ExportOptions options;
        options.width = 1100;
        options.height = 1100;
        const QImage image = renderFigureImage(f, style, options);
        QVERIFY(!image.isNull());
        const ExportGeometry g = exportGeometry(f, style, options, ExportFormat::Png);
        const FigureLayout layout = FigureRenderer::layout(f, g.logical, style);
        const QRect device = devicePixelRect(layout.panels.front().matrix, QTransform::fromScale(g.scale, g.scale));
        QVERIFY(device.width() > 100);
        const std::vector<int> cols = pixelBounds(131072, device.width());
        const std::vector<int> rows = pixelBounds(131072, device.height());
        const Palette pal = paletteFor(style.theme);
        Random rng(7);
        int mixed = 0, allowed = 0, blocked = 0;
        for (int sample = 0; sample < 60; ++sample) {
            // Half of the samples near the diagonal band, where all three kinds of pixel are.
            const int y = testing::pick(rng, 0, device.height() - 1);
            const int x = sample % 2 ? testing::pick(rng, 0, device.width() - 1)
                                     : std::clamp(y - testing::pick(rng, 0, 6), 0, device.width() - 1);
            const long long cells = static_cast<long long>(rows[y + 1] - rows[y]) * (cols[x + 1] - cols[x]);
            const long long n = referenceCount(s.mask, 0, rows[y], rows[y + 1], cols[x], cols[x + 1]);
            const QRgb seen = image.pixel(device.left() + x, device.top() + y);
            if (n == 0) {
                ++blocked;
                QVERIFY2(isBlockedGrey(seen, pal), qPrintable(QString::number(seen, 16)));
            } else if (n == cells) {
                ++allowed;
                QCOMPARE(seen, kAllowedColor);
            } else {
                ++mixed;
                QCOMPARE(seen, overBlockedFill(maskCoveragePixel(n, cells), pal.blockedFill.rgb()));
            }
        }
        QVERIFY(mixed > 0 && blocked > 0);
    }

    // A region's cells reduced to random sizes (as an export smaller than them draws them) count
    // the allowed cells of the definition under each pixel.
    void reducedRegionsCountTheDefinition()
    {
        Random rng(11);
        for (int round = 0; round < 40; ++round) {
            testing::RandomMaskOptions o;
            o.maxLen = 160;
            MaskSpec mask = testing::randomMaskSpec(rng, o);
            const Scenario s = scenarioOf(mask);
            const int b = testing::pick(rng, 0, mask.batch - 1);
            const int r0 = testing::pick(rng, 0, mask.queryLen - 1), r1 = testing::pick(rng, r0 + 1, mask.queryLen);
            const int c0 = testing::pick(rng, 0, mask.keyLen - 1), c1 = testing::pick(rng, c0 + 1, mask.keyLen);
            const Figure f = buildRulesMaskFigure(s, b, {{r0, r1}, {c0, c1}});
            const Heatmap& map = f.panels.front();
            QCOMPARE(map.rows, r1 - r0);
            QCOMPARE(map.cols, c1 - c0);
            const QSize pixels(testing::pick(rng, 1, map.cols), testing::pick(rng, 1, map.rows));
            const QImage cells = reducedCellImage(map, pixels);
            QCOMPARE(cells.size(), pixels);
            const std::vector<int> xs = pixelBounds(map.cols, pixels.width());
            const std::vector<int> ys = pixelBounds(map.rows, pixels.height());
            for (int y = 0; y < pixels.height(); ++y)
                for (int x = 0; x < pixels.width(); ++x) {
                    const long long n = referenceCount(mask, b, r0 + ys[y], r0 + ys[y + 1], c0 + xs[x], c0 + xs[x + 1]);
                    const long long area = static_cast<long long>(ys[y + 1] - ys[y]) * (xs[x + 1] - xs[x]);
                    QCOMPARE(cells.pixel(x, y), maskCoveragePixel(n, area));
                }
        }
    }

    void rasterSourceAgreesWithTheDefinition()
    {
        ScenarioConfig c;
        c.seqLen = 5000;
        c.queryLen = 3000;
        c.causal = true;
        c.rules.causalAlign = CausalAlign::BottomRight;
        c.rules.windowLeft = 700;
        c.rules.windowRight = 0;
        c.rules.chunk = 1500;
        c.rules.globalTokens = 3;
        c.rules.toggled.toggle(2000, 100); // a lone allowed cell in a blocked area
        const Scenario s = maskScenario(c);
        const CellRegion region{{1000, 3000}, {0, 4100}};
        const Figure f = buildRulesMaskFigure(s, 0, region);
        const Heatmap& map = f.panels.front();
        QVERIFY(map.source != nullptr);
        QCOMPARE(map.firstRow, 1000);
        QCOMPARE(map.fullCols, 5000);
        const QSize pixels(205, 100); // 20 x 20 cells per pixel
        const QImage cells = map.source->cellImage(pixels);
        QCOMPARE(cells.size(), pixels);
        for (int y = 0; y < pixels.height(); y += 3)
            for (int x = 0; x < pixels.width(); x += 2) {
                const long long n = referenceCount(s.mask, 0, 1000 + 20 * y, 1000 + 20 * y + 20, 20 * x, 20 * x + 20);
                QCOMPARE(cells.pixel(x, y), maskCoveragePixel(n, 400));
            }
        // The toggled cell's pixel is not blocked, though 399 of its 400 cells are.
        QVERIFY(qAlpha(cells.pixel(100 / 20, (2000 - 1000) / 20)) >= kMixedMaskMinAlpha);
    }

    // The exported PNG of a matrix figure smaller than its cells: a lone NaN and a lone blocked
    // cell survive (nearest-neighbour sampling drops them).
    void aLoneCellSurvivesDownsampling()
    {
        Heatmap weights;
        weights.rows = weights.cols = 900;
        weights.scale = ColorScale::Sequential;
        weights.values.assign(900 * 900, 0.25);
        weights.states.assign(900 * 900, CellState::Value);
        weights.states[517 * 900 + 333] = CellState::NaN;
        Heatmap mask = weights;
        mask.scale = ColorScale::Mask;
        mask.view = ViewKind::Mask;
        mask.states.assign(900 * 900, CellState::Value);
        mask.states[101 * 900 + 702] = CellState::Blocked;
        for (const Heatmap& map : {weights, mask}) {
            Figure f;
            f.panels.push_back(map);
            FigureStyle style;
            style.vectorCellLimit = 16;
            ExportOptions options;
            options.width = 400;
            options.height = 400;
            const QImage image = renderFigureImage(f, style, options);
            QVERIFY(!image.isNull());
            const ExportGeometry g = exportGeometry(f, style, options, ExportFormat::Png);
            const QRect device = devicePixelRect(FigureRenderer::layout(f, g.logical, style).panels.front().matrix,
                                                 QTransform::fromScale(g.scale, g.scale));
            QVERIFY(device.width() < 900);
            int odd = 0;
            const QRect inside = device.adjusted(2, 2, -2, -2); // the frame is stroked over the edge
            for (int y = inside.top(); y <= inside.bottom(); ++y)
                for (int x = inside.left(); x <= inside.right(); ++x)
                    odd += map.scale == ColorScale::Mask ? image.pixel(x, y) != kAllowedColor
                                                         : image.pixel(x, y) == kNaNColor;
            QCOMPARE(odd, 1); // exactly the pixel of the lone cell
        }
    }

    void regionCellsEqualTheFullFigures()
    {
        Random rng(5);
        for (int round = 0; round < 60; ++round) {
            testing::RandomMaskOptions o;
            o.maxLen = 40;
            const MaskSpec mask = testing::randomMaskSpec(rng, o);
            const Scenario s = scenarioOf(mask);
            const int b = testing::pick(rng, 0, mask.batch - 1);
            const Figure full = buildFigure(s, maskOnlyTrace<float>(mask, b), ViewKind::Mask, 0);
            const int r0 = testing::pick(rng, 0, mask.queryLen - 1), r1 = testing::pick(rng, r0 + 1, mask.queryLen);
            const int c0 = testing::pick(rng, 0, mask.keyLen - 1), c1 = testing::pick(rng, c0 + 1, mask.keyLen);
            const Figure part = buildRulesMaskFigure(s, b, {{r0, r1}, {c0, c1}});
            const Heatmap& whole = full.panels.front();
            const Heatmap& map = part.panels.front();
            QCOMPARE(map.firstRow, r0);
            QCOMPARE(map.firstCol, c0);
            for (int i = r0; i < r1; ++i) {
                QCOMPARE(map.rowLabels.at(i - r0), whole.rowLabels.at(i));
                QCOMPARE(map.rowFullyBlocked[i - r0], whole.rowFullyBlocked[i]);
                if (!whole.rowPad.empty())
                    QCOMPARE(map.rowPad[i - r0], whole.rowPad[i]);
                for (int j = c0; j < c1; ++j) {
                    const size_t k = size_t(i) * whole.cols + j, kk = size_t(i - r0) * map.cols + (j - c0);
                    QCOMPARE(map.states[kk], whole.states[k]);
                    QCOMPARE(std::bit_cast<std::uint64_t>(map.values[kk]), std::bit_cast<std::uint64_t>(whole.values[k]));
                }
            }
            for (int j = c0; j < c1; ++j)
                QCOMPARE(map.colLabels.at(j - c0), whole.colLabels.at(j));
            if (r0 == 0 && c0 == 0 && r1 == mask.queryLen && c1 == mask.keyLen)
                QCOMPARE(part.subtitle, full.subtitle);
            else
                QVERIFY(part.subtitle.startsWith(full.subtitle));
        }
    }

    void regionsAreParsedAndChecked_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("cells") << "0:8,16:24" << true;
        QTest::newRow("one cell") << "5:6,7:8" << true;
        QTest::newRow("empty rows") << "5:5,0:4" << false;
        QTest::newRow("reversed") << "6:5,0:4" << false;
        QTest::newRow("beyond") << "0:101,0:4" << false;
        QTest::newRow("negative") << "-1:4,0:4" << false;
        QTest::newRow("one range") << "0:4" << false;
        QTest::newRow("no colon") << "0,4" << false;
        QTest::newRow("words") << "a:b,c:d" << false;
        QTest::newRow("three") << "0:4,0:4,0:4" << false;
        QTest::newRow("empty") << "" << false;
    }

    void regionsAreParsedAndChecked()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        bool ok = true;
        QString message;
        try {
            checkRegion(parseCellRegion(text.toStdString()), 100, 50);
        } catch (const InputError& e) {
            ok = false;
            message = QString::fromStdString(e.what());
        }
        QCOMPARE(ok, valid);
        if (!valid) {
            QVERIFY(message.contains(QStringLiteral("--region")));
            QVERIFY(!message.contains(QLatin1Char('\n')));
        }
    }

    // What `export` draws long masks from names what the full scenario names.
    void theMaskOnlyScenarioIsTheFullOnesMask()
    {
        ScenarioConfig c;
        c.seqLen = 40;
        c.queryLen = 24;
        c.heads = 4;
        c.kvHeads = 2;
        c.dModel = 32;
        c.validLens = {30, 40};
        c.causal = true;
        c.rules.windowLeft = 5;
        c.tokens = "a b c";
        const Scenario full = buildScenario(c);
        const Scenario alone = buildMaskOnlyScenario(c);
        QCOMPARE(alone.tokensQ, full.tokensQ);
        QCOMPARE(alone.tokensK, full.tokensK);
        QCOMPARE(alone.heads(), full.heads());
        QCOMPARE(alone.embedDim(), full.embedDim());
        QCOMPARE(alone.kvHeads, full.kvHeads);
        const CellRegion region{{3, 20}, {10, 40}};
        const Figure a = buildRulesMaskFigure(alone, 1, region), f = buildRulesMaskFigure(full, 1, region);
        QCOMPARE(a.subtitle, f.subtitle);
        QCOMPARE(a.panels.front().states, f.panels.front().states);
        QCOMPARE(a.panels.front().colLabels, f.panels.front().colLabels);
    }

    void aWholeShortMaskIsNotDrawnFromRules()
    {
        ScenarioConfig c;
        c.seqLen = 4096;
        QVERIFY(!maskFigureNeedsRules(maskScenario(c)));
        c.seqLen = 4097;
        QVERIFY(maskFigureNeedsRules(maskScenario(c)));
    }
};

QTEST_MAIN(TestRulesFigure)
#include "tst_rulesfigure.moc"
