// SPDX-License-Identifier: MIT
// Tests of core/model/llama2ctokenizer and tokenizer.cpp: tok512.bin (from ../shared) encodes as
// SentencePiece encodes with tok512.model (ids written at test time into a temporary directory by
// tests/tools/make_tokenizer_fixture.py: they are derived from the model, so never committed;
// without Debian's python3-sentencepiece this test fails), readable pieces, and broken files.

#include "model/llama2ctokenizer.h"
#include "model/tokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

#include "pythontool.h"

using namespace maskscope;

namespace {

const std::string kTok512 = MASKSCOPE_SHARED_DATA "/models/stories260K/tok512.bin";

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
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

} // namespace

class TestLlama2cTokenizer : public QObject {
    Q_OBJECT

    QTemporaryDir pythonIds_;
    QString pythonError_; ///< why the tool failed, empty if it did not

private slots:
    void initTestCase()
    {
        QVERIFY2(pythonIds_.isValid(), "no temporary directory");
        pythonError_ = testing::runPythonTool("make_tokenizer_fixture.py",
                                              {"--out", pythonIds_.path(), "--shared", MASKSCOPE_SHARED_DATA},
                                              "sentencepiece");
    }

    void encodesAsSentencePiece_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QVariantList>("ids");
        if (!pythonError_.isEmpty()) {
            QTest::newRow("no reference ids") << QString() << QVariantList(); // the test says why
            return;
        }
        const QString fixture = pythonIds_.filePath("tok512_sentencepiece.json");
        const QJsonArray cases = QJsonDocument::fromJson(readAll(fixture)).object().value("cases").toArray();
        QVERIFY(cases.size() >= 20);
        for (const QJsonValue& c : cases) {
            const QString text = c.toObject().value("text").toString();
            QTest::newRow(qPrintable(text.left(40))) << text << c.toObject().value("ids").toArray().toVariantList();
        }
    }

    void encodesAsSentencePiece()
    {
        QFETCH(QString, text);
        QFETCH(QVariantList, ids);
        QVERIFY2(pythonError_.isEmpty(), qPrintable(pythonError_));
        const Llama2cTokenizer tokenizer(kTok512, 512);
        std::vector<int> expected;
        for (const QVariant& id : ids)
            expected.push_back(id.toInt());
        QCOMPARE(tokenizer.encode(text.toStdString()), expected);
    }

    void emptyTextHasNoTokens()
    {
        const Llama2cTokenizer tokenizer(kTok512, 512);
        QVERIFY(tokenizer.encode("").empty());
    }

    void piecesInSentencePieceSpelling()
    {
        const auto tokenizer = openTokenizer(kTok512, 512);
        QCOMPARE(tokenizer->size(), 512);
        QCOMPARE(tokenizer->piece(1), std::string("<s>"));
        QCOMPARE(tokenizer->piece(2), std::string("</s>"));
        QCOMPARE(tokenizer->piece(3 + 0x0A), std::string("<0x0A>"));
        const std::vector<int> ids = tokenizer->encode("Lily");
        std::string joined;
        for (const int id : ids)
            joined += tokenizer->piece(id);
        QCOMPARE(joined, std::string("\u2581Lily"));
    }

    void invalidUtf8IsAnInputError()
    {
        const Llama2cTokenizer tokenizer(kTok512, 512);
        QVERIFY_THROWS_EXCEPTION(InputError, tokenizer.encode("caf\xC3"));
        QVERIFY_THROWS_EXCEPTION(InputError, tokenizer.encode("\xFF"));
    }

    void readablePieces_data()
    {
        QTest::addColumn<QString>("piece");
        QTest::addColumn<bool>("byteLevel");
        QTest::addColumn<QString>("readable");
        QTest::newRow("word start") << "\u2581Lily" << false << "\u2581Lily";
        QTest::newRow("newline byte") << "<0x0A>" << false << "\u21B5";
        QTest::newRow("tab byte") << "<0x09>" << false << "\u21E5";
        QTest::newRow("ascii byte") << "<0x41>" << false << "A";
        QTest::newRow("partial byte") << "<0xE4>" << false << "<0xE4>";
        QTest::newRow("control byte") << "<0x00>" << false << "<0x00>";
        QTest::newRow("raw space") << " Lily" << false << "\u2581Lily";
        QTest::newRow("gpt2 word start") << "\u0120cat" << true << "\u2581cat";
        QTest::newRow("gpt2 accented") << "\u00C3\u00A9" << true << "\u00E9";
        QTest::newRow("gpt2 newline") << "\u010A" << true << "\u21B5";
        QTest::newRow("gpt2 half character") << "\u00C3" << true << "<0xC3>";
        QTest::newRow("gpt2 chinese") << "\u00E6\u012A\u0133" << true << "\u6211";
        QTest::newRow("gpt2 two thirds") << "\u00E6\u012A" << true << "<0xE6><0x88>";
    }

    void readablePieces()
    {
        QFETCH(QString, piece);
        QFETCH(bool, byteLevel);
        QFETCH(QString, readable);
        QCOMPARE(QString::fromStdString(readablePiece(piece.toStdString(), byteLevel)), readable);
    }

    void badFiles()
    {
        const QByteArray real = readAll(QString::fromStdString(kTok512));
        QTemporaryDir dir;
        const auto message = [&](const QByteArray& bytes, int vocab) -> QString {
            const std::string path = writeFile(dir, "tok.bin", bytes);
            try {
                openTokenizer(path, vocab);
            } catch (const InputError& e) {
                const QString m = QString::fromUtf8(e.what());
                return m.startsWith(QString::fromStdString(path) + ": ") && !m.contains('\n') ? m : "malformed: " + m;
            }
            return "no error";
        };
        QVERIFY(message(QByteArray(), 512).contains("the file is empty"));
        QVERIFY(message(real.left(real.size() - 1), 512).contains("truncated at byte"));
        QVERIFY(message(real.left(3), 512).contains("truncated at byte 0"));
        QVERIFY(message(real, 500).contains("bytes after the 500 tokens"));
        QVERIFY(message(real, 600).contains("truncated"));
        QByteArray lying = real;
        const qint32 huge = 0x7fffffff;
        std::memcpy(lying.data() + 4 + 4, &huge, 4); // token 0's length
        QVERIFY(message(lying, 512).contains("token 0 is 2147483647 bytes long"));
        QVERIFY(message(real, 512) == "no error");
        const std::string other = writeFile(dir, "tok.txt", real);
        QVERIFY_THROWS_EXCEPTION(InputError, openTokenizer(other, 512));
        QVERIFY_THROWS_EXCEPTION(InputError, openTokenizer(dir.filePath("missing.bin").toStdString(), 512));
    }
};

QTEST_APPLESS_MAIN(TestLlama2cTokenizer)
#include "tst_llama2ctokenizer.moc"
