// SPDX-License-Identifier: MIT
#pragma once
// Figures to files (PNG, SVG, PDF) and to the clipboard, all painted by FigureRenderer.

#include "figure/figure.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QSizeF>
#include <QString>

#include <optional>

namespace maskscope::ui {

enum class ExportFormat { Png, Svg, Pdf };

/// Size of an exported figure. The figure is laid out in logical pixels (1/96 inch) at its
/// preferred size (FigureRenderer::preferredSize) and scaled to the output: by dpi / 96 for a
/// PNG at a density; to fill an explicit size when that is larger than the preferred one;
/// an explicit size smaller than that keeps the text size and shrinks the cells instead.
struct ExportOptions {
    /// PNG pixels per inch; 0 = kDefaultDpi, or, with width/height, whatever fits them.
    double dpi = 0;
    /// Output size: PNG pixels; SVG and PDF in CSS pixels (1/96 inch). 0 = from the preferred
    /// size (one given: the other keeps the preferred aspect ratio).
    int width = 0;
    int height = 0;

    static constexpr double kDefaultDpi = 150;
};

/// Result of an export: empty error = success; otherwise one line saying what went wrong.
struct ExportResult {
    QString error;
    /// The request itself cannot be met (unknown format, unwritable place, impossible size), as
    /// opposed to a failure while rendering or writing.
    bool badRequest = false;
    bool ok() const { return error.isEmpty(); }
};

/// The format a file name asks for, by extension (case-insensitive): .png, .svg, .pdf.
std::optional<ExportFormat> exportFormatForPath(const QString& path);

/// Geometry of one export: the layout size, the output size and the scale between them.
struct ExportGeometry {
    QSizeF logical;   ///< size the figure is laid out in
    QSize output;     ///< PNG pixels, or SVG/PDF CSS pixels
    double scale = 1; ///< output / logical
};
ExportGeometry exportGeometry(const Figure& figure, const FigureStyle& style,
                              const ExportOptions& options, ExportFormat format);

/// Largest PNG side and area, so a typo in --width cannot exhaust memory.
inline constexpr int kMaxImageSide = 20000;
inline constexpr long long kMaxImagePixels = 200'000'000;

/// The figure as an image (PNG exports, clipboard). A null image if the size is out of range
/// or too small for the figure (exportSizeError).
QImage renderFigureImage(const Figure& figure, const FigureStyle& style, const ExportOptions& options);
/// The figure as an SVG document (cells and text are vector shapes up to style.vectorCellLimit).
QByteArray renderFigureSvg(const Figure& figure, const FigureStyle& style, const ExportOptions& options);
/// The figure as a one-page PDF whose page is the figure's size.
QByteArray renderFigurePdf(const Figure& figure, const FigureStyle& style, const ExportOptions& options);

/// Why the figure cannot be exported at the size `options` ask for in `format`, or an empty
/// string if it can: beyond the limits above, or so small that the titles, labels and colour
/// bar leave a matrix no room (the message then names the smallest size, same aspect, that works).
QString exportSizeError(const Figure& figure, const FigureStyle& style, const ExportOptions& options,
                        ExportFormat format);

/// Checks, before any work, that `path` names a known format in a writable directory.
/// Creates nothing.
ExportResult checkExportPath(const QString& path);

/// Renders and writes the figure in the format of `path`'s extension. The file is written
/// through a temporary file and renamed (QSaveFile): a failure leaves no file behind and an
/// existing file untouched.
ExportResult exportFigure(const Figure& figure, const FigureStyle& style, const QString& path,
                          const ExportOptions& options = {});

/// exportFigure for a `path` that checkExportPath has already accepted (a command checks it
/// before its work, which may take long): renders and writes without checking it again.
ExportResult exportCheckedFigure(const Figure& figure, const FigureStyle& style, const QString& path,
                                 const ExportOptions& options = {});

/// The bytes exportFigure writes, in `format`, into `bytes` (for a stream such as standard
/// output). Errors as exportFigure's, naming `target` where it names the file.
ExportResult renderFigureBytes(const Figure& figure, const FigureStyle& style, ExportFormat format,
                               const ExportOptions& options, const QString& target, QByteArray& bytes);

/// Puts the figure on the clipboard as an image, and as SVG for applications that take it.
/// Needs a QGuiApplication.
void copyFigureToClipboard(const Figure& figure, const FigureStyle& style,
                           const ExportOptions& options = {});

} // namespace maskscope::ui
