// SPDX-License-Identifier: MIT
// The Parameters panel's "Real model" group (issue 10), driven through its real controls
// offscreen on stories260K (../shared, never copied): opening a checkpoint, typing sentences,
// choosing the layer, going back to synthetic inputs, a bad file, a dropped model and the
// inspector's next-token line and the recent models.

#include "document/maskdocument.h"
#include "window/controlpanel.h"
#include "window/inspectorpanel.h"
#include "window/modelgroup.h"
#include "window/recentmodels.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QThreadPool>
#include <QPushButton>
#include <QAbstractButton>
#include <QUrl>

#include "poolhold.h"
#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

using maskscope::testing::kModel;
using maskscope::testing::kModelDir;
using maskscope::testing::kTokenizer;

// The controls whose values a real model decides.
const QStringList kDecided = {QStringLiteral("seqLenSpin"), QStringLiteral("tokensEdit"),
                              QStringLiteral("crossCheck"), QStringLiteral("batchSpin"),
                              QStringLiteral("paddingCheck"), QStringLiteral("causalCheck"),
                              QStringLiteral("headsSpin"), QStringLiteral("dModelSpin"),
                              QStringLiteral("seedSpin")};

// What the model's scenario labels its keys with, built without the window.
std::vector<std::string> modelPieces(const std::vector<std::string>& texts)
{
    ScenarioConfig c;
    c.modelPath = kModel.toStdString();
    c.tokenizerPath = kTokenizer.toStdString();
    c.texts = texts;
    return buildScenario(c).tokensK.front();
}

} // namespace

class TestModelGroup : public QObject, public testing::WindowFixture {
    Q_OBJECT

    ModelGroup* group() const { return window()->controlPanel()->modelGroup(); }

    void openStories()
    {
        group()->openModel(kModel, kTokenizer);
        settle();
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
    }

    QString nextTokenLine() const { return window()->inspector()->nextTokenText(); }

    // The recent models' menu as the user sees it when it opens.
    QList<QAction*> recentEntries() const
    {
        auto* menu = control<QMenu>(QStringLiteral("recentModelsMenu"));
        emit menu->aboutToShow();
        QList<QAction*> entries;
        for (QAction* action : menu->actions())
            if (!action->isSeparator() && action->objectName() != QLatin1String("clearRecentModelsAction"))
                entries << action;
        return entries;
    }

    static QString writeBrokenModel(const QTemporaryDir& dir)
    {
        const QString bad = dir.filePath(QStringLiteral("broken.bin"));
        QFile file(bad);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(bad));
        file.write("not a checkpoint");
        return bad;
    }

private slots:
    void initTestCase() { isolateSettings(); }

    void init()
    {
        clearRecentModels();
        QVERIFY(openWindow(ScenarioConfig{}));
    }
    void cleanup() { closeWindow(); }

    void openingShowsTheModelsPiecesAndSizes()
    {
        openStories();
        const ScenarioConfig& c = doc()->config();
        QCOMPARE(c.texts, std::vector<std::string>{"Once upon a time"});
        const Heatmap& panel = view()->shownResult()->figure.panels.front();
        QStringList expected;
        for (const std::string& piece : modelPieces(c.texts))
            expected << QString::fromStdString(piece);
        QCOMPARE(panel.colLabels, expected);
        QCOMPARE(control<QSpinBox>(QStringLiteral("seqLenSpin"))->value(), int(expected.size()));
        QCOMPARE(control<QSpinBox>(QStringLiteral("headsSpin"))->value(), 8);
        QVERIFY(control<QCheckBox>(QStringLiteral("causalCheck"))->isChecked());
        const QString description = control<QLabel>(QStringLiteral("modelDescription"))->text();
        QVERIFY2(description.contains(QStringLiteral("5 layers")) &&
                     description.contains(QStringLiteral("8 heads sharing 4 K/V heads")),
                 qPrintable(description));
        auto* layer = control<QSpinBox>(QStringLiteral("layerSpin"));
        QVERIFY(layer->isEnabled());
        QCOMPARE(layer->minimum(), 0);
        QCOMPARE(layer->maximum(), 4);
        QCOMPARE(layer->value(), 4); // the last, by default
        QCOMPARE(control<QSpinBox>(QStringLiteral("headSpin"))->maximum(), 7); // every query head
    }

    void theLayerSpinChoosesTheLayer()
    {
        openStories();
        testing::typeInto(control<QSpinBox>(QStringLiteral("layerSpin")), 1);
        settle();
        QCOMPARE(doc()->config().layer, std::optional<int>(1));
        QCOMPARE(doc()->result()->scenario->model->layer, 1);
    }

    // A change of head or view keeps the model's own mask (causal), never the synthetic config's.
    void anotherHeadKeepsTheModelsMask()
    {
        openStories();
        const std::vector<double> weights = doc()->result()->figure.panels.front().values;
        doc()->setHead(3);
        settle();
        QVERIFY(doc()->result()->scenario->mask.causal);
        doc()->setHead(0);
        settle();
        QCOMPARE(doc()->result()->figure.panels.front().values, weights);
    }

    void sentencesAreTheBatch()
    {
        openStories();
        auto* edit = control<QPlainTextEdit>(QStringLiteral("sentencesEdit"));
        edit->setFocus();
        edit->moveCursor(QTextCursor::End);
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, QStringLiteral("Lily saw a big dog"));
        settle();
        const std::vector<std::string> texts{"Once upon a time", "Lily saw a big dog"};
        QCOMPARE(doc()->config().texts, texts);
        QCOMPARE(doc()->result()->scenario->mask.batch, 2);
        QVERIFY(control<QSpinBox>(QStringLiteral("batchItemSpin"))->isEnabled());
        QCOMPARE(control<QSpinBox>(QStringLiteral("batchItemSpin"))->maximum(), 1);
        auto* side = control<QComboBox>(QStringLiteral("padSideCombo"));
        QVERIFY(side->isEnabled()); // it pads the shorter sentence
        side->setCurrentIndex(1);
        settle();
        QCOMPARE(doc()->result()->scenario->mask.padSide, PadSide::Left);
    }

    void theModelDecidesTheSyntheticControls()
    {
        QMap<QString, QString> toolTips;
        for (const QString& name : kDecided)
            toolTips[name] = control<QWidget>(name)->toolTip();
        openStories();
        for (const QString& name : kDecided) {
            QVERIFY2(!control<QWidget>(name)->isEnabled(), qPrintable(name));
            QCOMPARE(control<QWidget>(name)->toolTip(), decidedByModelText());
        }
        QVERIFY(control<QComboBox>(QStringLiteral("padSideCombo"))->isEnabled());

        QTest::mouseClick(control<QPushButton>(QStringLiteral("useSyntheticButton")), Qt::LeftButton);
        settle();
        QVERIFY(!doc()->config().usesModel());
        QVERIFY(doc()->config().texts.empty());
        QVERIFY(!doc()->result()->scenario->model);
        for (const QString& name : {QStringLiteral("seqLenSpin"), QStringLiteral("tokensEdit"),
                                    QStringLiteral("causalCheck"), QStringLiteral("headsSpin")}) {
            QVERIFY2(control<QWidget>(name)->isEnabled(), qPrintable(name));
            QCOMPARE(control<QWidget>(name)->toolTip(), toolTips[name]);
        }
        QVERIFY(!control<QWidget>(QStringLiteral("layerSpin"))->isVisible());
    }

    void cancelGoesBackToTheSyntheticInputs()
    {
        settle();
        const TraceResultPtr before = doc()->result();
        const ScenarioConfig synthetic = doc()->config();
        auto* progress = control<QProgressBar>(QStringLiteral("modelProgress"));
        auto* cancel = control<QPushButton>(QStringLiteral("cancelModelButton"));
        auto* note = control<QLabel>(QStringLiteral("modelCancelNote"));
        QThreadPool jobs; // the document's own: figures keep rendering in the global pool
        doc()->setJobPool(&jobs);
        {
            testing::ThreadPoolHold hold(&jobs); // the model's job waits until we let go
            group()->openModel(kModel, kTokenizer);
            QTRY_VERIFY(progress->isVisible()); // busy once the change has waited a moment
            QVERIFY(cancel->isEnabled());
            QTest::mouseClick(cancel, Qt::LeftButton);
            QCOMPARE(doc()->config(), synthetic);
            QVERIFY(!progress->isVisible());
            QVERIFY(note->isVisible());
            QVERIFY2(note->text().contains(QStringLiteral("synthetic")), qPrintable(note->text()));
        }
        settle();
        doc()->setJobPool(QThreadPool::globalInstance());
        QCOMPARE(doc()->result(), before); // what the stale job computed was dropped
        QCOMPARE(view()->shownResult(), before);
        // The window keeps working: the model opens when asked again.
        openStories();
        QVERIFY(!note->isVisible());
        QVERIFY(doc()->result()->scenario->model);
    }
    void aBadModelIsExplainedAndTheResultStays()
    {
        openStories();
        const TraceResultPtr before = doc()->result();
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("broken.bin"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a checkpoint");
        file.close();
        group()->openModel(bad, kTokenizer);
        settle();
        QVERIFY(!doc()->error().isEmpty());
        auto* error = control<QLabel>(QStringLiteral("modelErrorLabel"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("broken.bin")), qPrintable(error->text()));
        QCOMPARE(doc()->result(), before);
        QCOMPARE(view()->shownResult(), before);
        // The window keeps working: another model opens.
        openStories();
        QVERIFY(!error->isVisible());
    }

    void theNextTokenLineFollowsTheMistakes()
    {
        openStories();
        const QString line = nextTokenLine();
        QVERIFY2(line.contains(QStringLiteral("time\u201D: \u201C,\u201D")), qPrintable(line));
        doc()->editConfig([](ScenarioConfig& c) { c.pitfalls.mistakes.set(Pitfall::MaskedFillNotInplace); });
        settle();
        QVERIFY2(nextTokenLine() != line, qPrintable(nextTokenLine()));
        doc()->editConfig([](ScenarioConfig& c) { c.pitfalls.mistakes = PitfallSet(); });
        settle();
        QCOMPARE(nextTokenLine(), line);
    }

    // The pitfall lab's before/after runs the model again without the mistake.
    void theFixedSideRunsTheModelWithoutTheMistake()
    {
        openStories();
        const QString line = nextTokenLine();
        doc()->editConfig([](ScenarioConfig& c) { c.pitfalls.mistakes.set(Pitfall::MaskedFillNotInplace); });
        FigureRequest v = doc()->view();
        v.compareFixed = true;
        doc()->setView(v);
        settle();
        const TraceResultPtr r = doc()->result();
        QVERIFY(r->fixedScenario && r->fixedScenario->model);
        QVERIFY(r->fixedScenario->mask.causal);
        const QString fixedCandidates = line.mid(line.indexOf(QStringLiteral(": ")) + 2);
        QVERIFY2(nextTokenLine().endsWith(QStringLiteral("Without the mistake: ") + fixedCandidates),
                 qPrintable(nextTokenLine()));
    }

    void theRecentListIsNewestFirstWithoutDuplicatesAndLimited()
    {
        QTemporaryDir dir;
        const auto entry = [&](int k) {
            return RecentModel{dir.filePath(QStringLiteral("m%1.bin").arg(k)), dir.filePath(QStringLiteral("t.bin"))};
        };
        for (int k = 0; k < kMaxRecentModels + 2; ++k)
            rememberRecentModel(entry(k));
        QList<RecentModel> list = recentModels();
        QCOMPARE(list.size(), kMaxRecentModels);
        QCOMPARE(list.front(), entry(kMaxRecentModels + 1));
        QCOMPARE(list.back(), entry(2)); // the two oldest went
        // Opened again, with another tokenizer: it moves to the front, once.
        RecentModel again = entry(5);
        again.tokenizer = dir.filePath(QStringLiteral("other.model"));
        rememberRecentModel(again);
        list = recentModels();
        QCOMPARE(list.size(), kMaxRecentModels);
        QCOMPARE(list.front(), again);
        QCOMPARE(std::count_if(list.begin(), list.end(), [&](const RecentModel& e) { return e.model == again.model; }),
                 1);
        // Relative paths are kept absolute: the window may be started from anywhere.
        rememberRecentModel({QStringLiteral("relative.bin"), QString()});
        QCOMPARE(recentModels().front().model, QFileInfo(QStringLiteral("relative.bin")).absoluteFilePath());
        clearRecentModels();
        QVERIFY(recentModels().isEmpty());
    }

    void anOpenedModelIsRememberedAndOpensFromTheList()
    {
        QVERIFY(!control<QAbstractButton>(QStringLiteral("recentModelsButton"))->isEnabled());
        openStories();
        const QList<RecentModel> list = recentModels();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.front(), (RecentModel{QFileInfo(kModel).absoluteFilePath(), QFileInfo(kTokenizer).absoluteFilePath()}));
        QVERIFY(control<QAbstractButton>(QStringLiteral("recentModelsButton"))->isEnabled());

        QTest::mouseClick(control<QPushButton>(QStringLiteral("useSyntheticButton")), Qt::LeftButton);
        settle();
        QVERIFY(!doc()->config().usesModel());
        QList<QAction*> entries = recentEntries();
        QCOMPARE(entries.size(), 1);
        QVERIFY2(entries.front()->text().contains(QStringLiteral("stories260K.bin")) &&
                     entries.front()->text().contains(QStringLiteral("tok512.bin")),
                 qPrintable(entries.front()->text()));
        QVERIFY(entries.front()->isEnabled());
        entries.front()->trigger();
        settle();
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
        QCOMPARE(QString::fromStdString(doc()->config().modelPath), list.front().model);
        QCOMPARE(QString::fromStdString(doc()->config().tokenizerPath), list.front().tokenizer);
        QVERIFY(doc()->result()->scenario->model);
        QCOMPARE(recentModels(), list); // opened again: still once

        // Another window (a restart) offers it too.
        closeWindow();
        QVERIFY(openWindow(ScenarioConfig{}));
        QCOMPARE(recentEntries().size(), 1);
    }

    void aModelThatFailsIsNotRemembered()
    {
        QTemporaryDir dir;
        group()->openModel(writeBrokenModel(dir), kTokenizer);
        settle();
        QVERIFY(!doc()->error().isEmpty());
        QVERIFY(recentModels().isEmpty());
        QVERIFY(!control<QAbstractButton>(QStringLiteral("recentModelsButton"))->isEnabled());
    }

    // A model on a drive not mounted now may come back: shown disabled, until the list is cleared.
    void aMissingModelIsShownDisabledUntilTheListIsCleared()
    {
        QTemporaryDir dir;
        const QString gone = dir.filePath(QStringLiteral("gone.bin"));
        rememberRecentModel({gone, kTokenizer});
        rememberRecentModel({kModel, kTokenizer});
        const QList<QAction*> entries = recentEntries();
        QCOMPARE(entries.size(), 2);
        QVERIFY(entries[0]->isEnabled());
        QVERIFY(!entries[1]->isEnabled());
        QVERIFY2(entries[1]->text().contains(QStringLiteral("not found")), qPrintable(entries[1]->text()));
        QVERIFY2(entries[1]->toolTip().contains(QStringLiteral("gone.bin")), qPrintable(entries[1]->toolTip()));
        control<QAction>(QStringLiteral("clearRecentModelsAction"))->trigger();
        QVERIFY(recentModels().isEmpty());
        QVERIFY(recentEntries().isEmpty());
        QVERIFY(!control<QAbstractButton>(QStringLiteral("recentModelsButton"))->isEnabled());
    }

    void aDroppedModelDirectoryOpens()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::link(kModel, dir.filePath(QStringLiteral("stories260K.bin"))));
        QVERIFY(QFile::link(kTokenizer, dir.filePath(QStringLiteral("tokenizer.bin"))));
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("stories260K.bin")))});
        const QPoint at = window()->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window(), &drop);
        settle();
        QCOMPARE(QString::fromStdString(doc()->config().modelPath), dir.filePath(QStringLiteral("stories260K.bin")));
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
        QVERIFY(doc()->result()->scenario->model);

        QMimeData other;
        other.setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("notes.txt")))});
        QDragEnterEvent ignored(at, Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
        ignored.ignore();
        QApplication::sendEvent(window(), &ignored);
        QVERIFY(!ignored.isAccepted());
    }
};

QTEST_MAIN(TestModelGroup)
#include "tst_modelgroup.moc"
