// SPDX-License-Identifier: MIT
// Drawing primitives of the figure renderer: areas, frames, hatching and text, the same on every
// device (screen, PNG, SVG, PDF).

#include "figure/figurepainting_p.h"

#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace maskscope::ui::detail {

bool isVectorDevice(QPainter& painter)
{
    const QPaintEngine* engine = painter.paintEngine();
    if (!engine)
        return false;
    const auto type = engine->type();
    return type == QPaintEngine::SVG || type == QPaintEngine::Pdf || type == QPaintEngine::Picture;
}

bool outsideImage(const QPainter& painter, const QRectF& r)
{
    const QPaintDevice* device = painter.device();
    if (!device || device->devType() != QInternal::Image)
        return false;
    // A line's height of slack on every side for glyphs that reach past their box.
    const double slack = std::max(r.height(), 1.0);
    const QRectF reach = painter.deviceTransform().mapRect(r.adjusted(-slack, -slack, slack, slack));
    return !reach.intersects(QRectF(0, 0, device->width(), device->height()));
}

QPainterPath rectPath(const QRectF& r)
{
    QPainterPath path;
    path.addRect(r);
    return path;
}

// Areas are filled as paths, never drawRect: in an SVG only cells become <rect> elements, which
// keeps "one shape per cell" countable.
void fillArea(QPainter& painter, const QRectF& r, const QColor& color)
{
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPath(rectPath(r));
}

void strokeFrame(QPainter& painter, const QRectF& r, const QColor& color, double width)
{
    QPen pen(color, width);
    pen.setJoinStyle(Qt::MiterJoin);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(rectPath(r));
}

// "/" hatching: lines x + y = k * spacing in absolute coordinates, so neighbouring blocked cells
// continue each other's lines, cut to `r`.
void appendHatch(std::vector<QLineF>& lines, const QRectF& r, double spacing)
{
    const double first = std::ceil((r.left() + r.top()) / spacing) * spacing;
    for (double c = first; c < r.right() + r.bottom(); c += spacing) {
        const double x0 = std::max(r.left(), c - r.bottom());
        const double x1 = std::min(r.right(), c - r.top());
        if (x1 > x0)
            lines.emplace_back(QPointF(x0, c - x0), QPointF(x1, c - x1));
    }
}

// One path for all lines: a single element in an SVG instead of one per line.
void drawHatch(QPainter& painter, const std::vector<QLineF>& lines, const QColor& color, double width)
{
    if (lines.empty())
        return;
    QPainterPath path;
    for (const QLineF& l : lines) {
        path.moveTo(l.p1());
        path.lineTo(l.p2());
    }
    QPen pen(color, width);
    pen.setCapStyle(Qt::FlatCap);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
}

void drawText(QPainter& painter, const QRectF& r, int flags, const QString& text, const QFont& font,
              const QColor& color)
{
    if (outsideImage(painter, r))
        return;
    painter.setFont(font);
    painter.setPen(color);
    painter.drawText(r, flags, text);
}

// Text written upwards (rotated a quarter turn anticlockwise) inside `r`.
void drawUpwardText(QPainter& painter, const QRectF& r, int flags, const QString& text,
                    const QFont& font, const QColor& color)
{
    painter.save();
    painter.translate(r.left(), r.bottom());
    painter.rotate(-90);
    drawText(painter, QRectF(0, 0, r.height(), r.width()), flags, text, font, color);
    painter.restore();
}

QString elided(const QString& text, const QFont& font, double width)
{
    return QFontMetricsF(font).elidedText(text, Qt::ElideRight, std::max(0.0, width));
}

// A title centred at the top of `r`. In plain text the bar of a "√" stops short of what it
// covers, so the bar is drawn on over the word after the "√", as on a blackboard.
void drawTitle(QPainter& painter, const QRectF& r, const QString& text, const QFont& font,
               const QColor& color)
{
    if (outsideImage(painter, r))
        return;
    drawText(painter, r, Qt::AlignHCenter | Qt::AlignTop, elided(text, font, r.width()), font, color);
    const qsizetype root = text.indexOf(QChar(0x221A));
    const QFontMetricsF fm(font);
    const double width = fm.horizontalAdvance(text);
    if (root < 0 || width > r.width())
        return;
    qsizetype end = text.indexOf(QLatin1Char(' '), root);
    end = end < 0 ? text.size() : end;
    QPainterPath glyph;
    glyph.addText(0, 0, font, QString(QChar(0x221A)));
    const QRectF radical = glyph.boundingRect(); // relative to the baseline
    const double left = r.center().x() - width / 2;
    const double x0 = left + fm.horizontalAdvance(text.left(root)) + radical.right();
    const double x1 = left + fm.horizontalAdvance(text.left(end));
    const double thickness = std::max(0.6, fm.lineWidth());
    const double y = r.top() + fm.ascent() + radical.top() + thickness / 2;
    QPen pen(color, thickness);
    pen.setCapStyle(Qt::FlatCap);
    painter.setPen(pen);
    painter.drawLine(QPointF(x0 - thickness / 2, y), QPointF(x1, y));
}

} // namespace maskscope::ui::detail
