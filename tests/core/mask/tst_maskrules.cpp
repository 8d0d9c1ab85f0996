// SPDX-License-Identifier: MIT
// Property tests of the mask rules: every rule against its definition in words, over many random
// sizes (Lq != Lk included) and random compositions; allowedMatrix, allowedAt, the per-row spans
// and the additive mask agree everywhere; the engine stays exact under every rule.
#include "attention/attention.h"
#include "maskreference.h"
#include "reference.h"
#include "synthcase.h"

#include <QTest>

#include <cmath>
#include <functional>

using namespace maskscope;
using namespace maskscope::testing;

namespace {

constexpr int kSamples = 400;

MaskSpec bareSpec(Random& rng, bool sameLengths)
{
    MaskSpec s;
    s.keyLen = pick(rng, 1, 30);
    s.queryLen = sameLengths ? s.keyLen : pick(rng, 1, 30);
    s.selfAttention = s.queryLen == s.keyLen;
    return s;
}

// Compares allowedMatrix with `expected` on every cell; reports the first difference.
bool matches(const MaskSpec& s, int b, const std::function<bool(int, int)>& expected)
{
    const BoolMatrix a = allowedMatrix(s, b);
    for (int i = 0; i < s.queryLen; ++i)
        for (int j = 0; j < s.keyLen; ++j)
            if (a(i, j) != expected(i, j)) {
                qWarning("Lq %d Lk %d: cell (%d, %d) is %d", s.queryLen, s.keyLen, i, j, int(a(i, j)));
                return false;
            }
    return true;
}

BoolMatrix fromRows(const std::vector<const char*>& rows)
{
    BoolMatrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(std::strlen(rows[0])));
    for (size_t i = 0; i < rows.size(); ++i)
        for (size_t j = 0; j < std::strlen(rows[0]); ++j)
            m(Eigen::Index(i), Eigen::Index(j)) = rows[i][j] == '1';
    return m;
}

bool throwsWith(const MaskSpec& s, const char* phrase)
{
    try {
        s.validate();
    } catch (const InputError& e) {
        if (QString(e.what()).contains(phrase))
            return true;
        qWarning("message was: %s", e.what());
    }
    return false;
}

} // namespace

class TestMaskRules : public QObject {
    Q_OBJECT
private slots:
    void causalTopLeftSeesKeysUpToItsIndex()
    {
        Random rng(11);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, false);
            s.causal = true;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j <= i; }));
        }
    }
    void causalBottomRightAlignsTheLastQueryWithTheLastKey()
    {
        Random rng(12);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, false);
            s.causal = true;
            s.rules.causalAlign = CausalAlign::BottomRight;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j <= i + s.keyLen - s.queryLen; }));
            if (s.queryLen <= s.keyLen)
                QVERIFY(allowedMatrix(s, 0).row(s.queryLen - 1).all()); // the newest token sees all
        }
    }
    void flashAttentionDocstringExamples()
    {
        // flash_attn_func's docstring: causal masks with seqlen_q != seqlen_k (1 = keep).
        MaskSpec s;
        s.causal = true;
        s.selfAttention = false;
        s.rules.causalAlign = CausalAlign::BottomRight;
        s.queryLen = 2, s.keyLen = 5;
        QVERIFY((allowedMatrix(s, 0) == fromRows({"11110", "11111"})).all());
        s.queryLen = 5, s.keyLen = 2;
        QVERIFY((allowedMatrix(s, 0) == fromRows({"00", "00", "00", "10", "11"})).all());
    }
    void windowFollowsFlashAttentionWindowSize()
    {
        // "query i attends to keys in [i + Lk - Lq - left, i + Lk - Lq + right]", and causal
        // limits right to 0, as flash_attn_func(causal=True, window_size=(left, right)).
        Random rng(13);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, false);
            s.rules.causalAlign = CausalAlign::BottomRight;
            s.causal = chance(rng, 50);
            const int left = pick(rng, 0, 8), right = pick(rng, 0, 8);
            s.rules.windowLeft = left, s.rules.windowRight = right;
            const int shift = s.keyLen - s.queryLen;
            const int effectiveRight = s.causal ? 0 : right;
            QVERIFY(matches(s, 0, [&](int i, int j) {
                return j >= i + shift - left && j <= i + shift + effectiveRight;
            }));
        }
    }
    void unboundedWindowSideIsMinusOne()
    {
        Random rng(14);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            const int left = pick(rng, 0, 5);
            s.rules.windowLeft = left;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j >= i - left; }));
            s.rules.windowLeft = -1;
            s.rules.windowRight = left;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j <= i + left; }));
        }
    }
    void dilatedWindowKeepsEveryDthKey()
    {
        Random rng(15);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, false);
            const int d = pick(rng, 2, 6), left = pick(rng, 0, 12);
            s.rules.dilation = d;
            s.rules.windowLeft = left;
            s.rules.windowRight = 0;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j <= i && i - j <= left && (i - j) % d == 0; }));
        }
    }
    void prefixSeesItselfBidirectionallyAndTheRestCausally()
    {
        Random rng(16);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            s.causal = true;
            const int p = pick(rng, 0, s.keyLen);
            s.rules.prefix = p;
            QVERIFY(matches(s, 0, [&](int i, int j) {
                const bool bothInPrefix = i < p && j < p;
                return bothInPrefix || j <= i;
            }));
        }
    }
    void documentsAreBlockDiagonal()
    {
        Random rng(17);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            s.rules.segments = randomSegments(rng, s.keyLen);
            s.causal = chance(rng, 50);
            // Block k spans [start_k, start_k + len_k): a cell is allowed iff both lie in one block.
            std::vector<std::pair<int, int>> blocks;
            int start = 0;
            for (const int len : s.rules.segments)
                blocks.push_back({start, start + len}), start += len;
            QVERIFY(matches(s, 0, [&](int i, int j) {
                for (const auto& [lo, hi] : blocks)
                    if (i >= lo && i < hi)
                        return j >= lo && j < hi && (!s.causal || j <= i);
                return false;
            }));
        }
    }
    void chunksAttendWithinTheirChunk()
    {
        Random rng(18);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            const int c = pick(rng, 1, 9);
            s.rules.chunk = c;
            s.causal = chance(rng, 50);
            QVERIFY(matches(s, 0, [&](int i, int j) { return i / c == j / c && (!s.causal || j <= i); }));
        }
    }
    void globalTokensSeeAndAreSeenByAllButPadding()
    {
        Random rng(19);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            s.causal = true;
            s.rules.windowLeft = pick(rng, 0, 3);
            const int g = pick(rng, 0, s.keyLen);
            s.rules.globalTokens = g;
            s.validLens = {pick(rng, 0, s.keyLen)};
            const int valid = s.validLens[0];
            QVERIFY(matches(s, 0, [&](int i, int j) {
                const bool local = j <= i && i - j <= s.rules.windowLeft;
                return (local || i < g || j < g) && j < valid;
            }));
        }
    }
    void sinksStayVisibleWhateverTheWindowSays()
    {
        // StreamingLLM: --causal --window W,0 --sink S keeps the first S keys and the last W + 1.
        Random rng(31);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            s.causal = true;
            s.rules.windowLeft = pick(rng, 0, s.keyLen), s.rules.windowRight = 0;
            s.rules.sink = pick(rng, 0, s.keyLen);
            const int w = s.rules.windowLeft, sink = s.rules.sink;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j <= i && (i - j <= w || j < sink); }));
        }
    }
    void blockCausalSeesItsOwnBlockAndEarlierOnes()
    {
        Random rng(32);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            s.rules.blockCausal = pick(rng, 1, s.keyLen + 1);
            const int block = s.rules.blockCausal;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j / block <= i / block; }));
        }
        MaskSpec s;
        s.queryLen = s.keyLen = 5, s.rules.blockCausal = 2;
        QVERIFY((allowedMatrix(s, 0) == fromRows({"11000", "11000", "11110", "11110", "11111"})).all());
    }
    void bidirectionalSpansOpenUpInsideCausal()
    {
        Random rng(33);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            s.causal = true;
            s.rules.bidirectional = randomSpans(rng, s.keyLen);
            std::vector<int> spanOf(size_t(s.keyLen), -1);
            for (size_t k = 0; k < s.rules.bidirectional.size(); ++k)
                for (int p = s.rules.bidirectional[k].begin; p < s.rules.bidirectional[k].end; ++p)
                    spanOf[size_t(p)] = int(k);
            QVERIFY(matches(s, 0, [&](int i, int j) {
                return j <= i || (spanOf[size_t(i)] >= 0 && spanOf[size_t(i)] == spanOf[size_t(j)]);
            }));
        }
        MaskSpec s;
        s.queryLen = s.keyLen = 5, s.causal = true, s.rules.bidirectional = {{1, 4}};
        QVERIFY((allowedMatrix(s, 0) == fromRows({"10000", "11110", "11110", "11110", "11111"})).all());
    }
    void treeNodesSeeThePrefixThemselvesAndTheirAncestors()
    {
        // Two prefix tokens, then the draft tree  root(2) -> {3, 4}, 3 -> 5.
        MaskSpec s;
        s.queryLen = s.keyLen = 6, s.rules.tree = {-1, 0, 0, 1};
        QVERIFY((allowedMatrix(s, 0) == fromRows({"100000", "110000", "111000", "111100", "111010", "111101"})).all());
        // Only the drafts as queries, at the end of the keys (decoding with a KV cache).
        s.queryLen = 4, s.selfAttention = false, s.rules.causalAlign = CausalAlign::BottomRight;
        QVERIFY((allowedMatrix(s, 0) == fromRows({"111000", "111100", "111010", "111101"})).all());
    }
    void neighborhoodQueriesSeeTheirKernelClampedInsideTheGrid()
    {
        Random rng(34);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, true);
            s.rules.neighborhood = randomNeighborhood(rng, s.keyLen);
            const Neighborhood& g = s.rules.neighborhood;
            const BoolMatrix a = allowedMatrix(s, 0);
            for (int i = 0; i < s.queryLen; ++i) {
                QCOMPARE(int(a.row(i).count()), g.kernelHeight * g.kernelWidth); // NATTEN: always KH x KW
                QVERIFY(a(i, i));
            }
            QVERIFY(matches(s, 0, [&](int i, int j) { return neighborhoodRuleAllows(s, i, j); }));
        }
        MaskSpec s; // a 3 x 3 grid, 1 x 3 kernels: a corner's kernel is shifted inside
        s.queryLen = s.keyLen = 9, s.rules.neighborhood = {3, 3, 1, 3};
        QVERIFY((allowedMatrix(s, 0).row(0) == fromRows({"111000000"}).row(0)).all());
        QVERIFY((allowedMatrix(s, 0).row(5) == fromRows({"000111000"}).row(0)).all());
    }
    void customTogglesFlipExactlyTheirCells()
    {
        Random rng(20);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = bareSpec(rng, false);
            s.causal = chance(rng, 50);
            const BoolMatrix before = allowedMatrix(s, 0);
            for (int k = pick(rng, 1, 5); k > 0; --k)
                s.rules.toggled.toggle(pick(rng, 0, s.queryLen - 1), pick(rng, 0, s.keyLen - 1));
            QVERIFY(matches(s, 0, [&](int i, int j) { return before(i, j) != s.rules.toggled.contains(i, j); }));
        }
    }
    void maskFileIsAndedWithTrueMeaningAllowed()
    {
        Random rng(21);
        for (int n = 0; n < kSamples / 4; ++n) {
            MaskSpec s = bareSpec(rng, false);
            s.causal = true;
            auto file = std::make_shared<BoolMatrix>(s.queryLen, s.keyLen);
            for (int k = 0; k < file->size(); ++k)
                file->data()[k] = chance(rng, 60);
            s.allowedFile = file;
            QVERIFY(matches(s, 0, [&](int i, int j) { return j <= i && (*file)(i, j); }));
        }
    }
    void randomCompositionsMatchTheDefinition()
    {
        Random rng(22);
        for (int n = 0; n < 3000; ++n) {
            const MaskSpec s = randomMaskSpec(rng);
            s.validate();
            for (int b = 0; b < s.batch; ++b) {
                const BoolMatrix a = allowedMatrix(s, b);
                for (int i = 0; i < s.queryLen; ++i)
                    for (int j = 0; j < s.keyLen; ++j) {
                        const bool expected = definitionAllows(s, b, i, j);
                        if (a(i, j) != expected || allowedAt(s, b, i, j) != expected)
                            QFAIL(qPrintable(QString("sample %1 cell (%2, %3) of batch %4: matrix %5, "
                                                     "allowedAt %6, definition %7")
                                                 .arg(n).arg(i).arg(j).arg(b).arg(a(i, j))
                                                 .arg(allowedAt(s, b, i, j)).arg(expected)));
                    }
            }
        }
    }
    void rowKeysAreDisjointIncreasingAndMatchRulesAndPadding()
    {
        Random rng(23);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = randomMaskSpec(rng, {24, false});
            s.rules.toggled.clear();
            const RowEvaluator rows(s);
            for (int b = 0; b < s.batch; ++b)
                for (int i = 0; i < s.queryLen; ++i) {
                    const RowKeys keys = rows.rowKeys(b, i);
                    for (size_t k = 1; k < keys.spans.size(); ++k)
                        QVERIFY(keys.spans[k - 1].last < keys.spans[k].first);
                    for (const KeySpan& span : keys.spans)
                        QVERIFY(!span.empty());
                    for (int j = 0; j < s.keyLen; ++j)
                        QCOMPARE(keys.contains(j), definitionAllows(s, b, i, j));
                }
        }
    }
    void additiveMaskIsZeroWhereAllowedAndFillWhereBlocked()
    {
        Random rng(24);
        for (int n = 0; n < kSamples; ++n) {
            MaskSpec s = randomMaskSpec(rng);
            s.fill = chance(rng, 50) ? Fill{} : Fill::parse("-1e9");
            const float fill = s.fill.as<float>();
            for (int b = 0; b < s.batch; ++b) {
                Matrix<float> add;
                additiveMask<float>(s, b, add);
                const BoolMatrix a = allowedMatrix(s, b);
                for (int i = 0; i < s.queryLen; ++i)
                    for (int j = 0; j < s.keyLen; ++j) {
                        const bool loadedPad = s.keyPaddingMask && (*s.keyPaddingMask)(b, j);
                        if (a(i, j))
                            QCOMPARE(add(i, j), 0.0f);
                        else if (!loadedPad)
                            QCOMPARE(add(i, j), fill);
                        else
                            QVERIFY(add(i, j) == fill || std::isinf(add(i, j)));
                    }
            }
        }
    }
    void engineMatchesTheReferenceUnderEveryRule()
    {
        Random rng(25);
        AttentionEngine<double> engine;
        AttentionTrace<double> t;
        for (int n = 0; n < 150; ++n) {
            MaskSpec s = randomMaskSpec(rng, {12, true});
            SyntheticConfig c;
            c.batch = s.batch, c.queryLen = s.queryLen, c.keyLen = s.keyLen;
            c.heads = pick(rng, 1, 3);
            c.dModel = c.heads * pick(rng, 1, 4);
            c.seed = rng.nextU64();
            c.selfAttention = s.selfAttention;
            for (int b = 0; b < s.batch; ++b) {
                c.keyTokens.push_back(sequenceTokens({}, s.keyLen, s.keyLen, false));
                c.queryTokens.push_back(sequenceTokens({}, s.queryLen, s.queryLen, false));
            }
            const AttentionInputs<float> f = makeSyntheticInputs(c);
            const AttentionInputs<double> in = testing::widened(f);
            engine.compute(in, s, TraceRequest{}, t);
            for (int b = 0; b < s.batch; ++b) {
                const ReferenceBatch r = referenceAttention(in, s, b);
                for (size_t h = 0; h < r.heads.size(); ++h) {
                    QVERIFY(maxDifference(t.batches[size_t(b)].heads[h].weights, r.heads[h].weights) < 1e-12);
                    QVERIFY(maxDifference(t.batches[size_t(b)].heads[h].maskedLogits, r.heads[h].masked) < 1e-12);
                }
                QVERIFY(maxDifference(t.batches[size_t(b)].output, r.output) < 1e-12);
            }
        }
    }
    void togglesStaySortedAndToggleBack()
    {
        CellToggles t;
        t.toggle(3, 1), t.toggle(0, 4), t.toggle(3, 0), t.toggle(0, 4);
        QCOMPARE(t.size(), size_t(2));
        QVERIFY(t.contains(3, 0) && t.contains(3, 1) && !t.contains(0, 4));
        QCOMPARE(t.cells().front(), (Cell{3, 0}));
        QCOMPARE(t.row(3).size(), size_t(2));
        QCOMPARE(t.row(2).size(), size_t(0));
        QCOMPARE(t.clippedTo(4, 1).size(), size_t(1));
    }
    void validationNamesTheProblem_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("window") << 0 << "window sizes must be -1 (unbounded) or at least 0, got -2,0";
        QTest::newRow("dilation") << 1 << "dilation must be at least 1";
        QTest::newRow("prefix too long") << 2 << "prefix 9 is outside 0..8";
        QTest::newRow("prefix without causal") << 3 << "prefix-LM prefix needs the causal rule";
        QTest::newRow("segment sum") << 4 << "segment lengths sum to 7 but the key length is 8";
        QTest::newRow("empty segment") << 5 << "segment lengths must be at least 1";
        QTest::newRow("global") << 6 << "global tokens 9 is outside 0..8";
        QTest::newRow("toggle") << 7 << "toggled cell 8:0 is outside the (8, 8) mask";
        QTest::newRow("file shape") << 8 << "mask file has shape (8, 7) but attention is (8, 8)";
        QTest::newRow("chunk") << 9 << "chunk size must be 0 (off) or at least 1";
        QTest::newRow("sink") << 10 << "sink tokens 9 is outside 0..8";
        QTest::newRow("block-causal") << 11 << "block-causal block size must be 0 (off) or at least 1";
        QTest::newRow("span order") << 12 << "bidirectional spans must be in increasing order without overlap, at 2:4";
        QTest::newRow("span bounds") << 13 << "bidirectional span 6:9 must satisfy 0 <= a < b <= 8";
        QTest::newRow("tree parent") << 14 << "tree node 1 has parent 1";
        QTest::newRow("tree size") << 15 << "a tree of 9 nodes needs at most";
        QTest::newRow("grid") << 16 << "needs H, W >= 1 and H * W == the key length 8";
        QTest::newRow("kernel") << 17 << "neighborhood kernel 2 x 1 must be odd";
    }
    void validationNamesTheProblem()
    {
        QFETCH(int, which);
        QFETCH(QString, phrase);
        MaskSpec s;
        MaskRules& r = s.rules;
        switch (which) {
        case 0: r.windowLeft = -2, r.windowRight = 0; break;
        case 1: r.dilation = 0; break;
        case 2: s.causal = true, r.prefix = 9; break;
        case 3: r.prefix = 2; break;
        case 4: r.segments = {3, 4}; break;
        case 5: r.segments = {8, 0}; break;
        case 6: r.globalTokens = 9; break;
        case 7: r.toggled.toggle(8, 0); break;
        case 8: s.allowedFile = std::make_shared<BoolMatrix>(BoolMatrix::Constant(8, 7, true)); break;
        case 9: r.chunk = -1; break;
        case 10: r.sink = 9; break;
        case 11: r.blockCausal = -1; break;
        case 12: r.bidirectional = {{1, 3}, {2, 4}}; break;
        case 13: r.bidirectional = {{6, 9}}; break;
        case 14: r.tree = {-1, 1}; break;
        case 15: r.tree = std::vector<int>(9, -1); break;
        case 16: r.neighborhood = {3, 3, 1, 1}; break;
        case 17: r.neighborhood = {2, 4, 2, 1}; break;
        }
        QVERIFY(throwsWith(s, qPrintable(phrase)));
    }
};

QTEST_APPLESS_MAIN(TestMaskRules)
#include "tst_maskrules.moc"
