// SPDX-License-Identifier: MIT
#include "mask/maskspec.h"

#include <QTest>

#include <cmath>

using namespace maskscope;

namespace {

MaskSpec spec(int lq, int lk, int batch = 1)
{
    MaskSpec s;
    s.queryLen = lq;
    s.keyLen = lk;
    s.batch = batch;
    s.selfAttention = lq == lk;
    return s;
}

bool throwsInputError(const MaskSpec& s, const char* phrase)
{
    try {
        s.validate();
    } catch (const InputError& e) {
        return QString(e.what()).contains(phrase);
    }
    return false;
}

} // namespace

class TestMaskSpec : public QObject {
    Q_OBJECT
private slots:
    void noRulesAllowsEverything()
    {
        const BoolMatrix a = allowedMatrix(spec(5, 5), 0);
        QVERIFY(a.all());
        Matrix<float> add;
        additiveMask<float>(spec(5, 5), 0, add);
        QVERIFY(add.isZero());
    }
    void causalAllowsKeysUpToTheQuery()
    {
        MaskSpec s = spec(4, 4);
        s.causal = true;
        const BoolMatrix a = allowedMatrix(s, 0);
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                QCOMPARE(a(i, j), j <= i);
        // The seed-000 tensor: 0 on and below the diagonal, -inf above it.
        Matrix<float> add;
        additiveMask<float>(s, 0, add);
        QCOMPARE(add(0, 0), 0.0f);
        QCOMPARE(add(3, 0), 0.0f);
        QVERIFY(std::isinf(add(0, 1)) && add(0, 1) < 0);
        QVERIFY(std::isinf(add(2, 3)));
    }
    void causalCrossAttentionIsTopLeftAligned()
    {
        MaskSpec s = spec(3, 6);
        s.causal = true;
        const BoolMatrix a = allowedMatrix(s, 0);
        QCOMPARE(a.row(0).count(), 1);
        QCOMPARE(a.row(2).count(), 3);
        QVERIFY(!a(0, 1));
    }
    void rightPaddingBlocksTrailingKeysAndFlagsQueries()
    {
        MaskSpec s = spec(5, 5, 2);
        s.validLens = {5, 3};
        const BoolMatrix a0 = allowedMatrix(s, 0), a1 = allowedMatrix(s, 1);
        QVERIFY(a0.all());
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 5; ++j)
                QCOMPARE(a1(i, j), j < 3); // padded query rows are not blocked
        QCOMPARE(s.queryPadFlags(1), (std::vector<bool>{false, false, false, true, true}));
        QCOMPARE(s.keyPadFlags(0), std::vector<bool>(5, false));
    }
    void leftPaddingBlocksLeadingKeys()
    {
        MaskSpec s = spec(5, 5);
        s.validLens = {2};
        s.padSide = PadSide::Left;
        const BoolMatrix a = allowedMatrix(s, 0);
        for (int j = 0; j < 5; ++j)
            QCOMPARE(a(0, j), j >= 3);
        QCOMPARE(s.queryPadFlags(0), (std::vector<bool>{true, true, true, false, false}));
    }
    void causalWithLeftPaddingLeavesRowsWithNoKey()
    {
        // Batched generation's classic trap: the first rows see only padding.
        MaskSpec s = spec(5, 5);
        s.validLens = {2};
        s.padSide = PadSide::Left;
        s.causal = true;
        const auto blocked = fullyBlockedRows(allowedMatrix(s, 0));
        QCOMPARE(blocked, (std::vector<bool>{true, true, true, false, false}));
    }
    void combinedIsCausalAndPadding()
    {
        MaskSpec s = spec(6, 6);
        s.validLens = {4};
        s.causal = true;
        const BoolMatrix a = allowedMatrix(s, 0);
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 6; ++j)
                QCOMPARE(a(i, j), j <= i && j < 4);
    }
    void finiteFillIsWrittenOnce()
    {
        MaskSpec s = spec(3, 3);
        s.causal = true;
        s.validLens = {2};
        s.fill = Fill::parse("-1e9");
        Matrix<double> add;
        additiveMask<double>(s, 0, add);
        QCOMPARE(add(0, 2), -1e9); // blocked by both rules, still -1e9 and not -2e9
        QCOMPARE(add(2, 1), 0.0);
    }
    void loadedBoolMaskAndKeyPaddingCombineLikePyTorch()
    {
        MaskSpec s = spec(3, 3, 2);
        LoadedAttnMask m;
        m.blocked = BoolMatrix::Constant(3, 3, false);
        m.blocked(0, 2) = true;
        s.attnMask = m;
        BoolMatrix kpm = BoolMatrix::Constant(2, 3, false);
        kpm(1, 0) = true;
        s.keyPaddingMask = kpm;
        s.validate();
        QVERIFY(!allowedMatrix(s, 0)(0, 2));
        QVERIFY(allowedMatrix(s, 0)(1, 0));
        QVERIFY(!allowedMatrix(s, 1)(1, 0));
        Matrix<float> add;
        additiveMask<float>(s, 1, add);
        QVERIFY(std::isinf(add(0, 2)) && std::isinf(add(2, 0)));
        QCOMPARE(add(1, 1), 0.0f);
        QCOMPARE(s.queryPadFlags(1), (std::vector<bool>{true, false, false}));
    }
    void loadedFloatMaskIsAddedAndKeyPaddingReplaces()
    {
        MaskSpec s = spec(2, 3);
        LoadedAttnMask m;
        m.isBool = false;
        m.additive = Matrix<double>::Zero(2, 3);
        m.additive(0, 1) = -0.5;   // a bias, still allowed
        m.additive(1, 2) = -1e9;   // large negative: counts as blocked
        m.additive(0, 0) = 2.0;
        s.attnMask = m;
        BoolMatrix kpm = BoolMatrix::Constant(1, 3, false);
        kpm(0, 0) = true;
        s.keyPaddingMask = kpm;
        Matrix<double> add;
        additiveMask<double>(s, 0, add);
        QVERIFY(std::isinf(add(0, 0)));     // masked_fill(-inf), not 2 + -inf
        QCOMPARE(add(0, 1), -0.5);
        QCOMPARE(add(1, 2), -1e9);
        const BoolMatrix a = allowedMatrix(s, 0);
        QVERIFY(a(0, 1) && !a(1, 2) && !a(0, 0));
    }
    void validateNamesTheProblem()
    {
        QVERIFY(throwsInputError(spec(0, 0), "at least 1"));
        MaskSpec s = spec(4, 4, 2);
        s.validLens = {4};
        QVERIFY(throwsInputError(s, "valid lengths given for batch size 2"));
        s.validLens = {4, 5};
        QVERIFY(throwsInputError(s, "valid length 5 is outside 0..4"));
        MaskSpec cross = spec(3, 4);
        cross.selfAttention = true;
        QVERIFY(throwsInputError(cross, "self-attention needs"));
        MaskSpec k = spec(3, 3);
        k.keyPaddingMask = BoolMatrix::Constant(2, 3, false);
        QVERIFY(throwsInputError(k, "key_padding_mask has shape (2, 3)"));
    }
};

QTEST_APPLESS_MAIN(TestMaskSpec)
#include "tst_maskspec.moc"
