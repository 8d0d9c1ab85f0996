// SPDX-License-Identifier: MIT
#include "figure/figureexport.h"

#include "figure/largebuffer.h"

#include "figure/figurerenderer.h"
#include "figure/pngencoder.h"

#include <QBuffer>
#include <QClipboard>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMimeData>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>

#include <cmath>

namespace maskscope::ui {

namespace {

// The translation context of the export errors (shown by the export dialog and the command).
struct ExportText {
    Q_DECLARE_TR_FUNCTIONS(ExportText)
};

constexpr double kLogicalDpi = 96.0;
constexpr int kPdfResolution = 1200; // device units per inch inside the PDF

QString cannotWrite(const QString& path, const QString& why)
{
    return ExportText::tr("cannot write '%1': %2").arg(path, why);
}

// Output size for the options: explicit width/height (one of them keeps the aspect ratio) or
// the preferred size at the requested density.
QSize outputSize(const QSizeF& preferred, const ExportOptions& o, double scale)
{
    if (o.width > 0 && o.height > 0)
        return {o.width, o.height};
    if (o.width > 0)
        return {o.width, std::max(1, static_cast<int>(std::lround(o.width * preferred.height() / preferred.width())))};
    if (o.height > 0)
        return {std::max(1, static_cast<int>(std::lround(o.height * preferred.width() / preferred.height()))), o.height};
    return {static_cast<int>(std::ceil(preferred.width() * scale)),
            static_cast<int>(std::ceil(preferred.height() * scale))};
}

QString sizeError(const QSize& size)
{
    if (size.width() < 1 || size.height() < 1)
        return ExportText::tr("the figure would be empty (%1 x %2)").arg(size.width()).arg(size.height());
    if (size.width() > kMaxImageSide || size.height() > kMaxImageSide ||
        static_cast<long long>(size.width()) * size.height() > kMaxImagePixels)
        return ExportText::tr("the figure would be %1 x %2 pixels; the limit is %3 per side and %4 "
                              "million in all")
            .arg(size.width())
            .arg(size.height())
            .arg(kMaxImageSide)
            .arg(kMaxImagePixels / 1'000'000);
    return {};
}

// A matrix needs this many logical pixels along its longer side (or one per cell, if it has
// fewer cells) to be drawn at all; below it the decorations have eaten the space.
constexpr double kMinMatrixSide = 16;

bool matricesFit(const Figure& figure, const FigureLayout& layout)
{
    const std::size_t count = std::min(layout.panels.size(), figure.panels.size());
    for (std::size_t k = 0; k < count; ++k) {
        const double side = std::max(figure.panels[k].rows, figure.panels[k].cols);
        if (!(layout.panels[k].cell * side >= std::min(side, kMinMatrixSide)))
            return false;
    }
    return true;
}

// The options asking for `output`, width and height both given.
ExportOptions sizedTo(const QSize& output)
{
    ExportOptions o;
    o.width = output.width();
    o.height = output.height();
    return o;
}

// The smallest output with the aspect ratio of `asked` whose matrices fit (a binary search on
// the width: more room never shrinks the cells); `asked` itself if it fits or nothing does.
QSize smallestFitting(const Figure& figure, const FigureStyle& style, const QSize& asked,
                      ExportFormat format)
{
    const auto fits = [&](int width) {
        const QSize output(width, std::max(1, static_cast<int>(std::lround(
                                                  double(width) * asked.height() / asked.width()))));
        const QSizeF logical = exportGeometry(figure, style, sizedTo(output), format).logical;
        return matricesFit(figure, FigureRenderer::layout(figure, logical, style));
    };
    const int limit = asked.width() >= asked.height()
                          ? kMaxImageSide
                          : static_cast<int>(double(kMaxImageSide) * asked.width() / asked.height());
    if (fits(asked.width()) || !fits(limit))
        return asked;
    int tooSmall = asked.width(), enough = limit;
    while (enough - tooSmall > 1) {
        const int middle = tooSmall + (enough - tooSmall) / 2;
        (fits(middle) ? enough : tooSmall) = middle;
    }
    return {enough, std::max(1, static_cast<int>(std::lround(double(enough) * asked.height() / asked.width())))};
}

ExportResult writeAtomically(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {cannotWrite(path, file.errorString())};
    if (file.write(bytes) != bytes.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return {cannotWrite(path, why)};
    }
    if (!file.commit())
        return {cannotWrite(path, file.errorString())};
    return {};
}

QString formatList()
{
    return ExportText::tr("use .png, .svg or .pdf");
}

} // namespace

std::optional<ExportFormat> exportFormatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return ExportFormat::Png;
    if (suffix == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    return std::nullopt;
}

ExportGeometry exportGeometry(const Figure& figure, const FigureStyle& style,
                              const ExportOptions& options, ExportFormat format)
{
    const QSizeF preferred = FigureRenderer::preferredSize(figure, style);
    const bool raster = format == ExportFormat::Png;
    const double density = raster ? (options.dpi > 0 ? options.dpi : ExportOptions::kDefaultDpi) : kLogicalDpi;
    ExportGeometry g;
    g.output = outputSize(preferred, options, density / kLogicalDpi);
    const bool sized = options.width > 0 || options.height > 0;
    if (!sized || (raster && options.dpi > 0)) {
        g.scale = density / kLogicalDpi;
    } else {
        // A large output scales the preferred layout up, text included. A small one keeps text
        // at its normal size (it would be unreadable scaled down) and fits the cells around it.
        g.scale = std::max(1.0, std::min(g.output.width() / preferred.width(),
                                         g.output.height() / preferred.height()));
    }
    g.logical = QSizeF(g.output.width() / g.scale, g.output.height() / g.scale);
    return g;
}

namespace {

// One export worked out before any pixel: its geometry and the figure laid out in it, or why
// it cannot be made. Laying a figure out shapes all its texts; an export does it once.
struct ExportPlan {
    ExportGeometry geometry;
    FigureLayout layout;
    QString error;
};

QString tooSmallError(const Figure& figure, const FigureStyle& style, const QSize& output, ExportFormat format)
{
    const QSize smallest = smallestFitting(figure, style, output, format);
    return ExportText::tr("%1 x %2 is too small for this figure; the smallest size that works is "
                          "%3 x %4")
        .arg(output.width())
        .arg(output.height())
        .arg(smallest.width())
        .arg(smallest.height());
}

ExportPlan planExport(const Figure& figure, const FigureStyle& style, const ExportOptions& options,
                      ExportFormat format)
{
    ExportPlan plan;
    plan.geometry = exportGeometry(figure, style, options, format);
    plan.error = sizeError(plan.geometry.output);
    if (!plan.error.isEmpty())
        return plan;
    plan.layout = FigureRenderer::layout(figure, plan.geometry.logical, style);
    if (!matricesFit(figure, plan.layout))
        plan.error = tooSmallError(figure, style, plan.geometry.output, format);
    return plan;
}

// Recorded in a PNG, so slide software places it at its intended physical size.
int dotsPerMeter(const ExportPlan& plan)
{
    return static_cast<int>(std::lround(plan.geometry.scale * kLogicalDpi / 0.0254));
}

void paintScaled(QPainter& painter, const Figure& figure, const FigureStyle& style, const ExportPlan& plan)
{
    painter.scale(plan.geometry.scale, plan.geometry.scale);
    FigureRenderer::paint(painter, QPointF(0, 0), plan.layout, figure, style);
}

QImage paintImage(const Figure& figure, const FigureStyle& style, const ExportPlan& plan)
{
    QImage image = largeImage(plan.geometry.output, QImage::Format_RGB32);
    if (image.isNull())
        return image;
    image.setDotsPerMeterX(dotsPerMeter(plan));
    image.setDotsPerMeterY(dotsPerMeter(plan));
    QPainter painter(&image);
    paintScaled(painter, figure, style, plan);
    return image;
}

QByteArray paintPng(const Figure& figure, const FigureStyle& style, const ExportPlan& plan)
{
    const RepeatedPaintScope paintedInBands;
    return encodePaintedPng(plan.geometry.output, dotsPerMeter(plan),
                            [&](QPainter& painter) { paintScaled(painter, figure, style, plan); });
}

QByteArray paintSvg(const Figure& figure, const FigureStyle& style, const ExportPlan& plan)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(static_cast<int>(kLogicalDpi));
    svg.setSize(plan.geometry.output);
    svg.setViewBox(QRectF(QPointF(0, 0), plan.geometry.logical));
    svg.setTitle(figure.title);
    svg.setDescription(figure.subtitle);
    QPainter painter;
    if (!painter.begin(&svg))
        return {};
    FigureRenderer::paint(painter, QPointF(0, 0), plan.layout, figure, style);
    painter.end();
    return bytes;
}

QByteArray paintPdf(const Figure& figure, const FigureStyle& style, const ExportPlan& plan)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buffer);
    pdf.setCreator(QStringLiteral("MaskScope"));
    pdf.setTitle(figure.title);
    pdf.setResolution(kPdfResolution);
    const QSize output = plan.geometry.output;
    const QSizeF points(output.width() * 72.0 / kLogicalDpi, output.height() * 72.0 / kLogicalDpi);
    pdf.setPageLayout(QPageLayout(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch),
                                  QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QPainter painter;
    if (!painter.begin(&pdf))
        return {};
    const double toDevice = kPdfResolution / kLogicalDpi * plan.geometry.scale;
    painter.scale(toDevice, toDevice);
    FigureRenderer::paint(painter, QPointF(0, 0), plan.layout, figure, style);
    painter.end();
    return bytes;
}

QByteArray renderBytes(const Figure& figure, const FigureStyle& style, const ExportPlan& plan, ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png: return paintPng(figure, style, plan);
    case ExportFormat::Svg: return paintSvg(figure, style, plan);
    case ExportFormat::Pdf: return paintPdf(figure, style, plan);
    }
    return {};
}

} // namespace

QImage renderFigureImage(const Figure& figure, const FigureStyle& style, const ExportOptions& options)
{
    const ExportPlan plan = planExport(figure, style, options, ExportFormat::Png);
    return plan.error.isEmpty() ? paintImage(figure, style, plan) : QImage();
}

QByteArray renderFigureSvg(const Figure& figure, const FigureStyle& style, const ExportOptions& options)
{
    return paintSvg(figure, style, planExport(figure, style, options, ExportFormat::Svg));
}

QByteArray renderFigurePdf(const Figure& figure, const FigureStyle& style, const ExportOptions& options)
{
    return paintPdf(figure, style, planExport(figure, style, options, ExportFormat::Pdf));
}

QString exportSizeError(const Figure& figure, const FigureStyle& style, const ExportOptions& options,
                        ExportFormat format)
{
    return planExport(figure, style, options, format).error;
}

ExportResult checkExportPath(const QString& path)
{
    const auto bad = [](const QString& error) { return ExportResult{error, true}; };
    if (path.isEmpty())
        return bad(ExportText::tr("no output file given"));
    if (!exportFormatForPath(path)) {
        const QString suffix = QFileInfo(path).suffix();
        return bad(suffix.isEmpty()
                       ? ExportText::tr("cannot export to '%1': no file extension (%2)").arg(path, formatList())
                       : ExportText::tr("cannot export to '%1': unknown file type '.%2' (%3)")
                             .arg(path, suffix, formatList()));
    }
    const QFileInfo info(path);
    if (info.isDir())
        return bad(cannotWrite(path, ExportText::tr("it is a directory")));
    if (!info.absoluteDir().exists())
        return bad(cannotWrite(path, ExportText::tr("directory '%1' does not exist").arg(info.absolutePath())));
    // Opening a QSaveFile creates only its temporary file, which cancelWriting removes again.
    QSaveFile probe(path);
    if (!probe.open(QIODevice::WriteOnly))
        return bad(cannotWrite(path, probe.errorString()));
    probe.cancelWriting();
    return {};
}

ExportResult exportFigure(const Figure& figure, const FigureStyle& style, const QString& path,
                          const ExportOptions& options)
{
    if (ExportResult checked = checkExportPath(path); !checked.ok())
        return checked;
    return exportCheckedFigure(figure, style, path, options);
}

ExportResult exportCheckedFigure(const Figure& figure, const FigureStyle& style, const QString& path,
                                 const ExportOptions& options)
{
    QByteArray bytes;
    if (ExportResult rendered = renderFigureBytes(figure, style, *exportFormatForPath(path), options, path, bytes);
        !rendered.ok())
        return rendered;
    return writeAtomically(path, bytes);
}

ExportResult renderFigureBytes(const Figure& figure, const FigureStyle& style, ExportFormat format,
                               const ExportOptions& options, const QString& target, QByteArray& bytes)
{
    const ExportPlan plan = planExport(figure, style, options, format);
    if (!plan.error.isEmpty())
        return {ExportText::tr("cannot export to '%1': %2").arg(target, plan.error), true};
    bytes = renderBytes(figure, style, plan, format);
    if (bytes.isEmpty())
        return {ExportText::tr("cannot export to '%1': rendering failed (out of memory?)").arg(target)};
    return {};
}

void copyFigureToClipboard(const Figure& figure, const FigureStyle& style, const ExportOptions& options)
{
    auto* mime = new QMimeData;
    mime->setImageData(renderFigureImage(figure, style, options));
    mime->setData(QStringLiteral("image/svg+xml"), renderFigureSvg(figure, style, {}));
    QGuiApplication::clipboard()->setMimeData(mime);
}

} // namespace maskscope::ui
