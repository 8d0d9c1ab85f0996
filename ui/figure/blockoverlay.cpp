// SPDX-License-Identifier: MIT
#include "figure/blockoverlay.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace maskscope::ui {

BlockOverlay blockOverlayOf(const MaskSpec& mask, int b, int block)
{
    BlockOverlay o;
    o.figures = blockSparsity(mask, b, block);
    o.classes = classifyTiles(mask, b, block, {0, o.figures.tileRows}, {0, o.figures.tileCols});
    return o;
}

QString blockOverlaySummary(const BlockSparsity& f)
{
    // One decimal: 99.6 % must not read as "all tiles skipped".
    const auto percent = [](double fraction) { return QString::number(fraction * 100.0, 'f', 1); };
    return QCoreApplication::translate("BlockOverlay",
                                       "B = %1: %2 full, %3 partial, %4 empty tiles \u00B7 %5% of tiles "
                                       "skipped \u00B7 %6% of FLOPs saved")
        .arg(f.block)
        .arg(f.fullTiles)
        .arg(f.partialTiles)
        .arg(f.emptyTiles)
        .arg(percent(f.skippedTileFraction()))
        .arg(percent(f.flopsSavedFraction()));
}

QColor fullTileColor()
{
    return {0x1e, 0x9e, 0x4a};
}

QColor partialTileColor()
{
    return {0xf0, 0x9a, 0x00};
}

QColor emptyTileShade(const QColor& background)
{
    QColor c = background;
    c.setAlpha(170); // washes the skipped tile out: the kernel never looks at it
    return c;
}

void paintTiles(QPainter& painter, const std::vector<TileClass>& classes, int tileCols, IndexRange rows,
                IndexRange cols, const std::function<QRectF(int row, int col)>& rectOf,
                const QColor& background)
{
    QPainterPath empty, partial, full;
    for (int r = rows.begin; r < rows.end; ++r)
        for (int c = cols.begin; c < cols.end; ++c) {
            const QRectF rect = rectOf(r, c);
            // Frames inside their tile, so a partial tile next to a full one shows both edges.
            const QRectF inner = rect.width() > 4 && rect.height() > 4 ? rect.adjusted(1, 1, -1, -1) : rect;
            switch (classes[static_cast<size_t>(r) * static_cast<size_t>(tileCols) + static_cast<size_t>(c)]) {
            case TileClass::Empty: empty.addRect(rect); break;
            case TileClass::Partial: partial.addRect(inner); break;
            case TileClass::Full: full.addRect(inner); break;
            }
        }
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(emptyTileShade(background));
    painter.drawPath(empty);
    painter.setBrush(Qt::NoBrush);
    const double width = 1.6;
    QPen pen(partialTileColor(), width);
    pen.setJoinStyle(Qt::MiterJoin);
    painter.setPen(pen);
    painter.drawPath(partial);
    pen.setColor(fullTileColor());
    painter.setPen(pen);
    painter.drawPath(full);
    painter.restore();
}

} // namespace maskscope::ui
