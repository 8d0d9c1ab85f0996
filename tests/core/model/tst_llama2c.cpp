// SPDX-License-Identifier: MIT
// Tests of core/model/llama2c: the real stories260K checkpoint (from ../shared, never copied
// here), a tiny checkpoint with a separate classifier written at test time, and broken files:
// each a one-line InputError naming the file.

#include "model/checkpoint.h"
#include "model/llama2c.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <sys/stat.h>

using namespace maskscope;

namespace {

const std::string kStories = MASKSCOPE_SHARED_DATA "/models/stories260K/stories260K.bin";

QByteArray readAll(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", path.c_str());
    return f.readAll();
}

std::string writeFile(const QTemporaryDir& dir, const char* name, const QByteArray& bytes)
{
    const QString path = dir.filePath(QString::fromLatin1(name));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path.toStdString();
}

void setHeaderField(QByteArray& bytes, int field, std::int32_t value)
{
    std::memcpy(bytes.data() + 4 * field, &value, 4);
}

// A llama2.c file of the given header whose float k (after the header) is k itself.
QByteArray countingCheckpoint(const std::vector<std::int32_t>& header, std::int64_t floats)
{
    QByteArray bytes(static_cast<qsizetype>(28 + 4 * floats), '\0');
    for (int i = 0; i < 7; ++i)
        setHeaderField(bytes, i, header[static_cast<std::size_t>(i)]);
    for (std::int64_t k = 0; k < floats; ++k) {
        const float v = static_cast<float>(k);
        std::memcpy(bytes.data() + 28 + 4 * k, &v, 4);
    }
    return bytes;
}

float firstValue(const TensorView& t)
{
    float v = 0;
    widen(t, 0, 1, &v);
    return v;
}

void expectError(const std::string& path, const QString& phrase)
{
    try {
        openCheckpoint(path);
        QFAIL(qPrintable("no error for " + QString::fromStdString(path)));
    } catch (const InputError& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "), qPrintable(message));
        QVERIFY2(message.contains(phrase), qPrintable(message));
        QVERIFY2(!message.contains('\n'), qPrintable(message));
    }
}

} // namespace

class TestLlama2c : public QObject {
    Q_OBJECT

private slots:
    void opensStories260K()
    {
        const Checkpoint ck = openCheckpoint(kStories);
        const ModelConfig& c = ck.config;
        QCOMPARE(c.architecture, Architecture::Llama);
        QCOMPARE(c.layers, 5);
        QCOMPARE(c.dModel, 64);
        QCOMPARE(c.heads, 8);
        QCOMPARE(c.kvHeads, 4);
        QCOMPARE(c.headDim, 8);
        QCOMPARE(c.ffn, 172);
        QCOMPARE(c.vocab, 512);
        QCOMPARE(c.maxPositions, 512);
        QCOMPARE(c.rope, RopeLayout::Interleaved);
        QVERIFY(c.tiedEmbeddings);
        QCOMPARE(c.bosToken, std::optional<int>(1));
        QCOMPARE(c.eosToken, std::optional<int>(2));
        QVERIFY(!ck.has("lm_head.weight"));
        QCOMPARE(ck.tensor("model.layers.4.self_attn.k_proj.weight").shape, (std::vector<std::int64_t>{32, 64}));
        QCOMPARE(ck.tensor("model.layers.0.mlp.down_proj.weight").shape, (std::vector<std::int64_t>{64, 172}));
        // The first embedding value is the first float after the header.
        const QByteArray raw = readAll(kStories);
        float expected = 0;
        std::memcpy(&expected, raw.constData() + 28, 4);
        QCOMPARE(firstValue(ck.tensor("model.embed_tokens.weight")), expected);
        // The final norm is the last tensor before the two RoPE tables (512 × 4 floats each).
        const TensorView& norm = ck.tensor("model.norm.weight", {64});
        const auto offset = norm.data - reinterpret_cast<const std::uint8_t*>(ck.files[0]->data());
        QCOMPARE(static_cast<qsizetype>(offset), raw.size() - 2 * 512 * 4 * 4 - 64 * 4);
    }

    // Offsets of every tensor in a separate-classifier file whose floats count up.
    void separateClassifierIsLastAndNamedLmHead()
    {
        // dim 4, hidden 6, 2 layers, 2 heads, 1 KV head, vocab -5 (separate), seq_len 3
        const std::int64_t d = 4, f = 6, n = 2, kv = 2, v = 5, seq = 3;
        const std::int64_t perLayer = 2 * d + 2 * d * d + 2 * kv * d + 3 * f * d;
        const std::int64_t floats = 2 * v * d + n * perLayer + d + seq * 2;
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "tiny.bin", countingCheckpoint({4, 6, 2, 2, 1, -5, 3}, floats));
        const Checkpoint ck = openCheckpoint(path);
        QVERIFY(!ck.config.tiedEmbeddings);
        QCOMPARE(ck.config.kvHeads, 1);
        QCOMPARE(ck.config.maxPositions, 3);
        QCOMPARE(firstValue(ck.tensor("model.embed_tokens.weight", {v, d})), 0.0f);
        QCOMPARE(firstValue(ck.tensor("model.layers.0.input_layernorm.weight", {d})), float(v * d));
        QCOMPARE(firstValue(ck.tensor("model.layers.1.input_layernorm.weight", {d})), float(v * d + d));
        const float wq = float(v * d + n * d);
        QCOMPARE(firstValue(ck.tensor("model.layers.1.self_attn.q_proj.weight", {d, d})), wq + float(d * d));
        const float wk = wq + float(n * d * d);
        QCOMPARE(firstValue(ck.tensor("model.layers.0.self_attn.k_proj.weight", {kv, d})), wk);
        const float wv = wk + float(n * kv * d);
        QCOMPARE(firstValue(ck.tensor("model.layers.0.self_attn.v_proj.weight", {kv, d})), wv);
        const float wo = wv + float(n * kv * d);
        QCOMPARE(firstValue(ck.tensor("model.layers.0.self_attn.o_proj.weight", {d, d})), wo);
        const float ffnNorm = wo + float(n * d * d);
        QCOMPARE(firstValue(ck.tensor("model.layers.0.post_attention_layernorm.weight", {d})), ffnNorm);
        const float w1 = ffnNorm + float(n * d);
        QCOMPARE(firstValue(ck.tensor("model.layers.0.mlp.gate_proj.weight", {f, d})), w1);
        QCOMPARE(firstValue(ck.tensor("model.layers.0.mlp.down_proj.weight", {d, f})), w1 + float(n * f * d));
        QCOMPARE(firstValue(ck.tensor("model.layers.0.mlp.up_proj.weight", {f, d})), w1 + float(2 * n * f * d));
        const float norm = w1 + float(3 * n * f * d);
        QCOMPARE(firstValue(ck.tensor("model.norm.weight", {d})), norm);
        QCOMPARE(firstValue(ck.tensor("lm_head.weight", {v, d})), norm + float(d + seq * 2));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("phrase");
        const QByteArray real = readAll(kStories);
        const auto withField = [&](int field, std::int32_t value) {
            QByteArray b = real;
            setHeaderField(b, field, value);
            return b;
        };
        QTest::newRow("empty") << QByteArray() << "the file is empty";
        QTest::newRow("short header") << real.left(20) << "too short for a llama2.c checkpoint header (20 bytes";
        QTest::newRow("header only") << real.left(28) << "truncated: 28 bytes, the header implies 1056540";
        QTest::newRow("truncated") << real.left(real.size() - 1) << "truncated: 1056539 bytes";
        QTest::newRow("over-long") << real + QByteArray(4, '\0') << "longer than its header says: 1056544 bytes";
        QTest::newRow("separate classifier missing") << withField(5, -512) << "truncated";
        QTest::newRow("dim lies") << withField(0, 128) << "dim 128 is not divisible|truncated";
        QTest::newRow("more layers") << withField(2, 6) << "truncated";
        QTest::newRow("negative layers") << withField(2, -1) << "header field n_layers is -1";
        QTest::newRow("zero heads") << withField(3, 0) << "header field n_heads is 0";
        QTest::newRow("absurd dim") << withField(0, 1 << 30) << "header field dim is 1073741824";
        QTest::newRow("lowest vocab") << withField(5, std::numeric_limits<std::int32_t>::min())
                                      << "header field vocab_size is -2147483648";
        QTest::newRow("kv heads do not divide") << withField(4, 3) << "8 query heads cannot share 3";
        QTest::newRow("more kv heads") << withField(4, 16) << "8 query heads cannot share 16";
        QTest::newRow("odd head dim") << withField(3, 64) << "head dimension 1 is odd";
        QTest::newRow("huge everything") << [&] {
            QByteArray b = real;
            for (const int field : {0, 1, 2, 5, 6}) // dim, hidden, layers, vocab, seq_len
                setHeaderField(b, field, 1 << 18);
            return b;
        }() << "truncated";
    }

    void badFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, phrase);
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "bad.bin", bytes);
        try {
            openCheckpoint(path);
            QFAIL("no error");
        } catch (const InputError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "), qPrintable(message));
            bool found = false;
            for (const QString& alternative : phrase.split('|'))
                found = found || message.contains(alternative);
            QVERIFY2(found, qPrintable(message));
            QVERIFY2(!message.contains('\n'), qPrintable(message));
        }
    }

    void specialPaths()
    {
        QTemporaryDir dir;
        expectError(dir.filePath("missing.bin").toStdString(), "cannot open");
        // A directory is a Hugging Face checkpoint: its config.json is named as missing.
        try {
            openCheckpoint(dir.path().toStdString());
            QFAIL("no error for an empty directory");
        } catch (const InputError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("config.json"), e.what());
        }
        const std::string fifo = dir.filePath("fifo.bin").toStdString();
        QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
        expectError(fifo, "FIFO");
    }
};

QTEST_APPLESS_MAIN(TestLlama2c)
#include "tst_llama2c.moc"
