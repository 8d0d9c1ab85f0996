// SPDX-License-Identifier: MIT
#include "attention/attention.h"
#include "base/random.h"
#include "maskreference.h"
#include "reference.h"
#include "synthcase.h"
#include "scenario/scenario.h"

#include <QTest>

#include <cmath>

using namespace maskscope;
using namespace maskscope::testing;

namespace {

template <typename T>
bool identical(const Matrix<T>& a, const Matrix<T>& b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return false;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        const T x = a.data()[i], y = b.data()[i];
        if (!(x == y || (std::isnan(x) && std::isnan(y))))
            return false;
    }
    return true;
}

} // namespace


class TestAttention : public QObject {
    Q_OBJECT
private slots:
    // Projected inputs (a model's per-head Q, K, V) give the ordinary path's numbers when they
    // are the ordinary path's projections; the in-projection is then not applied again.
    void projectedInputsSkipTheInProjection()
    {
        Case k = makeCase(2, 5, 7, 16, 4, 11);
        k.mask.causal = true;
        k.mask.validLens = {7, 4};
        AttentionInputs<float> projected;
        projected.heads = k.inputs.heads;
        projected.projected = true;
        projected.outProjWeight = k.inputs.outProjWeight;
        projected.outProjBias = k.inputs.outProjBias;
        const int e = k.inputs.embedDim();
        const auto project = [&](const Matrix<float>& x, int which) {
            Matrix<float> y = x * k.inputs.inProjWeight.middleRows(which * e, e).transpose();
            y.rowwise() += k.inputs.inProjBias.segment(which * e, e).transpose();
            return y;
        };
        for (int b = 0; b < 2; ++b) {
            projected.query.push_back(project(k.inputs.query[static_cast<size_t>(b)], 0));
            projected.key.push_back(project(k.inputs.key[static_cast<size_t>(b)], 1));
            projected.value.push_back(project(k.inputs.value[static_cast<size_t>(b)], 2));
        }
        QCOMPARE(projected.embedDim(), e);
        QCOMPARE(projected.headDim(), e / 4);
        projected.validate();
        AttentionEngine<float> engine;
        AttentionTrace<float> ordinary, fromProjected;
        engine.compute(k.inputs, k.mask, TraceRequest{}, ordinary);
        engine.compute(projected, k.mask, TraceRequest{}, fromProjected);
        for (int b = 0; b < 2; ++b) {
            const auto& x = ordinary.batches[static_cast<size_t>(b)];
            const auto& y = fromProjected.batches[static_cast<size_t>(b)];
            for (int h = 0; h < 4; ++h)
                QVERIFY((x.heads[static_cast<size_t>(h)].weights - y.heads[static_cast<size_t>(h)].weights)
                            .cwiseAbs().maxCoeff() < 1e-6f);
            QVERIFY((x.output - y.output).cwiseAbs().maxCoeff() < 1e-5f);
        }
        // A projected input with a value of the wrong width is refused.
        projected.value[1] = Matrix<float>::Zero(7, e + 1);
        QVERIFY_THROWS_EXCEPTION(InputError, projected.validate());
    }

    void matchesFirstPrinciples_data()
    {
        QTest::addColumn<int>("lq");
        QTest::addColumn<int>("lk");
        QTest::addColumn<int>("heads");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<int>("valid");
        QTest::newRow("self, no mask") << 6 << 6 << 2 << false << 6;
        QTest::newRow("causal") << 7 << 7 << 4 << true << 7;
        QTest::newRow("padding") << 8 << 8 << 1 << false << 5;
        QTest::newRow("causal + padding") << 9 << 9 << 4 << true << 6;
        QTest::newRow("cross, causal top-left") << 4 << 9 << 2 << true << 9;
        QTest::newRow("longer than a row block") << 70 << 70 << 2 << true << 66;
    }
    void matchesFirstPrinciples()
    {
        QFETCH(int, lq);
        QFETCH(int, lk);
        QFETCH(int, heads);
        QFETCH(bool, causal);
        QFETCH(int, valid);
        Case k = makeCase(1, lq, lk, 16, heads, 5);
        k.mask.causal = causal;
        k.mask.validLens = {valid};
        AttentionEngine<float> engine;
        AttentionTrace<float> trace;
        engine.compute(k.inputs, k.mask, TraceRequest{}, trace);
        const ReferenceBatch ref = referenceAttention(k.inputs, k.mask, 0);
        const BatchTrace<float>& bt = trace.batches.at(0);
        QCOMPARE(int(bt.heads.size()), heads);
        for (int h = 0; h < heads; ++h) {
            QVERIFY(maxDifference(bt.heads[size_t(h)].logits, ref.heads[size_t(h)].logits) < 1e-5);
            QVERIFY(maxDifference(bt.heads[size_t(h)].maskedLogits, ref.heads[size_t(h)].masked) < 1e-5);
            QVERIFY(maxDifference(bt.heads[size_t(h)].weights, ref.heads[size_t(h)].weights) < 1e-6);
        }
        QVERIFY(maxDifference(bt.output, ref.output) < 1e-5);
    }
    void meanIsTheAverageOfTheHeads()
    {
        Case k = makeCase(1, 5, 5, 16, 4, 2);
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        engine.compute(k.inputs, k.mask, TraceRequest{}, t);
        Matrix<float> sum = Matrix<float>::Zero(5, 5);
        for (const auto& h : t.batches[0].heads)
            sum += h.weights;
        QVERIFY((sum / 4 - t.batches[0].meanWeights).cwiseAbs().maxCoeff() < 1e-7);
    }
    void oneHeadAloneEqualsThatHeadAmongAll()
    {
        Case k = makeCase(2, 9, 9, 32, 4, 3);
        k.mask.causal = true;
        AttentionEngine<float> engine;
        AttentionTrace<float> all, one;
        engine.compute(k.inputs, k.mask, TraceRequest{}, all);
        TraceRequest r;
        r.batchItem = 1;
        r.head = 2;
        r.meanWeights = r.output = false;
        engine.compute(k.inputs, k.mask, r, one);
        QCOMPARE(one.batches.size(), size_t(1));
        QCOMPARE(one.batches[0].batchItem, 1);
        QCOMPARE(one.batches[0].heads.size(), size_t(1));
        QCOMPARE(one.batches[0].heads[0].head, 2);
        QVERIFY(identical(one.batches[0].heads[0].weights, all.batches[1].heads[2].weights));
        QVERIFY(identical(one.batches[0].heads[0].logits, all.batches[1].heads[2].logits));
        QVERIFY(one.batches[0].output.size() == 0 && one.batches[0].meanWeights.size() == 0);
    }
    void onlyRequestedMatricesAreMaterialised()
    {
        Case k = makeCase(1, 6, 6, 16, 2, 4);
        AttentionEngine<float> engine;
        AttentionTrace<float> full, weightsOnly;
        engine.compute(k.inputs, k.mask, TraceRequest{}, full);
        TraceRequest r;
        r.logits = r.maskedLogits = false;
        r.mask = false;
        engine.compute(k.inputs, k.mask, r, weightsOnly);
        const auto& h = weightsOnly.batches[0].heads[1];
        QVERIFY(h.logits.size() == 0 && h.maskedLogits.size() == 0);
        QVERIFY(weightsOnly.batches[0].allowed.size() == 0);
        QVERIFY(identical(h.weights, full.batches[0].heads[1].weights));
        QVERIFY(identical(weightsOnly.batches[0].output, full.batches[0].output));
    }
    void buffersAreReusedAcrossRecomputes()
    {
        Case k = makeCase(1, 12, 12, 16, 2, 4);
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        engine.compute(k.inputs, k.mask, TraceRequest{}, t);
        const float* before = t.batches[0].heads[0].weights.data();
        k.mask.causal = true;
        engine.compute(k.inputs, k.mask, TraceRequest{}, t);
        QCOMPARE(t.batches[0].heads[0].weights.data(), before);
        QCOMPARE(t.batches[0].heads[0].weights(0, 1), 0.0f);
    }
    void fullyBlockedRowIsNanUnderNegInf()
    {
        Case k = makeCase(1, 4, 4, 8, 2, 6);
        k.mask.validLens = {0};
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        engine.compute(k.inputs, k.mask, TraceRequest{}, t);
        QVERIFY(t.batches[0].heads[0].weights.array().isNaN().all());
        QVERIFY(t.batches[0].output.array().isNaN().all());
        QCOMPARE(t.batches[0].rowFullyBlocked, std::vector<bool>(4, true));
    }
    void billionFillIsUniformInFloatButNotInDouble()
    {
        Case k = makeCase(1, 4, 4, 8, 1, 7);
        k.mask.validLens = {0};
        k.mask.fill = Fill::parse("-1e9");
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        engine.compute(k.inputs, k.mask, TraceRequest{}, t);
        QVERIFY((t.batches[0].heads[0].weights.array() == 0.25f).all());

        AttentionInputs<double> wide;
        wide.heads = 1;
        for (auto* m : {&k.inputs.query, &k.inputs.key, &k.inputs.value})
            for (const auto& x : *m)
                (m == &k.inputs.query ? wide.query : m == &k.inputs.key ? wide.key : wide.value)
                    .push_back(x.cast<double>());
        wide.inProjWeight = k.inputs.inProjWeight.cast<double>();
        wide.inProjBias = k.inputs.inProjBias.cast<double>();
        wide.outProjWeight = k.inputs.outProjWeight.cast<double>();
        wide.outProjBias = k.inputs.outProjBias.cast<double>();
        AttentionEngine<double> engine64;
        AttentionTrace<double> t64;
        engine64.compute(wide, k.mask, TraceRequest{}, t64);
        const auto& w = t64.batches[0].heads[0].weights;
        QVERIFY((w.rowwise().sum().array() - 1).abs().maxCoeff() < 1e-12);
        QVERIFY(w.maxCoeff() - w.minCoeff() > 1e-3); // the logits still show through
    }
    void badRequestsAreRefused()
    {
        Case k = makeCase(1, 4, 4, 8, 2, 6);
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        TraceRequest r;
        r.head = 2;
        QVERIFY_THROWS_EXCEPTION(InputError, engine.compute(k.inputs, k.mask, r, t));
        r.head = 1; // one head cannot give the mean or the output
        QVERIFY_THROWS_EXCEPTION(InputError, engine.compute(k.inputs, k.mask, r, t));
        TraceRequest wrongBatch;
        wrongBatch.batchItem = 1;
        QVERIFY_THROWS_EXCEPTION(InputError, engine.compute(k.inputs, k.mask, wrongBatch, t));
        k.mask.keyLen = 5;
        QVERIFY_THROWS_EXCEPTION(InputError, engine.compute(k.inputs, k.mask, TraceRequest{}, t));
    }
    void traceBytesCountsWhatIsRequested()
    {
        TraceRequest oneHead;
        oneHead.head = 0;
        oneHead.meanWeights = oneHead.output = false;
        const std::size_t bytes = traceBytes(1, 16, 4096, 4096, 1024, oneHead, 4);
        // mask (bool + float) + 3 matrices + scratch: about 0.4 GiB at L = 4096.
        QVERIFY(bytes < std::size_t(1) << 30);
        QVERIFY(bytes > std::size_t(4096) * 4096 * 4 * 3);
        QVERIFY(traceBytes(1, 16, 4096, 4096, 1024, TraceRequest{}, 4) > 16 * bytes / 4);
        QCOMPARE(QString::fromStdString(formatBytes(3 * 1024 * 1024)), QString("3.0 MiB"));
    }
    void kvHeadsShareKeysAndValuesInRepeatInterleaveGroups()
    {
        // --kv-heads G: query head h uses key/value head h / (H / G). Written from the definition:
        // the K and V projections of head h are those of the untied inputs' head
        // (h / (H / G)) * (H / G); the engine on the scenario's inputs equals multi-head
        // attention on inputs tied that way (what nn.MultiheadAttention computes with them).
        Random rng(71);
        for (int n = 0; n < 30; ++n) {
            ScenarioConfig c;
            const int groups = pick(rng, 1, 3), perGroup = pick(rng, 1, 3);
            c.heads = groups * perGroup;
            c.kvHeads = groups;
            c.dModel = c.heads * pick(rng, 1, 3);
            c.seqLen = pick(rng, 1, 9);
            c.causal = chance(rng, 50);
            c.seed = rng.nextU64();
            const Scenario s = buildScenario(c);
            QCOMPARE(s.kvHeads, groups);
            QCOMPARE(s.kvGroupSize(), perGroup);
            ScenarioConfig plain = c;
            plain.kvHeads.reset();
            AttentionInputs<float> expected = std::get<AttentionInputs<float>>(buildScenario(plain).inputs);
            const int e = c.effectiveDModel(), dk = e / c.heads;
            const Matrix<float> untied = expected.inProjWeight;
            for (int h = 0; h < c.heads; ++h) {
                const int kvHead = h / (c.heads / groups);
                for (const int block : {1, 2})
                    expected.inProjWeight.middleRows(block * e + h * dk, dk) =
                        untied.middleRows(block * e + kvHead * perGroup * dk, dk);
            }
            const auto& tied = std::get<AttentionInputs<float>>(s.inputs);
            QVERIFY(tied.inProjWeight == expected.inProjWeight);
            if (perGroup > 1) // tying changed something
                QVERIFY(tied.inProjWeight != untied);
            AttentionEngine<double> engine;
            AttentionTrace<double> t;
            const AttentionInputs<double> wide = widened(expected);
            engine.compute(widened(tied), s.mask, TraceRequest{}, t);
            const ReferenceBatch r = referenceAttention(wide, s.mask, 0);
            for (int h = 0; h < c.heads; ++h)
                QVERIFY(maxDifference(t.batches[0].heads[size_t(h)].weights, r.heads[size_t(h)].weights) < 1e-12);
        }
    }
    void kvHeadsMustDivideTheHeads()
    {
        ScenarioConfig c;
        c.heads = 4, c.kvHeads = 3;
        QVERIFY_THROWS_EXCEPTION(InputError, buildScenario(c));
        c.kvHeads = 8;
        QVERIFY_THROWS_EXCEPTION(InputError, buildScenario(c));
    }
};

QTEST_APPLESS_MAIN(TestAttention)
#include "tst_attention.moc"
