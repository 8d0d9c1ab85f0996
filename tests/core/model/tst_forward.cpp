// SPDX-License-Identifier: MIT
// Tests of core/model/forward (and llamalayer) on the real stories260K model from ../shared:
// the model card's greedy sample, every layer's every head against an independent PyTorch
// forward (tests/tools/make_model_reference.py), the per-layer cache, and masks and
// pitfalls reaching the layers after them. The fixtures are derived from the model, so they are
// written at test time into a temporary directory (Debian's python3 with numpy, torch and
// sentencepiece, which CI installs: without them this test fails, it does not skip).

#include "model/forward.h"
#include "model/llama2ctokenizer.h"

#include "io/npy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "forwardweights.h"
#include "pythontool.h"

#include <cmath>

using namespace maskscope;
using maskscope::testing::sameInputs;
using maskscope::testing::weightsOnly;

namespace {

const std::string kModelDir = MASKSCOPE_SHARED_DATA "/models/stories260K";
const QString kFixtures = QStringLiteral(MASKSCOPE_TEST_DATA "/model");

std::shared_ptr<const Checkpoint> stories()
{
    static const auto checkpoint = std::make_shared<const Checkpoint>(openCheckpoint(kModelDir + "/stories260K.bin"));
    return checkpoint;
}

const Llama2cTokenizer& tok512()
{
    static const Llama2cTokenizer tokenizer(kModelDir + "/tok512.bin", 512);
    return tokenizer;
}

std::string decode(const std::vector<int>& ids)
{
    std::string text;
    for (const int id : ids) {
        if (id == 1)
            continue; // BOS
        const std::string piece = tok512().piece(id);
        for (std::size_t i = 0; i < piece.size();) {
            const bool wordStart = piece.compare(i, 3, "\u2581") == 0; // SentencePiece's space
            text += wordStart ? std::string(" ") : piece.substr(i, 1);
            i += wordStart ? 3 : 1;
        }
    }
    return text.substr(text.rfind(' ', 0) == 0 ? 1 : 0);
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<int> intsOf(const QJsonArray& a)
{
    std::vector<int> v;
    for (const QJsonValue& x : a)
        v.push_back(x.toInt());
    return v;
}

// A tiny checkpoint built in memory from the formula of make_tiny_model_reference.py; the
// buffers live as long as the test process.
std::shared_ptr<const Checkpoint> tinyCheckpoint(const QJsonObject& fixture, Architecture architecture)
{
    static std::vector<std::vector<float>> storage;
    const QJsonObject c = fixture.value("config").toObject();
    auto ck = std::make_shared<Checkpoint>();
    ck->path = "tiny";
    ModelConfig& m = ck->config;
    m.architecture = architecture;
    m.layers = c.value("layers").toInt();
    m.dModel = c.value("d").toInt();
    m.heads = c.value("heads").toInt();
    m.kvHeads = c.value("kv_heads").toInt();
    m.headDim = m.dModel / m.heads;
    m.ffn = c.value("ffn").toInt();
    m.vocab = c.value("vocab").toInt();
    m.normEps = c.value("eps").toDouble();
    if (architecture == Architecture::Gpt2) {
        m.maxPositions = c.value("positions").toInt();
        m.rope = RopeLayout::None;
        m.attentionBias = true;
        m.tiedEmbeddings = true;
    } else {
        m.maxPositions = 64;
        m.ropeTheta = c.value("theta").toDouble();
        m.rope = RopeLayout::RotateHalf;
        m.attentionBias = c.value("bias").toBool();
        m.tiedEmbeddings = c.value("tied").toBool();
        if (!c.value("window").isNull())
            m.slidingWindow = c.value("window").toInt();
    }
    m.validate();
    const QJsonArray tensors = fixture.value("tensors").toArray();
    for (int t = 0; t < tensors.size(); ++t) {
        const QString name = tensors[t].toArray()[0].toString();
        const double offset = tensors[t].toArray()[2].toDouble();
        TensorView view;
        for (const QJsonValue& n : tensors[t].toArray()[1].toArray())
            view.shape.push_back(n.toInt());
        std::vector<float> values(static_cast<std::size_t>(view.elements()));
        for (std::size_t k = 0; k < values.size(); ++k)
            values[k] = static_cast<float>(0.4 * std::sin(0.37 * static_cast<double>(k) + 1.1 * t + 0.5)
                                           + offset);
        storage.push_back(std::move(values));
        view.data = reinterpret_cast<const std::uint8_t*>(storage.back().data());
        ck->tensors[name.toStdString()] = view;
    }
    return ck;
}

} // namespace

class TestForward : public QObject {
    Q_OBJECT

    QTemporaryDir references_;
    QString referenceError_; ///< why make_model_reference.py failed, empty if it did not

private slots:
    // One run of torch writes the references of every case of attentionMatchesTorch.
    void initTestCase()
    {
        QVERIFY2(references_.isValid(), "no temporary directory");
        referenceError_ = testing::runPythonTool("make_model_reference.py",
                                                 {"--out", references_.path(), "--shared", MASKSCOPE_SHARED_DATA},
                                                 "numpy, torch, sentencepiece");
    }

    // Ground truth nobody here wrote: the model card's own greedy sample.
    void greedyDecodingReproducesTheModelCard()
    {
        const std::string expected = "Once upon a time, there was a little girl named Lily. She loved to play outside "
                                     "in the park. One day, she saw a big, red ball.";
        std::vector<int> ids = modelTokens(tok512(), stories()->config, "Once upon a time");
        QCOMPARE(ids.front(), 1);
        while (decode(ids).size() < expected.size() && ids.size() < 80) {
            ModelForward forward(stories(), {ids});
            ids.push_back(forward.nextTokens(1, forward.modelMask())[0][0].id);
        }
        QCOMPARE(decode(ids), expected);
    }

    void attentionMatchesTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("single") << "single";
        QTest::newRow("left padding") << "left";
        QTest::newRow("right padding") << "right";
    }

    void attentionMatchesTorch()
    {
        QFETCH(QString, name);
        QVERIFY2(referenceError_.isEmpty(), qPrintable(referenceError_));
        const QJsonObject fixture = readJson(references_.filePath("stories260K_" + name + ".json"));
        const NpyArray reference = readNpy(references_.filePath(fixture.value("weights").toString()).toStdString());
        const PadSide side = fixture.value("pad_side").toString() == "left" ? PadSide::Left : PadSide::Right;
        const std::vector<int> valid = intsOf(fixture.value("valid").toArray());
        std::vector<std::vector<int>> padded, sequences;
        for (const QJsonValue& row : fixture.value("ids").toArray())
            padded.push_back(intsOf(row.toArray()));
        for (std::size_t b = 0; b < padded.size(); ++b) {
            const auto n = static_cast<std::ptrdiff_t>(valid[b]);
            sequences.emplace_back(side == PadSide::Left ? padded[b].end() - n : padded[b].begin(),
                                   side == PadSide::Left ? padded[b].end() : padded[b].begin() + n);
            QCOMPARE(sequences.back(), modelTokens(tok512(), stories()->config,
                                                   fixture.value("texts").toArray()[static_cast<int>(b)].toString().toStdString()));
        }
        ModelForward forward(stories(), sequences, 0, side);
        for (int b = 0; b < forward.batch(); ++b)
            QCOMPARE(forward.tokens(b), padded[static_cast<std::size_t>(b)]);
        const std::size_t L = static_cast<std::size_t>(forward.length());
        QCOMPARE(reference.shape, (std::vector<std::size_t>{5, padded.size(), 8, L, L}));
        const MaskSpec mask = forward.modelMask();
        const std::size_t layerSize = padded.size() * 8 * L * L;
        const testing::WeightsComparison compared = testing::compareWeights(
            forward, mask, [&](int layer) { return testing::LayerReference{&reference, static_cast<std::size_t>(layer) * layerSize}; },
            2e-5);
        QVERIFY2(compared.failure.isEmpty(), qPrintable(compared.failure));
        QCOMPARE(compared.nanHeads > 0, side == PadSide::Left); // left padding rows see no key, in both
        const auto next = forward.nextTokens(5, mask);
        const QJsonArray expected = fixture.value("next_tokens").toArray();
        for (int b = 0; b < forward.batch(); ++b)
            for (int k = 0; k < 5; ++k) {
                const QJsonArray pair = expected[b].toArray()[k].toArray();
                QCOMPARE(next[static_cast<std::size_t>(b)][static_cast<std::size_t>(k)].id, pair[0].toInt());
                QVERIFY(std::abs(next[static_cast<std::size_t>(b)][static_cast<std::size_t>(k)].probability - pair[1].toDouble()) < 1e-5);
            }
    }

    // Qwen2 (q/k/v biases) and Mistral (sliding window), rotate-half layout, grouped-query
    // attention, separate output head; GPT-2 (learned positions, LayerNorm, Conv1D, GELU);
    // left padding: against the torch references.
    void tinyModelsMatchTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("architecture");
        QTest::newRow("qwen2") << "qwen2" << static_cast<int>(Architecture::Qwen2);
        QTest::newRow("mistral") << "mistral" << static_cast<int>(Architecture::Mistral);
        QTest::newRow("gpt2") << "gpt2" << static_cast<int>(Architecture::Gpt2);
    }

    void tinyModelsMatchTorch()
    {
        QFETCH(QString, name);
        QFETCH(int, architecture);
        const QJsonObject fixture = readJson(kFixtures + "/tiny_" + name + ".json");
        const auto ck = tinyCheckpoint(fixture, static_cast<Architecture>(architecture));
        std::vector<std::vector<int>> sequences;
        for (const QJsonValue& row : fixture.value("sequences").toArray())
            sequences.push_back(intsOf(row.toArray()));
        ModelForward forward(ck, sequences, 0, PadSide::Left);
        const MaskSpec mask = forward.modelMask();
        const QJsonArray reference = fixture.value("weights").toArray();
        const int L = forward.length(), H = ck->config.heads;
        AttentionEngine<float> engine;
        AttentionTrace<float> trace;
        for (int layer = 0; layer < ck->config.layers; ++layer) {
            const MaskSpec layerMask = forward.layerMask(layer, mask);
            QCOMPARE(layerMask.rules.windowLeft, ck->config.slidingWindow ? *ck->config.slidingWindow - 1 : -1);
            engine.compute(forward.attentionInputs(layer, mask), layerMask, weightsOnly(), trace);
            for (int b = 0; b < forward.batch(); ++b)
                for (int h = 0; h < H; ++h) {
                    const Matrix<float>& w = trace.batches[static_cast<std::size_t>(b)].heads[static_cast<std::size_t>(h)].weights;
                    for (int i = 0; i < L; ++i)
                        for (int j = 0; j < L; ++j) {
                            const QJsonValue r = reference[(((layer * forward.batch() + b) * H + h) * L + i) * L + j];
                            const float x = w(i, j);
                            QVERIFY2(r.isNull() ? std::isnan(x) : std::abs(x - r.toDouble()) <= 2e-5,
                                     qPrintable(QString("layer %1 item %2 head %3 cell (%4, %5): %6 vs %7")
                                                    .arg(layer).arg(b).arg(h).arg(i).arg(j).arg(x).arg(r.toDouble())));
                        }
                }
        }
        const auto next = forward.nextTokens(3, mask);
        const QJsonArray expected = fixture.value("next_tokens").toArray();
        for (int b = 0; b < forward.batch(); ++b)
            for (int k = 0; k < 3; ++k) {
                const QJsonArray pair = expected[b].toArray()[k].toArray();
                QCOMPARE(next[static_cast<std::size_t>(b)][static_cast<std::size_t>(k)].id, pair[0].toInt());
                QVERIFY(std::abs(next[static_cast<std::size_t>(b)][static_cast<std::size_t>(k)].probability - pair[1].toDouble()) < 1e-5);
            }
    }

    // Positions count real tokens: a left-padded sentence attends as it does alone.
    void leftPaddingKeepsTheSentencesNumbers()
    {
        const std::vector<int> shortIds = modelTokens(tok512(), stories()->config, "Lily saw a cat.");
        const std::vector<int> longIds = modelTokens(tok512(), stories()->config, "The big dog ran to the park.");
        ModelForward alone(stories(), {shortIds});
        ModelForward batch(stories(), {shortIds, longIds}, 0, PadSide::Left);
        const int n = static_cast<int>(shortIds.size());
        AttentionEngine<float> engine;
        AttentionTrace<float> a, b;
        const int layer = 4;
        engine.compute(alone.attentionInputs(layer, alone.modelMask()), alone.modelMask(), weightsOnly(), a);
        engine.compute(batch.attentionInputs(layer, batch.modelMask()), batch.modelMask(), weightsOnly(), b);
        for (int h = 0; h < 8; ++h) {
            const Matrix<float>& x = a.batches[0].heads[static_cast<std::size_t>(h)].weights;
            const Matrix<float> y = b.batches[0].heads[static_cast<std::size_t>(h)].weights.bottomRightCorner(n, n);
            QVERIFY((x - y).cwiseAbs().maxCoeff() < 1e-5f);
        }
        QCOMPARE(alone.nextTokens(1, alone.modelMask())[0][0].id, batch.nextTokens(1, batch.modelMask())[0][0].id);
    }

    void layersAreComputedOnceAndOnlyUpToTheOneAsked()
    {
        ModelForward forward(stories(), {modelTokens(tok512(), stories()->config, "Once upon a time")});
        const MaskSpec mask = forward.modelMask();
        QCOMPARE(forward.computedLayers(), 0);
        const AttentionInputs<float> third = forward.attentionInputs(3, mask);
        QCOMPARE(forward.computedLayers(), 3);
        const Matrix<float>* afterLayer1 = &forward.hidden(1, 0, mask);
        forward.attentionInputs(1, mask);
        QCOMPARE(forward.computedLayers(), 3); // nothing recomputed
        QCOMPARE(&forward.hidden(1, 0, mask), afterLayer1);
        QVERIFY(sameInputs(forward.attentionInputs(3, mask), third));
        MaskSpec bidirectional = mask;
        bidirectional.causal = false;
        const AttentionInputs<float> firstOther = forward.attentionInputs(0, bidirectional);
        QCOMPARE(forward.computedLayers(), 0); // a different mask starts again after the embeddings
        QVERIFY(sameInputs(firstOther, forward.attentionInputs(0, mask)));
        QVERIFY(!sameInputs(forward.attentionInputs(3, bidirectional), third)); // it reached layer 3
        forward.nextTokens(1, bidirectional);
        QCOMPARE(forward.computedLayers(), 5);
    }

    // A mistake of the pitfall lab changes what the model sees, and so its prediction.
    void pitfallsReachTheLaterLayersAndTheNextToken()
    {
        ModelForward forward(stories(), {modelTokens(tok512(), stories()->config, "Once upon a time, there was a")});
        const MaskSpec mask = forward.modelMask();
        MaskSpec lab = mask;
        lab.pitfalls.mistakes.set(Pitfall::MaskedFillNotInplace);
        QVERIFY(sameInputs(forward.attentionInputs(0, mask), forward.attentionInputs(0, lab)));
        QVERIFY(!sameInputs(forward.attentionInputs(1, mask), forward.attentionInputs(1, lab)));
        const double correct = forward.nextTokens(1, mask)[0][0].probability;
        const double peeking = forward.nextTokens(1, lab)[0][0].probability;
        QVERIFY(std::abs(correct - peeking) > 1e-3);
    }

    void kvFromQueryUsesTheQueryProjection()
    {
        ModelForward forward(stories(), {modelTokens(tok512(), stories()->config, "Lily")});
        MaskSpec lab = forward.modelMask();
        lab.pitfalls.mistakes.set(Pitfall::QprojForKv);
        const AttentionInputs<float> in = forward.attentionInputs(2, lab);
        QVERIFY(in.projected);
        QCOMPARE(in.key[0], in.query[0]); // K = rotated q_proj(x)
        QVERIFY(in.value[0] != in.query[0] || in.query[0].rows() == 1); // V = q_proj(x), not rotated
        const AttentionInputs<float> correct = forward.attentionInputs(2, forward.modelMask());
        QVERIFY(correct.key[0] != in.key[0]);
        // Grouped-query attention: query heads 2k and 2k+1 read the same K/V head.
        QCOMPARE(correct.key[0].middleCols(0, 8), correct.key[0].middleCols(8, 8));
        QVERIFY(correct.key[0].middleCols(0, 8) != correct.key[0].middleCols(16, 8));
    }

    void badRequests()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, ModelForward(stories(), {std::vector<int>(513, 5)}));
        QVERIFY_THROWS_EXCEPTION(InputError, ModelForward(stories(), {std::vector<int>{1, 512}}));
        QVERIFY_THROWS_EXCEPTION(InputError, ModelForward(stories(), {std::vector<int>{}}));
        QVERIFY_THROWS_EXCEPTION(InputError, ModelForward(stories(), {}));
        ModelForward forward(stories(), {std::vector<int>(512, 5)}); // exactly the model's positions
        MaskSpec wrong = forward.modelMask();
        wrong.batch = 2;
        wrong.validLens = {512, 512};
        QVERIFY_THROWS_EXCEPTION(InputError, forward.attentionInputs(0, wrong));
        QVERIFY_THROWS_EXCEPTION(InputError, forward.attentionInputs(5, forward.modelMask()));
    }
};

QTEST_APPLESS_MAIN(TestForward)
#include "tst_forward.moc"
