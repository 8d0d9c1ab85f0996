// SPDX-License-Identifier: MIT
// The strict JSON reader of checkpoint and tokenizer files: values, escapes, integers as the
// loaders need them, and every malformed input a one-line error at the byte where it stopped.
#include "io/jsonparse.h"

#include <QTest>

#include "inputerror.h"

using namespace maskscope;

class TestJsonParse : public QObject {
    Q_OBJECT

private slots:
    void values();
    void escapesAndUtf8();
    void integers();
    void malformed_data();
    void malformed();
    void printableText();
};

void TestJsonParse::values()
{
    const JsonValue v = parseJson(R"( {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "": 0} )", "t");
    QVERIFY(v.isObject());
    QCOMPARE(v.members.size(), std::size_t{3});
    QCOMPARE(v.members[0].first, std::string("a")); // file order
    const JsonValue* a = v.find("a");
    QVERIFY(a && a->isArray());
    QCOMPARE(a->items.size(), std::size_t{5});
    QCOMPARE(a->items[1].number(), -2500.0);
    QVERIFY(a->items[2].isBool() && a->items[2].boolean);
    QVERIFY(a->items[4].isNull());
    QCOMPARE(v.find("b")->find("c")->text, std::string("d"));
    QVERIFY(v.find("") != nullptr);
    QVERIFY(v.find("z") == nullptr);
    QVERIFY(a->find("x") == nullptr); // not an object
    QCOMPARE(parseJson("1e400", "t").number(), HUGE_VAL);
}

void TestJsonParse::escapesAndUtf8()
{
    const JsonValue v = parseJson(R"("\"\\\/\b\f\n\r\t\u00e9\u2581\ud83d\ude00é")", "t");
    QCOMPARE(v.text, std::string("\"\\/\b\f\n\r\t\xC3\xA9\xE2\x96\x81\xF0\x9F\x98\x80\xC3\xA9"));
}

void TestJsonParse::integers()
{
    QCOMPARE(parseJson("9223372036854775807", "t").integer(), std::optional<std::int64_t>(INT64_MAX));
    QVERIFY(!parseJson("9223372036854775808", "t").integer());
    QCOMPARE(parseJson("18446744073709551615", "t").unsignedInteger(), std::optional<std::uint64_t>(UINT64_MAX));
    QVERIFY(!parseJson("18446744073709551616", "t").unsignedInteger());
    QCOMPARE(parseJson("-3", "t").integer(), std::optional<std::int64_t>(-3));
    QVERIFY(!parseJson("-3", "t").unsignedInteger());
    QVERIFY(!parseJson("3.0", "t").integer());
    QVERIFY(!parseJson("3e0", "t").integer());
    QVERIFY(!parseJson("\"3\"", "t").integer());
}

void TestJsonParse::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("empty") << QByteArray("") << "at byte 0: unexpected end of text";
    QTest::newRow("trailing") << QByteArray("{} x") << "at byte 3: unexpected data after the value";
    QTest::newRow("trailing comma") << QByteArray("[1,]") << "at byte 3: unexpected character";
    QTest::newRow("single quotes") << QByteArray("{'a': 1}") << "expected a string key";
    QTest::newRow("leading zero") << QByteArray("01") << "unexpected data after the value";
    QTest::newRow("bare dot") << QByteArray("1.") << "digits expected after '.'";
    QTest::newRow("plus") << QByteArray("+1") << "unexpected character";
    QTest::newRow("NaN") << QByteArray("NaN") << "unexpected character";
    QTest::newRow("unterminated") << QByteArray("\"abc") << "unterminated string";
    QTest::newRow("raw newline") << QByteArray("\"a\nb\"") << "control character in a string";
    QTest::newRow("bad escape") << QByteArray("\"\\x\"") << "unknown escape";
    QTest::newRow("short unicode escape") << QByteArray("\"\\u12\"") << "bad \\u escape";
    QTest::newRow("lone low surrogate") << QByteArray("\"\\udc00\"") << "lone low surrogate";
    QTest::newRow("lone high surrogate") << QByteArray("\"\\ud800x\"") << "high surrogate without its low surrogate";
    QTest::newRow("overlong UTF-8") << QByteArray("\"\xC0\xAF\"") << "invalid UTF-8 in a string";
    QTest::newRow("UTF-8 surrogate") << QByteArray("\"\xED\xA0\x80\"") << "invalid UTF-8 in a string";
    QTest::newRow("duplicate key") << QByteArray("{\"a\": 1, \"a\": 2}") << "at byte 9: duplicate key \"a\"";
    QTest::newRow("missing colon") << QByteArray("{\"a\" 1}") << "expected ':'";
    QTest::newRow("deep arrays") << QByteArray(65, '[') + QByteArray(65, ']') << "nested deeper than 64 levels";
    QTest::newRow("deep objects") << QByteArray("{\"a\":").repeated(70) << "nested deeper than 64 levels";
}

void TestJsonParse::malformed()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, phrase);
    const std::string s = text.toStdString();
    EXPECT_INPUT_ERROR([&] { parseJson(s, "f.json"); }, std::string("f.json"), phrase);
}

void TestJsonParse::printableText()
{
    QCOMPARE(printable("a\nb\x7f"), std::string("a?b?"));
    QCOMPARE(printable("\xff"), std::string("?"));
    QCOMPARE(printable("ééé", 4), std::string("éé…"));
}

QTEST_APPLESS_MAIN(TestJsonParse)
#include "tst_jsonparse.moc"
