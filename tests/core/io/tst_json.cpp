// SPDX-License-Identifier: MIT
#include "io/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <charconv>
#include <limits>
#include <sstream>

using namespace maskscope;

class TestJson : public QObject {
    Q_OBJECT
private slots:
    void nonFiniteNumbersAreStrings()
    {
        QCOMPARE(QString::fromStdString(jsonNumber(-std::numeric_limits<float>::infinity())), "\"-inf\"");
        QCOMPARE(QString::fromStdString(jsonNumber(std::numeric_limits<double>::infinity())), "\"inf\"");
        QCOMPARE(QString::fromStdString(jsonNumber(std::numeric_limits<double>::quiet_NaN())), "\"nan\"");
    }
    void finiteNumbersRoundTripExactly()
    {
        const double doubles[] = {0.1, 1.0 / 3.0, -1e9, 5e-324, 1.7976931348623157e308, -0.0};
        for (double x : doubles) {
            const std::string t = jsonNumber(x);
            double back = 0;
            std::from_chars(t.data(), t.data() + t.size(), back);
            QCOMPARE(back, x);
        }
        const float floats[] = {0.1f, 1.0f / 3.0f, -1e9f, 1e-45f, 3.4028235e38f};
        for (float x : floats) {
            const std::string t = jsonNumber(x);
            float back = 0;
            std::from_chars(t.data(), t.data() + t.size(), back);
            QCOMPARE(back, x);
            QVERIFY(t.size() <= 15); // shortest float text, not the double expansion
        }
    }
    void writesValidJson()
    {
        std::ostringstream out;
        JsonWriter w(out);
        Matrix<float> m(2, 2);
        m << 1.5f, -std::numeric_limits<float>::infinity(), 0.25f, 2;
        w.beginObject();
        w.key("name").value("a \"quoted\"\nline\t\x01");
        w.key("m").matrix(m);
        w.key("flags").bools({true, false});
        w.key("n").value(3);
        w.key("empty").beginArray().endArray();
        w.endObject();
        QJsonParseError err;
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(out.str()), &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        const QJsonObject o = doc.object();
        QCOMPARE(o["name"].toString(), QString("a \"quoted\"\nline\t\x01"));
        QCOMPARE(o["m"].toArray()[0].toArray()[1].toString(), QString("-inf"));
        QCOMPARE(o["m"].toArray()[1].toArray()[0].toDouble(), 0.25);
        QCOMPARE(o["flags"].toArray()[1].toBool(), false);
        QCOMPARE(o["n"].toInt(), 3);
        QVERIFY(o["empty"].toArray().isEmpty());
    }

    void stringsAreAlwaysValidUtf8_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        const QString r = QString(QChar(0xFFFD));
        QTest::newRow("chinese") << QByteArray("\xe5\x90\x8d\xe5\xad\x97") << QString::fromUtf8("\xe5\x90\x8d\xe5\xad\x97");
        QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80") << QString::fromUtf8("\xf0\x9f\x98\x80");
        QTest::newRow("not utf-8 at all") << QByteArray("\xff\xfe") << r + r;
        QTest::newRow("lone continuation") << QByteArray("a\x80" "b") << "a" + r + "b";
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << r + r;
        QTest::newRow("overlong three") << QByteArray("\xe0\x80\xaf") << r + r + r;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << r + r + r;
        QTest::newRow("truncated") << QByteArray("\xe4\xbd") << r + r;
        QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << r + r + r + r;
        QTest::newRow("latin-1 word") << QByteArray("caf\xe9" " ok") << "caf" + r + " ok";
    }

    void stringsAreAlwaysValidUtf8()
    {
        // Qt's JSON parser refuses ill-formed UTF-8 (IllegalUTF8String), as RFC 8259 requires.
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        std::string text = jsonString(input.toStdString());
        text.insert(text.begin(), '[');
        text.push_back(']');
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        QCOMPARE(doc.array().at(0).toString(), expected);
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
