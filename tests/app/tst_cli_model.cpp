// SPDX-License-Identifier: MIT
// The command line on a real checkpoint (stories260K in ../shared, never copied here): dump's
// model fields, next-token prediction, padding from real sentences, rules and mistakes reaching
// the model, export, and one-line errors.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "processrun.h"

namespace {

using maskscope::testing::Run;

const QString kModelDir = QStringLiteral(MASKSCOPE_SHARED_DATA "/models/stories260K");
const QString kModel = kModelDir + QStringLiteral("/stories260K.bin");
const QString kTokenizer = kModelDir + QStringLiteral("/tok512.bin");

Run runModel(QStringList args, const QString& command = QStringLiteral("dump"))
{
    args.prepend(command);
    args << QStringLiteral("--model") << kModel << QStringLiteral("--tokenizer") << kTokenizer;
    return maskscope::testing::runMaskscope(args);
}

QJsonObject dumped(const QStringList& args)
{
    const Run r = runModel(args);
    if (r.status != 0)
        qWarning("%s", r.err.constData());
    return r.status == 0 ? maskscope::testing::parseJsonObject(r.out) : QJsonObject{};
}

QJsonArray weights(const QJsonObject& batch, int head)
{
    return batch[QStringLiteral("heads")].toArray()[head].toObject()[QStringLiteral("weights")].toArray();
}

// The sum of the weights each query gives to later keys (what a causal mask forbids).
double futureWeight(const QJsonObject& batch, int head)
{
    const QJsonArray w = weights(batch, head);
    double sum = 0;
    for (int i = 0; i < w.size(); ++i)
        for (int j = i + 1; j < w[i].toArray().size(); ++j)
            sum += w[i].toArray()[j].toDouble();
    return sum;
}

QString topPiece(const QJsonObject& batch)
{
    return batch[QStringLiteral("next_token")].toArray()[0].toObject()[QStringLiteral("piece")].toString();
}

} // namespace

class TestCliModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kModel), "stories260K is expected in ../shared/models (see README)");
    }

    void dumpDescribesTheModelAndItsTokens()
    {
        const QJsonObject d = dumped({"--text", "Once upon a time"});
        const QJsonObject model = d[QStringLiteral("model")].toObject();
        QCOMPARE(model[QStringLiteral("architecture")].toString(), QStringLiteral("llama"));
        QCOMPARE(model[QStringLiteral("layers")].toInt(), 5);
        QCOMPARE(model[QStringLiteral("layer")].toInt(), 4); // the last by default
        QCOMPARE(model[QStringLiteral("heads")].toInt(), 8);
        QCOMPARE(model[QStringLiteral("kv_heads")].toInt(), 4);
        QCOMPARE(model[QStringLiteral("head_dim")].toInt(), 8);
        QCOMPARE(model[QStringLiteral("storage_dtype")].toString(), QStringLiteral("F32"));
        const QJsonObject config = d[QStringLiteral("config")].toObject();
        QCOMPARE(config[QStringLiteral("heads")].toInt(), 8); // every query head
        QVERIFY(config[QStringLiteral("causal")].toBool());
        const QJsonObject batch = d[QStringLiteral("batches")].toArray()[0].toObject();
        // BOS, then SentencePiece's pieces of the text (tok512).
        QCOMPARE(batch[QStringLiteral("token_ids")].toArray().first().toInt(), 1);
        QCOMPARE(batch[QStringLiteral("pieces")].toArray().size(), 5);
        QCOMPARE(batch[QStringLiteral("tokens_q")].toArray()[1].toString(), QStringLiteral("\u2581Once"));
        QCOMPARE(batch[QStringLiteral("heads")].toArray().size(), 8);
        // The model card's sample continues "Once upon a time," with a comma.
        QCOMPARE(topPiece(batch), QStringLiteral(","));
        QVERIFY(batch[QStringLiteral("next_token")].toArray()[0].toObject()[QStringLiteral("probability")].toDouble() > 0.5);
        QCOMPARE(batch[QStringLiteral("next_token")].toArray().size(), 5);
        for (int h = 0; h < 8; ++h)
            QCOMPARE(futureWeight(batch, h), 0.0);
    }

    void sentencesOfDifferentLengthsArePadded()
    {
        const QJsonObject d = dumped({"--text", "Once upon a time", "--text", "Lily saw a big red ball", "--pad-side", "left"});
        const QJsonObject config = d[QStringLiteral("config")].toObject();
        QCOMPARE(config[QStringLiteral("batch")].toInt(), 2);
        const QJsonArray valid = config[QStringLiteral("valid_lens")].toArray();
        QVERIFY(valid[0].toInt() < valid[1].toInt());
        const QJsonObject first = d[QStringLiteral("batches")].toArray()[0].toObject();
        QCOMPARE(first[QStringLiteral("tokens_q")].toArray()[0].toString(), QStringLiteral("<pad>"));
        QVERIFY(first[QStringLiteral("key_is_pad")].toArray()[0].toBool());
        // Padding on the left gives the sentence the same prediction as alone.
        const QJsonObject alone = dumped({"--text", "Once upon a time"})[QStringLiteral("batches")].toArray()[0].toObject();
        const double padded = first[QStringLiteral("next_token")].toArray()[0].toObject()[QStringLiteral("probability")].toDouble();
        const double single = alone[QStringLiteral("next_token")].toArray()[0].toObject()[QStringLiteral("probability")].toDouble();
        QVERIFY2(std::abs(padded - single) < 1e-5, qPrintable(QString::number(padded - single)));
    }

    void aMistakeLetsTheModelSeeTheFuture()
    {
        const QJsonObject fixed = dumped({"--text", "Once upon a time"})[QStringLiteral("batches")].toArray()[0].toObject();
        const QJsonObject buggy = dumped({"--text", "Once upon a time", "--bug", "masked-fill-not-inplace"})
                                      [QStringLiteral("batches")].toArray()[0].toObject();
        QVERIFY(futureWeight(buggy, 0) > 0.01);
        // Every layer saw the future: the prediction after the last token changes too.
        QVERIFY(fixed[QStringLiteral("next_token")] != buggy[QStringLiteral("next_token")]);
    }

    void theLayerIsChosen()
    {
        const QJsonObject first = dumped({"--text", "Once upon a time", "--layer", "0"});
        QCOMPARE(first[QStringLiteral("model")].toObject()[QStringLiteral("layer")].toInt(), 0);
        const QJsonObject last = dumped({"--text", "Once upon a time"});
        QVERIFY(weights(first[QStringLiteral("batches")].toArray()[0].toObject(), 0)
                != weights(last[QStringLiteral("batches")].toArray()[0].toObject(), 0));
    }

    void exportDrawsTheModel()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("m.png"));
        const Run r = runModel({"--text", "Once upon a time", "--head", "all", "--out", out}, QStringLiteral("export"));
        QVERIFY2(r.status == 0, r.err.constData());
        QVERIFY(QFile(out).size() > 1000);
    }

    void benchTimesOpenComputeAndRecompute()
    {
        const Run r = runModel({"--text", "Once upon a time", "--repeat", "2"}, QStringLiteral("bench"));
        QVERIFY2(r.status == 0, r.err.constData());
        const QJsonObject b = maskscope::testing::parseJsonObject(r.out);
        for (const char* key : {"open_ms", "first_compute_ms", "view_change_median_ms", "same_layer_median_ms", "earlier_layer_median_ms", "peak_rss_mib"})
            QVERIFY2(b[QLatin1String(key)].toDouble() > 0, key);
        QCOMPARE(b[QStringLiteral("model")].toObject()[QStringLiteral("layers")].toInt(), 5);
    }

    void aTokenPastTheTokenizersVocabularyIsNamedById()
    {
        // Models pad their vocabulary past the tokenizer's. A llama2.c checkpoint of 600 tokens
        // (separate classifier) read with the 512 pieces of tok512.model, built so that it
        // predicts token 599: zero layers keep the embedding (all ones), and only row 599 of the
        // classifier is non-zero.
        const int dim = 8, hidden = 16, vocab = 600, positions = 32, headSize = 4;
        std::vector<qint32> header{dim, hidden, 1, 2, 2, -vocab, positions};
        std::vector<float> weights(size_t(vocab) * dim, 1.0f);              // token embedding
        weights.insert(weights.end(), dim, 1.0f);                          // attention RMSNorm
        weights.insert(weights.end(), size_t(4) * dim * dim, 0.0f);        // wq, wk, wv, wo
        weights.insert(weights.end(), dim, 1.0f);                          // FFN RMSNorm
        weights.insert(weights.end(), size_t(3) * dim * hidden, 0.0f);     // w1, w2, w3
        weights.insert(weights.end(), dim, 1.0f);                          // final RMSNorm
        weights.insert(weights.end(), size_t(positions) * headSize, 0.0f); // legacy RoPE tables
        std::vector<float> classifier(size_t(vocab) * dim, 0.0f);
        std::fill(classifier.end() - dim, classifier.end(), 1.0f);
        weights.insert(weights.end(), classifier.begin(), classifier.end());
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("padded.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(reinterpret_cast<const char*>(header.data()), qint64(header.size() * sizeof(qint32)));
        file.write(reinterpret_cast<const char*>(weights.data()), qint64(weights.size() * sizeof(float)));
        file.close();
        const Run r = maskscope::testing::runMaskscope({"dump", "--model", file.fileName(), "--tokenizer",
                                                        kModelDir + QStringLiteral("/tok512.model"), "--text", "Once"});
        QVERIFY2(r.status == 0, r.err.constData());
        const QJsonObject batch = maskscope::testing::parseJsonObject(r.out)[QStringLiteral("batches")].toArray()[0].toObject();
        QCOMPARE(topPiece(batch), QStringLiteral("<id=599>"));
    }

    void badRequestsAreOneLineErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("sizes come from the text") << QStringList{"--text", "hi", "--seq-len", "8"} << "--seq-len cannot be combined with --model";
        QTest::newRow("layer out of range") << QStringList{"--text", "hi", "--layer", "5"} << "--layer 5 is outside 0..4";
        QTest::newRow("no text") << QStringList{} << "--text";
        QTest::newRow("empty text") << QStringList{"--text", "  "} << "--text is empty";
        QTest::newRow("too long") << QStringList{"--text", QString(QStringLiteral("and then ")).repeated(400)} << "positions";
    }

    void badRequestsAreOneLineErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runModel(args);
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(r.out.isEmpty());
    }

    void aMissingModelOrTokenizerIsNamed()
    {
        QTemporaryDir dir;
        Run r = maskscope::testing::runMaskscope({"dump", "--model", dir.filePath("none.bin"), "--tokenizer", kTokenizer, "--text", "hi"});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains("none.bin"), r.err.constData());
        // A llama2.c file without tokenizer.bin beside it and no --tokenizer.
        QVERIFY(QFile::link(kModel, dir.filePath("model.bin")));
        r = maskscope::testing::runMaskscope({"dump", "--model", dir.filePath("model.bin"), "--text", "hi"});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains("--tokenizer"), r.err.constData());
    }
};

QTEST_APPLESS_MAIN(TestCliModel)
#include "tst_cli_model.moc"
