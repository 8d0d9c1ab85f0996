// SPDX-License-Identifier: MIT
// The pitfall lab: each mistake has its documented effect on the numbers, add and replace agree
// exactly where they should and differ as documented, the blocked-rows policies return what they
// promise, the mask mistakes reach every mask path, and every explanation is there.
#include "attention/attention.h"
#include "mask/blocksparsity.h"
#include "mask/conventions.h"
#include "mask/maskgrid.h"
#include "maskreference.h"
#include "attention/pitfalls.h"
#include "base/random.h"
#include "reference.h"
#include "scenario/scenario.h"

#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include "synthcase.h"

#include <QTest>
#include <QXmlStreamReader>

#include <cmath>
#include <cstring>

using namespace maskscope;
using namespace maskscope::testing;

namespace {


template <typename T>
AttentionTrace<T> run(const AttentionInputs<T>& in, const MaskSpec& mask)
{
    AttentionEngine<T> engine;
    AttentionTrace<T> t;
    engine.compute(in, mask, TraceRequest{}, t);
    return t;
}

// Bit for bit, NaN equal to NaN.
template <typename T>
bool identical(const Matrix<T>& a, const Matrix<T>& b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return false;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        const T x = a.data()[i], y = b.data()[i];
        if (!(std::memcmp(&x, &y, sizeof(T)) == 0 || (std::isnan(x) && std::isnan(y))))
            return false;
    }
    return true;
}

// The K and V blocks of in_proj replaced by the Q block: what K = q_proj(k), V = q_proj(v) uses.
AttentionInputs<float> withQueryProjectionForKv(AttentionInputs<float> in)
{
    const Eigen::Index e = in.embedDim();
    for (const Eigen::Index block : {e, 2 * e}) {
        in.inProjWeight.middleRows(block, e) = in.inProjWeight.topRows(e);
        in.inProjBias.segment(block, e) = in.inProjBias.head(e);
    }
    return in;
}

// ruleAllows of maskreference.h with the causal sentence reversed: "blocked on and below the
// diagonal", i.e. a query sees only the keys after its own position.
bool backwardsRuleAllows(const MaskSpec& s, int i, int j)
{
    MaskSpec noCausal = s;
    noCausal.causal = false;
    noCausal.rules.globalTokens = noCausal.rules.sink = 0; // the grants stand apart
    noCausal.rules.bidirectional.clear();
    const long long q = queryPosition(s, i);
    return (j > q && ruleAllows(noCausal, i, j)) || grantedByRules(s, q, j);
}

// The definition of maskreference.h (definitionAllows) with the mask mistakes applied as their
// sentences read: the rules with the causal sentence reversed, padding dropped, the whole result
// complemented.
bool definitionWithMistakes(const MaskSpec& s, int b, int i, int j)
{
    MaskSpec intended = s;
    intended.pitfalls = Pitfalls{};
    if (s.pitfalls.has(Pitfall::UnmaskedPadding)) {
        intended.validLens.clear();
        intended.keyPaddingMask.reset();
    }
    bool allowed = s.pitfalls.has(Pitfall::CausalBackwards) ? backwardsRuleAllows(intended, i, j)
                                                            : ruleAllows(intended, i, j);
    if (intended.allowedFile && !(*intended.allowedFile)(i, j))
        allowed = false;
    if (keyIsPadding(intended, b, j))
        allowed = false;
    if (intended.rules.toggled.contains(i, j))
        allowed = !allowed;
    if (intended.keyPaddingMask && (*intended.keyPaddingMask)(b, j))
        allowed = false;
    return s.pitfalls.has(Pitfall::InvertedPolarity) ? !allowed : allowed;
}

bool rowHasAllowedKey(const BoolMatrix& a, int i)
{
    return a.row(i).any();
}

} // namespace

class TestPitfalls : public QObject {
    Q_OBJECT
private slots:
    // ---- the mistakes -----------------------------------------------------------------------

    void maskedFillNotInPlaceGivesTheUnmaskedWeights()
    {
        Case k = makeCase(2, 9, 9, 16, 2, 11);
        k.mask.causal = true;
        k.mask.validLens = {9, 5};
        MaskSpec buggy = k.mask;
        buggy.pitfalls.mistakes.set(Pitfall::MaskedFillNotInplace);
        MaskSpec none = k.mask;
        none.causal = false;
        none.validLens.clear();
        const auto bug = run(k.inputs, buggy), unmasked = run(k.inputs, none), right = run(k.inputs, k.mask);
        for (int b = 0; b < 2; ++b) {
            const auto& t = bug.batches[size_t(b)];
            QVERIFY(!t.maskApplied);
            QVERIFY(right.batches[size_t(b)].maskApplied);
            // The mask the code built is still shown...
            QVERIFY((t.allowed == right.batches[size_t(b)].allowed).all());
            QVERIFY(identical(t.additiveMask, right.batches[size_t(b)].additiveMask));
            for (int h = 0; h < 2; ++h) {
                const auto& head = t.heads[size_t(h)];
                // ...but the masked logits are the raw logits and the weights the unmasked ones.
                QVERIFY(identical(head.maskedLogits, head.logits));
                QVERIFY(identical(head.weights, unmasked.batches[size_t(b)].heads[size_t(h)].weights));
            }
            QVERIFY(identical(t.output, unmasked.batches[size_t(b)].output));
            QVERIFY(t.heads[0].weights(0, 8) > 0); // the first query sees the last (future, padded) key
        }
    }
    void qprojForKvEqualsAttentionWithTheQueryBlockForKAndV()
    {
        Case k = makeCase(2, 7, 7, 24, 3, 12);
        k.mask.causal = true;
        MaskSpec buggy = k.mask;
        buggy.pitfalls.mistakes.set(Pitfall::QprojForKv);
        const AttentionInputs<float> wq = withQueryProjectionForKv(k.inputs);
        const auto bug = run(k.inputs, buggy), same = run(wq, k.mask);
        for (int b = 0; b < 2; ++b) {
            const auto& t = bug.batches[size_t(b)];
            const ReferenceBatch ref = referenceAttention(wq, k.mask, b);
            for (int h = 0; h < 3; ++h) {
                QVERIFY(identical(t.heads[size_t(h)].logits, same.batches[size_t(b)].heads[size_t(h)].logits));
                QVERIFY(identical(t.heads[size_t(h)].weights, same.batches[size_t(b)].heads[size_t(h)].weights));
                QVERIFY(maxDifference(t.heads[size_t(h)].weights, ref.heads[size_t(h)].weights) < 1e-6);
            }
            QVERIFY(identical(t.output, same.batches[size_t(b)].output));
            QVERIFY(maxDifference(t.output, ref.output) < 1e-5);
        }
        // In self-attention K = Q: the logits (before masking) are symmetric up to rounding,
        // with a non-negative diagonal.
        MaskSpec open = buggy;
        open.causal = false;
        const auto openTrace = run(k.inputs, open);
        const auto& logits = openTrace.batches[0].heads[0].logits;
        QVERIFY((logits - logits.transpose()).cwiseAbs().maxCoeff() < 1e-5);
        QVERIFY((logits.diagonal().array() >= 0).all());
    }
    void invertedPolarityComplementsTheAllowedMatrix()
    {
        Case k = makeCase(2, 6, 6, 8, 1, 13);
        k.mask.causal = true;
        k.mask.validLens = {6, 4};
        MaskSpec buggy = k.mask;
        buggy.pitfalls.mistakes.set(Pitfall::InvertedPolarity);
        const auto bug = run(k.inputs, buggy), right = run(k.inputs, k.mask);
        for (int b = 0; b < 2; ++b) {
            const BoolMatrix& a = bug.batches[size_t(b)].allowed;
            QVERIFY((a == !right.batches[size_t(b)].allowed.array()).all());
            // Every intended cell is blocked: weight 0 wherever the row has another key.
            const auto& w = bug.batches[size_t(b)].heads[0].weights;
            for (int i = 0; i < 6; ++i)
                if (rowHasAllowedKey(a, i))
                    for (int j = 0; j < 6; ++j)
                        if (!a(i, j))
                            QCOMPARE(w(i, j), 0.0f);
        }
        // Causal inverted: j > i. The diagonal is blocked and the last query has no key left...
        QVERIFY(!bug.batches[0].allowed.matrix().diagonal().any());
        QCOMPARE(bug.batches[0].rowFullyBlocked, (std::vector<bool>{false, false, false, false, false, true}));
        QCOMPARE(bug.batches[0].blockedRowOutcomes[5], BlockedRowOutcome::Nan);
        QVERIFY(bug.batches[0].heads[0].weights.row(5).array().isNaN().all());
        // ...unless padding was in the mask: inverted, the padded keys become visible to all.
        QCOMPARE(bug.batches[1].rowFullyBlocked, std::vector<bool>(6, false));
        QVERIFY(bug.batches[1].allowed(5, 4) && bug.batches[1].allowed(0, 5));
    }
    void invertedPaddingOnlyMaskAttendsOnlyToPadding()
    {
        // A Hugging Face attention_mask (1 = keep) passed as key_padding_mask (True = pad).
        Case k = makeCase(2, 5, 5, 8, 1, 14);
        k.mask.validLens = {3, 5};
        k.mask.pitfalls.mistakes.set(Pitfall::InvertedPolarity);
        const auto t = run(k.inputs, k.mask);
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 5; ++j)
                QCOMPARE(bool(t.batches[0].allowed(i, j)), j >= 3);
        // The unpadded sequence has no key left at all: every row NaN.
        QCOMPARE(t.batches[1].rowFullyBlocked, std::vector<bool>(5, true));
        QVERIFY(t.batches[1].output.array().isNaN().all());
    }
    void unmaskedPaddingGivesPaddedKeysWeight()
    {
        Case k = makeCase(2, 7, 7, 16, 2, 15);
        k.mask.causal = true;
        k.mask.padSide = PadSide::Left;
        k.mask.validLens = {7, 4};
        MaskSpec buggy = k.mask;
        buggy.pitfalls.mistakes.set(Pitfall::UnmaskedPadding);
        MaskSpec noPadding = k.mask;
        noPadding.validLens.clear();
        const auto bug = run(k.inputs, buggy), unpadded = run(k.inputs, noPadding);
        const auto& t = bug.batches[1];
        QCOMPARE(t.keyIsPad, (std::vector<bool>{true, true, true, false, false, false, false}));
        QVERIFY((t.allowed == unpadded.batches[1].allowed).all()); // only the padding rule is gone
        for (int h = 0; h < 2; ++h) {
            QVERIFY(identical(t.heads[size_t(h)].weights, unpadded.batches[1].heads[size_t(h)].weights));
            for (int i = 0; i < 7; ++i)
                for (int j = 0; j <= std::min(i, 2); ++j)
                    QVERIFY(t.heads[size_t(h)].weights(i, j) > 0); // a padded key, causally visible
        }
        // Left padding under a causal mask: correctly masked, the padded queries 0..2 have no key.
        const auto right = run(k.inputs, k.mask);
        QCOMPARE(right.batches[1].rowFullyBlocked,
                 (std::vector<bool>{true, true, true, false, false, false, false}));
        QCOMPARE(bug.batches[1].rowFullyBlocked, std::vector<bool>(7, false));
    }
    void unmaskedPaddingDropsALoadedKeyPaddingMaskToo()
    {
        Case k = makeCase(1, 4, 4, 8, 1, 16);
        BoolMatrix kpm(1, 4);
        kpm << false, false, true, true;
        k.mask.keyPaddingMask = kpm;
        k.mask.pitfalls.mistakes.set(Pitfall::UnmaskedPadding);
        const auto t = run(k.inputs, k.mask);
        QVERIFY(t.batches[0].allowed.all());
        QVERIFY((t.batches[0].additiveMask.array() == 0).all());
        QCOMPARE(t.batches[0].keyIsPad, (std::vector<bool>{false, false, true, true}));
    }
    void causalBackwardsSeesOnlyTheFuture_data()
    {
        QTest::addColumn<int>("lq");
        QTest::addColumn<int>("lk");
        QTest::addColumn<bool>("bottomRight");
        QTest::newRow("self") << 6 << 6 << false;
        QTest::newRow("cross, top-left") << 3 << 6 << false;
        QTest::newRow("cross, bottom-right") << 3 << 6 << true;
    }
    void causalBackwardsSeesOnlyTheFuture()
    {
        QFETCH(int, lq);
        QFETCH(int, lk);
        QFETCH(bool, bottomRight);
        Case k = makeCase(1, lq, lk, 8, 2, 17);
        k.mask.causal = true;
        k.mask.rules.causalAlign = bottomRight ? CausalAlign::BottomRight : CausalAlign::TopLeft;
        k.mask.pitfalls.mistakes.set(Pitfall::CausalBackwards);
        const auto t = run(k.inputs, k.mask);
        const auto& bt = t.batches[0];
        const int offset = bottomRight ? lk - lq : 0;
        for (int i = 0; i < lq; ++i) {
            for (int j = 0; j < lk; ++j)
                QCOMPARE(bool(bt.allowed(i, j)), j > i + offset); // blocked on and below the diagonal
            const bool lastKeyQuery = i + offset >= lk - 1;
            QCOMPARE(bool(bt.rowFullyBlocked[size_t(i)]), lastKeyQuery);
            QCOMPARE(bool(bt.heads[1].weights.row(i).array().isNaN().all()), lastKeyQuery);
            if (!lastKeyQuery)
                QVERIFY(std::fabs(bt.heads[1].weights.row(i).sum() - 1) < 1e-6);
        }
    }
    void causalBackwardsInvertedIsCausalAgain()
    {
        // Two wrongs make a right: not (j > i) is j <= i.
        Case k = makeCase(1, 6, 6, 8, 2, 18);
        k.mask.causal = true;
        MaskSpec twice = k.mask;
        twice.pitfalls.mistakes = {Pitfall::CausalBackwards, Pitfall::InvertedPolarity};
        const auto a = run(k.inputs, twice), b = run(k.inputs, k.mask);
        QVERIFY((a.batches[0].allowed == b.batches[0].allowed).all());
        QVERIFY(identical(a.batches[0].heads[1].weights, b.batches[0].heads[1].weights));
    }
    void causalBackwardsNeedsAPlainCausalMask()
    {
        MaskSpec m;
        m.pitfalls.mistakes.set(Pitfall::CausalBackwards);
        QVERIFY_THROWS_EXCEPTION(InputError, m.validate());
        m.causal = true;
        m.validate();
        m.rules.prefix = 2;
        QVERIFY_THROWS_EXCEPTION(InputError, m.validate());
    }
    void mistakesComposeWithEveryMaskRule()
    {
        // Random rule sets and random mistakes: the allowed matrix equals the definitions in
        // words, and every mask path (allowedAt, additive mask, grids, block sparsity) agrees.
        Random rng(20260);
        const Pitfall maskMistakes[] = {Pitfall::InvertedPolarity, Pitfall::UnmaskedPadding,
                                        Pitfall::CausalBackwards};
        for (int n = 0; n < 400; ++n) {
            MaskSpec s = randomMaskSpec(rng);
            for (const Pitfall p : maskMistakes)
                s.pitfalls.mistakes.set(p, chance(rng, 40));
            if (!s.causal || s.rules.prefix > 0)
                s.pitfalls.mistakes.set(Pitfall::CausalBackwards, false);
            s.validate();
            for (int b = 0; b < s.batch; ++b) {
                const BoolMatrix a = allowedMatrix(s, b);
                Matrix<float> additive;
                additiveMask<float>(s, b, additive);
                std::int64_t count = 0;
                for (int i = 0; i < s.queryLen; ++i)
                    for (int j = 0; j < s.keyLen; ++j) {
                        const bool expected = definitionWithMistakes(s, b, i, j);
                        if (a(i, j) != expected || allowedAt(s, b, i, j) != expected)
                            QFAIL(qPrintable(QString("case %1, cell %2,%3").arg(n).arg(i).arg(j)));
                        // Synthetic masks: 0 where allowed, -inf (the fill) where blocked.
                        QCOMPARE(std::isinf(additive(i, j)), !expected);
                        count += expected;
                    }
                QCOMPARE(blockSparsity(s, b, 16).allowedCells, count);
                // A 2x2 grid (1x1 for single rows or keys), each rectangle counted exactly.
                const int qm = std::max(1, s.queryLen / 2), km = std::max(1, s.keyLen / 2);
                std::vector<int> rows{0, s.queryLen}, cols{0, s.keyLen};
                if (qm < s.queryLen) rows.insert(rows.begin() + 1, qm);
                if (km < s.keyLen) cols.insert(cols.begin() + 1, km);
                const std::vector<std::int64_t> grid = countAllowedInGrid(s, b, rows, cols);
                for (size_t y = 0; y + 1 < rows.size(); ++y)
                    for (size_t x = 0; x + 1 < cols.size(); ++x)
                        QCOMPARE(grid[y * (cols.size() - 1) + x],
                                 std::int64_t(a.block(rows[y], cols[x], rows[y + 1] - rows[y],
                                                      cols[x + 1] - cols[x]).count()));
            }
        }
    }
    void conventionsRenderTheIntendedMask()
    {
        MaskSpec m;
        m.queryLen = m.keyLen = 4;
        m.causal = true;
        MaskSpec buggy = m;
        buggy.pitfalls.mistakes = {Pitfall::InvertedPolarity};
        RenderContext context;
        const auto right = renderConvention(m, Convention::TorchSdpa, context);
        const auto fromBuggy = renderConvention(buggy, Convention::TorchSdpa, context);
        QCOMPARE(fromBuggy.snippet, right.snippet);
        QCOMPARE(fromBuggy.tensors.size(), right.tensors.size());
        QCOMPARE(fromBuggy.tensors[0].values, right.tensors[0].values);
    }

    // ---- add or replace ---------------------------------------------------------------------

    void addAndReplaceAgreeUnderNegInf()
    {
        Case k = makeCase(2, 8, 8, 16, 2, 21);
        k.mask.causal = true;
        k.mask.validLens = {8, 0};
        MaskSpec replace = k.mask;
        replace.pitfalls.maskApply = MaskApply::Replace;
        const auto a = run(k.inputs, k.mask), r = run(k.inputs, replace);
        for (int b = 0; b < 2; ++b) {
            for (int h = 0; h < 2; ++h) {
                QVERIFY(identical(a.batches[size_t(b)].heads[size_t(h)].maskedLogits,
                                  r.batches[size_t(b)].heads[size_t(h)].maskedLogits));
                QVERIFY(identical(a.batches[size_t(b)].heads[size_t(h)].weights,
                                  r.batches[size_t(b)].heads[size_t(h)].weights));
            }
            QVERIFY(identical(a.batches[size_t(b)].output, r.batches[size_t(b)].output));
        }
    }
    void addKeepsTheLogitReplaceWritesTheFill()
    {
        Case k = makeCase(1, 6, 6, 16, 1, 22);
        k.mask.causal = true;
        k.mask.fill = Fill::parse("-5");
        MaskSpec replace = k.mask;
        replace.pitfalls.maskApply = MaskApply::Replace;
        const auto a = run(k.inputs, k.mask), r = run(k.inputs, replace);
        const auto& logits = a.batches[0].heads[0].logits;
        const auto& added = a.batches[0].heads[0].maskedLogits;
        const auto& replaced = r.batches[0].heads[0].maskedLogits;
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 6; ++j) {
                if (j <= i) { // allowed: both keep the logit
                    QCOMPARE(added(i, j), logits(i, j));
                    QCOMPARE(replaced(i, j), logits(i, j));
                } else {      // blocked: logit - 5 against exactly -5
                    QCOMPARE(added(i, j), logits(i, j) - 5.0f);
                    QCOMPARE(replaced(i, j), -5.0f);
                }
            }
        // -5 blocks only partly, and differently: the weights of blocked keys are not 0.
        QVERIFY(a.batches[0].heads[0].weights(0, 5) > 0);
        QVERIFY(!identical(a.batches[0].heads[0].weights, r.batches[0].heads[0].weights));
    }
    void billionInFloat64FullyBlockedRowAddKeepsTheLogitsReplaceIsUniform()
    {
        Case k = makeCase(1, 5, 5, 16, 1, 23);
        k.mask.validLens = {0};
        k.mask.fill = Fill::parse("-1e9");
        const AttentionInputs<double> wide = widened(k.inputs);
        MaskSpec replace = k.mask;
        replace.pitfalls.maskApply = MaskApply::Replace;
        MaskSpec open = k.mask;
        open.validLens.clear();
        const auto added = run(wide, k.mask), replaced = run(wide, replace), unmasked = run(wide, open);
        // add: softmax(logit - 1e9) = softmax(logit); float64 resolves logit - 1e9 to ~1e-7.
        const Matrix<double>& w = added.batches[0].heads[0].weights;
        QVERIFY((w - unmasked.batches[0].heads[0].weights).cwiseAbs().maxCoeff() < 1e-5);
        QVERIFY(w.maxCoeff() - w.minCoeff() > 1e-3);
        QCOMPARE(added.batches[0].blockedRowOutcomes[0], BlockedRowOutcome::FillDependent);
        // replace: every cell -1e9, exactly uniform.
        QVERIFY((replaced.batches[0].heads[0].weights.array() == 0.2).all());
        QCOMPARE(replaced.batches[0].blockedRowOutcomes[0], BlockedRowOutcome::Uniform);
        // float32 add: logit - 1e9 rounds to -1e9 (spacing 64): uniform as well.
        QVERIFY((run(k.inputs, k.mask).batches[0].heads[0].weights.array() == 0.2f).all());
    }
    void replaceKeepsALoadedFloatBiasOnAllowedCells()
    {
        Case k = makeCase(1, 3, 3, 8, 1, 24);
        LoadedAttnMask loaded;
        loaded.isBool = false;
        loaded.additive.resize(3, 3);
        loaded.additive << 0.5, -1e9, -1e9, 0.25, 0.0, -1e9, 0.0, 0.0, 0.0;
        k.mask.attnMask = loaded;
        k.mask.pitfalls.maskApply = MaskApply::Replace;
        const auto t = run(k.inputs, k.mask);
        const auto& h = t.batches[0].heads[0];
        QCOMPARE(h.maskedLogits(0, 0), h.logits(0, 0) + 0.5f);
        QCOMPARE(h.maskedLogits(1, 0), h.logits(1, 0) + 0.25f);
        QCOMPARE(h.maskedLogits(0, 1), -1e9f);
    }

    // ---- blocked rows -----------------------------------------------------------------------

    void blockedRowPolicies()
    {
        Case k = makeCase(2, 5, 5, 16, 2, 31);
        k.mask.causal = true;
        k.mask.validLens = {5, 0};
        const auto nan = run(k.inputs, k.mask);
        MaskSpec zero = k.mask, uniform = k.mask;
        zero.pitfalls.blockedRows = BlockedRows::Zero;
        uniform.pitfalls.blockedRows = BlockedRows::Uniform;
        const auto z = run(k.inputs, zero), u = run(k.inputs, uniform);
        // Batch item 0 has no fully blocked row: all three policies give the same bits.
        for (int h = 0; h < 2; ++h) {
            QVERIFY(identical(nan.batches[0].heads[size_t(h)].weights, z.batches[0].heads[size_t(h)].weights));
            QVERIFY(identical(nan.batches[0].heads[size_t(h)].weights, u.batches[0].heads[size_t(h)].weights));
        }
        QVERIFY(identical(nan.batches[0].output, z.batches[0].output));
        QCOMPARE(nan.batches[0].blockedRowOutcomes, std::vector<BlockedRowOutcome>(5, BlockedRowOutcome::Ordinary));
        // Batch item 1: every row is fully blocked.
        QVERIFY(nan.batches[1].heads[0].weights.array().isNaN().all());
        QVERIFY(nan.batches[1].output.array().isNaN().all());
        QCOMPARE(nan.batches[1].blockedRowOutcomes, std::vector<BlockedRowOutcome>(5, BlockedRowOutcome::Nan));
        QVERIFY((z.batches[1].heads[1].weights.array() == 0).all());
        for (int i = 0; i < 5; ++i) // no head contributes: the output row is out_proj.bias
            QVERIFY((z.batches[1].output.row(i).transpose() - k.inputs.outProjBias).isZero(0));
        QCOMPARE(z.batches[1].blockedRowOutcomes, std::vector<BlockedRowOutcome>(5, BlockedRowOutcome::Zero));
        QVERIFY((u.batches[1].heads[1].weights.array() == 0.2f).all());
        QCOMPARE(u.batches[1].blockedRowOutcomes, std::vector<BlockedRowOutcome>(5, BlockedRowOutcome::Uniform));
    }
    void uniformOutputIsTheMeanOfTheValues()
    {
        // With equal logits (q = 0: zero query weights and bias) the unmasked softmax is uniform
        // too, so the uniform policy's output must equal the unmasked output.
        Case k = makeCase(1, 4, 4, 8, 2, 32);
        k.inputs.inProjWeight.topRows(8).setZero();
        k.inputs.inProjBias.head(8).setZero();
        MaskSpec blocked = k.mask;
        blocked.validLens = {0};
        blocked.pitfalls.blockedRows = BlockedRows::Uniform;
        const auto u = run(k.inputs, blocked), open = run(k.inputs, k.mask);
        QVERIFY((u.batches[0].output - open.batches[0].output).cwiseAbs().maxCoeff() < 1e-6);
    }
    void maskNotAppliedIsReportedOnBlockedRows()
    {
        Case k = makeCase(1, 4, 4, 8, 1, 33);
        k.mask.validLens = {0};
        k.mask.pitfalls.mistakes.set(Pitfall::MaskedFillNotInplace);
        k.mask.pitfalls.blockedRows = BlockedRows::Zero; // never reached: no row is blocked in effect
        const auto t = run(k.inputs, k.mask);
        QCOMPARE(t.batches[0].rowFullyBlocked, std::vector<bool>(4, true));
        QCOMPARE(t.batches[0].blockedRowOutcomes, std::vector<BlockedRowOutcome>(4, BlockedRowOutcome::MaskNotApplied));
        QVERIFY(std::fabs(t.batches[0].heads[0].weights.row(2).sum() - 1) < 1e-6);
    }

    // ---- the explanations and the names -------------------------------------------------------

    void everyChoiceIsExplainedAndNamed()
    {
        for (int p = 0; p < kPitfallCount; ++p) {
            const PitfallInfo& info = pitfallInfo(static_cast<Pitfall>(p));
            QCOMPARE(int(info.id), p);
            QVERIFY(std::strlen(info.title) > 5 && std::strlen(info.paragraph) > 200 && std::strlen(info.fix) > 40);
            QCOMPARE(parsePitfall(info.cliName), info.id);
            QVERIFY(std::strlen(info.seed) == 3);
        }
        for (const auto& i : maskApplyInfos())
            QVERIFY(parseMaskApply(i.cliName) == i.id && std::strlen(i.paragraph) > 100);
        for (const auto& i : blockedRowsInfos())
            QVERIFY(parseBlockedRows(i.cliName) == i.id && std::strlen(i.paragraph) > 100);
        for (const auto& i : numberFormatInfos())
            QVERIFY(i.id == NumberFormat::Native || parseNumberFormat(i.cliName) == i.id);
        for (const auto& i : blockedRowOutcomeInfos())
            QVERIFY(&blockedRowOutcomeInfo(i.id) == &i && std::strlen(i.title) > 5);
        QCOMPARE(parseNumberFormat("bfloat16"), NumberFormat::BFloat16);
    }
    void theExplanationsSayWhatTheSeedsShow()
    {
        // The seed-000 explanation must say both: its prose is backwards, its tensor is right.
        const std::string backwards = pitfallInfo(Pitfall::CausalBackwards).paragraph;
        QVERIFY(backwards.find("prose") != std::string::npos);
        QVERIFY(backwards.find("printed tensor are right") != std::string::npos);
        QVERIFY(backwards.find("strictly above the diagonal") != std::string::npos);
        const std::string notInPlace = pitfallInfo(Pitfall::MaskedFillNotInplace).paragraph;
        QVERIFY(notInPlace.find("not in place") != std::string::npos);
        QVERIFY(std::string(pitfallInfo(Pitfall::MaskedFillNotInplace).fix).find("masked_fill_") != std::string::npos);
        QVERIFY(std::string(pitfallInfo(Pitfall::QprojForKv).fix).find("self.k_proj(k)") != std::string::npos);
    }
    void everyTextIsMarkedForTranslation()
    {
        // lupdate reads core/pitfalls.cpp as the window's translation step will: every text of
        // the tables must come out, in the context the window translates with.
        const QString lupdate = QStringLiteral("/usr/lib/qt6/bin/lupdate");
        if (!QFile::exists(lupdate))
            QSKIP("Qt's lupdate (qt6-l10n-tools) is not installed");
        QTemporaryDir dir;
        const QString ts = dir.filePath("pitfalls.ts");
        QProcess p;
        p.start(lupdate, {MASKSCOPE_TEST_DATA "/../../core/attention/pitfalls.cpp", "-silent", "-ts", ts});
        QVERIFY(p.waitForFinished(120000) && p.exitCode() == 0);
        QFile file(ts);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSet<QString> extracted;
        QXmlStreamReader xml(&file);
        QString context;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QStringLiteral("name"))
                context = xml.readElementText();
            else if (xml.isStartElement() && xml.name() == QStringLiteral("source") && context == kPitfallTextContext)
                extracted.insert(xml.readElementText());
        }
        QStringList texts;
        for (const PitfallInfo& i : pitfallInfos())
            texts << i.title << i.paragraph << i.fix;
        const auto addChoices = [&](const auto& table) {
            for (const auto& i : table)
                texts << i.title << i.paragraph;
        };
        addChoices(maskApplyInfos());
        addChoices(blockedRowsInfos());
        addChoices(numberFormatInfos());
        addChoices(blockedRowOutcomeInfos());
        for (const PitfallWarning w : {PitfallWarning::FillOverflowsFormat, PitfallWarning::FillNotNegative})
            texts << Warning{w, {}}.textTemplate();
        for (const QString& text : texts)
            QVERIFY2(extracted.contains(text), qPrintable(text.left(60)));
        QCOMPARE(extracted.size(), texts.size());
    }
    void badNamesListTheChoices()
    {
        try {
            parsePitfall("off-by-one");
            QFAIL("no error");
        } catch (const InputError& e) {
            const QString text = e.what();
            QVERIFY(text.startsWith("--bug expects one of masked-fill-not-inplace, qproj-for-kv"));
            QVERIFY(text.contains("'off-by-one'") && !text.contains('\n'));
        }
        QVERIFY_THROWS_EXCEPTION(InputError, parseBlockedRows("inf"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseMaskApply("multiply"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseNumberFormat("f64"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseNumberFormat(""));
    }
    void pitfallSetIsASet()
    {
        PitfallSet s{Pitfall::CausalBackwards, Pitfall::QprojForKv};
        QCOMPARE(s.list(), (std::vector<Pitfall>{Pitfall::QprojForKv, Pitfall::CausalBackwards}));
        s.set(Pitfall::QprojForKv, false);
        QVERIFY(!s.has(Pitfall::QprojForKv) && s.has(Pitfall::CausalBackwards) && !s.empty());
        QVERIFY(PitfallSet{} == PitfallSet{} && !(s == PitfallSet{}));
        QCOMPARE(substituteArgs("%2 then %1, %9, 100%", {"a", "b"}), std::string("b then a, %9, 100%"));
    }
    void scenarioOptionsRoundTrip()
    {
        std::vector<std::string> rest;
        const std::vector<std::string> args{"--causal", "--bug", "causal-backwards", "--bug=qproj-for-kv,unmasked-padding",
                                            "--dtype", "bf16", "--blocked-rows", "uniform", "--mask-apply=replace"};
        const ScenarioConfig c = parseScenarioOptions(args, rest);
        QVERIFY(rest.empty());
        QCOMPARE(c.pitfalls.mistakes, (PitfallSet{Pitfall::CausalBackwards, Pitfall::QprojForKv, Pitfall::UnmaskedPadding}));
        QCOMPARE(c.pitfalls.format, NumberFormat::BFloat16);
        QCOMPARE(c.pitfalls.blockedRows, BlockedRows::Uniform);
        QCOMPARE(c.pitfalls.maskApply, MaskApply::Replace);
        const std::vector<std::string> again = scenarioOptionArgs(c);
        QVERIFY(parseScenarioOptions(again, rest) == c);
        QVERIFY(rest.empty());
        for (const char* f : {"f32", "f16"}) {
            ScenarioConfig d;
            d.pitfalls.format = parseNumberFormat(f);
            QVERIFY(parseScenarioOptions(scenarioOptionArgs(d), rest) == d);
        }
        QVERIFY(scenarioOptionArgs(ScenarioConfig{}).empty());
    }
    void scenarioCarriesTheLabToTheMask()
    {
        ScenarioConfig c;
        c.seqLen = 4;
        c.causal = true;
        c.pitfalls.mistakes.set(Pitfall::CausalBackwards);
        c.pitfalls.format = NumberFormat::Float16;
        const Scenario s = buildScenario(c);
        QCOMPARE(s.mask.pitfalls, c.pitfalls);
        QCOMPARE(s.dtype(), DType::Float16);
        QVERIFY(!allowedAt(s.mask, 0, 1, 1) && allowedAt(s.mask, 0, 1, 2));
        ScenarioConfig wrong;
        wrong.pitfalls.mistakes.set(Pitfall::CausalBackwards);
        QVERIFY_THROWS_EXCEPTION(InputError, buildScenario(wrong));
    }
};

QTEST_GUILESS_MAIN(TestPitfalls)
#include "tst_pitfalls.moc"
