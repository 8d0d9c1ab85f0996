// SPDX-License-Identifier: MIT
// Hugging Face checkpoint directories, written at test time by tests/tools/write_hf_checkpoint.py
// (Debian's python3-torch, which CI installs: without it this test fails, it does not skip):
// stories260K converted from llama2.c in F32, BF16 and F16, sharded or not; tiny random GPT-2 and
// Qwen2 checkpoints; and directories broken on purpose, each a one-line error.
#include "model/huggingface.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "inputerror.h"
#include "pythonbatch.h"
#include "pythontool.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

using namespace maskscope;

namespace {

const QString kStoriesBin = QStringLiteral(MASKSCOPE_SHARED_DATA "/models/stories260K/stories260K.bin");

/// llama2.c's float32 tensors after the 7-int32 header, read here without the project's loader.
std::vector<float> llama2cFloats(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll().mid(28);
    std::vector<float> out(static_cast<std::size_t>(bytes.size()) / 4);
    std::memcpy(out.data(), bytes.constData(), out.size() * 4);
    return out;
}

/// float32 to bfloat16 and back, rounding to nearest even (finite inputs).
float roundToBf16(float x)
{
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    const std::uint32_t rounded = bits + 0x7fffu + ((bits >> 16) & 1u);
    return std::bit_cast<float>(rounded & 0xffff0000u);
}

std::vector<float> widened(const TensorView& t)
{
    std::vector<float> v(static_cast<std::size_t>(t.elements()));
    widen(t, 0, t.elements(), v.data());
    return v;
}

ModelConfig configOf(const char* json)
{
    return parseHuggingFaceConfig(parseJson(json, "config.json"), "config.json");
}


// Directories broken on purpose: the arguments that break them, the file the message names
// (relative to the directory; empty: the directory) and a phrase of the message.
struct BadDirectory {
    const char* name;
    QStringList args;
    QString file;
    QString phrase;
};

const std::vector<BadDirectory>& badDirectoryCases()
{
    static const std::vector<BadDirectory> cases = {
        {"unknown architecture", {"--set", "model_type=\"bert\""}, "config.json",
         "architecture 'bert' is not supported (supported: llama, mistral, qwen2, gpt2)"},
        {"missing tensor", {"--drop", "model.layers.3.self_attn.k_proj.weight"}, "",
         "missing tensor model.layers.3.self_attn.k_proj.weight"},
        {"shape disagrees with the config", {"--set", "intermediate_size=170"}, "",
         "tensor model.layers.0.mlp.gate_proj.weight has shape [172, 64], the config implies [170, 64]"},
        {"a billion layers", {"--set", "num_hidden_layers=1000000000"}, "",
         "missing tensor model.layers.999999999.input_layernorm.weight"},
        {"untied without lm_head", {"--set", "tie_word_embeddings=false"}, "", "missing tensor lm_head.weight"},
        {"offset past the end", {"--offset-past-end"}, "model.safetensors", "tensor model.norm.weight: data_offsets end"},
        {"overlapping offsets", {"--overlap"}, "model.safetensors", "overlap those of tensor model.embed_tokens.weight"},
        {"lying shard", {"--overlap", "--shards", "2"}, "model-00001-of-00002.safetensors",
         "overlap those of tensor model.embed_tokens.weight"},
    };
    return cases;
}

QStringList storiesArgs(const QStringList& extra = {})
{
    return QStringList{"stories", "--bin", kStoriesBin} + extra;
}

// Every checkpoint the suite writes, in the order the tests ask for them: initTestCase writes
// them all in one python3 (importing torch costs seconds; each test would pay it again).
QList<QStringList> checkpointsWritten()
{
    QList<QStringList> all = {storiesArgs(), storiesArgs({"--dtype", "BF16", "--shards", "3"}),
                              storiesArgs({"--dtype", "F16"}), {"gpt2", "--prefix"}, {"gpt2"}, {"qwen2", "--shards", "2"}};
    for (const BadDirectory& bad : badDirectoryCases())
        all << storiesArgs(bad.args);
    all << QStringList{"qwen2", "--shards", "2"} << QStringList{"gpt2"};
    return all;
}

const QStringList kConversionIds = {"--ids", "1,403,407,261,378"};

} // namespace

class TestHuggingFace : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    int made_ = 0;
    QString storiesF32_; // written once, read by several tests
    std::multimap<QStringList, QString> written_; // arguments -> a directory initTestCase wrote
    testing::PythonBatch::Result conversion_;     // hf_torch_forward.py on storiesF32_

    QString newDirectory() { return temp_.filePath(QString("ckpt%1").arg(made_++)); }

    /// A fresh directory written by write_hf_checkpoint.py with `args`: one of initTestCase's,
    /// or written now; empty (and the reason warned) on error.
    QString write(const QStringList& args)
    {
        if (const auto it = written_.find(args); it != written_.end()) {
            const QString dir = it->second;
            written_.erase(it);
            return dir;
        }
        const QString out = newDirectory();
        const QString error = testing::runPythonTool("write_hf_checkpoint.py", QStringList{args.front(), out} + args.mid(1),
                                                     "numpy, torch");
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return error.isEmpty() ? out : QString();
    }
    QString writeStories(const QStringList& extra = {}) { return write(storiesArgs(extra)); }

    /// Writes every checkpoint of checkpointsWritten() and runs the conversion's torch reference
    /// in one python3. One that fails there is written again alone when asked for, which says why.
    void writeInOneBatch();

private slots:
    void initTestCase();
    void storiesInFloat32();
    void storiesQueryAndKeyRowsAreRotateHalf();
    void storiesBf16ShardsWidenExactly();
    void storiesF16WidensExactly();
    void storiesConversionAttendsAsLlama2c();
    void gpt2WithAndWithoutPrefix_data();
    void gpt2WithAndWithoutPrefix();
    void qwen2BiasesAndSlidingLayers();
    void configKeys();
    void configErrors_data();
    void configErrors();
    void badDirectories_data();
    void badDirectories();
    void missingFilesAreNamed();
    void truncatedFile();
};

void TestHuggingFace::writeInOneBatch()
{
    const QString work = temp_.filePath("batch");
    if (!QDir().mkpath(work))
        return;
    testing::PythonBatch batch(work);
    const QList<QStringList> all = checkpointsWritten();
    QStringList dirs;
    for (int k = 0; k < all.size(); ++k) {
        dirs << newDirectory();
        batch.addTool(QString::number(k), "write_hf_checkpoint.py", QStringList{all[k].front(), dirs[k]} + all[k].mid(1));
    }
    batch.addTool("conversion", "hf_torch_forward.py",
                  QStringList{dirs.front()} + kConversionIds + QStringList{"--out", temp_.filePath("reference"), "--llama2c", kStoriesBin});
    if (!batch.run(testing::kPython))
        qWarning("the batched python3 failed: %s", qPrintable(batch.processOutput()));
    for (int k = 0; k < all.size(); ++k)
        if (batch.result(QString::number(k)).ok)
            written_.emplace(all[k], dirs[k]);
    conversion_ = batch.result("conversion");
}

void TestHuggingFace::initTestCase()
{
    QVERIFY2(temp_.isValid(), "no temporary directory");
    QVERIFY2(QFile::exists(kStoriesBin), qPrintable(kStoriesBin + " is missing: the shared models sit beside the checkout"));
    writeInOneBatch();
    storiesF32_ = writeStories();
    QVERIFY2(!storiesF32_.isEmpty(), "write_hf_checkpoint.py stories failed (the warning above says why)");
}

void TestHuggingFace::storiesInFloat32()
{
    const QString dir = storiesF32_;
    const Checkpoint c = openHuggingFaceDirectory(dir.toStdString() + "/");
    QCOMPARE(c.path, dir.toStdString());
    const ModelConfig& m = c.config;
    QCOMPARE(m.architecture, Architecture::Llama);
    QCOMPARE(m.layers, 5);
    QCOMPARE(m.dModel, 64);
    QCOMPARE(m.heads, 8);
    QCOMPARE(m.kvHeads, 4);
    QCOMPARE(m.headDim, 8);
    QCOMPARE(m.ffn, 172);
    QCOMPARE(m.vocab, 512);
    QCOMPARE(m.maxPositions, 512);
    QCOMPARE(m.normEps, 1e-5);
    QCOMPARE(m.ropeTheta, 10000.0);
    QCOMPARE(m.rope, RopeLayout::RotateHalf);
    QVERIFY(m.tiedEmbeddings);
    QVERIFY(!m.attentionBias);
    QCOMPARE(m.bosToken, std::optional<int>(1));
    QCOMPARE(m.eosToken, std::optional<int>(2));
    QCOMPARE(m.storage, StorageType::F32);
    const auto required = requiredTensors(m);
    QCOMPARE(required.size(), std::size_t{1 + 5 * 9 + 1});
    for (const auto& [name, shape] : required) {
        QCOMPARE(c.tensor(name).shape, shape);
        QCOMPARE(c.tensor(name).type, StorageType::F32);
    }
    // Tensors that need no permutation are llama2.c's bytes: the embedding comes first there.
    const std::vector<float> bin = llama2cFloats(kStoriesBin);
    const std::vector<float> embedding = widened(c.tensor("model.embed_tokens.weight"));
    QVERIFY(std::equal(embedding.begin(), embedding.end(), bin.begin()));
}

void TestHuggingFace::storiesQueryAndKeyRowsAreRotateHalf()
{
    const Checkpoint c = openHuggingFaceDirectory(storiesF32_.toStdString());
    const std::vector<float> bin = llama2cFloats(kStoriesBin);
    const int d = 64, hd = 8, layers = 5, vocab = 512, kvDim = 32;
    // llama2.c's order: embedding, attention norms, then all wq, then all wk.
    const std::size_t wq = std::size_t(vocab) * d + std::size_t(layers) * d;
    const std::size_t wk = wq + std::size_t(layers) * d * d;
    for (int layer = 0; layer < layers; ++layer) {
        const std::string p = "model.layers." + std::to_string(layer) + ".self_attn.";
        for (const auto& [name, start, rows] : {std::tuple{p + "q_proj.weight", wq + std::size_t(layer) * d * d, d},
                                                std::tuple{p + "k_proj.weight", wk + std::size_t(layer) * kvDim * d, kvDim}}) {
            const std::vector<float> hf = widened(c.tensor(name));
            // Rotate-half row h·hd + j·hd/2 + i holds the interleaved row h·hd + 2i + j.
            for (int row = 0; row < rows; ++row) {
                const int head = row / hd, j = (row % hd) / (hd / 2), i = row % (hd / 2);
                const int source = head * hd + 2 * i + j;
                QVERIFY2(std::equal(hf.begin() + row * d, hf.begin() + (row + 1) * d, bin.begin() + start + source * d),
                         qPrintable(QString::fromStdString(name) + QString(" row %1").arg(row)));
            }
        }
    }
}

void TestHuggingFace::storiesBf16ShardsWidenExactly()
{
    const QString f32 = storiesF32_;
    const QString bf16 = writeStories({"--dtype", "BF16", "--shards", "3"});
    QVERIFY(!f32.isEmpty() && !bf16.isEmpty());
    QVERIFY(QFile::exists(bf16 + "/model.safetensors.index.json"));
    QVERIFY(!QFile::exists(bf16 + "/model.safetensors"));
    const Checkpoint full = openHuggingFaceDirectory(f32.toStdString());
    const Checkpoint half = openHuggingFaceDirectory(bf16.toStdString());
    QCOMPARE(half.config.storage, StorageType::BF16);
    QCOMPARE(half.files.size(), std::size_t{3});
    for (const auto& [name, shape] : requiredTensors(half.config)) {
        const TensorView& t = half.tensor(name, shape);
        QCOMPARE(t.type, StorageType::BF16);
        const std::vector<float> expected = widened(full.tensor(name)), got = widened(t);
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY2(std::bit_cast<std::uint32_t>(got[i]) == std::bit_cast<std::uint32_t>(roundToBf16(expected[i])),
                     qPrintable(QString::fromStdString(name) + QString(" element %1").arg(i)));
    }
}

void TestHuggingFace::storiesF16WidensExactly()
{
    const QString f32 = storiesF32_;
    const QString f16 = writeStories({"--dtype", "F16"});
    QVERIFY(!f32.isEmpty() && !f16.isEmpty());
    const Checkpoint full = openHuggingFaceDirectory(f32.toStdString());
    const Checkpoint half = openHuggingFaceDirectory(f16.toStdString());
    QCOMPARE(half.config.storage, StorageType::F16);
    // Widening is exact when the stored value is float32's rounded to the nearest float16: within
    // half of float16's spacing there (11 significant bits; 2^-24 among the subnormals).
    for (const auto& [name, shape] : requiredTensors(half.config)) {
        const std::vector<float> expected = widened(full.tensor(name)), got = widened(half.tensor(name, shape));
        for (std::size_t i = 0; i < got.size(); ++i) {
            const int exponent = got[i] == 0 ? -14 : std::max(std::ilogb(got[i]), -14); // subnormals: 2^-24 apart
            const float ulp = std::ldexp(1.0f, exponent - 10);
            QVERIFY2(std::abs(got[i] - expected[i]) <= ulp / 2,
                     qPrintable(QString::fromStdString(name) + QString(" element %1").arg(i)));
        }
    }
}

void TestHuggingFace::storiesConversionAttendsAsLlama2c()
{
    // The torch reference (hf_torch_forward.py) runs the converted directory with rotate-half
    // rotary embeddings and llama2.c's checkpoint with interleaved ones, and fails unless every
    // head's weights agree: the permutation is right in numbers, not only in row order.
    const QString out = temp_.filePath("reference");
    if (!conversion_.ok) { // run alone, it says why it failed
        const QString error = testing::runPythonTool(
            "hf_torch_forward.py", QStringList{storiesF32_} + kConversionIds + QStringList{"--out", out, "--llama2c", kStoriesBin},
            "numpy, torch");
        QVERIFY2(error.isEmpty(), qPrintable(error + "\n" + conversion_.output));
    }
    for (int layer = 0; layer < 5; ++layer)
        QVERIFY(QFile::exists(out + QString("/layer%1_weights.npy").arg(layer)));
}

void TestHuggingFace::gpt2WithAndWithoutPrefix_data()
{
    QTest::addColumn<bool>("prefix");
    QTest::newRow("transformer.h.0…") << true;
    QTest::newRow("h.0…") << false;
}

void TestHuggingFace::gpt2WithAndWithoutPrefix()
{
    QFETCH(bool, prefix);
    const QString dir = write(prefix ? QStringList{"gpt2", "--prefix"} : QStringList{"gpt2"});
    QVERIFY(!dir.isEmpty());
    const Checkpoint c = openHuggingFaceDirectory(dir.toStdString());
    const ModelConfig& m = c.config;
    QCOMPARE(m.architecture, Architecture::Gpt2);
    QCOMPARE(m.rope, RopeLayout::None);
    QCOMPARE(m.dModel, 16);
    QCOMPARE(m.heads, 4);
    QCOMPARE(m.kvHeads, 4);
    QCOMPARE(m.layers, 2);
    QCOMPARE(m.ffn, 40);
    QCOMPARE(m.maxPositions, 32);
    QCOMPARE(m.vocab, 48);
    QVERIFY(m.tiedEmbeddings);
    QVERIFY(!m.bosToken);
    QCOMPARE(c.tensor("h.1.attn.c_attn.weight").shape, (std::vector<std::int64_t>{16, 48}));
    QCOMPARE(c.tensor("h.0.mlp.c_fc.weight").shape, (std::vector<std::int64_t>{16, 40}));
    QVERIFY(!c.has("transformer.wte.weight"));
    for (const auto& [name, shape] : requiredTensors(m))
        QCOMPARE(c.tensor(name).shape, shape);
}

void TestHuggingFace::qwen2BiasesAndSlidingLayers()
{
    const QString dir = write({"qwen2", "--shards", "2"});
    QVERIFY(!dir.isEmpty());
    const Checkpoint c = openHuggingFaceDirectory(dir.toStdString());
    const ModelConfig& m = c.config;
    QCOMPARE(m.architecture, Architecture::Qwen2);
    QVERIFY(m.attentionBias);
    QVERIFY(!m.tiedEmbeddings);
    QCOMPARE(m.kvHeads, 2);
    QCOMPARE(m.groupSize(), 2);
    QCOMPARE(m.ropeTheta, 1e6);
    QCOMPARE(m.slidingWindow, std::optional<int>(8));
    // use_sliding_window with max_window_layers 2: layers from index 2 on use the window.
    QCOMPARE(m.layerAttention, (std::vector<LayerAttention>{LayerAttention::Full, LayerAttention::Full, LayerAttention::Sliding}));
    QVERIFY(!m.bosToken);
    QCOMPARE(c.tensor("model.layers.2.self_attn.k_proj.bias").shape, std::vector<std::int64_t>{8});
    QCOMPARE(c.tensor("lm_head.weight").shape, (std::vector<std::int64_t>{40, 16}));
}

void TestHuggingFace::configKeys()
{
    const ModelConfig mistral = configOf(R"({"model_type": "mistral", "hidden_size": 32, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 1, "intermediate_size": 64, "vocab_size": 100,
        "sliding_window": 16, "eos_token_id": [7, 8], "rope_theta": 1e6})");
    QCOMPARE(mistral.architecture, Architecture::Mistral);
    QCOMPARE(mistral.slidingWindow, std::optional<int>(16));
    QVERIFY(mistral.layerAttention.empty()); // all layers slide
    QCOMPARE(mistral.eosToken, std::optional<int>(7));
    QCOMPARE(mistral.bosToken, std::optional<int>(1));
    QCOMPARE(mistral.maxPositions, 32768);
    QCOMPARE(mistral.normEps, 1e-6);
    QCOMPARE(mistral.headDim, 8);

    const ModelConfig typed = configOf(R"({"model_type": "mistral", "hidden_size": 32, "num_hidden_layers": 2,
        "num_attention_heads": 4, "head_dim": 8, "intermediate_size": 64, "vocab_size": 100, "sliding_window": 4,
        "layer_types": ["sliding_attention", "full_attention"], "rope_scaling": null, "bos_token_id": 5})");
    QCOMPARE(typed.kvHeads, 4);
    QCOMPARE(typed.layerAttention, (std::vector<LayerAttention>{LayerAttention::Sliding, LayerAttention::Full}));
    QCOMPARE(typed.bosToken, std::optional<int>(5));

    const ModelConfig qwenFull = configOf(R"({"model_type": "qwen2", "hidden_size": 32, "num_hidden_layers": 2,
        "num_attention_heads": 4, "intermediate_size": 64, "vocab_size": 100, "sliding_window": 4,
        "use_sliding_window": false})");
    QVERIFY(!qwenFull.slidingWindow);
    QVERIFY(qwenFull.layerAttention.empty());

    const ModelConfig gpt2 = configOf(R"({"model_type": "gpt2"})"); // GPT2Config's defaults
    QCOMPARE(gpt2.dModel, 768);
    QCOMPARE(gpt2.layers, 12);
    QCOMPARE(gpt2.ffn, 3072);
    QCOMPARE(gpt2.vocab, 50257);
    QCOMPARE(gpt2.maxPositions, 1024);
}

void TestHuggingFace::configErrors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("phrase");
    const QString llama = R"("hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64, "vocab_size": 100)";
    QTest::newRow("bert") << R"({"model_type": "bert"})"
                          << "architecture 'bert' is not supported (supported: llama, mistral, qwen2, gpt2)";
    QTest::newRow("no model_type") << "{}" << "no model_type";
    QTest::newRow("not an object") << "[1]" << "the config is an array, not an object";
    QTest::newRow("missing hidden_size") << R"({"model_type": "llama", "num_hidden_layers": 2})" << "missing hidden_size";
    QTest::newRow("fractional layers") << R"({"model_type": "llama", "hidden_size": 32, "num_hidden_layers": 2.5})"
                                       << "num_hidden_layers must be a positive integer";
    QTest::newRow("huge heads") << R"({"model_type": "gpt2", "n_head": 99999999999})" << "n_head must be a positive integer";
    QTest::newRow("heads do not divide") << R"({"model_type": "gpt2", "n_head": 5})" << "model config: 5 heads of dimension";
    QTest::newRow("kv heads") << "{\"model_type\": \"llama\", " + llama + R"(, "num_key_value_heads": 3})"
                              << "4 query heads cannot share 3 key/value heads";
    QTest::newRow("rope scaling") << "{\"model_type\": \"llama\", " + llama + R"(, "rope_scaling": {"rope_type": "llama3"}})"
                                  << "rope_scaling 'llama3' is not supported";
    QTest::newRow("layer types count") << "{\"model_type\": \"llama\", " + llama + R"(, "layer_types": ["full_attention"]})"
                                       << "layer_types lists 1 layers, the model has 2";
    QTest::newRow("sliding without window")
        << "{\"model_type\": \"llama\", " + llama + R"(, "layer_types": ["full_attention", "sliding_attention"]})"
        << "no sliding_window";
    QTest::newRow("activation") << R"({"model_type": "gpt2", "activation_function": "relu"})"
                                << "activation_function 'relu' is not supported";
    QTest::newRow("newline in type") << R"({"model_type": "a\nb"})" << "architecture 'a?b' is not supported";
}

void TestHuggingFace::configErrors()
{
    QFETCH(QString, json);
    QFETCH(QString, phrase);
    const std::string text = json.toStdString();
    EXPECT_INPUT_ERROR([&] { parseHuggingFaceConfig(parseJson(text, "c.json"), "c.json"); }, std::string("c.json"), phrase);
}

void TestHuggingFace::badDirectories_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("file"); // the message names it (relative to the directory)
    QTest::addColumn<QString>("phrase");
    for (const BadDirectory& bad : badDirectoryCases())
        QTest::newRow(bad.name) << bad.args << bad.file << bad.phrase;
}

void TestHuggingFace::badDirectories()
{
    QFETCH(QStringList, args);
    QFETCH(QString, file);
    QFETCH(QString, phrase);
    const QString dir = writeStories(args);
    QVERIFY(!dir.isEmpty());
    const std::string named = (file.isEmpty() ? dir : dir + "/" + file).toStdString();
    EXPECT_INPUT_ERROR([&] { openHuggingFaceDirectory(dir.toStdString()); }, named, phrase);
}

void TestHuggingFace::missingFilesAreNamed()
{
    const QString dir = write({"qwen2", "--shards", "2"});
    QVERIFY(!dir.isEmpty());
    const std::string d = dir.toStdString();
    QVERIFY(QFile::remove(dir + "/model-00002-of-00002.safetensors"));
    EXPECT_INPUT_ERROR([&] { openHuggingFaceDirectory(d); }, d + "/model-00002-of-00002.safetensors",
                       "cannot open (No such file or directory)");
    QVERIFY(QFile::remove(dir + "/model.safetensors.index.json"));
    EXPECT_INPUT_ERROR([&] { openHuggingFaceDirectory(d); }, d + "/model.safetensors",
                       "missing (and no model.safetensors.index.json either)");
    QVERIFY(QFile::remove(dir + "/config.json"));
    EXPECT_INPUT_ERROR([&] { openHuggingFaceDirectory(d); }, d + "/config.json", "cannot open (No such file or directory)");
    EXPECT_INPUT_ERROR([&] { openHuggingFaceDirectory(d + "/nowhere"); }, d + "/nowhere/config.json", "cannot open");
}

void TestHuggingFace::truncatedFile()
{
    const QString dir = write({"gpt2"});
    QVERIFY(!dir.isEmpty());
    QFile file(dir + "/model.safetensors");
    QVERIFY(file.resize(file.size() - 100));
    const std::string path = file.fileName().toStdString();
    EXPECT_INPUT_ERROR([&] { openHuggingFaceDirectory(dir.toStdString()); }, path, "is past the");
    QVERIFY(file.resize(20));
    EXPECT_INPUT_ERROR([&] { openHuggingFaceDirectory(dir.toStdString()); }, path, "is past the end of the 20-byte file");
}

QTEST_GUILESS_MAIN(TestHuggingFace)
#include "tst_huggingface.moc"
