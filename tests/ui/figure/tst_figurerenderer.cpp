// SPDX-License-Identifier: MIT
// The figure renderer: layout, hit-testing, colours of cells as painted, and how large
// matrices are drawn.
#include "figure/colormap.h"
#include "figure/figurebuilder.h"
#include "figure/figurerenderer.h"

#include <QBuffer>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QTest>

#include <cmath>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

Scenario scenario(int seqLen, bool causal, int heads = 4, std::vector<int> validLens = {},
                  PadSide side = PadSide::Right)
{
    ScenarioConfig c;
    c.seqLen = seqLen;
    c.causal = causal;
    c.heads = heads;
    c.dModel = 8 * heads;
    c.validLens = std::move(validLens);
    c.padSide = side;
    return buildScenario(c);
}

Figure figure(const Scenario& s, ViewKind view, int head = 0)
{
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    TraceRequest r;
    r.batchItem = 0;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, r, trace);
    return buildFigure(s, trace.batches.front(), view, head);
}

struct Rendered {
    QImage image;
    FigureLayout layout;
    RenderStats stats;
};

// Paints at one device pixel per logical pixel, at the preferred size unless given.
Rendered render(const Figure& f, const FigureStyle& style = {}, QSize size = {})
{
    if (size.isEmpty())
        size = FigureRenderer::preferredSize(f, style).toSize();
    Rendered r;
    r.image = QImage(size, QImage::Format_RGB32);
    r.layout = FigureRenderer::layout(f, size, style);
    QPainter p(&r.image);
    r.stats = FigureRenderer::paint(p, QPointF(0, 0), r.layout, f, style);
    return r;
}

RenderStats paintOnSvg(const Figure& f, const FigureStyle& style = {})
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    const QSizeF size = FigureRenderer::preferredSize(f, style);
    svg.setSize(size.toSize());
    QPainter p(&svg);
    return FigureRenderer::paint(p, QRectF(QPointF(0, 0), size), f, style);
}

// The pixels well inside a cell (away from gaps and anti-aliased edges).
std::vector<QRgb> innerPixels(const Rendered& r, int panel, int row, int col)
{
    const QRectF cell = r.layout.panels[static_cast<size_t>(panel)].cellRect(row, col).adjusted(3, 3, -3, -3);
    std::vector<QRgb> px;
    for (int y = static_cast<int>(std::ceil(cell.top())); y < cell.bottom(); ++y)
        for (int x = static_cast<int>(std::ceil(cell.left())); x < cell.right(); ++x)
            px.push_back(r.image.pixel(x, y) | 0xff000000);
    return px;
}

QRgb centrePixel(const Rendered& r, int panel, int row, int col)
{
    const QPointF c = r.layout.panels[static_cast<size_t>(panel)].cellRect(row, col).center();
    return r.image.pixel(c.toPoint()) | 0xff000000;
}

bool isGrey(QRgb c)
{
    return std::abs(qRed(c) - qGreen(c)) <= 2 && std::abs(qGreen(c) - qBlue(c)) <= 2;
}

// A blocked cell: only greys, mostly the blocked fill, with darker hatching lines.
bool looksBlocked(const std::vector<QRgb>& px, const Palette& pal)
{
    int fill = 0, darker = 0;
    for (QRgb c : px) {
        if (!isGrey(c))
            return false;
        fill += c == pal.blockedFill.rgb();
        darker += qRed(c) < pal.blockedFill.red() - 20;
    }
    return fill > static_cast<int>(px.size()) / 2 && darker > 0;
}

bool allEqual(const std::vector<QRgb>& px, QRgb color)
{
    return !px.empty() && std::all_of(px.begin(), px.end(), [&](QRgb c) { return c == color; });
}

} // namespace

class TestFigureRenderer : public QObject {
    Q_OBJECT
private slots:
    void colormapsAreTheRealTables()
    {
        const Colormap& v = Colormap::viridis();
        QCOMPARE(v.entry(0), QRgb(0xff440154));
        QCOMPARE(v.entry(255), QRgb(0xfffde725));
        QCOMPARE(v.at(0.5), v.entry(128));
        QCOMPARE(v.at(-1), v.entry(0));
        QCOMPARE(v.at(NAN), v.entry(0));
        const Colormap& d = Colormap::diverging();
        const QRgb mid = d.at(0.5);
        QVERIFY(qRed(mid) > 240 && qGreen(mid) > 240 && qBlue(mid) > 240);
        QVERIFY(qBlue(d.at(0)) > qRed(d.at(0)));
        QVERIFY(qRed(d.at(1)) > qBlue(d.at(1)));
        // Viridis brightens monotonically: that is what makes it readable in grey print.
        for (int k = 1; k < 256; ++k)
            QVERIFY(qGray(v.entry(k)) >= qGray(v.entry(k - 1)) - 1);
        QCOMPARE(v.ramp(Qt::Vertical).pixel(0, 0), v.entry(255)); // high values on top
    }

    void textContrastFollowsTheCell()
    {
        QVERIFY(prefersLightText(Colormap::viridis().entry(0)));
        QVERIFY(!prefersLightText(Colormap::viridis().entry(255)));
        QVERIFY(!prefersLightText(0xffffffff));
    }

    void causalMaskCellsCarryTheirStyle()
    {
        const Figure f = figure(scenario(8, true), ViewKind::Mask);
        const Rendered r = render(f);
        const Palette pal = paletteFor(Theme::Light);
        QCOMPARE(r.stats.vectorCells, 64);
        for (int i = 0; i < 8; ++i) {
            for (int j = 0; j < 8; ++j) {
                const auto px = innerPixels(r, 0, i, j);
                if (j <= i)
                    QVERIFY2(allEqual(px, kAllowedColor), qPrintable(QStringLiteral("allowed %1,%2").arg(i).arg(j)));
                else
                    QVERIFY2(looksBlocked(px, pal), qPrintable(QStringLiteral("blocked %1,%2").arg(i).arg(j)));
            }
        }
    }

    void weightCellsAreTheirViridisColour()
    {
        const Figure f = figure(scenario(6, true), ViewKind::Weights, 1);
        const Rendered r = render(f);
        const Heatmap& w = f.panels.front();
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j <= i; ++j)
                QCOMPARE(centrePixel(r, 0, i, j), Colormap::viridis().at(w.values[static_cast<size_t>(i * 6 + j)]));
        QCOMPARE(centrePixel(r, 0, 0, 0), Colormap::viridis().entry(255)); // query 0 sees only key 0
    }

    void nanCellsStandOut()
    {
        const Figure f = figure(scenario(6, true, 4, {3}, PadSide::Left), ViewKind::Weights);
        const Rendered r = render(f);
        QVERIFY(allEqual(innerPixels(r, 0, 0, 0), kNaNColor));
        QVERIFY(std::any_of(r.layout.legend.begin(), r.layout.legend.end(),
                            [](const LegendEntry& e) { return e.kind == LegendEntry::Kind::NaN; }));
        QVERIFY(std::any_of(r.layout.legend.begin(), r.layout.legend.end(),
                            [](const LegendEntry& e) { return e.kind == LegendEntry::Kind::NoAllowedKey; }));
    }

    void darkThemePaintsADarkFigure()
    {
        FigureStyle dark;
        dark.theme = Theme::Dark;
        const Rendered r = render(figure(scenario(6, true), ViewKind::Logits), dark);
        QCOMPARE(QColor(r.image.pixel(1, 1)), paletteFor(Theme::Dark).background);
        const Rendered light = render(figure(scenario(6, true), ViewKind::Logits));
        QCOMPARE(QColor(light.image.pixel(1, 1)), QColor(Qt::white));
    }

    void hitTestingFindsEveryCell()
    {
        const Figure f = figure(scenario(5, true, 4), ViewKind::Weights, kAllHeads);
        const FigureLayout l = FigureRenderer::layout(f, QSizeF(900, 700), {});
        for (int p = 0; p < 4; ++p) {
            for (int i = 0; i < 5; ++i) {
                for (int j = 0; j < 5; ++j) {
                    const auto hit = FigureRenderer::cellAt(l, f, l.panels[static_cast<size_t>(p)].cellRect(i, j).center());
                    QVERIFY(hit);
                    QCOMPARE(hit->panel, p);
                    QCOMPARE(hit->row, i);
                    QCOMPARE(hit->col, j);
                }
            }
        }
        QVERIFY(!FigureRenderer::cellAt(l, f, QPointF(1, 1)));
        QVERIFY(!FigureRenderer::cellAt(l, f, l.panels[0].matrix.topRight() + QPointF(2, -2)));
    }

    void layoutFitsAnySize_data()
    {
        QTest::addColumn<int>("view");
        QTest::addColumn<int>("head");
        QTest::addColumn<int>("length");
        QTest::addColumn<QSize>("size");
        const QSize sizes[] = {{}, {320, 240}, {1800, 500}, {500, 1400}};
        for (const QSize& size : sizes) {
            const QString s = size.isEmpty() ? QStringLiteral("preferred") : QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
            QTest::newRow(qPrintable("weights-one " + s)) << int(ViewKind::Weights) << 0 << 8 << size;
            QTest::newRow(qPrintable("logits-all " + s)) << int(ViewKind::Logits) << kAllHeads << 12 << size;
            QTest::newRow(qPrintable("pipeline " + s)) << int(ViewKind::Pipeline) << 1 << 8 << size;
            QTest::newRow(qPrintable("mask-large " + s)) << int(ViewKind::Mask) << 0 << 300 << size;
        }
    }

    void layoutFitsAnySize()
    {
        QFETCH(int, view);
        QFETCH(int, head);
        QFETCH(int, length);
        QFETCH(QSize, size);
        const Figure f = figure(scenario(length, true, 4, {length - 2}), ViewKind(view), head);
        const QSizeF target = size.isEmpty() ? FigureRenderer::preferredSize(f, {}) : QSizeF(size);
        const FigureLayout l = FigureRenderer::layout(f, target, {});
        const QRectF bounds(QPointF(0, 0), target);
        QCOMPARE(l.panels.size(), f.panels.size());
        for (size_t k = 0; k < l.panels.size(); ++k) {
            const PanelLayout& p = l.panels[k];
            QVERIFY(p.cell > 0);
            QVERIFY(bounds.contains(p.matrix));
            if (!p.rowLabels.isEmpty())
                QVERIFY(p.rowLabels.right() <= p.matrix.left() && p.rowLabels.left() >= 0);
            if (!p.colLabels.isEmpty())
                QVERIFY(p.colLabels.bottom() <= p.matrix.top() && p.colLabels.top() >= 0);
            for (size_t q = k + 1; q < l.panels.size(); ++q)
                QVERIFY(!p.matrix.intersects(l.panels[q].matrix));
            if (!l.colorBar.isEmpty())
                QVERIFY(l.colorBar.left() > p.matrix.right());
        }
        if (!l.colorBar.isEmpty())
            QVERIFY(bounds.contains(l.colorBarTitle));
        for (const LegendEntry& e : l.legend) {
            QVERIFY(bounds.contains(e.label));
            QVERIFY(e.label.top() >= l.panels.back().matrix.bottom());
        }
    }

    void labelsThinOutWhenTheyDoNotFit()
    {
        const Figure small = figure(scenario(8, false), ViewKind::Weights);
        const FigureLayout a = FigureRenderer::layout(small, FigureRenderer::preferredSize(small, {}), {});
        QCOMPARE(a.panels[0].rowPlan.stride, 1);
        QVERIFY(!a.panels[0].rowPlan.indices); // token text
        QCOMPARE(a.panels[0].colPlan.stride, 1);

        const Figure large = figure(scenario(256, false), ViewKind::Weights);
        const FigureLayout b = FigureRenderer::layout(large, FigureRenderer::preferredSize(large, {}), {});
        QVERIFY(b.panels[0].rowPlan.stride > 1);
        QVERIFY(b.panels[0].rowPlan.indices); // positions 0, 16, 32, ...
        QVERIFY(b.panels[0].rowPlan.stride * b.panels[0].cell >= 12);
        QVERIFY(b.panels[0].colPlan.stride > 1);

        FigureStyle none;
        none.tokenLabels = false;
        QCOMPARE(FigureRenderer::layout(small, QSizeF(600, 600), none).panels[0].rowPlan.stride, 0);
    }

    void sharedAxesInGrids()
    {
        const Figure f = figure(scenario(6, false, 4), ViewKind::Weights, kAllHeads);
        const FigureLayout l = FigureRenderer::layout(f, FigureRenderer::preferredSize(f, {}), {});
        QCOMPARE(f.columns, 2);
        QVERIFY(!l.panels[0].rowLabels.isEmpty() && !l.panels[0].colLabels.isEmpty());
        QVERIFY(l.panels[1].rowLabels.isEmpty() && !l.panels[1].colLabels.isEmpty());
        QVERIFY(!l.panels[2].rowLabels.isEmpty() && l.panels[2].colLabels.isEmpty());
        QVERIFY(!l.colorBar.isEmpty()); // one scale, one bar
        const Figure pipeline = figure(scenario(6, false, 4), ViewKind::Pipeline);
        const FigureLayout pl = FigureRenderer::layout(pipeline, FigureRenderer::preferredSize(pipeline, {}), {});
        QVERIFY(pl.colorBar.isEmpty()); // mixed scales: a bar under each panel but the mask
        QVERIFY(pl.panels[0].colorBar.isEmpty());
        QVERIFY(!pl.panels[1].colorBar.isEmpty() && !pl.panels[3].colorBar.isEmpty());
        FigureStyle noBar;
        noBar.colorBar = false;
        QVERIFY(FigureRenderer::layout(f, QSizeF(800, 800), noBar).colorBar.isEmpty());
    }

    void gridsFollowTheShapeOfTheSpace()
    {
        const Figure f = figure(scenario(8, false, 4), ViewKind::Logits, kAllHeads);
        QVERIFY(f.flexibleColumns);
        const FigureLayout square = FigureRenderer::layout(f, FigureRenderer::preferredSize(f, {}), {});
        QVERIFY(square.panels[2].matrix.top() > square.panels[0].matrix.bottom()); // 2 x 2
        const FigureLayout wide = FigureRenderer::layout(f, QSizeF(1600, 420), {});
        for (const PanelLayout& p : wide.panels) // one row of four
            QCOMPARE(p.matrix.top(), wide.panels[0].matrix.top());
        const Figure pipeline = figure(scenario(8, false, 4), ViewKind::Pipeline);
        QVERIFY(!pipeline.flexibleColumns); // its four steps stay in order, side by side
    }

    void theWindowRearrangesByTheSameRule()
    {
        // One heuristic for the window (every figure) and the exports (flexible ones only).
        const Figure pipeline = figure(scenario(8, false, 4), ViewKind::Pipeline);
        QCOMPARE(pipeline.columns, 4);
        QCOMPARE(FigureRenderer::fittedColumns(pipeline, QSizeF(1600, 420), {}), 4);
        QCOMPARE(FigureRenderer::fittedColumns(pipeline, QSizeF(800, 800), {}), 2);
        const FigureLayout exported = FigureRenderer::layout(pipeline, QSizeF(800, 800), {});
        for (const PanelLayout& p : exported.panels) // the export keeps the builder's four
            QCOMPARE(p.matrix.top(), exported.panels[0].matrix.top());
        const Figure grid = figure(scenario(8, false, 4), ViewKind::Logits, kAllHeads);
        QCOMPARE(FigureRenderer::fittedColumns(grid, QSizeF(1600, 420), {}), 4);
        Figure groups = grid; // runs of two panels stay together: 2 or 4 columns, never 1 or 3
        groups.columnGroup = 2;
        QCOMPARE(FigureRenderer::fittedColumns(groups, QSizeF(300, 1400), {}) % 2, 0);
    }

    void numbersOnlyForSmallMatrices()
    {
        FigureStyle numbers;
        numbers.numbers = true;
        const Figure f = figure(scenario(16, true), ViewKind::Weights);
        QVERIFY(FigureRenderer::numbersAllowed(f.panels[0], numbers));
        QVERIFY(!FigureRenderer::numbersAllowed(f.panels[0], {}));
        const FigureLayout l = FigureRenderer::layout(f, FigureRenderer::preferredSize(f, numbers), numbers);
        QVERIFY(l.panels[0].numbers);
        QVERIFY(l.panels[0].numberPixelSize >= 7);
        const Figure big = figure(scenario(17, true), ViewKind::Weights);
        QVERIFY(!FigureRenderer::numbersAllowed(big.panels[0], numbers));
        // A cell too small for text gets none, even when asked.
        QVERIFY(!FigureRenderer::layout(f, QSizeF(200, 200), numbers).panels[0].numbers);
        // Numbers are painted: the first cell (weight 1, yellow) holds dark text pixels.
        const Rendered r = render(figure(scenario(4, true), ViewKind::Weights), numbers);
        const auto px = innerPixels(r, 0, 0, 0);
        QVERIFY(std::any_of(px.begin(), px.end(), [](QRgb c) { return qGray(c) < 100; }));
    }

    void largeMatricesPaintFromAnImage()
    {
        const Figure at64 = figure(scenario(64, true), ViewKind::Weights);
        QCOMPARE(render(at64).stats.vectorCells, 64 * 64);
        const Figure at65 = figure(scenario(65, true), ViewKind::Weights);
        const RenderStats raster65 = render(at65).stats;
        QCOMPARE(raster65.vectorCells, 0);
        QCOMPARE(raster65.imagePanels, 1);
        // Vector devices keep shapes up to the style's limit.
        QCOMPARE(paintOnSvg(at65).vectorCells, 65 * 65);
        const Figure at129 = figure(scenario(129, true), ViewKind::Weights);
        const RenderStats svg129 = paintOnSvg(at129);
        QCOMPARE(svg129.vectorCells, 0);
        QCOMPARE(svg129.imagePanels, 1);
        FigureStyle lowLimit;
        lowLimit.vectorCellLimit = 8;
        QCOMPARE(paintOnSvg(figure(scenario(9, true), ViewKind::Weights), lowLimit).imagePanels, 1);
    }

    void imageCellsCarryTheSameStyles()
    {
        const Figure f = figure(scenario(200, true), ViewKind::Mask);
        const Rendered r = render(f);
        QCOMPARE(r.stats.imagePanels, 1);
        const Palette pal = paletteFor(Theme::Light);
        const QRectF m = r.layout.panels[0].matrix;
        // Top-right corner: blocked (greys with hatching); bottom-left: allowed.
        std::vector<QRgb> blocked, allowed;
        for (int dy = 4; dy < 24; ++dy) {
            for (int dx = 4; dx < 24; ++dx) {
                blocked.push_back(r.image.pixel(static_cast<int>(m.right()) - dx, static_cast<int>(m.top()) + dy) | 0xff000000);
                allowed.push_back(r.image.pixel(static_cast<int>(m.left()) + dx, static_cast<int>(m.bottom()) - dy) | 0xff000000);
            }
        }
        QVERIFY(allEqual(allowed, kAllowedColor));
        int fill = 0, hatch = 0;
        for (QRgb c : blocked) {
            fill += c == pal.blockedFill.rgb();
            hatch += c == pal.blockedHatch.rgb();
        }
        QCOMPARE(fill + hatch, static_cast<int>(blocked.size()));
        QVERIFY(hatch > 0 && fill > hatch);
    }

    void everyRasterDevicePaintsTheSame()
    {
        // Into a QImage the cells are baked in place; onto other devices through the cache.
        const Figure f = figure(scenario(150, true, 4, {140}), ViewKind::Weights, kAllHeads);
        const QSize size = FigureRenderer::preferredSize(f, {}).toSize();
        QPixmap pixmap(size);
        {
            QPainter p(&pixmap);
            FigureRenderer::paint(p, QRectF(QPointF(0, 0), QSizeF(size)), f, {});
        }
        const QImage viaCache = pixmap.toImage().convertToFormat(QImage::Format_RGB32);
        QCOMPARE(viaCache, render(f, {}, size).image);
    }

    void repaintsAreIdentical()
    {
        const Figure f = figure(scenario(300, true), ViewKind::Weights);
        const Rendered first = render(f);
        const Rendered second = render(f);
        QCOMPARE(first.image, second.image);
    }

    void degenerateFiguresPaintWithoutHarm()
    {
        const Figure empty;
        render(empty, {}, QSize(100, 80));
        QVERIFY(FigureRenderer::preferredSize(empty, {}).width() > 0);
        const Figure f = figure(scenario(40, true), ViewKind::Pipeline);
        const Rendered tiny = render(f, {}, QSize(12, 9));
        QVERIFY(!tiny.image.isNull());
    }
};

QTEST_MAIN(TestFigureRenderer)
#include "tst_figurerenderer.moc"
