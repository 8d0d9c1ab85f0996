// SPDX-License-Identifier: MIT
// `maskscope export`, run as a process without any display: files, sizes and bad input.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "processrun.h"

namespace {

using maskscope::testing::Run;

// No display and no platform chosen, as on a build server.
Run runCli(const QStringList& args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    return maskscope::testing::runMaskscope(QStringList{QStringLiteral("export")} + args, env, 120000);
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestExportCommand : public QObject {
    Q_OBJECT
private slots:
    void exportsEveryViewAndFormat_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("head");
        QTest::addColumn<QString>("suffix");
        for (const char* view : {"mask", "logits", "masked-logits", "weights", "pipeline"})
            for (const char* suffix : {"png", "svg", "pdf"})
                for (const char* head : {"1", "all", "mean"})
                    if (QByteArray(view) != "pipeline" || QByteArray(head) != "mean") // see below
                        QTest::newRow(qPrintable(QStringLiteral("%1 %2 %3").arg(view, head, suffix)))
                        << QString::fromLatin1(view) << QString::fromLatin1(head) << QString::fromLatin1(suffix);
    }

    void thePipelineHasNoMeanOverHeads()
    {
        // Logits and masked logits have no mean over heads (PyTorch averages only the weights):
        // a pipeline of "the mean" would draw one head's stages under the mean's title.
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("f.png"));
        const Run r = runCli({"--view", "pipeline", "--head", "mean", "--out", out});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains("--head all"), r.err.constData());
        QVERIFY(!QFile::exists(out));
    }

    void exportsEveryViewAndFormat()
    {
        QFETCH(QString, view);
        QFETCH(QString, head);
        QFETCH(QString, suffix);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("f.") + suffix);
        const Run r = runCli({"--view", view, "--head", head, "--out", out, "--seq-len", "6", "--causal",
                                 "--valid-lens", "5", "--tokens", "我 爱 北京 天安门", "--numbers"});
        QVERIFY2(r.status == 0, r.err.constData());
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QByteArray bytes = readAll(out);
        if (suffix == QLatin1String("png")) {
            QVERIFY(!QImage::fromData(bytes, "PNG").isNull());
        } else if (suffix == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            while (!xml.atEnd())
                xml.readNext();
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        } else {
            QVERIFY(bytes.startsWith("%PDF"));
        }
        QCOMPARE(entries(dir.path()).size(), 1);
    }

    void sizeOptionsSetThePixels()
    {
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("a.png")), b = dir.filePath(QStringLiteral("b.png"));
        QCOMPARE(runCli({"--out", a, "--dpi", "96"}).status, 0);
        QCOMPARE(runCli({"--out", b, "--dpi", "192"}).status, 0);
        const QImage small(a), large(b);
        QVERIFY(std::abs(large.width() - 2 * small.width()) <= 2);
        QVERIFY(std::abs(large.height() - 2 * small.height()) <= 2);
        const QString c = dir.filePath(QStringLiteral("c.png"));
        QCOMPARE(runCli({"--out", c, "--width", "1200", "--height", "500", "--view", "pipeline"}).status, 0);
        QCOMPARE(QImage(c).size(), QSize(1200, 500));
    }

    void titleThemeAndLargeFigures()
    {
        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("t.svg"));
        QCOMPARE(runCli({"--out", svg, "--title", "Decoder self-attention", "--theme", "dark"}).status, 0);
        QVERIFY(readAll(svg).contains("<title>Decoder self-attention</title>"));
        const QString big = dir.filePath(QStringLiteral("big.png"));
        const Run r = runCli({"--out", big, "--view", "weights", "--head", "all", "--seq-len", "256",
                                 "--heads", "8", "--d-model", "512", "--dpi", "150"});
        QCOMPARE(r.status, 0);
        QVERIFY(QImage(big).width() > 1000);
    }

    // The pitfall lab's before/after: the figure with the mistake next to the fixed one.
    void beforeAfterHasBothHalves()
    {
        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("lab.svg"));
        const Run r = runCli({"--out", svg, "--seq-len", "5", "--causal", "--bug", "masked-fill-not-inplace",
                              "--before-after"});
        QVERIFY2(r.status == 0, r.err.constData());
        const QByteArray bytes = readAll(svg);
        QVERIFY(bytes.contains(">with the mistake<"));
        QVERIFY(bytes.contains(">fixed<"));
        QVERIFY(bytes.contains("masked_fill result thrown away")); // the subtitle names the mistake
    }

    void chineseFigure()
    {
        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("zh.svg"));
        QCOMPARE(runCli({"--out", svg, "--lang", "zh_CN", "--valid-lens", "6"}).status, 0);
        const QString text = QString::fromUtf8(readAll(svg));
        QVERIFY(text.contains(QStringLiteral("<title>\u6CE8\u610F\u529B\u6743\u91CD"))); // 注意力权重
        QVERIFY(text.contains(QStringLiteral("\u586B\u5145\u4F4D\u7F6E")));             // 填充位置 (legend)
        QVERIFY(!text.contains(QStringLiteral("Attention weights")));
        const QString english = dir.filePath(QStringLiteral("en.svg"));
        QCOMPARE(runCli({"--out", english, "--valid-lens", "6"}).status, 0);
        QVERIFY(readAll(english).contains("<title>Attention weights"));
    }

    void blockOverlayIsDrawnOnlyWhenAsked()
    {
        QTemporaryDir dir;
        const QString with = dir.filePath(QStringLiteral("with.svg"));
        const QString without = dir.filePath(QStringLiteral("without.svg"));
        const QStringList common{"--view", "mask", "--seq-len", "40", "--causal", "--block", "16"};
        QCOMPARE(runCli(common + QStringList{"--out", with, "--block-overlay"}).status, 0);
        QCOMPARE(runCli(common + QStringList{"--out", without}).status, 0);
        // 3 x 3 tiles of a causal 40 x 40 mask: 3 full, 3 partial, 3 empty (core blocksparsity).
        QVERIFY(readAll(with).contains("3 full, 3 partial, 3 empty tiles"));
        QVERIFY(readAll(with).contains("33.3% of tiles skipped"));
        QVERIFY(!readAll(without).contains("tiles skipped"));
    }

    void scoreModifiersReachTheExportedWeights()
    {
        // ALiBi and soft-capping reach the engine behind `export` (they change the weights).
        QTemporaryDir dir;
        const auto exported = [&](const QString& name, const QStringList& options) {
            const QString path = dir.filePath(name);
            const QStringList common{"--seq-len", "6", "--causal", "--out", path};
            const QImage image = runCli(common + options).status == 0 ? QImage(path) : QImage();
            // The cells only: the subtitle names the modifiers in any case.
            return image.copy(0, image.height() / 3, image.width(), image.height() * 2 / 3);
        };
        const QImage plain = exported("w.png", {"--view", "weights"});
        QVERIFY(!plain.isNull());
        QCOMPARE(exported("w2.png", {"--view", "weights", "--title", "same cells"}), plain);
        QVERIFY(exported("wa.png", {"--view", "weights", "--alibi"}) != plain);
        QVERIFY(exported("wc.png", {"--view", "weights", "--softcap", "0.2"}) != plain);
    }

    // A mask of 131072 tokens (streaming: window, sinks, the block overlay) in every format,
    // drawn from the rules: no L x L matrix, so no "out of memory" and no 131072-pixel figure.
    void exportsAMaskOf131072Tokens_data()
    {
        QTest::addColumn<QString>("suffix");
        for (const char* suffix : {"png", "svg", "pdf"})
            QTest::newRow(suffix) << QString::fromLatin1(suffix);
    }
    void exportsAMaskOf131072Tokens()
    {
        QFETCH(QString, suffix);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("long.") + suffix);
        const Run r = runCli({"--view", "mask", "--seq-len", "131072", "--causal", "--window", "4096,0",
                              "--sink", "4", "--chunk", "32768", "--block-overlay", "--width", "900",
                              "--out", out});
        QVERIFY2(r.status == 0, r.err.constData());
        const QByteArray bytes = readAll(out);
        if (suffix == QLatin1String("png")) {
            const QImage image = QImage::fromData(bytes, "PNG");
            QCOMPARE(image.width(), 900);
            QVERIFY(image.height() > 300);
        } else if (suffix == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            while (!xml.atEnd())
                xml.readNext();
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QVERIFY(bytes.contains("L = 131072"));
            QVERIFY(bytes.contains("tiles skipped")); // the overlay's legend
        } else {
            QVERIFY(bytes.startsWith("%PDF"));
            QVERIFY(bytes.contains("/Type /Page"));
        }
    }

    // A region down to single cells, each labelled with its token as the normal figure does.
    void exportsARegion()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("region.svg"));
        const Run r = runCli({"--view", "mask", "--seq-len", "131072", "--causal", "--window", "4096,0",
                              "--region", "65530:65536,61436:61442", "--out", out});
        QVERIFY2(r.status == 0, r.err.constData());
        const QString svg = QString::fromUtf8(readAll(out));
        QVERIFY(svg.contains(QStringLiteral("queries 65530\u201365535 \u00D7 keys 61436\u201361441")));
        QVERIFY(svg.count(QStringLiteral("<text")) > 12); // a label per row and column at least
        const QString png = dir.filePath(QStringLiteral("region.png"));
        QCOMPARE(runCli({"--view", "mask", "--seq-len", "2000", "--region", "0:1500,0:2000", "--out", png}).status, 0);
        QVERIFY(!QImage(png).isNull());
    }

    void badInputExitsTwoAndWritesNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("view") << QStringList{"--view", "attention"} << "--view expects";
        QTest::newRow("head range") << QStringList{"--head", "4"} << "--head expects";
        QTest::newRow("head text") << QStringList{"--head", "first"} << "--head expects";
        QTest::newRow("theme") << QStringList{"--theme", "blue"} << "--theme expects";
        QTest::newRow("language") << QStringList{"--lang", "fr"} << "--lang expects en or zh_CN";
        QTest::newRow("dpi") << QStringList{"--dpi", "0"} << "--dpi expects";
        QTest::newRow("width") << QStringList{"--width", "5"} << "--width expects";
        QTest::newRow("batch item") << QStringList{"--batch-item", "1"} << "--batch-item 1 is outside";
        QTest::newRow("unknown option") << QStringList{"--colour", "red"} << "unknown option '--colour'";
        QTest::newRow("missing value") << QStringList{"--view"} << "--view needs a value";
        QTest::newRow("model option") << QStringList{"--heads", "3"} << "not divisible";
        QTest::newRow("seq-len") << QStringList{"--seq-len", "0"} << "--seq-len";
        const QStringList mask{"--view", "mask", "--seq-len", "64"};
        QTest::newRow("region beyond") << mask + QStringList{"--region", "0:65,0:8"} << "--region queries 0:65";
        QTest::newRow("region empty") << mask + QStringList{"--region", "8:8,0:8"} << "non-empty range";
        QTest::newRow("region malformed") << mask + QStringList{"--region", "0-8,0-8"} << "--region expects i0:i1,j0:j1";
        QTest::newRow("region of weights") << QStringList{"--region", "0:2,0:2"} << "--region draws only the mask";
        QTest::newRow("before/after without a mistake") << QStringList{"--before-after", "--causal"}
                                                        << "--before-after needs a mistake";
        QTest::newRow("too large") << QStringList{"--dpi", "2400", "--view", "pipeline", "--head", "all"} << "pixels";
        const QStringList small{"--seq-len", "4", "--heads", "2", "--d-model", "8"};
        QTest::newRow("width 16") << small + QStringList{"--width", "16"} << "too small for this figure";
        QTest::newRow("width 72") << small + QStringList{"--width", "72"} << "too small for this figure";
        QTest::newRow("height 16") << small + QStringList{"--height", "16"} << "too small for this figure";
        QTest::newRow("16 x 400") << small + QStringList{"--width", "16", "--height", "400"} << "too small";
        QTest::newRow("format") << QStringList{"--format", "gif"} << "--format expects png, svg or pdf";
        QTest::newRow("format of another file") << QStringList{"--format", "svg"} << "--format does not match";
        QTest::newRow("standard output without format") << QStringList{"--out", "-"} << "--out - (standard output) needs --format";
    }

    void badInputExitsTwoAndWritesNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("figure.png"));
        const Run r = runCli(QStringList{"--out", out} + args);
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.startsWith("maskscope: "), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1); // one line
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QVERIFY(entries(dir.path()).isEmpty());
    }

    // `--out -` writes to standard output the bytes `--out FILE` writes to the file.
    void writesToStandardOutput_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* format : {"png", "svg", "pdf"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }

    void writesToStandardOutput()
    {
        QFETCH(QString, format);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("figure.") + format);
        const QStringList figure{"--view", "pipeline", "--seq-len", "6", "--causal", "--width", "900"};
        QCOMPARE(runCli(figure + QStringList{"--out", file}).status, 0);
        const Run piped = runCli(figure + QStringList{"--out", "-", "--format", format});
        QCOMPARE(piped.status, 0);
        QVERIFY2(piped.err.isEmpty(), piped.err.constData());
        QVERIFY(entries(dir.path()) == QStringList{QFileInfo(file).fileName()}); // no file named "-" either
        const QByteArray written = readAll(file);
        QVERIFY(written.size() > 100);
        if (format != QLatin1String("pdf")) {
            QVERIFY(piped.out == written);
            return;
        }
        // Two PDFs of one figure differ in their time of writing and in the order Qt embeds the
        // font subsets (even file against file): the same page, size and structure is the test.
        const QRegularExpression mediaBox(QStringLiteral("/MediaBox \\[[^]]*\\]"));
        QVERIFY(piped.out.startsWith("%PDF-") && piped.out.trimmed().endsWith("%%EOF"));
        QCOMPARE(piped.out.size(), written.size());
        QVERIFY(mediaBox.match(QString::fromLatin1(written)).hasMatch());
        QCOMPARE(mediaBox.match(QString::fromLatin1(piped.out)).captured(),
                 mediaBox.match(QString::fromLatin1(written)).captured());
    }

    // A size too small for the figure names the smallest one that works, and that one does work.
    void theSmallestSizeNamedForATooSmallExportWorks_data()
    {
        QTest::addColumn<QStringList>("size");
        QTest::newRow("width 16") << QStringList{"--width", "16"};
        QTest::newRow("height 16") << QStringList{"--height", "16"};
        QTest::newRow("80 x 30") << QStringList{"--width", "80", "--height", "30"};
    }
    void theSmallestSizeNamedForATooSmallExportWorks()
    {
        QFETCH(QStringList, size);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("w.png"));
        const QStringList scenario{"--seq-len", "4", "--heads", "2", "--d-model", "8", "--out", out};
        const Run refused = runCli(scenario + size);
        QCOMPARE(refused.status, 2);
        const QRegularExpression named(QStringLiteral("the smallest size that works is (\\d+) x (\\d+)\n$"));
        const QRegularExpressionMatch m = named.match(QString::fromUtf8(refused.err));
        QVERIFY2(m.hasMatch(), refused.err.constData());
        const QSize smallest(m.captured(1).toInt(), m.captured(2).toInt());
        const QString w = QString::number(smallest.width()), h = QString::number(smallest.height());
        const Run accepted = runCli(scenario + QStringList{"--width", w, "--height", h});
        QVERIFY2(accepted.status == 0, accepted.err.constData());
        QCOMPARE(QImage(out).size(), smallest);
    }

    void badOutputPathsExitTwo()
    {
        QTemporaryDir dir;
        const QString existing = dir.filePath(QStringLiteral("old.jpg"));
        QFile f(existing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep me");
        f.close();
        const QStringList outs = {existing, dir.filePath(QStringLiteral("figure")),
                                  dir.filePath(QStringLiteral("no/such/dir/figure.png")),
                                  existing + QStringLiteral("/figure.svg")};
        for (const QString& out : outs) {
            const Run r = runCli({"--out", out});
            QCOMPARE(r.status, 2);
            QCOMPARE(r.err.count('\n'), 1);
        }
        const Run missing = runCli({"--view", "mask"});
        QCOMPARE(missing.status, 2);
        QVERIFY(missing.err.contains("--out"));
        QCOMPARE(readAll(existing), QByteArray("keep me"));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("old.jpg")});
    }

    void helpListsExport()
    {
        QProcess p;
        p.start(QStringLiteral(MASKSCOPE_BINARY), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray help = p.readAllStandardOutput();
        for (const char* text : {"maskscope export", "--view", "--head", "--dpi", "--numbers", "--theme"})
            QVERIFY2(help.contains(text), text);
    }
};

QTEST_GUILESS_MAIN(TestExportCommand)
#include "tst_exportcommand.moc"
