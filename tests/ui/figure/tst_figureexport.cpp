// SPDX-License-Identifier: MIT
// Exports: every view in every format, sizes, SVG shapes, PDF validity, and failures that must
// leave nothing behind.
#include "figure/figurebuilder.h"
#include "figure/figureexport.h"
#include "figure/figurerenderer.h"
#include "figure/pngencoder.h"
#include "figure/viewnames.h"

#include "pixeldifference.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImageReader>
#include <QMimeData>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <unistd.h>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

Figure figure(ViewKind view, int head, int seqLen = 6, bool causal = true)
{
    ScenarioConfig c;
    c.seqLen = seqLen;
    c.causal = causal;
    c.validLens = {seqLen - 1};
    c.heads = 4;
    c.dModel = 16;
    c.tokens = "我 爱 北京 天安门";
    const Scenario s = buildScenario(c);
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    TraceRequest r;
    r.batchItem = 0;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, r, trace);
    return buildFigure(s, trace.batches.front(), view, head);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Elements of an SVG document by name, after checking that it parses as XML.
QMap<QString, int> svgElements(const QByteArray& svg)
{
    QMap<QString, int> count;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement)
            ++count[xml.name().toString()];
    if (xml.hasError())
        qWarning("SVG is not XML: %s", qPrintable(xml.errorString()));
    return xml.hasError() ? QMap<QString, int>() : count;
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

const char* viewName(ViewKind v)
{
    return viewKindName(v);
}

} // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
private slots:
    void everyViewInEveryFormat_data()
    {
        QTest::addColumn<int>("view");
        QTest::addColumn<int>("head");
        QTest::addColumn<QString>("suffix");
        for (ViewKind v : {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights, ViewKind::Pipeline}) {
            for (const char* suffix : {"png", "svg", "pdf"}) {
                for (int head : {1, kAllHeads, kMeanHead}) {
                    const QString name = QStringLiteral("%1 head %2 .%3").arg(viewName(v)).arg(head).arg(suffix);
                    QTest::newRow(qPrintable(name)) << int(v) << head << QString::fromLatin1(suffix);
                }
            }
        }
    }

    void everyViewInEveryFormat()
    {
        QFETCH(int, view);
        QFETCH(int, head);
        QFETCH(QString, suffix);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("figure.") + suffix);
        const Figure f = figure(ViewKind(view), head);
        const ExportResult r = exportFigure(f, {}, path);
        QVERIFY2(r.ok(), qPrintable(r.error));
        const QByteArray bytes = readAll(path);
        QVERIFY(bytes.size() > 1000);
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("figure.") + suffix}); // no leftovers
        if (suffix == QLatin1String("png")) {
            const QImage image = QImage::fromData(bytes, "PNG");
            QCOMPARE(image.size(), exportGeometry(f, {}, {}, ExportFormat::Png).output);
        } else if (suffix == QLatin1String("svg")) {
            QVERIFY(svgElements(bytes).value(QStringLiteral("svg")) == 1);
        } else {
            QVERIFY(bytes.startsWith("%PDF-"));
            QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        }
    }

    void pngEncoderIsLossless_data()
    {
        QTest::addColumn<QSize>("size");
        for (QSize s : {QSize(1, 1), QSize(3, 500), QSize(700, 3), QSize(257, 129), QSize(1000, 777)})
            QTest::newRow(qPrintable(QStringLiteral("%1x%2").arg(s.width()).arg(s.height()))) << s;
    }

    void pngEncoderIsLossless()
    {
        QFETCH(QSize, size);
        // Flat areas (as in heatmaps) and noise (as in anti-aliased text).
        QImage image(size, QImage::Format_RGB32);
        QRandomGenerator random(42);
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x)
                image.setPixel(x, y, (x / 7 + y / 5) % 3 == 0 ? random.generate() | 0xff000000u : qRgb(x % 256, 40, y % 256));
        image.setDotsPerMeterX(5906);
        image.setDotsPerMeterY(5906);
        const QByteArray png = encodePng(image);
        QVERIFY(png.startsWith("\x89PNG\r\n\x1a\n"));
        const QImage back = QImage::fromData(png, "PNG").convertToFormat(QImage::Format_RGB32);
        QCOMPARE(back.size(), size);
        QCOMPARE(back, image);
        QCOMPARE(QImage::fromData(png, "PNG").dotsPerMeterX(), 5906);
        QVERIFY(encodePng(QImage()).isEmpty());
    }

    void pngOfNoiseIsNeverMuchLargerThanItsPixels()
    {
        // Incompressible data: libdeflate falls back to stored blocks, so the file stays within a
        // few bytes per 64 KiB of the raw rows (a filter byte per row and 3 bytes per pixel).
        QImage image(400, 300, QImage::Format_RGB32);
        QRandomGenerator random(7);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.setPixel(x, y, random.generate() | 0xff000000u);
        const QByteArray png = encodePng(image);
        const qsizetype raw = qsizetype(image.height()) * (1 + 3 * image.width());
        QVERIFY2(png.size() <= raw + raw / 1000 + 128, qPrintable(QStringLiteral("%1 bytes for %2 raw").arg(png.size()).arg(raw)));
        QCOMPARE(QImage::fromData(png, "PNG").convertToFormat(QImage::Format_RGB32), image);
    }

    void pngRowFiltersRoundTripRepeatedRows()
    {
        // Runs of repeated rows (stored with the Up filter) between rows that differ, starting
        // with a repeat of the (all-zero) row above the image.
        QImage image(333, 240, QImage::Format_RGB32);
        image.fill(Qt::black);
        QRandomGenerator random(3);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (y > 0 && (y / 9) % 2 == 1)
                    image.setPixel(x, y, random.generate() | 0xff000000u);
                else if (y > 0)
                    image.setPixel(x, y, qRgb(x % 251, (y / 9) % 256, 200));
        QCOMPARE(QImage::fromData(encodePng(image), "PNG").convertToFormat(QImage::Format_RGB32), image);
    }

    void exportedPngsAreTheImagePaintedWhole_data()
    {
        QTest::addColumn<int>("view");
        QTest::addColumn<int>("head");
        QTest::addColumn<int>("seqLen");
        QTest::addColumn<int>("dpi");
        for (ViewKind v : {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights, ViewKind::Pipeline})
            for (int head : {1, kAllHeads})
                QTest::addRow("%s head %d", viewName(v), head) << int(v) << head << 6 << 150;
        // Many bands each: panels painted as images, hatched vector cells, the pipeline's arrows.
        QTest::addRow("weights grid L=256") << int(ViewKind::Weights) << kAllHeads << 256 << 150;
        QTest::addRow("mask grid L=48 at 600 dpi") << int(ViewKind::Mask) << kAllHeads << 48 << 600;
        QTest::addRow("pipeline L=24 at 600 dpi") << int(ViewKind::Pipeline) << 0 << 24 << 300;
    }

    // A PNG export paints its figure a band of rows at a time (encodePaintedPng); its pixels are
    // those of the figure painted whole, but for anti-aliased edges that cross a band's edge, a
    // level in 255 apart.
    void exportedPngsAreTheImagePaintedWhole()
    {
        QFETCH(int, view);
        QFETCH(int, head);
        QFETCH(int, seqLen);
        QFETCH(int, dpi);
        const Figure f = figure(ViewKind(view), head, seqLen);
        ExportOptions options;
        options.dpi = dpi;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("figure.png"));
        const ExportResult r = exportFigure(f, {}, path, options);
        QVERIFY2(r.ok(), qPrintable(r.error));
        const QImage whole = renderFigureImage(f, {}, options);
        const QImage exported = QImage(path).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(exported.size(), whole.size());
        QCOMPARE(exported.dotsPerMeterX(), whole.dotsPerMeterX());
        const testing::PixelDifference d = testing::pixelDifference(exported, whole);
        QVERIFY2(d.most <= 1, qPrintable(QStringLiteral("%1 pixels differ, by up to %2").arg(d.pixels).arg(d.most)));
    }

    void pngOfALargeGridIsATwentiethOfItsPixels()
    {
        // The grid of 8 heads at L = 256 at 150 dpi: the hand-written fixed-Huffman encoder
        // that libdeflate replaced made it 1/8 of its raw 9 MB; libdeflate reaches 1/20.
        ScenarioConfig c;
        c.seqLen = 256;
        c.heads = 8;
        c.dModel = 64;
        const Scenario s = buildScenario(c);
        AttentionEngine<float> engine;
        AttentionTrace<float> trace;
        TraceRequest r;
        r.batchItem = 0;
        engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, r, trace);
        const QImage image = renderFigureImage(buildFigure(s, trace.batches.front(), ViewKind::Weights, kAllHeads), {},
                                               ExportOptions{});
        const qsizetype raw = qsizetype(image.height()) * (1 + 3 * image.width());
        const QByteArray png = encodePng(image);
        QVERIFY2(png.size() * 20 <= raw, qPrintable(QStringLiteral("%1 bytes for %2 raw").arg(png.size()).arg(raw)));
    }

    void pngSizeFollowsDpiAndExplicitSizes()
    {
        const Figure f = figure(ViewKind::Weights, 0);
        const QSizeF preferred = FigureRenderer::preferredSize(f, {});
        ExportOptions at96;
        at96.dpi = 96;
        QCOMPARE(renderFigureImage(f, {}, at96).size(), preferred.toSize());
        ExportOptions at192;
        at192.dpi = 192;
        const QImage big = renderFigureImage(f, {}, at192);
        QCOMPARE(big.size(), QSize(int(std::ceil(preferred.width() * 2)), int(std::ceil(preferred.height() * 2))));
        QCOMPARE(big.dotsPerMeterX(), qRound(192 / 0.0254));
        ExportOptions sized;
        sized.width = 1000;
        sized.height = 400;
        QCOMPARE(renderFigureImage(f, {}, sized).size(), QSize(1000, 400));
        ExportOptions widthOnly;
        widthOnly.width = 800;
        const QImage w = renderFigureImage(f, {}, widthOnly);
        QCOMPARE(w.width(), 800);
        QVERIFY(std::abs(w.height() - 800 * preferred.height() / preferred.width()) <= 1);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sized.png"));
        QVERIFY(exportFigure(f, {}, path, sized).ok());
        QImageReader reader(path);
        QCOMPARE(reader.size(), QSize(1000, 400));
    }

    void svgHasOneShapePerCellAndRealText()
    {
        const Figure f = figure(ViewKind::Mask, 0, 8);
        const QMap<QString, int> e = svgElements(renderFigureSvg(f, {}, {}));
        QCOMPARE(e.value(QStringLiteral("rect")), 8 * 8);
        QCOMPARE(e.value(QStringLiteral("image")), 0);
        QVERIFY(e.value(QStringLiteral("text")) >= 8 + 8 + 2); // tokens, axis titles, title

        const Figure pipeline = figure(ViewKind::Pipeline, 2, 5);
        QCOMPARE(svgElements(renderFigureSvg(pipeline, {}, {})).value(QStringLiteral("rect")), 4 * 5 * 5);

        const Figure grid = figure(ViewKind::Weights, kAllHeads, 3);
        QCOMPARE(svgElements(renderFigureSvg(grid, {}, {})).value(QStringLiteral("rect")), 4 * 3 * 3);

        // Above the vector limit the cells are one embedded image; text stays text.
        const Figure large = figure(ViewKind::Weights, 0, 140);
        const QMap<QString, int> l = svgElements(renderFigureSvg(large, {}, {}));
        QCOMPARE(l.value(QStringLiteral("rect")), 0);
        QCOMPARE(l.value(QStringLiteral("image")), 2); // the cells and the colour bar
        QVERIFY(l.value(QStringLiteral("text")) > 10);

        const QByteArray svg = renderFigureSvg(f, {}, {});
        QVERIFY(svg.contains("北京"));
        QVERIFY(svg.contains("<title>Attention mask</title>"));
    }

    void pdfIsOnePageOfTheFigureSize()
    {
        const Figure f = figure(ViewKind::Pipeline, 0, 8);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("figure.pdf"));
        ExportOptions sized;
        sized.width = 960;
        sized.height = 300;
        QVERIFY(exportFigure(f, {}, path, sized).ok());
        QVERIFY(readAll(path).startsWith("%PDF"));
        const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
        if (pdftoppm.isEmpty())
            QSKIP("pdftoppm (poppler-utils) is not installed");
        // 960 x 300 CSS pixels = 10 x 3.125 inches: 200 x 63 pixels at 20 dpi.
        QProcess p;
        p.start(pdftoppm, {QStringLiteral("-r"), QStringLiteral("20"), QStringLiteral("-png"), path, dir.filePath(QStringLiteral("page"))});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QImage page(dir.filePath(QStringLiteral("page-1.png")));
        QVERIFY(!page.isNull());
        QVERIFY(std::abs(page.width() - 200) <= 1);
        QVERIFY(std::abs(page.height() - 63) <= 1);
    }

    void unknownExtensionWritesNothing()
    {
        QTemporaryDir dir;
        const Figure f = figure(ViewKind::Weights, 0);
        for (const char* name : {"figure.jpg", "figure", "figure.png.txt"}) {
            const ExportResult r = exportFigure(f, {}, dir.filePath(QString::fromLatin1(name)));
            QVERIFY(!r.ok());
            QVERIFY2(r.error.contains(QStringLiteral(".png, .svg or .pdf")), qPrintable(r.error));
            QVERIFY(!r.error.contains(QLatin1Char('\n')));
        }
        QVERIFY(entries(dir.path()).isEmpty());
        QVERIFY(exportFormatForPath(QStringLiteral("A.PNG")) == ExportFormat::Png);
    }

    void unwritablePlacesAreClearErrors()
    {
        QTemporaryDir dir;
        const Figure f = figure(ViewKind::Weights, 0);
        const QString file = dir.filePath(QStringLiteral("plain"));
        QFile(file).open(QIODevice::WriteOnly);
        const QString cases[] = {dir.filePath(QStringLiteral("missing/figure.png")),
                                 file + QStringLiteral("/figure.png"), // parent is a file
                                 dir.filePath(QStringLiteral("adir.png"))};
        QDir(dir.path()).mkdir(QStringLiteral("adir.png"));
        for (const QString& path : cases) {
            const ExportResult r = exportFigure(f, {}, path);
            QVERIFY2(!r.ok(), qPrintable(path));
            QVERIFY2(r.error.startsWith(QStringLiteral("cannot write '")), qPrintable(r.error));
            QVERIFY(!r.error.contains(QLatin1Char('\n')));
        }
        QCOMPARE(entries(dir.path()), (QStringList{QStringLiteral("adir.png"), QStringLiteral("plain")}));
        QVERIFY(entries(dir.filePath(QStringLiteral("adir.png"))).isEmpty());
        // A directory nobody may create files in, root included.
        if (QDir(QStringLiteral("/proc")).exists()) {
            const ExportResult r = exportFigure(f, {}, QStringLiteral("/proc/maskscope-figure.png"));
            QVERIFY(!r.ok());
            QVERIFY2(r.error.startsWith(QStringLiteral("cannot write '/proc/")), qPrintable(r.error));
        }
    }

    void readOnlyDirectoryKeepsTheOldFile()
    {
        if (geteuid() == 0)
            QSKIP("root writes into read-only directories");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("figure.png"));
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old figure");
        old.close();
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        const ExportResult r = exportFigure(figure(ViewKind::Weights, 0), {}, path);
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(!r.ok());
        QCOMPARE(readAll(path), QByteArray("old figure"));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("figure.png")});
    }

    void failedExportLeavesAnExistingFileUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("figure.png"));
        const Figure f = figure(ViewKind::Weights, 0);
        QVERIFY(exportFigure(f, {}, path).ok());
        const QByteArray before = readAll(path);
        // A failure after the path checks (the image would be too large to make).
        ExportOptions huge;
        huge.width = kMaxImageSide;
        huge.height = kMaxImageSide;
        const ExportResult r = exportFigure(f, {}, path, huge);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("limit")), qPrintable(r.error));
        QCOMPARE(readAll(path), before);
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("figure.png")});
        // And a good export replaces it whole.
        QVERIFY(exportFigure(figure(ViewKind::Mask, 0), {}, path).ok());
        QVERIFY(readAll(path) != before);
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("figure.png")});
    }

    void checkingAPathCreatesNothing()
    {
        QTemporaryDir dir;
        QVERIFY(checkExportPath(dir.filePath(QStringLiteral("new.svg"))).ok());
        QVERIFY(entries(dir.path()).isEmpty());
        QVERIFY(!checkExportPath(QString()).ok());
    }

    void themesAndStylesExport()
    {
        QTemporaryDir dir;
        FigureStyle dark;
        dark.theme = Theme::Dark;
        dark.numbers = true;
        const QString path = dir.filePath(QStringLiteral("dark.png"));
        QVERIFY(exportFigure(figure(ViewKind::Pipeline, 0, 6), dark, path).ok());
        const QImage image(path);
        QVERIFY(qGray(image.pixel(2, 2)) < 60);
    }

    void copyPutsImageAndSvgOnTheClipboard()
    {
        const Figure f = figure(ViewKind::Weights, 0);
        copyFigureToClipboard(f, {});
        const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
        if (!mime || !mime->hasImage())
            QSKIP("this platform has no clipboard");
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        QCOMPARE(image.size(), exportGeometry(f, {}, {}, ExportFormat::Png).output);
        QVERIFY(mime->data(QStringLiteral("image/svg+xml")).contains("<svg"));
    }
};

QTEST_MAIN(TestFigureExport)
#include "tst_figureexport.moc"
