// SPDX-License-Identifier: MIT
// The window's start from saved settings: parameters that would not fit are refused (the
// defaults, with a notice), a session that ended while computing offers the defaults (asked in
// a real message box, offscreen), and the marker that tells is set exactly while computing.
#include "window/startsession.h"

#include "document/maskdocument.h"
#include "window/mainwindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>

#include "documentdriver.h"
#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

// Saves `options` as a closed window would have (MainWindow's "scenario/options").
void saveOptions(const QStringList& options)
{
    QSettings settings;
    settings.clear();
    settings.setValue(QStringLiteral("scenario/options"), options);
}

// Simulates a session killed during a computation.
void leaveMarker()
{
    QSettings().setValue(QStringLiteral("session/computing"), true);
}

const auto kNeverAsked = [] {
    qWarning("asked about defaults although the last session did not end while computing");
    return false;
};

} // namespace

class TestStartSession : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;

private slots:
    void initTestCase() { QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir_.path()); }

    void savedParametersThatFitAreRestored()
    {
        saveOptions({"--seq-len", "12", "--causal"});
        QTest::failOnWarning(QRegularExpression("asked about defaults"));
        const StartState start = startStateFromSettings(kNeverAsked);
        QCOMPARE(start.config.seqLen, std::optional<int>(12));
        QVERIFY(start.config.causal);
        QVERIFY(start.notice.isEmpty());
    }
    void savedParametersThatWouldNotFitAreRefused_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("phrase");
        // 4096 x 4096 inputs of 4096 numbers: 768 GiB, beyond any machine that runs the tests.
        QTest::newRow("inputs") << QStringList{"--seq-len", "4096", "--batch", "4096", "--d-model", "4096"}
                                << "for the inputs and parameters";
        QTest::newRow("an endless mask file") << QStringList{"--mask-file", "/dev/zero"} << "/dev/zero";
        const QString model = testing::kModel, tokenizer = testing::kTokenizer;
        QTest::newRow("a missing model") << QStringList{"--model", "/nonexistent/m.bin", "--text", "hi"}
                                         << "/nonexistent/m.bin";
        QTest::newRow("a model's missing tokenizer")
            << QStringList{"--model", model, "--tokenizer", "/nonexistent/tok.bin", "--text", "hi"}
            << "/nonexistent/tok.bin";
        QTest::newRow("a model's layer out of range")
            << QStringList{"--model", model, "--tokenizer", tokenizer, "--text", "hi", "--layer", "9"}
            << "--layer 9 is outside 0..4";
        QTest::newRow("a model's text longer than its positions")
            << QStringList{"--model", model, "--tokenizer", tokenizer, "--text", QString("Lily ").repeated(600)}
            << "the model has 512 positions";
    }
    void aModelSessionIsRestoredAfterItsFilesAreChecked()
    {
        saveOptions({"--model", testing::kModel, "--tokenizer", testing::kTokenizer, "--text", "Lily ran", "--layer",
                     "2"});
        const StartState start = startStateFromSettings(kNeverAsked);
        QVERIFY2(start.notice.isEmpty(), qPrintable(start.notice));
        QCOMPARE(start.config.modelPath, testing::kModel.toStdString());
        QCOMPARE(start.config.layer, std::optional<int>(2));
    }
    void savedParametersThatWouldNotFitAreRefused()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, phrase);
        saveOptions(options);
        QVERIFY(MainWindow::savedConfig().has_value()); // they parse: only building them fails
        const StartState start = startStateFromSettings(kNeverAsked);
        QCOMPARE(start.config, ScenarioConfig{});
        QVERIFY2(start.notice.contains(phrase), qPrintable(start.notice));
    }
    void aSessionThatEndedWhileComputingOffersTheDefaults()
    {
        saveOptions({"--seq-len", "12"});
        leaveMarker();
        int asked = 0;
        StartState start = startStateFromSettings([&asked] { return ++asked, true; });
        QCOMPARE(asked, 1);
        QCOMPARE(start.config, ScenarioConfig{});
        QVERIFY(!ComputingMarker::isSet()); // asked once, not at every start
        leaveMarker();
        start = startStateFromSettings([&asked] { return ++asked, false; });
        QCOMPARE(asked, 2);
        QCOMPARE(start.config.seqLen, std::optional<int>(12)); // the user kept the last parameters
        start = startStateFromSettings([&asked] { return ++asked, true; });
        QCOMPARE(asked, 2);
    }
    void theQuestionIsAMessageBox_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<bool>("defaults");
        QTest::newRow("defaults") << "startFromDefaultsButton" << true;
        QTest::newRow("last") << "restoreLastButton" << false;
    }
    void theQuestionIsAMessageBox()
    {
        QFETCH(QString, button);
        QFETCH(bool, defaults);
        bool shown = false;
        QTimer::singleShot(0, this, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box && box->objectName() == QStringLiteral("startFromDefaultsBox"));
            shown = true;
            box->findChild<QAbstractButton*>(button)->click();
        });
        QCOMPARE(askStartFromDefaults(), defaults);
        QVERIFY(shown);
    }
    void theMarkerIsSetExactlyWhileComputing()
    {
        MaskDocument doc;
        new ComputingMarker(&doc);
        bool setWhenStarted = false;
        connect(&doc, &MaskDocument::computingChanged, this, [&](bool computing) {
            if (computing)
                setWhenStarted = ComputingMarker::isSet();
        });
        doc.setConfig(testing::syntheticConfig(16, 2, 8));
        QTRY_VERIFY(doc.isIdle());
        QVERIFY(setWhenStarted);
        QVERIFY(!ComputingMarker::isSet());
    }
    void theWindowShowsTheNotice()
    {
        MainWindow window(ScenarioConfig{}, std::nullopt, WindowOptions{false});
        window.showStartNotice(QStringLiteral("not restored: too large"));
        auto* notice = window.findChild<QLabel*>(QStringLiteral("startNotice"));
        QVERIFY(notice && !notice->isHidden() && notice->text().contains("too large"));
        window.document()->editConfig([](ScenarioConfig& c) { c.causal = true; });
        QVERIFY(notice->isHidden()); // said once: the user has moved on
    }
};

QTEST_MAIN(TestStartSession)
#include "tst_startsession.moc"
