// SPDX-License-Identifier: MIT
// Painting of figures. Every device gets the same drawing; only large matrices differ in how
// their cells are made: one image (through a cached colormap lookup) instead of a shape per cell.

#include "figure/figurerenderer.h"
#include "figure/figurerenderer_p.h"
#include "figure/figurepainting_p.h"

#include "figure/colormap.h"
#include "figure/displaycells.h"
#include "figure/figurekernels.h"
#include "figure/numberformat.h"

#include <QCoreApplication>

#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cmath>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>
#include <unordered_map>

namespace maskscope::ui {

using namespace detail;

namespace {

// The translation context of the texts this file draws into figures.
struct FigureText {
    Q_DECLARE_TR_FUNCTIONS(FigureText)
};


// --- Large matrices: one image per panel, at the device's own resolution -------------------

struct BakeKey {
    qint64 cells = 0;
    int width = 0;
    int height = 0;
    int period = 0;
    int lineWidth = 0;
    QRgb fill = 0;
    QRgb hatch = 0;
    bool operator==(const BakeKey&) const = default;
};

// Hover repaints and resizes of the same figure reuse the finished image; a few recent entries
// cover every panel of a grid.
class BakedImageCache {
public:
    QImage find(const BakeKey& key)
    {
        std::lock_guard lock(mutex_);
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->first == key) {
                entries_.splice(entries_.begin(), entries_, it);
                return it->second;
            }
        }
        return {};
    }
    void insert(const BakeKey& key, const QImage& image)
    {
        std::lock_guard lock(mutex_);
        entries_.emplace_front(key, image);
        if (entries_.size() > kCapacity)
            entries_.pop_back();
    }

private:
    static constexpr size_t kCapacity = 32;
    std::mutex mutex_;
    std::list<std::pair<BakeKey, QImage>> entries_;
};

BakedImageCache& bakedImageCache()
{
    static BakedImageCache cache;
    return cache;
}

// Nearest-neighbour scaling of the one-pixel-per-cell image to key.width x key.height pixels, of
// which rows [firstRow, endRow) are written at `dst`, with blocked (transparent) cells turned into
// the theme's hatched grey at this resolution.
void bakeInto(const QImage& cells, const BakeKey& key, int firstRow, int endRow, uchar* dst, qsizetype bytesPerLine)
{
    const CellPixels source{reinterpret_cast<const QRgb*>(cells.constBits()), cells.bytesPerLine() / 4,
                            cells.width(), cells.height()};
    const BakeGeometry geometry{key.width, key.height, key.period, key.lineWidth, key.fill, key.hatch};
    activeFigureKernels().bake(source, geometry, firstRow, endRow, dst, bytesPerLine);
}

QImage bakedImage(const QImage& cells, const BakeKey& key)
{
    QImage image = bakedImageCache().find(key);
    if (image.isNull()) {
        image = QImage(key.width, key.height, QImage::Format_RGB32);
        if (image.isNull())
            return image;
        bakeInto(cells, key, 0, key.height, image.bits(), image.bytesPerLine());
        bakedImageCache().insert(key, image);
    }
    return image;
}

// Where and how large a panel's cells are drawn as one image on this painter.
struct BakeJob {
    QImage cells;
    BakeKey key;
    QRectF target;       // in the painter's coordinates (vector devices)
    QRect devicePixels;  // in device pixels (raster devices)
    bool vector = false;
};

// The pixels a panel's cells are made at: the device's own on raster devices; on vector devices
// whole pixels per cell at about twice the figure's resolution (crisp when zoomed), or for a panel
// with more cells than that, twice the figure's resolution.
QSize bakeSize(QPainter& painter, const PanelLayout& panel, const Heatmap& map, BakeJob& job)
{
    if (!job.vector) {
        job.devicePixels = devicePixelRect(panel.matrix, painter.deviceTransform());
        return job.devicePixels.size();
    }
    job.target = panel.matrix;
    if (map.isReduced())
        return QSize(std::clamp(static_cast<int>(std::lround(2 * panel.matrix.width())), 1, map.cols),
                     std::clamp(static_cast<int>(std::lround(2 * panel.matrix.height())), 1, map.rows));
    const int k = std::clamp(static_cast<int>(std::lround(2 * panel.matrix.width() / map.cols)), 1, 8);
    return QSize(map.cols * k, map.rows * k);
}

// The cells as an image for `size` pixels: from the panel's source (rules) at that resolution,
// reduced honestly (displaycells.h) when the panel has more cells than pixels, else one pixel
// per cell.
QImage makeCellsFor(const Heatmap& map, QSize size)
{
    if (map.source)
        return map.source->cellImage(size);
    const bool fewerPixels = size.width() < map.cols || size.height() < map.rows;
    if (!map.isReduced() && fewerPixels)
        if (QImage reduced = reducedCellImage(map, size); !reduced.isNull())
            return reduced;
    return map.cellImage.isNull() ? makeCellImage(map) : map.cellImage;
}

} // namespace

struct RepeatedPaintScope::Cells {
    std::map<std::tuple<const Heatmap*, int, int>, QImage> made;
};

namespace {

thread_local RepeatedPaintScope::Cells* repeatedPaintCells = nullptr;

QImage cellsFor(const Heatmap& map, QSize size)
{
    if (!repeatedPaintCells)
        return makeCellsFor(map, size);
    QImage& cells = repeatedPaintCells->made[{&map, size.width(), size.height()}];
    if (cells.isNull())
        cells = makeCellsFor(map, size);
    return cells;
}

std::optional<BakeJob> bakeJobFor(QPainter& painter, const PanelLayout& panel, const Heatmap& map,
                                  const Palette& pal, const Metrics& m)
{
    BakeJob job;
    if (map.isReduced() && map.cellImage.isNull() && !map.source)
        return std::nullopt; // an outline whose cells were never filled (fillPanelCells)
    if (map.cols <= 0 || map.rows <= 0 || panel.matrix.width() <= 0)
        return std::nullopt;
    job.vector = isVectorDevice(painter);
    const QSize size = bakeSize(painter, panel, map, job);
    if (size.width() <= 0 || size.height() <= 0)
        return std::nullopt;
    job.cells = cellsFor(map, size);
    if (job.cells.isNull())
        return std::nullopt;
    job.key.cells = job.cells.cacheKey();
    job.key.fill = pal.blockedFill.rgb();
    job.key.hatch = pal.blockedHatch.rgb();
    // Hatching sized in the figure's units, whatever the image's resolution.
    const double scale = size.width() / panel.matrix.width();
    job.key.width = size.width();
    job.key.height = size.height();
    job.key.period = std::max(3, static_cast<int>(std::lround(m.hatchSpacing * scale)));
    job.key.lineWidth = std::max(1, static_cast<int>(std::lround(m.hatchWidth * scale)));
    return job;
}

// --- One panel ------------------------------------------------------------------------------

class PanelPainter {
public:
    PanelPainter(QPainter& painter, const FigureLayout& layout, const PanelLayout& panel,
                 const Heatmap& map, const FigureStyle& style, const Palette& palette,
                 const Metrics& metrics, RenderStats& stats)
        : p_(painter), layout_(layout), panel_(panel), map_(map), style_(style), pal_(palette),
          m_(metrics), stats_(stats)
    {
    }

    void paint()
    {
        if (map_.rows <= 0 || map_.cols <= 0 || panel_.cell <= 0)
            return;
        paintTitles();
        paintPadBands();
        paintRowLabels();
        paintColLabels();
        if (FigureRenderer::paintsAsImage(map_, style_, isVectorDevice(p_)))
            strokeFrame(p_, panel_.matrix, pal_.frame, 0.8); // cells: paintImageCells
        else
            paintCellsAsShapes();
        paintNoAllowedKeyMarkers();
        if (panel_.numbers)
            paintNumbers();
    }

private:
    bool rowPad(int i) const { return static_cast<size_t>(i) < map_.rowPad.size() && map_.rowPad[static_cast<size_t>(i)]; }
    bool colPad(int j) const { return static_cast<size_t>(j) < map_.colPad.size() && map_.colPad[static_cast<size_t>(j)]; }

    void paintTitles()
    {
        const FigureFonts& f = layout_.fonts;
        if (!map_.title.isEmpty() && !panel_.title.isEmpty())
            drawTitle(p_, panel_.title, map_.title, f.panelTitle, pal_.text);
        if (!style_.axisTitles)
            return;
        if (!panel_.rowAxisTitle.isEmpty())
            drawUpwardText(p_, panel_.rowAxisTitle, Qt::AlignHCenter | Qt::AlignTop,
                           FigureText::tr("query"), f.axisTitle, pal_.text);
        if (!panel_.colAxisTitle.isEmpty())
            drawText(p_, panel_.colAxisTitle, Qt::AlignHCenter | Qt::AlignTop, FigureText::tr("key"),
                     f.axisTitle, pal_.text);
    }

    // Bands beside the matrix over runs of padded positions.
    void paintPadBands()
    {
        const QRectF& mx = panel_.matrix;
        const double c = panel_.cell;
        const auto runs = [](int n, auto isPad, auto draw) {
            for (int a = 0; a < n;) {
                if (!isPad(a)) { ++a; continue; }
                int b = a;
                while (b < n && isPad(b))
                    ++b;
                draw(a, b - a);
                a = b;
            }
        };
        runs(map_.rows, [&](int i) { return rowPad(i); }, [&](int a, int n) {
            fillArea(p_, QRectF(mx.left() - m_.bandGap - m_.bandWidth, mx.top() + a * c, m_.bandWidth, n * c), pal_.padding);
        });
        runs(map_.cols, [&](int j) { return colPad(j); }, [&](int a, int n) {
            fillArea(p_, QRectF(mx.left() + a * c, mx.top() - m_.bandGap - m_.bandWidth, n * c, m_.bandWidth), pal_.padding);
        });
    }

    QString labelText(const QStringList& labels, const LabelPlan& plan, int index, int first) const
    {
        return plan.indices ? QString::number(first + index) : labels.value(index);
    }

    // Padded positions' labels are italic and grey: present, but not words of the sentence.
    const QFont& labelFont(bool pad, QFont& italic) const
    {
        if (!pad)
            return layout_.fonts.label;
        italic = layout_.fonts.label;
        italic.setItalic(true);
        return italic;
    }

    void paintRowLabels()
    {
        const LabelPlan& plan = panel_.rowPlan;
        if (plan.stride <= 0 || panel_.rowLabels.isEmpty())
            return;
        const double lh = lineHeight(layout_.fonts.label);
        const QRectF& area = panel_.rowLabels;
        for (int i = 0; i < map_.rows; i += plan.stride) {
            QFont italic;
            const bool pad = rowPad(i) && !plan.indices;
            const QFont& font = labelFont(pad, italic);
            const double cy = panel_.matrix.top() + (i + 0.5) * panel_.cell;
            const QRectF r(area.left(), cy - lh / 2, area.width() - m_.gap * 0.6, lh);
            drawText(p_, r, Qt::AlignRight | Qt::AlignVCenter,
                     elided(labelText(map_.rowLabels, plan, i, map_.firstRow), font, r.width()), font,
                     pad ? pal_.mutedText : pal_.text);
        }
    }

    void paintColLabels()
    {
        const LabelPlan& plan = panel_.colPlan;
        if (plan.stride <= 0 || panel_.colLabels.isEmpty())
            return;
        const double lh = lineHeight(layout_.fonts.label);
        const QRectF& area = panel_.colLabels;
        const double room = area.height() - m_.gap * 0.4;
        for (int j = 0; j < map_.cols; j += plan.stride) {
            QFont italic;
            const bool pad = colPad(j) && !plan.indices;
            const QFont& font = labelFont(pad, italic);
            const QColor color = pad ? pal_.mutedText : pal_.text;
            const double cx = panel_.matrix.left() + (j + 0.5) * panel_.cell;
            const QString text = labelText(map_.colLabels, plan, j, map_.firstCol);
            if (plan.rotated) {
                const QRectF r(cx - lh / 2, area.top(), lh, room);
                drawUpwardText(p_, r, Qt::AlignLeft | Qt::AlignVCenter, elided(text, font, room), font, color);
            } else {
                const double w = std::max(panel_.cell * plan.stride, textWidth(font, text) + 2);
                drawText(p_, QRectF(cx - w / 2, area.top(), w, room), Qt::AlignHCenter | Qt::AlignBottom,
                         text, font, color);
            }
        }
    }

    void paintCellsAsShapes()
    {
        const double c = panel_.cell;
        // Gaps between cells help count them; without gaps, cells overlap a hair so that
        // anti-aliasing viewers show no seams.
        const double gap = c >= 10 ? std::clamp(c * 0.05, 0.6, 1.6) : 0.0;
        const double overlap = gap > 0 ? 0.0 : std::min(0.35, c * 0.2);
        // Cells of one colour are drawn together: an SVG then states each colour once, not
        // once per cell (a 128 x 128 matrix would otherwise make a file of several megabytes).
        std::unordered_map<QRgb, std::vector<QRectF>> byColor;
        std::vector<QLineF> hatch;
        for (int i = 0; i < map_.rows; ++i) {
            for (int j = 0; j < map_.cols; ++j) {
                const size_t k = static_cast<size_t>(i) * static_cast<size_t>(map_.cols) + j;
                const QRectF r = panel_.cellRect(i, j).adjusted(gap / 2, gap / 2, -gap / 2 + overlap, -gap / 2 + overlap);
                const QRgb color = cellColor(map_, map_.states[k], map_.values[k]);
                byColor[qAlpha(color) == 0 ? pal_.blockedFill.rgb() : color].push_back(r);
                if (qAlpha(color) == 0)
                    appendHatch(hatch, r, m_.hatchSpacing);
            }
        }
        p_.save();
        p_.setRenderHint(QPainter::Antialiasing, gap > 0);
        p_.setPen(Qt::NoPen);
        for (const auto& [color, rects] : byColor) {
            p_.setBrush(QColor::fromRgb(color));
            p_.drawRects(rects.data(), static_cast<int>(rects.size()));
        }
        p_.setRenderHint(QPainter::Antialiasing, true);
        drawHatch(p_, hatch, pal_.blockedHatch, m_.hatchWidth);
        p_.restore();
        stats_.vectorCells += map_.rows * map_.cols;
    }

    void paintNoAllowedKeyMarkers()
    {
        const QRectF& mx = panel_.matrix;
        const double c = panel_.cell;
        p_.setPen(Qt::NoPen);
        p_.setBrush(pal_.alert);
        for (int i = 0; i < map_.rows; ++i) {
            if (static_cast<size_t>(i) >= map_.rowFullyBlocked.size() || !map_.rowFullyBlocked[static_cast<size_t>(i)])
                continue;
            const double cy = mx.top() + (i + 0.5) * c;
            const double h = std::min(std::max(c, 2.0), m_.markerWidth * 1.2);
            const double x = mx.right() + m_.bandGap;
            const QPointF tri[3] = {{x, cy}, {x + m_.markerWidth, cy - h / 2}, {x + m_.markerWidth, cy + h / 2}};
            p_.drawPolygon(tri, 3);
        }
    }

    void paintNumbers()
    {
        const QFont font = makeFont(panel_.numberPixelSize);
        const QFontMetricsF fm(font);
        p_.setFont(font);
        for (int i = 0; i < map_.rows; ++i) {
            for (int j = 0; j < map_.cols; ++j) {
                const size_t k = static_cast<size_t>(i) * static_cast<size_t>(map_.cols) + j;
                const QRectF r = panel_.cellRect(i, j);
                if (outsideImage(p_, r))
                    continue;
                const QString text = cellText(map_, k);
                const QRgb color = cellColor(map_, map_.states[k], map_.values[k]);
                QRgb under = color;
                if (qAlpha(color) == 0) {
                    // A plate keeps the number readable on the hatching.
                    const double w = fm.horizontalAdvance(text) + 3, h = fm.height();
                    QPainterPath plate;
                    plate.addRoundedRect(QRectF(r.center().x() - w / 2, r.center().y() - h / 2, w, h), 2, 2);
                    p_.setPen(Qt::NoPen);
                    p_.setBrush(pal_.blockedFill);
                    p_.drawPath(plate);
                    under = pal_.blockedFill.rgb();
                }
                p_.setPen(prefersLightText(under) ? QColor(Qt::white) : QColor(0x1a, 0x1a, 0x1a));
                p_.drawText(r, Qt::AlignCenter, text);
            }
        }
    }

    QPainter& p_;
    const FigureLayout& layout_;
    const PanelLayout& panel_;
    const Heatmap& map_;
    const FigureStyle& style_;
    const Palette& pal_;
    const Metrics& m_;
    RenderStats& stats_;
};


// Where a panel's cells are written straight into the image this painter draws on: the rows of
// the panel inside the image, at the pixel of the first.
struct DirectTarget {
    uchar* pixels = nullptr;
    qsizetype bytesPerLine = 0;
    int firstRow = 0;
    int endRow = 0;
};

// The direct target of `rect` (device pixels), if the painter draws on a 32-bit QImage under a
// plain transform, with no clipping, opacity or blending, and the rect's columns are inside it.
// Saves a copy of every large panel; an image that is a band of a larger one (a PNG export,
// encodePaintedPng) gets the panel's rows inside the band.
std::optional<DirectTarget> directTarget(QPainter& painter, const QRect& rect)
{
    QPaintDevice* device = painter.device();
    if (!device || device->devType() != QInternal::Image || painter.hasClipping() ||
        painter.opacity() < 1.0 || painter.compositionMode() != QPainter::CompositionMode_SourceOver)
        return std::nullopt;
    auto* image = static_cast<QImage*>(device);
    const QImage::Format f = image->format();
    const bool rgb32 = f == QImage::Format_RGB32 || f == QImage::Format_ARGB32 ||
                       f == QImage::Format_ARGB32_Premultiplied;
    const bool columnsInside = rect.left() >= 0 && rect.right() < image->width();
    if (!rgb32 || !columnsInside || painter.deviceTransform().isRotating())
        return std::nullopt;
    DirectTarget t;
    const int top = std::clamp(rect.top(), 0, image->height());
    const int bottom = std::clamp(rect.bottom() + 1, top, image->height());
    t.firstRow = top - rect.top();
    t.endRow = bottom - rect.top();
    t.bytesPerLine = image->bytesPerLine();
    // The painter detached the image when it began: writing does not touch other copies.
    t.pixels = const_cast<uchar*>(image->constBits()) + top * t.bytesPerLine + rect.left() * 4;
    return t;
}

void drawBaked(QPainter& painter, const BakeJob& job)
{
    const QImage image = bakedImage(job.cells, job.key);
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (job.vector) {
        painter.drawImage(job.target, image);
    } else {
        painter.resetTransform(); // one image pixel per device pixel
        painter.drawImage(job.devicePixels.topLeft(), image);
    }
    painter.restore();
}

// The cells of every large panel, each as one image: baked straight into the target image when
// it is one, else through the cache (vector devices, widgets). Panels are baked on every core.
void paintImageCells(QPainter& painter, const FigureLayout& layout, const Figure& figure,
                     const FigureStyle& style, const Palette& pal, const Metrics& m, RenderStats& stats)
{
    std::vector<BakeJob> jobs;
    const bool vector = isVectorDevice(painter);
    for (size_t k = 0; k < std::min(layout.panels.size(), figure.panels.size()); ++k) {
        if (!FigureRenderer::paintsAsImage(figure.panels[k], style, vector))
            continue;
        if (auto job = bakeJobFor(painter, layout.panels[k], figure.panels[k], pal, m))
            jobs.push_back(std::move(*job));
        ++stats.imagePanels;
    }
    std::vector<std::optional<DirectTarget>> targets(jobs.size());
    for (size_t k = 0; k < jobs.size(); ++k)
        if (!jobs[k].vector)
            targets[k] = directTarget(painter, jobs[k].devicePixels);
    std::vector<size_t> order(jobs.size());
    for (size_t k = 0; k < order.size(); ++k)
        order[k] = k;
    const auto bake = [&](size_t k) {
        if (const auto& t = targets[k])
            bakeInto(jobs[k].cells, jobs[k].key, t->firstRow, t->endRow, t->pixels, t->bytesPerLine);
        else
            bakedImage(jobs[k].cells, jobs[k].key);
    };
    long long pixels = 0;
    for (size_t k = 0; k < jobs.size(); ++k)
        pixels += static_cast<long long>(jobs[k].key.width) *
                  (targets[k] ? targets[k]->endRow - targets[k]->firstRow : jobs[k].key.height);
    if (jobs.size() > 1 && pixels >= FigureRenderer::kParallelCells)
        QtConcurrent::blockingMap(order, bake);
    else
        for (size_t k : order)
            bake(k);
    for (size_t k = 0; k < jobs.size(); ++k)
        if (!targets[k])
            drawBaked(painter, jobs[k]);
}

} // namespace

RepeatedPaintScope::RepeatedPaintScope() : cells_(std::make_unique<Cells>()), outer_(repeatedPaintCells)
{
    repeatedPaintCells = cells_.get();
}

RepeatedPaintScope::~RepeatedPaintScope()
{
    repeatedPaintCells = outer_;
}

QRect devicePixelRect(const QRectF& rect, const QTransform& deviceTransform)
{
    const QRectF device = deviceTransform.mapRect(rect);
    return QRect(QPoint(static_cast<int>(std::lround(device.left())), static_cast<int>(std::lround(device.top()))),
                 QPoint(static_cast<int>(std::lround(device.right())) - 1,
                        static_cast<int>(std::lround(device.bottom())) - 1));
}

RenderStats FigureRenderer::paint(QPainter& painter, const QRectF& target, const Figure& figure,
                                  const FigureStyle& style)
{
    return paint(painter, target.topLeft(), layout(figure, target.size(), style), figure, style);
}

RenderStats FigureRenderer::paint(QPainter& painter, const QPointF& origin, const FigureLayout& layout,
                                  const Figure& figure, const FigureStyle& style)
{
    RenderStats stats;
    const Palette pal = paletteFor(style.theme);
    const Metrics m = metricsFor(style);
    painter.save();
    painter.translate(origin);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    fillArea(painter, QRectF(QPointF(0, 0), layout.size), pal.background);
    paintHeading(painter, layout, figure, pal);
    const size_t count = std::min(layout.panels.size(), figure.panels.size());
    paintImageCells(painter, layout, figure, style, pal, m, stats);
    for (size_t k = 0; k < count; ++k) {
        PanelPainter(painter, layout, layout.panels[k], figure.panels[k], style, pal, m, stats).paint();
        if (!layout.panels[k].colorBar.isEmpty())
            paintHorizontalBar(painter, layout, layout.panels[k], figure.panels[k], pal, m);
    }
    if (style.blockOverlay && !figure.blocks.isEmpty())
        paintBlockOverlay(painter, layout, figure, pal);
    if (!layout.colorBar.isEmpty() && !figure.panels.empty())
        paintVerticalBar(painter, layout, figure.panels.front(), pal, m);
    paintLegend(painter, layout, pal, m);
    painter.restore();
    return stats;
}

} // namespace maskscope::ui
