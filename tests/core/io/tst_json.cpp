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
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
