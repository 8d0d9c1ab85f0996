// SPDX-License-Identifier: MIT
// Number formats: float16 and bfloat16 emulated by rounding every stored intermediate; the fill
// in each format (-1e9 is -inf in float16, lowest is finfo.min); softmax saturation; and, where
// Debian's python3-torch is installed, the same forward pass in PyTorch (skipped otherwise).
#include "attention/attention.h"
#include "io/npy.h"
#include "attention/precision.h"
#include "base/random.h"
#include "scenario/scenario.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "npywriter.h"

#include <cfloat>
#include <cmath>
#include <cstring>

using namespace maskscope;

Q_DECLARE_METATYPE(maskscope::NumberFormat)

namespace {

const char* kPython = "/usr/bin/python3";

bool pythonImports(const char* module)
{
    if (!QFile::exists(QString::fromLatin1(kPython)))
        return false;
    QProcess p;
    p.start(QString::fromLatin1(kPython), {"-c", QString("import %1").arg(module)});
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// 1 query, 3 keys, E = 4, one head, identity projections: q = (2, 0, 0, 0) / sqrt(4) = e_0, so
// logit j is exactly keys[j] (all the values below are representable in every format).
struct Crafted {
    AttentionInputs<float> inputs;
    MaskSpec mask;
};

Crafted craftedLogits(std::initializer_list<float> logits)
{
    const int lk = int(logits.size());
    Crafted c;
    AttentionInputs<float>& in = c.inputs;
    in.heads = 1;
    in.inProjWeight = Matrix<float>::Zero(12, 4);
    for (int block = 0; block < 3; ++block)
        in.inProjWeight.middleRows(4 * block, 4).setIdentity();
    in.inProjBias = Vector<float>::Zero(12);
    in.outProjWeight = Matrix<float>::Identity(4, 4);
    in.outProjBias = Vector<float>::Zero(4);
    Matrix<float> query = Matrix<float>::Zero(1, 4), keys = Matrix<float>::Zero(lk, 4);
    query(0, 0) = 2;
    int j = 0;
    for (const float v : logits)
        keys(j++, 0) = v;
    in.query = {query};
    in.key = {keys};
    in.value = {keys};
    c.mask.queryLen = 1;
    c.mask.keyLen = lk;
    c.mask.selfAttention = false;
    return c;
}

AttentionTrace<float> run(const AttentionInputs<float>& in, const MaskSpec& mask,
                          const ScoreModifiers& modifiers = {})
{
    AttentionEngine<float> engine;
    AttentionTrace<float> t;
    engine.compute(in, mask, modifiers, TraceRequest{}, t);
    return t;
}

bool allRepresentable(const Matrix<float>& m, NumberFormat f)
{
    for (Eigen::Index k = 0; k < m.size(); ++k)
        if (!representableIn(f, m.data()[k]))
            return false;
    return m.size() > 0;
}

// A scenario with padding, a causal mask, a fully blocked batch item and non-zero biases. Every
// matmul has at least 400 multiply-adds: below that PyTorch 1.13's CPU bmm takes a naive kernel
// that rounds each bfloat16 product and partial sum (later versions accumulate in float32).
Scenario parityScenario(NumberFormat format, const char* fill)
{
    ScenarioConfig c;
    c.seqLen = 12;
    c.validLens = {12, 7, 0};
    c.causal = true;
    c.heads = 3;
    c.dModel = 24; // d_k = 8: sqrt(8) is not representable, so the divisor's rounding shows
    c.seed = 5;
    c.fill = Fill::parse(fill);
    c.pitfalls.format = format;
    Scenario s = buildScenario(c);
    auto& in = std::get<AttentionInputs<float>>(s.inputs);
    Random rng(9);
    for (Eigen::Index i = 0; i < in.inProjBias.size(); ++i)
        in.inProjBias(i) = float(rng.uniform(-0.5, 0.5));
    for (Eigen::Index i = 0; i < in.outProjBias.size(); ++i)
        in.outProjBias(i) = float(rng.uniform(-0.5, 0.5));
    return s;
}

using testing::floatNpy;

std::vector<float> flatten(const std::vector<Matrix<float>>& batch)
{
    std::vector<float> out;
    for (const Matrix<float>& m : batch)
        out.insert(out.end(), m.data(), m.data() + m.size());
    return out;
}

std::vector<float> flatten(const Matrix<float>& m)
{
    return std::vector<float>(m.data(), m.data() + m.size());
}

// The inputs, unrounded, and the additive mask before any rounding (-1e9 still -1e9), so that
// PyTorch does every conversion itself; "lowest" is written as the user would, finfo(format).min.
void writeParityInputs(const QString& dir, const Scenario& s)
{
    const auto& in = std::get<AttentionInputs<float>>(s.inputs);
    const std::size_t b = std::size_t(in.batch()), lq = std::size_t(in.queryLen()),
                      lk = std::size_t(in.keyLen()), e = std::size_t(in.embedDim());
    const auto path = [&](const char* name) { return (dir + "/" + name + ".npy").toStdString(); };
    writeNpy(path("query"), floatNpy({b, lq, e}, flatten(in.query)));
    writeNpy(path("key"), floatNpy({b, lk, e}, flatten(in.key)));
    writeNpy(path("value"), floatNpy({b, lk, e}, flatten(in.value)));
    writeNpy(path("in_proj_weight"), floatNpy({3 * e, e}, flatten(in.inProjWeight)));
    writeNpy(path("in_proj_bias"), floatNpy({3 * e}, flatten(Matrix<float>(in.inProjBias))));
    writeNpy(path("out_proj.weight"), floatNpy({e, e}, flatten(in.outProjWeight)));
    writeNpy(path("out_proj.bias"), floatNpy({e}, flatten(Matrix<float>(in.outProjBias))));
    MaskSpec raw = s.mask;
    raw.pitfalls.format = NumberFormat::Native;
    if (raw.fill.kind == Fill::Kind::Lowest)
        raw.fill = Fill{Fill::Kind::Value, formatLimits(s.dtype()).lowest};
    std::vector<float> mask;
    for (int item = 0; item < in.batch(); ++item) {
        Matrix<float> m;
        additiveMask<float>(raw, item, m);
        mask.insert(mask.end(), m.data(), m.data() + m.size());
    }
    writeNpy(path("attn_mask"), floatNpy({b, lq, lk}, mask));
}

struct Agreement {
    std::size_t cells = 0, identicalCells = 0;
    bool nanPatternMatches = true;
    double worst = 0;
};

void compare(Agreement& a, float ours, double theirs)
{
    ++a.cells;
    if (std::isnan(ours) || std::isnan(theirs)) {
        a.nanPatternMatches &= std::isnan(ours) && std::isnan(theirs);
        a.identicalCells += std::isnan(ours) && std::isnan(theirs);
        return;
    }
    a.identicalCells += double(ours) == theirs;
    a.worst = std::max(a.worst, std::fabs(double(ours) - theirs));
}

} // namespace

class TestNumberFormats : public QObject {
    Q_OBJECT

    bool torch_ = false;

private slots:
    void initTestCase()
    {
        torch_ = pythonImports("numpy") && pythonImports("torch");
        qInfo("python3 with numpy and torch: %s", torch_ ? "yes" : "no");
    }

    void roundingIsToNearestEvenWithOverflowToInfinity()
    {
        const auto h = [](float x) { return roundTo(NumberFormat::Float16, x); };
        const auto bf = [](float x) { return roundTo(NumberFormat::BFloat16, x); };
        QCOMPARE(h(65504.f), 65504.f);
        QCOMPARE(h(65519.f), 65504.f);                     // below the halfway point 65520
        QVERIFY(std::isinf(h(65520.f)) && std::isinf(h(-1e9f)) && h(-1e9f) < 0);
        QCOMPARE(h(1.f + std::ldexp(1.f, -11)), 1.f);      // a tie goes to the even neighbour
        QCOMPARE(h(std::ldexp(1.f, -25)), 0.f);            // half the smallest subnormal: to even, 0
        QCOMPARE(h(3e-8f), std::ldexp(1.f, -24));
        QVERIFY(std::isnan(h(NAN)));
        QCOMPARE(bf(-1e9f), -998244352.f);
        QCOMPARE(bf(0.9997f), 1.f);
        QCOMPARE(bf(1.f + std::ldexp(1.f, -8)), 1.f);
        QCOMPARE(roundTo(NumberFormat::Float32, 0.1f), 0.1f);
        QVERIFY(representableIn(NumberFormat::Float16, -65504) && !representableIn(NumberFormat::Float16, 0.1));
        QVERIFY(representableIn(NumberFormat::BFloat16, -INFINITY) && !representableIn(NumberFormat::Float32, 0.1));
    }
    void limitsAreTorchFinfo()
    {
        QCOMPARE(formatLimits(DType::Float16).lowest, -65504.0);
        QCOMPARE(formatLimits(DType::Float16).epsilon, 0.0009765625);
        QCOMPARE(formatLimits(DType::BFloat16).lowest, -3.3895313892515355e38);
        QCOMPARE(formatLimits(DType::BFloat16).epsilon, 0.0078125);
        QCOMPARE(formatLimits(DType::Float32).lowest, -double(FLT_MAX));
        QCOMPARE(formatLimits(DType::Float64).lowest, -DBL_MAX);
        QCOMPARE(QString(dtypeName(DType::BFloat16)), QString("bfloat16"));
    }
    void theFillInEachFormat()
    {
        const Fill billion = Fill::parse("-1e9"), lowest = Fill::parse("lowest");
        QVERIFY(std::isinf(fillIn<float>(billion, NumberFormat::Float16)));   // as .half() converts
        QCOMPARE(fillIn<float>(billion, NumberFormat::BFloat16), -998244352.f);
        QCOMPARE(fillIn<float>(billion, NumberFormat::Float32), -1e9f);
        QCOMPARE(fillIn<double>(billion, NumberFormat::Native), -1e9);
        QCOMPARE(fillIn<float>(lowest, NumberFormat::Float16), -65504.f);       // finfo(float16).min
        QCOMPARE(double(fillIn<float>(lowest, NumberFormat::BFloat16)), -3.3895313892515355e38);
        QCOMPARE(fillIn<float>(lowest, NumberFormat::Native), -FLT_MAX);
        QCOMPARE(fillIn<double>(lowest, NumberFormat::Native), -DBL_MAX);
        QCOMPARE(fillIn<float>(Fill::parse("-65510"), NumberFormat::Float16), -65504.f);
        QVERIFY(std::isinf(fillIn<float>(Fill::parse("-70000"), NumberFormat::Float16)));
    }
    void fillsPyTorchRefusesAreWarnedAbout()
    {
        QVERIFY(fillOverflows(Fill::parse("-1e9"), NumberFormat::Float16));
        QVERIFY(fillOverflows(Fill::parse("-65510"), NumberFormat::Float16)); // checked before rounding
        QVERIFY(!fillOverflows(Fill::parse("-65504"), NumberFormat::Float16));
        QVERIFY(!fillOverflows(Fill::parse("lowest"), NumberFormat::Float16));
        QVERIFY(!fillOverflows(Fill::parse("neg-inf"), NumberFormat::Float16));
        QVERIFY(!fillOverflows(Fill::parse("-1e9"), NumberFormat::BFloat16));
        QVERIFY(!fillOverflows(Fill::parse("-1e9"), NumberFormat::Native));
        const std::vector<Warning> w = fillWarnings(Fill::parse("-1e9"), NumberFormat::Float16, DType::Float16);
        QCOMPARE(w.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(w[0].text()),
                 QString("the fill -1e9 does not fit in float16: PyTorch's masked_fill refuses it (value cannot "
                         "be converted without overflow), and .to(float16) turns it into -inf, which MaskScope uses"));
        QVERIFY(fillWarnings(Fill::parse("lowest"), NumberFormat::Float16, DType::Float16).empty());
    }
    void fillsBeyondFloat32AreWarnedAbout()
    {
        // float32 cannot hold 1e39 either: masked_fill refuses it, the conversion gives inf.
        const std::vector<Warning> w = fillWarnings(Fill::parse("1e39"), NumberFormat::Native, DType::Float32);
        QVERIFY(!w.empty());
        QCOMPARE(w[0].id, PitfallWarning::FillOverflowsFormat);
        QVERIFY(QString::fromStdString(w[0].text()).contains("does not fit in float32"));
        QVERIFY(QString::fromStdString(w[0].text()).contains("turns it into inf,"));
        const std::vector<Warning> negative = fillWarnings(Fill::parse("-1e39"), NumberFormat::Float32, DType::Float32);
        QCOMPARE(negative.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(negative[0].text()).contains("turns it into -inf,"));
        // float64 inputs hold it; -1e9 and lowest fit float32.
        QVERIFY(fillWarnings(Fill::parse("-1e39"), NumberFormat::Native, DType::Float64).empty());
        QVERIFY(fillWarnings(Fill::parse("-1e9"), NumberFormat::Native, DType::Float32).empty());
        QVERIFY(fillWarnings(Fill::parse("lowest"), NumberFormat::Float32, DType::Float32).empty());
    }
    void fillsThatAreNotNegativeAreWarnedAbout()
    {
        for (const char* text : {"5", "0", "1e39"}) {
            const std::vector<Warning> w = fillWarnings(Fill::parse(text), NumberFormat::Native, DType::Float64);
            QCOMPARE(w.size(), std::size_t(1));
            QCOMPARE(w[0].id, PitfallWarning::FillNotNegative);
            QVERIFY(QString::fromStdString(w[0].text()).startsWith(QString("the fill %1 is not negative").arg(QString::fromStdString(Fill::parse(text).toString()))));
        }
        QVERIFY(fillWarnings(Fill::parse("-0.5"), NumberFormat::Native, DType::Float32).empty());
    }
    void torchRefusesExactlyTheFillsWeWarnAbout()
    {
        if (!torch_)
            QSKIP("Debian's python3-torch is not installed: PyTorch's masked_fill was not asked");
        const QStringList fills{"-1e9", "-65504", "-65505", "-65519.9", "-70000", "-5", "-1e5"};
        QProcess p;
        p.start(QString::fromLatin1(kPython),
                {"-c", "import sys, torch\n"
                       "for f in sys.argv[1:]:\n"
                       "    try:\n"
                       "        torch.zeros(2).half().masked_fill(torch.tensor([True, False]), float(f)); print(0)\n"
                       "    except RuntimeError as e:\n"
                       "        print(1 if 'without overflow' in str(e) else 2)\n",
                 fills[0], fills[1], fills[2], fills[3], fills[4], fills[5], fills[6]});
        QVERIFY(p.waitForFinished(120000) && p.exitCode() == 0);
        const QStringList refused = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(refused.size(), fills.size());
        for (int k = 0; k < fills.size(); ++k)
            QCOMPARE(refused[k] == "1", fillOverflows(Fill::parse(fills[k].toStdString()), NumberFormat::Float16));
    }

    void everyStoredIntermediateIsRepresentable_data()
    {
        QTest::addColumn<NumberFormat>("format");
        QTest::newRow("float16") << NumberFormat::Float16;
        QTest::newRow("bfloat16") << NumberFormat::BFloat16;
    }
    void everyStoredIntermediateIsRepresentable()
    {
        QFETCH(NumberFormat, format);
        ScenarioConfig c;
        c.seqLen = 9;
        c.validLens = {9, 6};
        c.causal = true;
        c.heads = 2;
        c.dModel = 16;
        c.fill = Fill::parse("lowest");
        c.scoreModifiers.alibi = true;
        c.scoreModifiers.softcap = 5.0;
        c.pitfalls.format = format;
        const Scenario s = buildScenario(c);
        const auto t = run(std::get<AttentionInputs<float>>(s.inputs), s.mask, c.scoreModifiers);
        for (const auto& bt : t.batches) {
            QVERIFY(allRepresentable(bt.additiveMask, format));
            for (const auto& h : bt.heads) {
                QVERIFY(allRepresentable(h.logits, format));
                QVERIFY(allRepresentable(h.scores, format));
                QVERIFY(allRepresentable(h.maskedLogits, format));
                QVERIFY(allRepresentable(h.weights, format));
            }
            QVERIFY(allRepresentable(bt.meanWeights, format));
            QVERIFY(allRepresentable(bt.output, format));
        }
        // And the rounding changes the numbers: float32 gives other weights.
        ScenarioConfig single = c;
        single.pitfalls.format = NumberFormat::Native;
        const Scenario s32 = buildScenario(single);
        const auto t32 = run(std::get<AttentionInputs<float>>(s32.inputs), s32.mask, c.scoreModifiers);
        const double change = (t32.batches[0].heads[0].weights - t.batches[0].heads[0].weights).cwiseAbs().maxCoeff();
        QVERIFY(change > 1e-5 && change < 0.05);
    }
    void float32IsTheNativePathForSyntheticInputs()
    {
        ScenarioConfig c;
        c.seqLen = 6;
        c.causal = true;
        const Scenario native = buildScenario(c);
        c.pitfalls.format = NumberFormat::Float32;
        const Scenario f32 = buildScenario(c);
        QCOMPARE(f32.dtype(), DType::Float32);
        const auto a = run(std::get<AttentionInputs<float>>(native.inputs), native.mask);
        const auto b = run(std::get<AttentionInputs<float>>(f32.inputs), f32.mask);
        QVERIFY(a.batches[0].output == b.batches[0].output);
    }
    void float64FilesAreConvertedForTheOtherFormats()
    {
        ScenarioConfig c;
        c.loadDir = MASKSCOPE_TEST_DATA "/parity/causal_kpm_f64";
        c.heads = 4;
        QCOMPARE(buildScenario(c).dtype(), DType::Float64);
        c.pitfalls.format = NumberFormat::Float16;
        const Scenario s = buildScenario(c);
        QCOMPARE(s.dtype(), DType::Float16);
        QVERIFY(std::holds_alternative<AttentionInputs<float>>(s.inputs));
        // The engine refuses float64 inputs with another format rather than silently ignoring it.
        const Scenario wide = [&] { ScenarioConfig n = c; n.pitfalls.format = NumberFormat::Native; return buildScenario(n); }();
        MaskSpec half = wide.mask;
        half.pitfalls.format = NumberFormat::Float16;
        AttentionEngine<double> engine;
        AttentionTrace<double> t;
        QVERIFY_THROWS_EXCEPTION(InputError, engine.compute(std::get<AttentionInputs<double>>(wide.inputs), half,
                                                            TraceRequest{}, t));
    }

    void billionIsNegInfInFloat16()
    {
        Crafted c = craftedLogits({1, 2, 3});
        c.mask.validLens = {2}; // key 2 is padding
        c.mask.fill = Fill::parse("-1e9");
        c.mask.pitfalls.format = NumberFormat::Float16;
        const auto t = run(c.inputs, c.mask);
        QVERIFY(std::isinf(t.batches[0].additiveMask(0, 2)));
        QVERIFY(std::isinf(t.batches[0].heads[0].maskedLogits(0, 2)));
        c.mask.validLens = {0}; // fully blocked: -inf everywhere, so NaN as under neg-inf
        const auto blocked = run(c.inputs, c.mask);
        QVERIFY(blocked.batches[0].heads[0].weights.array().isNaN().all());
        QCOMPARE(blocked.batches[0].blockedRowOutcomes[0], BlockedRowOutcome::Nan);
        c.mask.pitfalls.format = NumberFormat::BFloat16; // -998244352 in bfloat16: uniform
        QVERIFY((run(c.inputs, c.mask).batches[0].heads[0].weights.array() == roundTo(NumberFormat::BFloat16, 1.f / 3)).all());
    }
    void finfoMinBehavesLikeNegInfOnRowsWithAKey()
    {
        Crafted c = craftedLogits({1, 2, 3});
        c.mask.validLens = {2};
        c.mask.pitfalls.format = NumberFormat::Float16;
        const auto inf = run(c.inputs, c.mask);
        c.mask.fill = Fill::parse("lowest");
        const auto lowest = run(c.inputs, c.mask);
        QCOMPARE(lowest.batches[0].additiveMask(0, 2), -65504.f);
        QCOMPARE(lowest.batches[0].heads[0].weights(0, 2), 0.f);
        QVERIFY(lowest.batches[0].heads[0].weights == inf.batches[0].heads[0].weights);
    }
    void addingFinfoMinToANegativeLogitOverflowsInFloat16()
    {
        // logit + (-65504) rounds to -inf once logit <= -16: a fully blocked row with a finite
        // fill keeps only the keys whose sum stays finite, or none at all.
        Crafted c = craftedLogits({-20, -16, -15});
        c.mask.validLens = {0};
        c.mask.fill = Fill::parse("lowest");
        c.mask.pitfalls.format = NumberFormat::Float16;
        const auto t = run(c.inputs, c.mask);
        const auto& h = t.batches[0].heads[0];
        QVERIFY(std::isinf(h.maskedLogits(0, 0)) && std::isinf(h.maskedLogits(0, 1)));
        QCOMPARE(h.maskedLogits(0, 2), -65504.f);
        QCOMPARE(h.weights, (Matrix<float>(1, 3) << 0, 0, 1).finished());
        QCOMPARE(t.batches[0].blockedRowOutcomes[0], BlockedRowOutcome::FillDependent);
        Crafted all = craftedLogits({-20, -17, -16});
        all.mask = c.mask;
        QVERIFY(run(all.inputs, all.mask).batches[0].heads[0].weights.array().isNaN().all());
        c.mask.pitfalls.format = NumberFormat::Native; // float32 keeps them finite: uniform
        QVERIFY((run(c.inputs, c.mask).batches[0].heads[0].weights.array() == 1.f / 3).all());
    }
    void softmaxSaturates()
    {
        // Weights exp(0), exp(-8), exp(-20) over their sum: 0.99966, 3.35e-4, 2.06e-9.
        const Crafted c = craftedLogits({0, -8, -20});
        const auto w32 = run(c.inputs, c.mask).batches[0].heads[0].weights;
        QVERIFY(w32(0, 2) > 2e-9f && w32(0, 2) < 2.1e-9f);
        MaskSpec half = c.mask;
        half.pitfalls.format = NumberFormat::Float16;
        const auto w16 = run(c.inputs, half).batches[0].heads[0].weights;
        QCOMPARE(w16(0, 2), 0.f);                        // below 3e-8: exactly zero in float16
        QCOMPARE(w16(0, 0), 1.f - std::ldexp(1.f, -11));  // 0.99966 to the spacing 0.00049
        MaskSpec brain = c.mask;
        brain.pitfalls.format = NumberFormat::BFloat16;
        const auto w = run(c.inputs, brain).batches[0].heads[0].weights;
        QCOMPARE(w(0, 0), 1.f);                          // 0.99966 rounds to 1 in bfloat16...
        QVERIFY(w(0, 2) > 0);                            // ...which keeps float32's tiny weights
        QVERIFY(w.sum() > 1.f);                          // and the row sums to more than 1
    }

    void matchesPyTorch_data()
    {
        QTest::addColumn<NumberFormat>("format");
        QTest::addColumn<QString>("fill");
        QTest::newRow("float16, -1e9") << NumberFormat::Float16 << "-1e9";
        QTest::newRow("float16, lowest") << NumberFormat::Float16 << "lowest";
        QTest::newRow("bfloat16, -1e9 (nn.MultiheadAttention)") << NumberFormat::BFloat16 << "-1e9";
        QTest::newRow("bfloat16, neg-inf (nn.MultiheadAttention)") << NumberFormat::BFloat16 << "neg-inf";
    }
    void matchesPyTorch()
    {
        QFETCH(NumberFormat, format);
        QFETCH(QString, fill);
        if (!torch_)
            QSKIP("Debian's python3-torch is not installed: no PyTorch forward to compare with");
        const Scenario s = parityScenario(format, qPrintable(fill));
        QTemporaryDir dir;
        writeParityInputs(dir.path(), s);
        QProcess p;
        p.start(QString::fromLatin1(kPython), {MASKSCOPE_TEST_DATA "/../tools/pitfall_torch_forward.py", dir.path(),
                                               format == NumberFormat::Float16 ? "f16" : "bf16", "3"});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const NpyArray weights = readNpy((dir.path() + "/torch_weights.npy").toStdString());
        const NpyArray output = readNpy((dir.path() + "/torch_output.npy").toStdString());

        const auto t = run(std::get<AttentionInputs<float>>(s.inputs), s.mask);
        Agreement w, o;
        std::size_t wi = 0, oi = 0;
        for (const auto& bt : t.batches) {
            for (const auto& h : bt.heads)
                for (Eigen::Index k = 0; k < h.weights.size(); ++k)
                    compare(w, h.weights.data()[k], weights.at(wi++));
            for (Eigen::Index k = 0; k < bt.output.size(); ++k)
                compare(o, bt.output.data()[k], output.at(oi++));
        }
        QCOMPARE(wi, weights.elementCount());
        QCOMPARE(oi, output.elementCount());
        const double eps = formatLimits(format == NumberFormat::Float16 ? DType::Float16 : DType::BFloat16).epsilon;
        qInfo("weights: %zu of %zu cells bit-identical, max |diff| %.3g; output: %zu of %zu, max |diff| %.3g "
              "(eps of the format %.3g)", w.identicalCells, w.cells, w.worst, o.identicalCells, o.cells, o.worst, eps);
        QVERIFY(w.nanPatternMatches && o.nanPatternMatches);
        // Bit for bit here. Products accumulate in float32 on both sides but in orders that depend
        // on the BLAS kernels: elsewhere a float32 difference may flip a cell's rounding by one
        // unit of the format, so allow a rare flip rather than demand every bit.
        QVERIFY(w.worst <= eps);
        QVERIFY(o.worst <= 4 * eps);
        QVERIFY(w.identicalCells >= w.cells * 99 / 100);
        QVERIFY(o.identicalCells >= o.cells * 99 / 100);
    }
};

QTEST_GUILESS_MAIN(TestNumberFormats)
#include "tst_numberformats.moc"
