// SPDX-License-Identifier: MIT
// The long-context view in the real window at L = 131072: the mask alone, drawn from the rules at
// screen resolution (pixels agree with allowedAt), zoom and pan down to single cells, exact
// block-sparsity figures and tiles equal to the core's, the memory note, and peak memory far
// below one L x L matrix.

#include "figure/colormap.h"
#include "window/controlpanel.h"
#include "window/heatmapview.h"
#include "document/longcontext.h"
#include "window/longmaskview.h"
#include "window/mainwindow.h"
#include "document/maskdocument.h"

#include <QClipboard>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

constexpr int kLength = 131072;

long long peakRssBytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<long long>(usage.ru_maxrss) * 1024;
}

ScenarioConfig longConfig()
{
    ScenarioConfig c;
    c.seqLen = kLength;
    c.causal = true;
    c.rules.windowLeft = 4096;
    c.rules.windowRight = 0;
    c.rules.globalTokens = 4;
    c.heads = 8;
    c.blockSize = 64;
    return c;
}

} // namespace

class TestLongMaskView : public QObject, public testing::WindowFixture {
    Q_OBJECT

    long long baselineRss_ = 0;

    LongMaskView* view() const { return window()->longMaskView(); }

    void settle()
    {
        WindowFixture::settle();
        view()->renderNow();
    }

    // The colour a user sees at widget position p.
    QRgb pixelAt(QPoint p) const { return view()->grab().toImage().pixel(p); }

private slots:
    void initTestCase()
    {
        isolateSettings();
        baselineRss_ = peakRssBytes();
        QVERIFY(openWindow(longConfig()));
        settle();
    }
    void cleanupTestCase() { closeWindow(); }

    void showsTheMaskAloneWithTheMemoryNote()
    {
        QVERIFY(needsLongContextView(doc()->config()));
        QVERIFY(doc()->error().isEmpty());
        QVERIFY(doc()->result()->longContext);
        QCOMPARE(window()->findChild<QStackedWidget*>()->currentWidget(), static_cast<QWidget*>(view()));
        QVERIFY(view()->isVisible());
        // One head's logits + masked logits + weights of 131072^2 float32 cells: 192 GiB and more.
        QVERIFY2(view()->noteText().contains(QStringLiteral("GiB")), qPrintable(view()->noteText()));
        QVERIFY(view()->noteText().contains(QStringLiteral("131072")));
        QVERIFY(!view()->raster().image.isNull());
        QVERIFY(view()->raster().image.width() <= view()->width());
    }

    void neverAllocatesAnythingLikeLSquared()
    {
        for (int k = 0; k < 5; ++k) {
            view()->zoomBy(2.0);
            view()->renderNow();
        }
        view()->fitAll();
        view()->renderNow();
        // One bool per cell would be 16 GiB, one bit 2 GiB: the whole window stays far below.
        const long long grown = peakRssBytes() - baselineRss_;
        qInfo("peak RSS grew by %lld MiB", grown >> 20);
        QVERIFY2(grown < 400LL << 20, qPrintable(QString::number(grown >> 20)));
    }

    void pixelsShowTheRulesDownToSingleCells()
    {
        view()->showCells(70000, 65900, 16.0); // 16 px per cell around the window's left edge
        view()->renderNow();
        QVERIFY(view()->visibleRows().size() < 100);
        const MaskSpec& mask = doc()->result()->scenario->mask;
        const QRectF m = view()->matrixRect();
        int allowed = 0, blocked = 0;
        for (double y = m.top() + 8; y < m.bottom() - 8; y += 37)
            for (double x = m.left() + 8; x < m.right() - 8; x += 41) {
                const auto cell = view()->cellAt({x, y});
                QVERIFY(cell);
                const bool expected = allowedAt(mask, 0, cell->first, cell->second);
                const QRgb seen = pixelAt(QPointF(x, y).toPoint());
                QCOMPARE(seen == QColor(kAllowedColor).rgb(), expected);
                (expected ? allowed : blocked) += 1;
            }
        QVERIFY(allowed > 10 && blocked > 10); // the view shows the window's edge
    }

    void zoomAndPanWithWheelKeysAndDrag()
    {
        view()->fitAll();
        view()->setFocus();
        const double fit = view()->pixelsPerCell();
        QTest::keyClick(view(), Qt::Key_Plus);
        QVERIFY(view()->pixelsPerCell() > fit);
        QWheelEvent wheel(view()->matrixRect().center(), view()->mapToGlobal(view()->matrixRect().center()), {},
                          {0, 120 * 20}, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view(), &wheel);
        const IndexRange before = view()->visibleRows();
        QVERIFY(before.size() < kLength / 50);
        const QPoint c = view()->matrixRect().center().toPoint();
        QTest::mousePress(view(), Qt::LeftButton, {}, c);
        QMouseEvent move(QEvent::MouseMove, c - QPoint(0, 200), view()->mapToGlobal(c - QPoint(0, 200)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view(), &move);
        QTest::mouseRelease(view(), Qt::LeftButton, {}, c - QPoint(0, 200));
        QVERIFY(view()->visibleRows().begin > before.begin); // dragged up: later rows come in
        for (int k = 0; k < 40; ++k)
            QTest::keyClick(view(), Qt::Key_Plus);
        QCOMPARE(view()->pixelsPerCell(), LongMaskView::kMaxPixelsPerCell); // single cells, large
        QTest::keyClick(view(), Qt::Key_0);
        QCOMPARE(view()->pixelsPerCell(), fit);
    }

    void blockFiguresAndTilesAreTheCoresExactOnes()
    {
        const MaskSpec& mask = doc()->result()->scenario->mask;
        view()->fitAll();
        view()->renderNow();
        QVERIFY(view()->blockFigures());
        const BlockSparsity exact = blockSparsity(mask, 0, 64);
        QCOMPARE(view()->blockFigures()->emptyTiles, exact.emptyTiles);
        QCOMPARE(view()->blockFigures()->partialTiles, exact.partialTiles);
        QVERIFY(view()->infoText().contains(blockOverlaySummary(exact)));
        view()->setBlockOverlay(true);
        view()->renderNow();
        QVERIFY(view()->raster().tiles.empty()); // 2048 x 2048 tiles are smaller than a pixel
        QVERIFY(view()->infoText().contains(QStringLiteral("zoom in")));
        view()->showCells(8000, 4000, 1.0);
        view()->renderNow();
        const LongRaster& r = view()->raster();
        QVERIFY(!r.tiles.empty());
        QCOMPARE(r.tiles, classifyTiles(mask, 0, 64, r.tileRows, r.tileCols));
        view()->setBlockOverlay(false);
    }

    void aClickOnALargeCellTogglesIt()
    {
        view()->showCells(50000, 49990, 24.0);
        view()->renderNow();
        const QPointF at = view()->matrixRect().topLeft() + QPointF(24 * 10 + 12, 12); // row 50000, key 50000
        QCOMPARE(view()->cellAt(at), (std::optional<std::pair<int, int>>{{50000, 50000}}));
        QVERIFY(allowedAt(doc()->result()->scenario->mask, 0, 50000, 50000));
        QTest::mouseClick(view(), Qt::LeftButton, {}, at.toPoint());
        settle();
        QVERIFY(doc()->config().rules.toggled.contains(50000, 50000));
        QVERIFY(!allowedAt(doc()->result()->scenario->mask, 0, 50000, 50000));
        QCOMPARE(pixelAt(at.toPoint()), paletteFor(Theme::Light).blockedFill.rgb());
        // Zoomed out, a click is too coarse to aim: nothing is toggled.
        view()->fitAll();
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->matrixRect().center().toPoint());
        settle();
        QCOMPARE(doc()->config().rules.toggled.size(), size_t(1));
        doc()->editConfig([](ScenarioConfig& c) { c.rules.toggled.clear(); });
        settle();
    }

    // Export and Copy write the figure of the cells on screen, drawn from the rules as
    // `export --region` draws it, not a grab of the widget.
    void exportAndCopyDrawTheRegionOnScreen()
    {
        view()->showCells(70000, 65900, 16.0);
        view()->renderNow();
        const MaskSpec& mask = doc()->result()->scenario->mask;
        const std::optional<Figure> zoomed = view()->regionFigure();
        QVERIFY(zoomed);
        const Heatmap& cells = zoomed->panels.front();
        QCOMPARE(cells.firstRow, view()->visibleRows().begin);
        QCOMPARE(cells.rows, view()->visibleRows().size());
        QCOMPARE(cells.cols, view()->visibleCols().size());
        QCOMPARE(cells.states.size(), size_t(cells.rows) * size_t(cells.cols)); // every cell, exactly
        for (int i = 0; i < cells.rows; ++i)
            for (int j = 0; j < cells.cols; ++j)
                QCOMPARE(cells.states[size_t(i) * size_t(cells.cols) + size_t(j)] == CellState::Value,
                         allowedAt(mask, 0, cells.firstRow + i, cells.firstCol + j));
        view()->fitAll();
        view()->renderNow();
        const std::optional<Figure> whole = view()->regionFigure();
        QVERIFY(whole && whole->panels.front().source && whole->panels.front().rows == kLength);
        // The sizes of the mask-only scenario come from its config, as the command line's.
        QVERIFY2(whole->subtitle.contains(QStringLiteral("8 heads, d_model 64")), qPrintable(whole->subtitle));
        QAction* copy = nullptr;
        for (QAction* a : window()->findChildren<QAction*>())
            if (a->text().remove(QLatin1Char('&')) == QStringLiteral("Copy figure"))
                copy = a;
        QVERIFY(copy);
        QGuiApplication::clipboard()->clear();
        copy->trigger();
        const QMimeData* data = QGuiApplication::clipboard()->mimeData();
        QVERIFY(data && data->hasImage() && data->hasFormat(QStringLiteral("image/svg+xml")));
        QVERIFY(data->data(QStringLiteral("image/svg+xml")).contains("L = 131072"));
        QVERIFY(qvariant_cast<QImage>(data->imageData()).size() != view()->size());
    }

    void followsTheDarkTheme()
    {
        view()->showCells(70000, 65900, 16.0);
        view()->setTheme(Theme::Dark);
        view()->renderNow();
        const QPointF corner = view()->matrixRect().topLeft() - QPointF(20, 20);
        QCOMPARE(pixelAt(corner.toPoint()), paletteFor(Theme::Dark).background.rgb());
        view()->setTheme(Theme::Light);
        view()->renderNow();
        QCOMPARE(pixelAt(corner.toPoint()), paletteFor(Theme::Light).background.rgb());
    }

    void longContextPresetOpensThisView()
    {
        const PresetLibrary& presets = window()->controlPanel()->presets();
        for (int k = 0; k < presets.presets().size(); ++k)
            if (presets.presets().at(k).name.startsWith(QStringLiteral("Long context")))
                window()->controlPanel()->applyPreset(k);
        settle();
        QCOMPARE(doc()->config().effectiveSeqLen(), kLength);
        QCOMPARE(doc()->config().rules.globalTokens, 4);
        QVERIFY(doc()->result()->longContext);
        QCOMPARE(view()->blockFigures()->block, 128);
    }

    void followsTheDocumentAndLeavesForSmallLengths()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.blockSize = 128; });
        settle();
        QCOMPARE(view()->blockFigures()->block, 128);
        doc()->editConfig([](ScenarioConfig& c) { c.seqLen = 64; });
        QTRY_VERIFY_WITH_TIMEOUT(doc()->isIdle(), 120000);
        QVERIFY(!doc()->result()->longContext);
        QCOMPARE(window()->findChild<QStackedWidget*>()->currentWidget(),
                 static_cast<QWidget*>(window()->heatmapView()));
    }
};

QTEST_MAIN(TestLongMaskView)
#include "tst_longmaskview.moc"
