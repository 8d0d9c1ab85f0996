// SPDX-License-Identifier: MIT
// The export dialog, driven through its widgets: every figure choice in every format, sizes,
// the numbers switch for large matrices, inline errors that write nothing, and large figures
// computed on a worker thread.
#include "window/exportdialog.h"
#include "figure/figurejob.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

ScenarioConfig config(int seqLen, int heads = 4)
{
    return testing::syntheticConfig(seqLen, heads, 4 * heads, true);
}

// What the window would hand over: its computed result for `view` (null = none yet).
ExportSource source(const ScenarioConfig& c, const FigureRequest& view, bool withShown = true)
{
    ExportSource s{nullptr, c, view, FigureStyle{}};
    if (withShown) {
        TraceJob job;
        job.id = 1;
        job.config = c;
        job.view = view;
        s.shown = computeTrace(job);
    }
    return s;
}

using testing::namedControl;

void setPath(ExportDialog& d, const QString& path)
{
    QLineEdit* edit = namedControl<QLineEdit>(&d, "path");
    edit->clear();
    QTest::keyClicks(edit, path);
}

void click(ExportDialog& d, const char* button)
{
    QTest::mouseClick(namedControl<QPushButton>(&d, button), Qt::LeftButton);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool parsesAsSvg(const QByteArray& bytes)
{
    QXmlStreamReader xml(bytes);
    bool sawSvg = false;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("svg"))
            sawSvg = true;
    return sawSvg && !xml.hasError();
}

// The figure the dialog should export for a choice, computed independently of the dialog.
Figure expectedFigure(const ScenarioConfig& c, const FigureRequest& view, ExportDialog::What what)
{
    FigureRequest v = view;
    const Layout layouts[] = {v.layout, Layout::AllHeads, Layout::MeanHead, Layout::Pipeline};
    v.layout = layouts[static_cast<int>(what)];
    return computeFigure(buildScenario(c), v);
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestExportDialog : public QObject {
    Q_OBJECT
private slots:
    // The pitfall lab's before/after: offered only with a mistake, ticked as the window shows it,
    // and the pipeline choice exports the pipeline of both halves.
    void beforeAfterFollowsTheWindow()
    {
        ScenarioConfig c = config(5);
        ExportDialog plain(source(c, FigureRequest{}));
        QVERIFY(!namedControl<QCheckBox>(&plain, "beforeAfter")->isEnabled());
        c.pitfalls.mistakes.set(Pitfall::CausalBackwards);
        FigureRequest view;
        view.compareFixed = true;
        ExportDialog d(source(c, view));
        d.show();
        auto* box = namedControl<QCheckBox>(&d, "beforeAfter");
        QVERIFY(box->isEnabled() && box->isChecked());
        namedControl<QComboBox>(&d, "what")->setCurrentIndex(int(ExportDialog::What::Pipeline));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lab.svg"));
        setPath(d, path);
        click(d, "export");
        QVERIFY2(d.errorText().isEmpty(), qPrintable(d.errorText()));
        const QByteArray bytes = readAll(path);
        QVERIFY(parsesAsSvg(bytes));
        QCOMPARE(bytes.count(">with the mistake"), 4); // the four steps of each half
        QCOMPARE(bytes.count(">fixed"), 4);
    }

    void everyChoiceInEveryFormat_data()
    {
        QTest::addColumn<int>("what");
        QTest::addColumn<QString>("suffix");
        const char* names[] = {"current", "all heads", "mean", "pipeline"};
        for (int w = 0; w < 4; ++w)
            for (const char* suffix : {"png", "svg", "pdf"})
                QTest::newRow(qPrintable(QStringLiteral("%1 .%2").arg(names[w], suffix)))
                    << w << QString::fromLatin1(suffix);
    }

    void everyChoiceInEveryFormat()
    {
        QFETCH(int, what);
        QFETCH(QString, suffix);
        const ScenarioConfig c = config(6);
        const FigureRequest view; // weights of head 0
        ExportDialog d(source(c, view));
        d.show();
        QSignalSpy exported(&d, &ExportDialog::exported);
        namedControl<QComboBox>(&d, "what")->setCurrentIndex(what);
        namedControl<QSpinBox>(&d, "dpi")->setValue(120);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("figure.") + suffix);
        setPath(d, path);
        click(d, "export");
        QVERIFY2(d.errorText().isEmpty(), qPrintable(d.errorText()));
        QCOMPARE(exported.count(), 1);
        QCOMPARE(d.result(), int(QDialog::Accepted));
        const QByteArray bytes = readAll(path);
        if (suffix == QLatin1String("png")) {
            ExportOptions o;
            o.dpi = 120;
            const Figure f = expectedFigure(c, view, ExportDialog::What(what));
            QCOMPARE(QImage::fromData(bytes, "PNG").size(), exportGeometry(f, {}, o, ExportFormat::Png).output);
        } else if (suffix == QLatin1String("svg")) {
            QVERIFY(parsesAsSvg(bytes));
        } else {
            QVERIFY(bytes.startsWith("%PDF"));
        }
    }

    void pngFollowsDpiAndPixels()
    {
        const ScenarioConfig c = config(6);
        QTemporaryDir dir;
        const QString at96 = dir.filePath(QStringLiteral("a.png"));
        const QString at192 = dir.filePath(QStringLiteral("b.png"));
        const QString wide = dir.filePath(QStringLiteral("c.png"));
        for (const auto& [path, dpi] : {std::pair{at96, 96}, std::pair{at192, 192}}) {
            ExportDialog d(source(c, {}));
            namedControl<QSpinBox>(&d, "dpi")->setValue(dpi);
            setPath(d, path);
            click(d, "export");
        }
        ExportDialog d(source(c, {}));
        namedControl<QRadioButton>(&d, "byPixels")->setChecked(true);
        namedControl<QSpinBox>(&d, "width")->setValue(900);
        setPath(d, wide);
        click(d, "export");
        const QSize a = QImage(at96).size();
        const QSize b = QImage(at192).size();
        QVERIFY(!a.isEmpty());
        QVERIFY(qAbs(b.width() - 2 * a.width()) <= 2);
        QCOMPARE(QImage(wide).width(), 900);
    }

    void titleAndThemeReachTheFile()
    {
        ExportDialog d(source(config(6), {}));
        QTest::keyClicks(namedControl<QLineEdit>(&d, "title"), QStringLiteral("Causal attention"));
        namedControl<QComboBox>(&d, "theme")->setCurrentIndex(1);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.svg"));
        setPath(d, path);
        click(d, "export");
        QVERIFY(readAll(path).contains("Causal attention"));
    }

    void numbersOfferedOnlyForSmallMatrices()
    {
        ExportDialog small(source(config(16), {}));
        QVERIFY(namedControl<QCheckBox>(&small, "numbers")->isEnabled());
        ExportDialog large(source(config(17), {}));
        QVERIFY(!namedControl<QCheckBox>(&large, "numbers")->isEnabled());
        ExportDialog unshown(source(config(40), {}, false));
        QVERIFY(!namedControl<QCheckBox>(&unshown, "numbers")->isEnabled());
    }

    void badPathShowsInlineErrorAndWritesNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("unknown extension") << QStringLiteral("figure.bmp");
        QTest::newRow("no extension") << QStringLiteral("figure");
        QTest::newRow("missing folder") << QStringLiteral("no/such/folder/figure.png");
    }

    void badPathShowsInlineErrorAndWritesNothing()
    {
        QFETCH(QString, name);
        ExportDialog d(source(config(6), {}));
        d.show();
        QSignalSpy exported(&d, &ExportDialog::exported);
        QTemporaryDir dir;
        setPath(d, dir.filePath(name));
        click(d, "export");
        QVERIFY(!d.errorText().isEmpty());
        QVERIFY(!d.errorText().contains(QLatin1Char('\n')));
        QVERIFY(namedControl<QLabel>(&d, "error")->isVisible());
        QVERIFY(d.isVisible()); // stays open for a correction
        QCOMPARE(exported.count(), 0);
        QCOMPARE(entries(dir.path()), QStringList());
        // Editing the path clears the error.
        QTest::keyClick(namedControl<QLineEdit>(&d, "path"), Qt::Key_Backspace);
        QVERIFY(d.errorText().isEmpty());
    }

    void formatFollowsFileName()
    {
        ExportDialog d(source(config(6), {}));
        setPath(d, QStringLiteral("/tmp/x.PDF"));
        QCOMPARE(namedControl<QLabel>(&d, "format")->text(), QStringLiteral("PDF"));
        QVERIFY(namedControl<QRadioButton>(&d, "byPixels")->isChecked()); // DPI means nothing for PDF
        setPath(d, QStringLiteral("/tmp/x.png"));
        QCOMPARE(namedControl<QLabel>(&d, "format")->text(), QStringLiteral("PNG"));
        QVERIFY(namedControl<QRadioButton>(&d, "byDpi")->isEnabled());
        QVERIFY(namedControl<QRadioButton>(&d, "byDpi")->isChecked()); // back to the density
    }

    void largeFigureComputesOnWorker()
    {
        const ScenarioConfig c = config(300, 2);
        ExportDialog d(source(c, {}, false)); // nothing shown: computed from the config
        d.show();
        QSignalSpy exported(&d, &ExportDialog::exported);
        namedControl<QComboBox>(&d, "what")->setCurrentIndex(int(ExportDialog::What::AllHeads));
        namedControl<QSpinBox>(&d, "dpi")->setValue(40);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.png"));
        setPath(d, path);
        click(d, "export");
        QVERIFY(d.isBusy());
        QVERIFY(!namedControl<QPushButton>(&d, "export")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QVERIFY(!d.isBusy());
        QVERIFY(!QImage(path).isNull());
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
