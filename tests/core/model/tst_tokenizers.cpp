// SPDX-License-Identifier: MIT
// Tokenizers of real checkpoints against their references: stories260K's tok512.model through
// libsentencepiece against python3-sentencepiece's ids (written at test time into a temporary
// directory by tests/tools/make_tokenizer_fixtures.py --sentencepiece: they are derived from the
// model, so never committed; without python3-sentencepiece this test fails); tokenizer.json (byte-level BPE, Llama-2
// style normalizer or Metaspace with byte fallback) against the reference encoders of
// tests/tools/make_tokenizer_fixtures.py; and every unsupported or broken file a one-line error.
#include "model/hftokenizer.h"
#include "model/pretokenizer.h"
#include "model/sentencepiecetokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "inputerror.h"
#include "pythontool.h"

#include <functional>

using namespace maskscope;

namespace {

const QString kData = QStringLiteral(MASKSCOPE_TEST_DATA "/model");
const QString kTok512 = QStringLiteral(MASKSCOPE_SHARED_DATA "/models/stories260K/tok512.model");

QJsonDocument readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll());
}

std::vector<int> idsOf(const QJsonValue& v)
{
    std::vector<int> ids;
    for (const QJsonValue& id : v.toArray())
        ids.push_back(id.toInt());
    return ids;
}

QString idsText(const std::vector<int>& ids)
{
    QStringList s;
    for (const int id : ids)
        s << QString::number(id);
    return s.join(' ');
}

/// tokenizer.json of `variant` with `edit` applied to its JSON object, written into `dir`.
std::string editedTokenizer(const QTemporaryDir& dir, const QString& variant,
                            const std::function<void(QJsonObject&)>& edit)
{
    QJsonObject root = readJson(kData + "/" + variant + "/tokenizer.json").object();
    edit(root);
    const QString path = dir.filePath(variant + "-edited.json");
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(QJsonDocument(root).toJson());
    return path.toStdString();
}

} // namespace

class TestTokenizers : public QObject {
    Q_OBJECT

    QTemporaryDir pythonIds_;
    QString pythonError_; ///< why the tool failed, empty if it did not

private slots:
    void initTestCase();
    void sentencePieceMatchesPython();
    void sentencePieceErrors();
    void huggingFaceMatchesReference_data();
    void huggingFaceMatchesReference();
    void splitRegexThenByteLevelIsTheSame();
    void byteLevelPieces();
    void llama3PatternThroughPcre2();
    void nfcIsIdentityBelowCombiningMarks();
    void huggingFaceErrors_data();
    void huggingFaceErrors();
    void invalidUtf8Text();
};

void TestTokenizers::initTestCase()
{
    QVERIFY2(pythonIds_.isValid(), "no temporary directory");
    pythonError_ = testing::runPythonTool("make_tokenizer_fixtures.py",
                                          {"--sentencepiece", pythonIds_.path(), "--shared", MASKSCOPE_SHARED_DATA},
                                          "sentencepiece");
}

void TestTokenizers::sentencePieceMatchesPython()
{
    QVERIFY2(QFile::exists(kTok512), qPrintable(kTok512 + " is missing: the shared models sit beside the checkout"));
    QVERIFY2(pythonError_.isEmpty(), qPrintable(pythonError_));
    const auto tokenizer = openSentencePieceTokenizer(kTok512.toStdString(), 512);
    QCOMPARE(tokenizer->size(), 512);
    const QJsonArray cases = readJson(pythonIds_.filePath("sentencepiece_tok512.json")).array();
    QVERIFY(cases.size() >= 10);
    for (const QJsonValue& c : cases) {
        const std::string text = c["text"].toString().toStdString();
        const std::vector<int> got = tokenizer->encode(text), expected = idsOf(c["ids"]);
        QVERIFY2(got == expected, qPrintable(QString::fromStdString(text) + ": " + idsText(got) + " != " + idsText(expected)));
    }
    std::string joined;
    for (const int id : tokenizer->encode("Once upon a time"))
        joined += tokenizer->piece(id);
    QCOMPARE(QString::fromStdString(joined), QString("▁Once▁upon▁a▁time"));
}

void TestTokenizers::sentencePieceErrors()
{
    const std::string tok = kTok512.toStdString();
    EXPECT_INPUT_ERROR([&] { openSentencePieceTokenizer(tok, 300); }, tok,
                       "the tokenizer has 512 pieces, the model's vocabulary only 300");
    QTemporaryDir dir;
    const std::string corrupt = dir.filePath("corrupt.model").toStdString();
    QFile f(QString::fromStdString(corrupt));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a protobuf \xff\xff\xff\xff");
    f.close();
    EXPECT_INPUT_ERROR([&] { openSentencePieceTokenizer(corrupt, 512); }, corrupt, "not a SentencePiece model");
    const std::string missing = dir.filePath("none.model").toStdString();
    EXPECT_INPUT_ERROR([&] { openSentencePieceTokenizer(missing, 512); }, missing, "cannot open (No such file or directory)");
}

void TestTokenizers::huggingFaceMatchesReference_data()
{
    QTest::addColumn<QString>("variant");
    QTest::newRow("byte-level BPE (GPT-2)") << "bytelevel";
    QTest::newRow("Llama 2: Prepend + Replace, byte fallback") << "llama2";
    QTest::newRow("Metaspace first, byte fallback") << "metaspace";
}

void TestTokenizers::huggingFaceMatchesReference()
{
    QFETCH(QString, variant);
    const auto tokenizer = openHuggingFaceTokenizer((kData + "/" + variant + "/tokenizer.json").toStdString(), 1000);
    const QJsonArray cases = readJson(kData + "/" + variant + "/expected.json").array();
    QVERIFY(cases.size() >= 5);
    for (const QJsonValue& c : cases) {
        const std::string text = c["text"].toString().toStdString();
        const std::vector<int> got = tokenizer->encode(text), expected = idsOf(c["ids"]);
        QVERIFY2(got == expected, qPrintable("'" + QString::fromStdString(text) + "': " + idsText(got) + " != " + idsText(expected)));
    }
}

void TestTokenizers::splitRegexThenByteLevelIsTheSame()
{
    // Llama 3 and Qwen2 spell the pre-tokenizer as Sequence[Split(Regex), ByteLevel(use_regex
    // false)]: with GPT-2's regex it must encode as the ByteLevel pre-tokenizer alone.
    QTemporaryDir dir;
    const std::string path = editedTokenizer(dir, "bytelevel", [](QJsonObject& root) {
        QJsonObject split{{"type", "Split"}, {"behavior", "Isolated"}, {"invert", false},
                          {"pattern", QJsonObject{{"Regex", R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)"}}}};
        QJsonObject byteLevel{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}};
        root["pre_tokenizer"] = QJsonObject{{"type", "Sequence"}, {"pretokenizers", QJsonArray{split, byteLevel}}};
    });
    const auto tokenizer = openHuggingFaceTokenizer(path, 1000);
    for (const QJsonValue& c : readJson(kData + "/bytelevel/expected.json").array())
        QCOMPARE(idsText(tokenizer->encode(c["text"].toString().toStdString())), idsText(idsOf(c["ids"])));
}

void TestTokenizers::byteLevelPieces()
{
    const auto byteLevel = openHuggingFaceTokenizer((kData + "/bytelevel/tokenizer.json").toStdString(), 1000);
    const auto llama = openHuggingFaceTokenizer((kData + "/llama2/tokenizer.json").toStdString(), 1000);
    QVERIFY(byteLevel->byteLevel());
    QVERIFY(!llama->byteLevel());
    QVERIFY(!openSentencePieceTokenizer(kTok512.toStdString(), 512)->byteLevel());
    // " cat" is "Ġ" + "cat" in byte-level's alphabet; a newline is "Ċ"; é is "Ã©".
    std::string joined;
    for (const int id : byteLevel->encode(" cat\né"))
        joined += byteLevel->piece(id);
    QCOMPARE(QString::fromStdString(joined), QString("ĠcatĊÃ©"));
    const int eot = byteLevel->encode("<|endoftext|>").at(0);
    QCOMPARE(byteLevel->piece(eot), std::string("<|endoftext|>"));
    QCOMPARE(byteLevel->size(), eot + 1);
    QCOMPARE(llama->piece(3 + 0x0A), std::string("<0x0A>"));
}

void TestTokenizers::llama3PatternThroughPcre2()
{
    // Llama 3's pre-tokenizer regex (case-insensitive contractions, at most 3 digits, a letter
    // run may take one leading non-letter), split by hand below.
    const QString pattern = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
    const QJsonObject split{{"type", "Split"}, {"behavior", "Isolated"}, {"pattern", QJsonObject{{"Regex", pattern}}}};
    const std::string json = QJsonDocument(split).toJson().toStdString();
    const auto steps = readPreTokenizer(parseJson(json, "t"), "t");
    const std::vector<std::string> words = preTokenize(steps, "I'VE 12345 cats,\n\n  Élan", true);
    const std::vector<std::string> expected{"I", "'VE", " ", "123", "45", " cats", ",\n\n", " ", " Élan"};
    QCOMPARE(words, expected);
    const QJsonObject literal{{"type", "Split"}, {"behavior", "Removed"}, {"pattern", QJsonObject{{"String", "."}}}};
    const auto dots = readPreTokenizer(parseJson(QJsonDocument(literal).toJson().toStdString(), "t"), "t");
    QCOMPARE(preTokenize(dots, "a.b..c", true), (std::vector<std::string>{"a", "b", "c"}));
}

void TestTokenizers::nfcIsIdentityBelowCombiningMarks()
{
    QTemporaryDir dir;
    const std::string path = editedTokenizer(dir, "bytelevel", [](QJsonObject& root) {
        root["normalizer"] = QJsonObject{{"type", "NFC"}};
    });
    const auto nfc = openHuggingFaceTokenizer(path, 1000);
    const auto plain = openHuggingFaceTokenizer((kData + "/bytelevel/tokenizer.json").toStdString(), 1000);
    QCOMPARE(nfc->encode("naïve café"), plain->encode("naïve café"));
    EXPECT_INPUT_ERROR([&] { nfc->encode("cafe\xCC\x81"); }, std::string("text"), "NFC");
}

void TestTokenizers::huggingFaceErrors_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("json"); // the new value of root[key] ("model.type" edits the model)
    QTest::addColumn<QString>("phrase");
    QTest::newRow("WordPiece") << "model.type" << R"("WordPiece")" << "model type 'WordPiece' is not supported (supported: BPE)";
    QTest::newRow("Whitespace") << "pre_tokenizer" << R"({"type": "Whitespace"})"
                                << "pre_tokenizer type 'Whitespace' is not supported";
    QTest::newRow("Lowercase") << "normalizer" << R"({"type": "Lowercase"})" << "normalizer type 'Lowercase' is not supported";
    QTest::newRow("bad regex") << "pre_tokenizer"
                               << R"({"type": "Split", "behavior": "Isolated", "pattern": {"Regex": "(a"}})"
                               << "pre-tokenizer regex: missing closing parenthesis at offset 2";
    QTest::newRow("MergedWithNext") << "pre_tokenizer"
                                    << R"({"type": "Split", "behavior": "MergedWithNext", "pattern": {"String": "x"}})"
                                    << "Split behavior 'MergedWithNext' is not supported";
    QTest::newRow("no model") << "model" << "null" << "no model object";
    QTest::newRow("merge of three") << "model.merges" << R"(["a b c"])" << "merge 'a b c' is not two pieces";
    QTest::newRow("dropout") << "model.dropout" << "0.1" << "BPE dropout is not supported";
    QTest::newRow("suffix") << "model.end_of_word_suffix" << R"("</w>")" << "end_of_word_suffix is not supported";
    QTest::newRow("id past vocab") << "added_tokens" << R"([{"id": 5000, "content": "<x>"}])"
                                   << "added token '<x>' has id 5000, past the model's vocabulary of 1000";
}

void TestTokenizers::huggingFaceErrors()
{
    QFETCH(QString, key);
    QFETCH(QString, json);
    QFETCH(QString, phrase);
    QTemporaryDir dir;
    const QJsonValue value = QJsonDocument::fromJson(("[" + json + "]").toUtf8()).array().at(0);
    const std::string path = editedTokenizer(dir, "bytelevel", [&](QJsonObject& root) {
        if (key.startsWith("model.")) {
            QJsonObject model = root["model"].toObject();
            model[key.mid(6)] = value;
            root["model"] = model;
        } else {
            root[key] = value;
        }
    });
    EXPECT_INPUT_ERROR([&] { openHuggingFaceTokenizer(path, 1000); }, path, phrase);
}

void TestTokenizers::invalidUtf8Text()
{
    const auto hf = openHuggingFaceTokenizer((kData + "/bytelevel/tokenizer.json").toStdString(), 1000);
    const auto sp = openSentencePieceTokenizer(kTok512.toStdString(), 512);
    EXPECT_INPUT_ERROR([&] { hf->encode("a\xff"); }, std::string("text"), "not valid UTF-8");
    EXPECT_INPUT_ERROR([&] { sp->encode("a\xc0\xaf"); }, std::string("text"), "not valid UTF-8");
    const std::string small = (kData + "/bytelevel/tokenizer.json").toStdString();
    EXPECT_INPUT_ERROR([&] { openHuggingFaceTokenizer(small, 100); }, small, "past the model's vocabulary of 100");
}

QTEST_GUILESS_MAIN(TestTokenizers)
#include "tst_tokenizers.moc"
