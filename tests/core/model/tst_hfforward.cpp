// SPDX-License-Identifier: MIT
// MaskScope's forward pass (core/model/forward.h) on Hugging Face checkpoint directories against
// an independent PyTorch forward (tests/tools/hf_torch_forward.py): every layer's every head,
// within 2e-5 in float32, and the next-token probabilities, on several sentences and on batches
// padded on the left and on the right. The directories are written at test time into a temporary
// directory by tests/tools/write_hf_checkpoint.py: stories260K (from ../shared, never committed)
// converted to F32 and to BF16 (torch reads the same BF16 values widened to float32), a tiny
// random Qwen2 whose last layer slides a window of 8, and a tiny random GPT-2. Without Debian's
// python3 with numpy and torch (CI installs them) this test fails; it does not skip.
#include "model/forward.h"
#include "model/huggingface.h"
#include "model/llama2ctokenizer.h"

#include "io/npy.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "forwardweights.h"
#include "pythonbatch.h"
#include "pythontool.h"

#include <algorithm>
#include <map>

using namespace maskscope;

namespace {

const QString kShared = QStringLiteral(MASKSCOPE_SHARED_DATA "/models/stories260K");

/// One padded batch (or a single sequence) run by both forward passes.
struct ForwardCase {
    QString name;
    PadSide side = PadSide::Right;
    std::vector<std::vector<int>> sequences;
};

/// A checkpoint directory written by write_hf_checkpoint.py and the cases run on it.
struct ModelCases {
    QString name;
    QStringList writeArgs; ///< write_hf_checkpoint.py's arguments, the output directory left out
    std::vector<ForwardCase> cases;
};

std::vector<std::vector<int>> storiesTokens(const std::vector<std::string>& texts)
{
    static const Llama2cTokenizer tokenizer((kShared + "/tok512.bin").toStdString(), 512);
    ModelConfig bos;
    bos.bosToken = 1; // what the converted config.json says (tst_huggingface checks it)
    std::vector<std::vector<int>> ids;
    for (const std::string& text : texts)
        ids.push_back(modelTokens(tokenizer, bos, text));
    return ids;
}

std::vector<ForwardCase> storiesCases()
{
    const std::vector<std::string> batch{"Lily saw a cat.", "The big dog ran to the park and played.", "Once upon a time"};
    return {{"once", PadSide::Right, storiesTokens({"Once upon a time, there was a little girl named Lily."})},
            {"dog", PadSide::Right, storiesTokens({"The big dog ran to the park and played."})},
            {"swim", PadSide::Right, storiesTokens({"Tom's dog can't swim; it's afraid of water..."})},
            {"left", PadSide::Left, storiesTokens(batch)},
            {"right", PadSide::Right, storiesTokens(batch)}};
}

/// Token id lists for the tiny models (vocabularies of 40 and 48): longer than Qwen2's window of
/// 8 so that its sliding layer differs from a full one.
std::vector<ForwardCase> tinyCases()
{
    const std::vector<std::vector<int>> batch{{3, 17, 8, 25, 1, 30, 12, 5, 9, 33, 2, 21}, {7, 14, 39, 6}, {11, 4, 19, 28, 36, 10, 15, 22, 13}};
    return {{"long", PadSide::Right, {{5, 12, 33, 7, 21, 2, 38, 16, 9, 27, 4, 30, 11, 19}}},
            {"short", PadSide::Right, {{8, 1, 26}}},
            {"left", PadSide::Left, batch},
            {"right", PadSide::Right, batch}};
}

const std::vector<ModelCases>& models()
{
    const QString bin = kShared + "/stories260K.bin";
    static const std::vector<ModelCases> all{{"stories F32", {"stories", "--bin", bin}, storiesCases()},
                                             {"stories BF16", {"stories", "--bin", bin, "--dtype", "BF16"}, storiesCases()},
                                             {"qwen2", {"qwen2"}, tinyCases()},
                                             {"gpt2", {"gpt2"}, tinyCases()}};
    return all;
}

/// "1,2,3/4,5": hf_torch_forward.py's spelling of a batch.
QString batchArgument(const std::vector<std::vector<int>>& sequences)
{
    QStringList items;
    for (const std::vector<int>& ids : sequences) {
        QStringList numbers;
        for (const int id : ids)
            numbers << QString::number(id);
        items << numbers.join(',');
    }
    return items.join('/');
}

} // namespace

class TestHfForward : public QObject {
    Q_OBJECT

    QTemporaryDir temp_;
    std::map<QString, std::shared_ptr<const Checkpoint>> checkpoints_;

    QString directory(const QString& model) const { return temp_.filePath(QString(model).replace(' ', '_')); }
    /// hf_torch_forward.py's `file` for case `name` of `model`.
    NpyArray referenceArray(const QString& model, const QString& name, const QString& file) const
    {
        return readNpy((directory(model) + "/reference/" + name + "/" + file).toStdString());
    }
    NpyArray layerWeights(const QString& model, const QString& name, int layer) const
    {
        return referenceArray(model, name, QString("layer%1_weights.npy").arg(layer));
    }

private slots:
    void initTestCase();
    void attentionMatchesTorch_data();
    void attentionMatchesTorch();
    void bf16IsNotF32();
    void qwen2LastLayerSlides();
};

// One write and one torch forward per checkpoint, every case in it, all in one python3:
// importing torch costs seconds.
void TestHfForward::initTestCase()
{
    QVERIFY2(temp_.isValid(), "no temporary directory");
    QVERIFY2(QFile::exists(kShared + "/stories260K.bin"), qPrintable(kShared + " is missing: the shared models sit beside the checkout"));
    const QString work = temp_.filePath("batch");
    QVERIFY(QDir().mkpath(work));
    testing::PythonBatch batch(work);
    for (const ModelCases& model : models()) {
        const QString dir = directory(model.name);
        batch.addTool(model.name + " write", "write_hf_checkpoint.py",
                      QStringList{model.writeArgs.front(), dir} + model.writeArgs.mid(1));
        QStringList args{dir};
        for (const ForwardCase& c : model.cases)
            args << "--case" << c.name << (c.side == PadSide::Left ? "left" : "right") << batchArgument(c.sequences);
        batch.addTool(model.name + " forward", "hf_torch_forward.py", args);
    }
    QVERIFY2(batch.run(testing::kPython), qPrintable("python3 failed (CI installs python3-numpy and python3-torch): " +
                                                     batch.processOutput()));
    for (const ModelCases& model : models()) {
        for (const QString& step : {QString(" write"), QString(" forward")}) {
            const testing::PythonBatch::Result r = batch.result(model.name + step);
            QVERIFY2(r.ok, qPrintable(model.name + step + " failed (CI installs python3-numpy and python3-torch):\n" + r.output));
        }
        checkpoints_[model.name] = std::make_shared<const Checkpoint>(openHuggingFaceDirectory(directory(model.name).toStdString()));
    }
    QCOMPARE(checkpoints_.at("stories BF16")->config.storage, StorageType::BF16);
}

void TestHfForward::attentionMatchesTorch_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("index"); // into the model's cases
    for (const ModelCases& model : models())
        for (std::size_t i = 0; i < model.cases.size(); ++i)
            QTest::newRow(qPrintable(model.name + " " + model.cases[i].name)) << model.name << static_cast<int>(i);
}

void TestHfForward::attentionMatchesTorch()
{
    QFETCH(QString, model);
    QFETCH(int, index);
    const auto found = std::find_if(models().begin(), models().end(), [&](const ModelCases& m) { return m.name == model; });
    const ForwardCase& c = found->cases[static_cast<std::size_t>(index)];
    const auto checkpoint = checkpoints_.at(model);
    const int layers = checkpoint->config.layers;
    ModelForward forward(checkpoint, c.sequences, 0, c.side);
    const std::size_t B = c.sequences.size(), L = static_cast<std::size_t>(forward.length());
    std::vector<NpyArray> reference;
    for (int layer = 0; layer < layers; ++layer) {
        reference.push_back(layerWeights(model, c.name, layer));
        QCOMPARE(reference.back().shape,
                 (std::vector<std::size_t>{B, static_cast<std::size_t>(checkpoint->config.heads), L, L}));
    }
    const MaskSpec mask = forward.modelMask();
    const testing::WeightsComparison compared = testing::compareWeights(
        forward, mask, [&](int layer) { return testing::LayerReference{&reference[static_cast<std::size_t>(layer)], 0}; }, 2e-5);
    QVERIFY2(compared.failure.isEmpty(), qPrintable(compared.failure));
    const bool shorterOnTheLeft = c.side == PadSide::Left && B > 1;
    QCOMPARE(compared.nanHeads > 0, shorterOnTheLeft); // left-padding queries see no key, in both

    // The next token: torch's probability of each of MaskScope's five most probable.
    const NpyArray logits = referenceArray(model, c.name, "next_logits.npy");
    const auto next = forward.nextTokens(5, mask);
    const std::size_t vocab = static_cast<std::size_t>(checkpoint->config.vocab);
    QCOMPARE(logits.shape, (std::vector<std::size_t>{B, vocab}));
    for (std::size_t b = 0; b < B; ++b) {
        Vector<float> row(static_cast<Eigen::Index>(vocab));
        for (std::size_t v = 0; v < vocab; ++v)
            row(static_cast<Eigen::Index>(v)) = static_cast<float>(logits.at(b * vocab + v));
        std::vector<double> torchProbability(vocab);
        for (const TokenProbability& t : topProbabilities(row, static_cast<int>(vocab)))
            torchProbability[static_cast<std::size_t>(t.id)] = t.probability;
        QCOMPARE(next[b][0].id, topProbabilities(row, 1)[0].id);
        for (const TokenProbability& t : next[b])
            QVERIFY2(std::abs(t.probability - torchProbability[static_cast<std::size_t>(t.id)]) < 1e-5,
                     qPrintable(QString("item %1 token %2: %3 vs %4").arg(b).arg(t.id).arg(t.probability)
                                    .arg(torchProbability[static_cast<std::size_t>(t.id)])));
    }
}

// The BF16 references are not the F32 ones within the tolerance: the format is really tested.
void TestHfForward::bf16IsNotF32()
{
    const ForwardCase& c = models().front().cases.front();
    ModelForward forward(checkpoints_.at("stories F32"), c.sequences, 0, c.side);
    std::vector<NpyArray> bf16;
    for (int layer = 0; layer < forward.config().layers; ++layer)
        bf16.push_back(layerWeights("stories BF16", c.name, layer));
    const testing::WeightsComparison compared = testing::compareWeights(
        forward, forward.modelMask(), [&](int layer) { return testing::LayerReference{&bf16[static_cast<std::size_t>(layer)], 0}; },
        2e-5);
    QVERIFY(!compared.failure.isEmpty());
}

// The sliding layer of the Qwen2 checkpoint hides keys 8 or more back (torch and MaskScope
// agree above, so this shows the comparison covers a window); the full layers do not.
void TestHfForward::qwen2LastLayerSlides()
{
    const NpyArray full = layerWeights("qwen2", "long", 0);
    const NpyArray sliding = layerWeights("qwen2", "long", 2);
    const std::size_t L = full.shape.at(3), lastRow = (L - 1) * L;
    QVERIFY(L > 8);
    QVERIFY(full.at(lastRow) > 0);
    QCOMPARE(sliding.at(lastRow), 0.0);
    QVERIFY(sliding.at(lastRow + L - 8) > 0);
}

QTEST_GUILESS_MAIN(TestHfForward)
#include "tst_hfforward.moc"
