// SPDX-License-Identifier: MIT
// Parity with PyTorch: fixtures made by tests/tools/make_parity_fixtures.py with Debian's
// python3-torch nn.MultiheadAttention, run through the --load code path.
#include "attention/attention.h"
#include "io/npy.h"
#include "scenario/scenario.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace maskscope;

namespace {

struct Comparison {
    double worst = 0;
    bool nanPatternMatches = true;
    std::size_t nanCells = 0;
};

// Compares element i of ours against element i of the expected array (both C order).
void compareCell(Comparison& c, double ours, double expected)
{
    const bool a = std::isnan(ours), b = std::isnan(expected);
    c.nanCells += b;
    if (a != b) {
        c.nanPatternMatches = false;
        return;
    }
    if (!a)
        c.worst = std::max(c.worst, std::fabs(ours - expected));
}

template <typename T>
void compareTrace(const AttentionTrace<T>& t, const NpyArray& weights, const NpyArray& output,
                  Comparison& w, Comparison& o)
{
    std::size_t wi = 0, oi = 0;
    for (const auto& bt : t.batches) {
        for (const auto& h : bt.heads)
            for (Eigen::Index i = 0; i < h.weights.size(); ++i)
                compareCell(w, double(h.weights.data()[i]), weights.at(wi++));
        for (Eigen::Index i = 0; i < bt.output.size(); ++i)
            compareCell(o, double(bt.output.data()[i]), output.at(oi++));
    }
    QCOMPARE(wi, weights.elementCount());
    QCOMPARE(oi, output.elementCount());
}

} // namespace

class TestParity : public QObject {
    Q_OBJECT
private slots:
    void matchesPyTorch_data()
    {
        QTest::addColumn<QString>("dir");
        const QDir root(QStringLiteral(MASKSCOPE_TEST_DATA "/parity"));
        const auto cases = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QVERIFY(cases.size() >= 12);
        for (const QString& name : cases)
            QTest::newRow(qPrintable(name)) << root.filePath(name);
    }
    void matchesPyTorch()
    {
        QFETCH(QString, dir);
        QFile caseFile(dir + "/case.json");
        QVERIFY(caseFile.open(QIODevice::ReadOnly));
        const QJsonObject meta = QJsonDocument::fromJson(caseFile.readAll()).object();
        ScenarioConfig config;
        config.loadDir = dir.toStdString();
        config.heads = meta["heads"].toInt();
        const Scenario s = buildScenario(config);
        QCOMPARE(QString(dtypeName(s.dtype())), meta["dtype"].toString());

        const NpyArray weights = readNpy((dir + "/expected_attn_weights.npy").toStdString());
        const NpyArray output = readNpy((dir + "/expected_attn_output.npy").toStdString());
        Comparison w, o;
        std::visit([&](const auto& in) {
            using T = typename std::decay_t<decltype(in)>::Scalar;
            AttentionEngine<T> engine;
            AttentionTrace<T> trace;
            engine.compute(in, s.mask, TraceRequest{}, trace);
            compareTrace(trace, weights, output, w, o);
        }, s.inputs);
        qInfo("%s: max |dw| = %.3g, max |dout| = %.3g, NaN cells %zu", qPrintable(QDir(dir).dirName()),
              w.worst, o.worst, w.nanCells);
        QVERIFY2(w.nanPatternMatches, "weights are NaN where PyTorch's are not, or vice versa");
        QVERIFY2(o.nanPatternMatches, "output is NaN where PyTorch's is not, or vice versa");
        QVERIFY(w.worst <= 1e-5);
        QVERIFY(o.worst <= 1e-5);
    }
};

QTEST_GUILESS_MAIN(TestParity)
#include "tst_parity.moc"
