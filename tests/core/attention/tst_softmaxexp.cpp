// SPDX-License-Identifier: MIT
// Blocked keys weigh exactly 0, as in PyTorch, in every build configuration: the softmax's exp
// must underflow to 0 in the vectorised packets as in the scalar cells after them. Eigen's
// generic SSE/AVX exp (the portable build, -DMASKSCOPE_NATIVE=OFF) returned ~1e-39 for -inf and
// -1e9 in full packets; lengths 1..40 put blocked keys both in full packets and in the tails.
#include "attention/attention.h"
#include "attention/softmaxexp.h"
#include "synthcase.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace maskscope;
using namespace maskscope::testing;

namespace {

constexpr int kLongest = 40;

// The arguments a softmax meets: ordinary logits, the underflow boundary on both sides, fills.
template <typename T>
std::vector<T> exponents()
{
    const T inf = std::numeric_limits<T>::infinity();
    return {T(0), T(-1), T(-30), T(-87.5), T(-88.8), T(-103), kExpUnderflowsBelow<T> * T(1.001),
            T(-745.2), T(-1e9), std::numeric_limits<T>::lowest(), -inf};
}

template <typename T>
void checkUnderflowingExp()
{
    using Row = Eigen::Array<T, 1, Eigen::Dynamic>;
    const std::vector<T> values = exponents<T>();
    for (int n = 1; n <= kLongest; ++n) {
        Row x(n);
        for (int j = 0; j < n; ++j)
            x[j] = values[static_cast<size_t>(j) % values.size()];
        const Row e = underflowingExp(x);
        for (int j = 0; j < n; ++j) {
            const T exact = std::exp(x[j]);
            if (exact == T(0))
                QVERIFY2(e[j] == T(0), qPrintable(QStringLiteral("n %1, exp(%2) = %3").arg(n).arg(x[j]).arg(e[j])));
            else if (x[j] > T(-80))
                QVERIFY(std::abs(e[j] - exact) <= 4 * std::numeric_limits<T>::epsilon() * exact);
        }
    }
    const Row nan = Row::Constant(kLongest, std::numeric_limits<T>::quiet_NaN());
    QVERIFY(underflowingExp(nan).isNaN().all()); // a fully blocked row's NaN must come through
}

// Every weight of a blocked key is exactly 0 in rows that have an allowed key.
template <typename T>
bool blockedWeighNothing(const AttentionInputs<T>& inputs, const MaskSpec& mask, QString& where)
{
    AttentionEngine<T> engine;
    AttentionTrace<T> trace;
    engine.compute(inputs, mask, TraceRequest{}, trace);
    const BatchTrace<T>& t = trace.batches.at(0);
    for (const HeadTrace<T>& h : t.heads)
        for (int i = 0; i < mask.queryLen; ++i)
            for (int j = 0; j < mask.keyLen && !t.rowFullyBlocked[static_cast<size_t>(i)]; ++j)
                if (!t.allowed(i, j) && h.weights(i, j) != T(0)) {
                    where = QStringLiteral("L %1, head %2, row %3, key %4: %5")
                                .arg(mask.keyLen).arg(h.head).arg(i).arg(j).arg(double(h.weights(i, j)));
                    return false;
                }
    return true;
}

} // namespace

class TestSoftmaxExp : public QObject {
    Q_OBJECT
private slots:
    void underflowingExpIsZeroWhereTheExactExpIs()
    {
        checkUnderflowingExp<float>();
        checkUnderflowingExp<double>();
    }

    void blockedKeysWeighExactlyZero_data()
    {
        QTest::addColumn<QString>("fill");
        QTest::addColumn<QString>("rule");
        for (const char* fill : {"neg-inf", "-1e9", "lowest"})
            for (const char* rule : {"toggle", "dilation", "global"})
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(fill, rule)))
                    << QString::fromLatin1(fill) << QString::fromLatin1(rule);
    }
    void blockedKeysWeighExactlyZero()
    {
        QFETCH(QString, fill);
        QFETCH(QString, rule);
        for (int n = 2; n <= kLongest; ++n) {
            Case k = makeCase(1, n, n, 8, 2, static_cast<std::uint64_t>(n));
            k.mask.fill = Fill::parse(fill.toStdString());
            if (rule == QLatin1String("toggle")) // a key blocked inside each row's live range
                for (int i = 0; i < n; ++i)
                    k.mask.rules.toggled.toggle(i, n / 2);
            else if (rule == QLatin1String("dilation"))
                k.mask.rules.dilation = 2;
            else { // a global first token and the diagonal: the keys between are blocked
                k.mask.rules.globalTokens = 1;
                k.mask.rules.windowLeft = k.mask.rules.windowRight = 0;
            }
            QString where;
            QVERIFY2(blockedWeighNothing(k.inputs, k.mask, where), qPrintable(QStringLiteral("float32 ") + where));
            QVERIFY2(blockedWeighNothing(widened(k.inputs), k.mask, where), qPrintable(QStringLiteral("float64 ") + where));
        }
    }
};

QTEST_APPLESS_MAIN(TestSoftmaxExp)
#include "tst_softmaxexp.moc"
