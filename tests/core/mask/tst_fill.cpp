// SPDX-License-Identifier: MIT
#include "mask/fill.h"

#include <QTest>

#include <cmath>

using namespace maskscope;

class TestFill : public QObject {
    Q_OBJECT
private slots:
    void parsesEveryKind_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("neg-inf") << "neg-inf" << "neg-inf";
        QTest::newRow("-inf") << "-inf" << "neg-inf";
        QTest::newRow("-1e9") << "-1e9" << "-1e9";
        QTest::newRow("lowest") << "lowest" << "lowest";
        QTest::newRow("number") << "-10000" << "-10000";
        QTest::newRow("fraction") << "-0.5" << "-0.5";
        QTest::newRow("positive") << "3" << "3";
    }
    void parsesEveryKind()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        QCOMPARE(QString::fromStdString(Fill::parse(text.toStdString()).toString()), canonical);
    }
    void valuesInEachPrecision()
    {
        QVERIFY(std::isinf(Fill::parse("neg-inf").as<float>()));
        QVERIFY(Fill::parse("neg-inf").as<double>() < 0);
        QCOMPARE(Fill::parse("-1e9").as<float>(), -1e9f);
        QCOMPARE(Fill::parse("-1e9").as<double>(), -1e9);
        QCOMPARE(Fill::parse("lowest").as<float>(), std::numeric_limits<float>::lowest());
        QCOMPARE(Fill::parse("lowest").as<double>(), std::numeric_limits<double>::lowest());
        QCOMPARE(Fill::parse("-7.25").as<float>(), -7.25f);
    }
    void rejectsNonsense_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("word") << "minus";
        QTest::newRow("trailing") << "-5x";
        QTest::newRow("nan") << "nan";
        QTest::newRow("inf") << "inf";
    }
    void rejectsNonsense()
    {
        QFETCH(QString, text);
        try {
            Fill::parse(text.toStdString());
            QFAIL("accepted");
        } catch (const InputError& e) {
            QVERIFY(QString(e.what()).contains("fill"));
        }
    }
};

QTEST_APPLESS_MAIN(TestFill)
#include "tst_fill.moc"
