// SPDX-License-Identifier: MIT
#include "figure/screenfigure.h"

#include "figure/figurebuilder.h"

#include <QPainter>
#include <QTransform>
#include <QtConcurrent/QtConcurrentMap>

#include <utility>
#include <vector>

namespace maskscope::ui {

namespace {

bool isStale(const std::function<bool()>& stale)
{
    return stale && stale();
}

std::vector<size_t> reducedPanels(const Figure& figure)
{
    std::vector<size_t> panels;
    for (size_t k = 0; k < figure.panels.size(); ++k)
        if (figure.panels[k].isReduced())
            panels.push_back(k);
    return panels;
}

// Fills the outline panels for the device pixels `layout` gives their matrices, on every core
// when there are several large ones (a grid of heads, the pipeline).
template <typename T>
void fillForLayout(Figure& figure, const FigureLayout& layout, const Scenario& s, const BatchTrace<T>& trace,
                   qreal dpr)
{
    const QTransform device = QTransform::fromScale(dpr, dpr);
    std::vector<size_t> panels = reducedPanels(figure);
    const auto fill = [&](size_t k) {
        if (k >= layout.panels.size())
            return;
        const QSize pixels = devicePixelRect(layout.panels[k].matrix, device).size();
        fillPanelCells(figure.panels[k], s, trace, pixels);
    };
    long long cells = 0;
    for (size_t k : panels)
        cells += static_cast<long long>(figure.panels[k].rows) * figure.panels[k].cols;
    if (panels.size() > 1 && cells >= FigureRenderer::kParallelCells)
        QtConcurrent::blockingMap(panels, fill);
    else
        for (size_t k : panels)
            fill(k);
}

// The figure to draw: `figure` itself unless its columns or outline panels change for the target.
std::shared_ptr<const Figure> arranged(std::shared_ptr<const Figure> figure, const Scenario* scenario,
                                       const AnyBatchTrace& trace, const ScreenTarget& target,
                                       FigureLayout& layout)
{
    const int columns = FigureRenderer::fittedColumns(*figure, target.size, target.style);
    const bool fill = scenario && hasReducedPanels(*figure);
    if (columns == figure->columns && !fill) {
        layout = FigureRenderer::layout(*figure, target.size, target.style);
        return figure;
    }
    auto copy = std::make_shared<Figure>(*figure);
    copy->columns = columns;
    layout = FigureRenderer::layout(*copy, target.size, target.style);
    if (fill)
        std::visit([&](const auto& t) { fillForLayout(*copy, layout, *scenario, t, target.dpr); }, trace);
    return copy;
}

} // namespace

ScreenFigure renderForScreen(std::shared_ptr<const Figure> figure, const Scenario* scenario,
                             const AnyBatchTrace& trace, const ScreenTarget& target,
                             const std::function<bool()>& stale)
{
    ScreenFigure out;
    if (!figure || isStale(stale))
        return out;
    FigureLayout layout;
    auto drawn = arranged(std::move(figure), scenario, trace, target, layout);
    if (isStale(stale))
        return out;
    out.image = renderFigureImage(*drawn, layout, target.style, target.size, target.dpr);
    out.layout = std::move(layout);
    out.figure = std::move(drawn);
    return out;
}

QImage renderFigureImage(const Figure& figure, const FigureLayout& layout, const FigureStyle& style,
                         QSize size, qreal dpr)
{
    QImage image(size * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    FigureRenderer::paint(painter, QPointF(0, 0), layout, figure, style);
    return image;
}

} // namespace maskscope::ui
