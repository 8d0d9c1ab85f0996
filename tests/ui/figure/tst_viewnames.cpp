// SPDX-License-Identifier: MIT
// The one spelling of a view by names: every view, layout and head round-trips, the JSON of
// presets and settings round-trips, settings saved as integers before names still load.
#include "figure/viewnames.h"

#include "base/types.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

const ViewKind kViews[] = {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights,
                           ViewKind::Pipeline};
const ViewKind kMatrices[] = {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights};
const Layout kLayouts[] = {Layout::SingleHead, Layout::AllHeads, Layout::MeanHead, Layout::Pipeline};

} // namespace

class TestViewNames : public QObject {
    Q_OBJECT
private slots:
    void everyNameRoundTrips()
    {
        QSet<QString> names;
        for (ViewKind v : kViews) {
            QCOMPARE(viewKindFromName(viewKindName(v)), std::optional(v));
            names.insert(QString::fromLatin1(viewKindName(v)));
        }
        QCOMPARE(names.size(), 5);
        names.clear();
        for (Layout l : kLayouts) {
            QCOMPARE(layoutFromName(layoutName(l)), std::optional(l));
            names.insert(QString::fromLatin1(layoutName(l)));
        }
        QCOMPARE(names.size(), 4);
        QVERIFY(!viewKindFromName("Weights"));
        QVERIFY(!layoutFromName(""));
    }

    void headsByName()
    {
        QCOMPARE(headFromName("all", 4), kAllHeads);
        QCOMPARE(headFromName("mean", 4), kMeanHead);
        for (int h = 0; h < 4; ++h)
            QCOMPARE(headFromName(std::to_string(h), 4), h);
        for (const char* bad : {"4", "-1", "", "1x", "every"})
            QVERIFY_THROWS_EXCEPTION(InputError, headFromName(bad, 4));
    }

    void jsonRoundTripsEverySelection()
    {
        for (ViewKind m : kMatrices)
            for (Layout l : kLayouts)
                for (bool fixed : {false, true}) {
                    FigureRequest v;
                    v.matrix = m;
                    v.layout = l;
                    v.head = 3;
                    v.batchItem = 2;
                    v.compareFixed = fixed;
                    const QByteArray text = QJsonDocument(viewToJson(v)).toJson();
                    QVERIFY(text.contains(viewKindName(m)));
                    QVERIFY(text.contains(layoutName(l)));
                    QCOMPARE(viewFromJson(QJsonDocument::fromJson(text).object()), v);
                }
    }

    void integerSettingsStillLoad()
    {
        // As the window saved its view before names: the enums' values.
        const QByteArray old = R"({"matrix":2,"layout":3,"head":1,"batch_item":1,"compare_fixed":true})";
        const FigureRequest v = viewFromJson(QJsonDocument::fromJson(old).object());
        QCOMPARE(v.matrix, ViewKind::MaskedLogits);
        QCOMPARE(v.layout, Layout::Pipeline);
        QCOMPARE(v.head, 1);
        QCOMPARE(v.batchItem, 1);
        QVERIFY(v.compareFixed);
        const QByteArray outOfRange = R"({"matrix":9,"layout":-4})";
        const FigureRequest clamped = viewFromJson(QJsonDocument::fromJson(outOfRange).object());
        QCOMPARE(clamped.matrix, ViewKind::Weights);
        QCOMPARE(clamped.layout, Layout::SingleHead);
    }

    void unknownNamesAreRefused()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, viewFromJson(QJsonObject{{"matrix", "attention"}}));
        QVERIFY_THROWS_EXCEPTION(InputError, viewFromJson(QJsonObject{{"layout", "grid"}}));
        QVERIFY_THROWS_EXCEPTION(InputError, viewFromJson(QJsonObject{{"matrix", "pipeline"}}));
        QCOMPARE(viewFromJson(QJsonObject{}), FigureRequest{});
    }

    void commandLineNamesSelectTheLayout()
    {
        FigureRequest v;
        applyViewName(v, "pipeline");
        applyHeadName(v, "2", 4);
        QCOMPARE(v.layout, Layout::Pipeline); // "--view pipeline --head 2" keeps the pipeline
        QCOMPARE(v.head, 2);
        applyViewName(v, "logits");
        QCOMPARE(v.layout, Layout::SingleHead);
        QCOMPARE(v.matrix, ViewKind::Logits);
        applyHeadName(v, "mean", 4);
        QCOMPARE(v.layout, Layout::MeanHead);
        applyHeadName(v, "all", 4);
        QCOMPARE(v.layout, Layout::AllHeads);
        QVERIFY_THROWS_EXCEPTION(InputError, applyViewName(v, "scores"));
    }

    void thePipelineOfEveryHeadIsOneRequest()
    {
        // `export --view pipeline --head all`: one pipeline row per head, never the grid.
        FigureRequest v;
        applyViewName(v, "pipeline");
        applyHeadName(v, "all", 4);
        QCOMPARE(v.layout, Layout::Pipeline);
        QCOMPARE(v.figureView(), ViewKind::Pipeline);
        QCOMPARE(v.figureHead(), kAllHeads);
        QVERIFY(v.everyHead()); // every head is computed
        QCOMPARE(v.fittedTo(4, 1).head, kAllHeads);
        QCOMPARE(viewFromJson(viewToJson(v)), v);
        // Each stage is another matrix: a mean over heads exists only for the weights.
        QVERIFY_THROWS_EXCEPTION(InputError, applyHeadName(v, "mean", 4));
    }

    void fittingClampsToTheScenario()
    {
        FigureRequest v;
        v.head = 7;
        v.batchItem = 5;
        v.matrix = ViewKind::Pipeline;
        const FigureRequest fitted = v.fittedTo(4, 2);
        QCOMPARE(fitted.head, 3);
        QCOMPARE(fitted.batchItem, 1);
        QCOMPARE(fitted.matrix, ViewKind::Weights); // the pipeline is a layout, not a matrix
        v.head = kAllHeads; // outside the pipeline, "every head" is a layout of its own
        QCOMPARE(v.fittedTo(4, 2).head, 0);
    }

    void requestsOfOneFigureAreTheSameFigure()
    {
        FigureRequest a;
        a.layout = Layout::Pipeline;
        FigureRequest b = a;
        b.matrix = ViewKind::Logits; // remembered for when the pipeline is left
        QVERIFY(a != b);
        QVERIFY(a.sameFigureAs(b));
        b.head = 1;
        QVERIFY(!a.sameFigureAs(b));
    }
};

QTEST_APPLESS_MAIN(TestViewNames)
#include "tst_viewnames.moc"
