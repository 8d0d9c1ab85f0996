// SPDX-License-Identifier: MIT
// MaskDocument: recomputes off the GUI thread, newest result wins, asks only for what is shown,
// reports refused parameters inline; the trace job it runs gives what the engine gives.

#include "figure/figurebuilder.h"
#include "document/maskdocument.h"

#include <QSignalSpy>
#include <QTest>

#include "documentdriver.h"
#include "poolhold.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

constexpr int kTimeoutMs = 60000; // generous: the machine may be busy; nothing here is timed

ScenarioConfig smallConfig(int seqLen = 8)
{
    ScenarioConfig c;
    c.seqLen = seqLen;
    c.heads = 4;
    c.dModel = 32;
    return c;
}

// The engine computes one head alone and all heads together in different orders of summation,
// so the two agree to rounding, not bit for bit.
bool closeTo(const Matrix<float>& a, const Matrix<float>& b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return false;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j) {
            const float x = a(i, j), y = b(i, j);
            if (std::isnan(x) != std::isnan(y) || (!std::isnan(x) && std::abs(x - y) > 1e-6f))
                return false;
        }
    return true;
}

using testing::floatTrace;

// The engine's full trace of batch item b, to compare the job's pieces with.
AttentionTrace<float> engineTrace(const ScenarioConfig& c, int b)
{
    const Scenario s = buildScenario(c);
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    TraceRequest request;
    request.batchItem = b;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, request, trace);
    return trace;
}

} // namespace

class TestMaskDocument : public QObject {
    Q_OBJECT

    void waitIdle(MaskDocument& doc) { QTRY_VERIFY_WITH_TIMEOUT(doc.isIdle(), kTimeoutMs); }

    // Starts computing `c` while the thread pool is held: the job is queued, not yet run.
    void startHeld(MaskDocument& doc, const ScenarioConfig& c)
    {
        QSignalSpy computing(&doc, &MaskDocument::computingChanged);
        doc.setConfig(c);
        QTRY_VERIFY_WITH_TIMEOUT(!computing.isEmpty(), kTimeoutMs);
        QVERIFY(computing.last().at(0).toBool());
    }

private slots:
    void firstResultArrivesWithoutBlocking()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig());
        QVERIFY(!doc.isIdle()); // the work is queued, not done in the setter
        waitIdle(doc);
        QVERIFY(doc.result());
        QVERIFY(doc.error().isEmpty());
        QCOMPARE(doc.result()->figure.panels.size(), size_t(1));
        const auto& w = floatTrace(doc.result()).heads.at(0).weights;
        QCOMPARE(w.rows(), 8);
        for (int i = 0; i < 8; ++i)
            QVERIFY(std::abs(w.row(i).sum() - 1.0f) < 1e-5f);
    }

    void causalBlocksTheUpperTriangle()
    {
        MaskDocument doc;
        ScenarioConfig c = smallConfig();
        c.causal = true;
        doc.setConfig(c);
        waitIdle(doc);
        const auto& t = floatTrace(doc.result());
        QVERIFY(!t.allowed(0, 1));
        QVERIFY(t.allowed(1, 0));
        QCOMPARE(t.heads.at(0).weights(0, 1), 0.0f);
        QCOMPARE(t.heads.at(0).weights(0, 0), 1.0f);
    }

    void paddedKeysGetZeroWeight()
    {
        MaskDocument doc;
        ScenarioConfig c = smallConfig();
        c.validLens = {3};
        doc.setConfig(c);
        waitIdle(doc);
        const auto& w = floatTrace(doc.result()).heads.at(0).weights;
        for (int i = 0; i < 8; ++i)
            for (int j = 3; j < 8; ++j)
                QCOMPARE(w(i, j), 0.0f);
    }

    void burstOfChangesEndsWithTheLastOne()
    {
        MaskDocument doc;
        QSignalSpy results(&doc, &MaskDocument::resultChanged);
        for (int n = 1; n <= 200; ++n)
            doc.setConfig(smallConfig(n));
        waitIdle(doc);
        // Changes made before the event loop ran are one job; the result is the last config's.
        QCOMPARE(results.count(), 1);
        QCOMPARE(doc.result()->scenario->mask.keyLen, 200);
        QCOMPARE(doc.result()->jobId, doc.newestChangeId());
    }

    void staleResultsAreDropped()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig(64));
        // Every result taken in must be the newest change at that moment.
        std::vector<bool> wasNewest;
        connect(&doc, &MaskDocument::resultChanged, this, [&] {
            wasNewest.push_back(doc.result()->jobId == doc.newestChangeId());
        });
        // Changes interleaved with the event loop: jobs start, get overtaken and are dropped.
        for (int n = 2; n <= 40; ++n) {
            doc.setConfig(smallConfig(n));
            QCoreApplication::processEvents();
        }
        waitIdle(doc);
        QCOMPARE(doc.result()->scenario->mask.keyLen, 40);
        QVERIFY(!wasNewest.empty());
        QVERIFY(std::all_of(wasNewest.begin(), wasNewest.end(), [](bool b) { return b; }));
    }

    void refusedParametersAreAnInlineError()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig());
        waitIdle(doc);
        const TraceResultPtr good = doc.result();
        QSignalSpy errors(&doc, &MaskDocument::errorChanged);
        doc.editConfig([](ScenarioConfig& c) { c.heads = 3; });
        waitIdle(doc);
        QVERIFY(doc.error().contains(QStringLiteral("not divisible")));
        QCOMPARE(doc.result(), good); // the last good figure stays on screen
        QCOMPARE(errors.count(), 1);
        doc.editConfig([](ScenarioConfig& c) { c.heads = 4; c.validLens = {12}; });
        waitIdle(doc);
        QVERIFY(doc.error().contains(QStringLiteral("valid length")));
        doc.editConfig([](ScenarioConfig& c) { c.validLens = {5}; });
        waitIdle(doc);
        QVERIFY(doc.error().isEmpty());
        QVERIFY(doc.result() != good);
    }

    void requestsOnlyWhatTheViewShows()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig());
        FigureRequest v;
        v.matrix = ViewKind::Mask;
        doc.setView(v);
        waitIdle(doc);
        QVERIFY(floatTrace(doc.result()).heads.empty());
        QVERIFY(floatTrace(doc.result()).allowed.size() > 0);

        v.matrix = ViewKind::Logits;
        v.head = 2;
        doc.setView(v);
        waitIdle(doc);
        const auto& one = floatTrace(doc.result());
        QCOMPARE(one.heads.size(), size_t(1));
        QCOMPARE(one.heads[0].head, 2);
        QVERIFY(one.heads[0].logits.size() > 0);
        QCOMPARE(one.heads[0].weights.size(), 0);

        v.matrix = ViewKind::Weights;
        v.layout = Layout::AllHeads;
        doc.setView(v);
        waitIdle(doc);
        QCOMPARE(floatTrace(doc.result()).heads.size(), size_t(4));
        QCOMPARE(doc.result()->figure.panels.size(), size_t(4));

        v.layout = Layout::MeanHead;
        doc.setView(v);
        waitIdle(doc);
        QVERIFY(floatTrace(doc.result()).heads.empty());
        QVERIFY(floatTrace(doc.result()).meanWeights.size() > 0);

        v.layout = Layout::Pipeline;
        doc.setView(v);
        waitIdle(doc);
        const auto& pipe = floatTrace(doc.result()).heads.at(0);
        QVERIFY(pipe.logits.size() > 0 && pipe.maskedLogits.size() > 0 && pipe.weights.size() > 0);
        QCOMPARE(doc.result()->figure.panels.size(), size_t(4));
    }

    void headByHeadEqualsTheEngine()
    {
        // The job computes head by head (for progress and cancelling); the numbers, the mean
        // included, must be the engine's.
        ScenarioConfig c = smallConfig(11);
        c.validLens = {9};
        c.causal = true;
        const AttentionTrace<float> expected = engineTrace(c, 0);
        TraceJob job;
        job.id = 1;
        job.config = c;
        job.view.layout = Layout::AllHeads;
        const TraceResultPtr all = computeTrace(job);
        QVERIFY2(all->ok(), qPrintable(all->error));
        for (int h = 0; h < 4; ++h)
            QVERIFY(closeTo(floatTrace(all).heads[size_t(h)].weights, expected.batches[0].heads[size_t(h)].weights));
        job.view.layout = Layout::MeanHead;
        const TraceResultPtr mean = computeTrace(job);
        QVERIFY(closeTo(floatTrace(mean).meanWeights, expected.batches[0].meanWeights));
    }

    void maskOnlyChangesReuseTheInputsCorrectly()
    {
        MaskDocument doc;
        ScenarioConfig c = smallConfig(10);
        c.validLens = {7};
        doc.setConfig(c);
        waitIdle(doc);
        c.causal = true;
        c.fill = Fill::parse("-1e9");
        doc.setConfig(c);
        waitIdle(doc);
        QVERIFY(sameInputs(doc.result()->scenario->config, c));
        QVERIFY(doc.result()->scenario->mask.causal);
        const AttentionTrace<float> expected = engineTrace(c, 0);
        QVERIFY(closeTo(floatTrace(doc.result()).heads.at(0).weights, expected.batches[0].heads[0].weights));
        QVERIFY(floatTrace(doc.result()).additiveMask == expected.batches[0].additiveMask);
    }

    void viewIsClampedToTheSizes()
    {
        MaskDocument doc;
        ScenarioConfig c = smallConfig();
        c.heads = 8;
        c.validLens = {8, 4, 6};
        doc.setConfig(c);
        doc.setHead(7);
        doc.setBatchItem(2);
        QCOMPARE(doc.view().head, 7);
        c.heads = 2;
        c.validLens = {8};
        doc.setConfig(c);
        QCOMPARE(doc.view().head, 1);
        QCOMPARE(doc.view().batchItem, 0);
        waitIdle(doc);
        QCOMPARE(floatTrace(doc.result()).heads.at(0).head, 1);
    }

    void selectedBatchItemIsComputed()
    {
        MaskDocument doc;
        ScenarioConfig c = smallConfig(10);
        c.validLens = {10, 6, 8};
        doc.setConfig(c);
        doc.setBatchItem(1);
        waitIdle(doc);
        const auto& t = floatTrace(doc.result());
        QCOMPARE(t.batchItem, 1);
        QVERIFY(t.keyIsPad[6] && !t.keyIsPad[5]);
        QCOMPARE(t.heads.at(0).weights(0, 7), 0.0f);
    }

    void teachingWarningsNameTheRows()
    {
        MaskDocument doc;
        ScenarioConfig c = smallConfig();
        c.validLens = {5};
        c.padSide = PadSide::Left;
        c.causal = true;
        doc.setConfig(c);
        waitIdle(doc);
        const QStringList w = doc.result()->warnings;
        QVERIFY2(!w.isEmpty() && w.first().contains(QStringLiteral("rows 0\u20132")), qPrintable(w.join('|')));
        QVERIFY(w.first().contains(QStringLiteral("NaN")));
        doc.editConfig([](ScenarioConfig& x) { x.fill = Fill::parse("-1e9"); });
        waitIdle(doc);
        QVERIFY(doc.result()->warnings.first().contains(QStringLiteral("spread evenly")));
        doc.editConfig([](ScenarioConfig& x) {
            x.fill = Fill::parse("-1");
            x.causal = false;
        });
        waitIdle(doc);
        QVERIFY2(doc.result()->warnings.join('|').contains(QStringLiteral("too weak")),
                 qPrintable(doc.result()->warnings.join('|')));
    }

    void fillsTheComputeTypeCannotHoldAreWarnedAbout()
    {
        MaskDocument doc;
        ScenarioConfig c = smallConfig();
        c.causal = true;
        c.fill = Fill::parse("1e39"); // float32: becomes inf, every weight of a masked row NaN
        doc.setConfig(c);
        waitIdle(doc);
        const QString w = doc.result()->warnings.join('|');
        QVERIFY2(w.contains(QStringLiteral("does not fit in float32")), qPrintable(w));
        QVERIFY2(w.contains(QStringLiteral("is not negative")), qPrintable(w));
    }

    void longJobIsOvertakenByTheNextChange()
    {
        MaskDocument doc;
        ScenarioConfig big = smallConfig(768);
        big.heads = 8;
        big.dModel = 256;
        doc.setConfig(big);
        doc.setLayout(Layout::AllHeads);
        QSignalSpy busy(&doc, &MaskDocument::busyChanged);
        QCoreApplication::processEvents(); // the big job starts
        doc.setConfig(smallConfig(6));     // and is overtaken at once
        waitIdle(doc);
        QCOMPARE(doc.result()->scenario->mask.keyLen, 6);
        QVERIFY(!busy.isEmpty() ? !busy.last().at(0).toBool() : true); // never left "busy"
    }

    void cancelGoesBackToTheResultShown()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig(8));
        waitIdle(doc);
        const TraceResultPtr shown = doc.result();
        QVERIFY(!doc.canCancel()); // nothing is being computed
        testing::ThreadPoolHold pool;
        startHeld(doc, smallConfig(16));
        QVERIFY(doc.canCancel());
        QSignalSpy config(&doc, &MaskDocument::configChanged);
        QSignalSpy cancelled(&doc, &MaskDocument::cancelled);
        QSignalSpy computing(&doc, &MaskDocument::computingChanged);
        doc.cancel();
        QVERIFY(doc.config() == smallConfig(8));
        QCOMPARE(config.size(), 1);
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(computing.size(), 1);
        QVERIFY(!computing.last().at(0).toBool());
        QCOMPARE(doc.result(), shown);
        QVERIFY(!doc.canCancel());
        // The job runs once the pool is free; what it returns is dropped, and nothing else runs.
        pool.release();
        waitIdle(doc);
        QCOMPARE(doc.result(), shown);
        QVERIFY(doc.config() == smallConfig(8));
        QCOMPARE(computing.size(), 1);
    }

    void cancelBeforeTheJobStartsRunsNothing()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig(8));
        waitIdle(doc);
        const TraceResultPtr shown = doc.result();
        QSignalSpy computing(&doc, &MaskDocument::computingChanged);
        doc.setConfig(smallConfig(16)); // queued: the job starts when the event loop runs
        QVERIFY(doc.canCancel());
        doc.cancel();
        waitIdle(doc);
        QVERIFY(computing.isEmpty());
        QCOMPARE(doc.result(), shown);
        QVERIFY(doc.config() == smallConfig(8));
    }

    void cancelClearsTheErrorOfTheRefusedChange()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig(8));
        waitIdle(doc);
        const TraceResultPtr shown = doc.result();
        ScenarioConfig refused = smallConfig(8);
        refused.heads = 3; // 32 is not divisible by 3
        doc.setConfig(refused);
        waitIdle(doc);
        QVERIFY(!doc.error().isEmpty());
        testing::ThreadPoolHold pool;
        ScenarioConfig alsoRefused = refused;
        alsoRefused.seqLen = 9;
        startHeld(doc, alsoRefused);
        doc.cancel();
        QVERIFY(doc.error().isEmpty());
        QVERIFY(doc.config() == smallConfig(8)); // what the figure on screen was computed from
        QCOMPARE(doc.result(), shown);
    }

    void aChangeAfterCancelIsComputed()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig(8));
        waitIdle(doc);
        testing::ThreadPoolHold pool;
        startHeld(doc, smallConfig(16));
        doc.cancel();
        doc.setConfig(smallConfig(12)); // waits for the cancelled job, then runs
        QVERIFY(!doc.isIdle());
        pool.release();
        waitIdle(doc);
        QCOMPARE(doc.result()->scenario->mask.keyLen, 12);
    }

    void cancelWithNothingShownDoesNothing()
    {
        MaskDocument doc; // its first result is not in yet
        QVERIFY(!doc.canCancel());
        doc.cancel();
        waitIdle(doc);
        QVERIFY(doc.result());
    }

    void leavesLargePanelsToTheViewThatShowsThem()
    {
        MaskDocument doc;
        doc.setConfig(smallConfig(96)); // 96 x 96 cells: more than a panel keeps cell by cell
        waitIdle(doc);
        const Heatmap& map = doc.result()->figure.panels.front();
        QVERIFY(map.isReduced());
        QVERIFY(map.cellImage.isNull());
        QVERIFY(map.values.empty());
        doc.setConfig(smallConfig(8));
        waitIdle(doc);
        QVERIFY(!doc.result()->figure.panels.front().isReduced());
        QCOMPARE(doc.result()->figure.panels.front().values.size(), size_t(64));
    }
};

QTEST_MAIN(TestMaskDocument)
#include "tst_maskdocument.moc"
