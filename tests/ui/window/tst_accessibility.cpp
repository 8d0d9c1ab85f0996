// SPDX-License-Identifier: MIT
// Accessibility of the main window: every control a user can operate has a name of its own for
// assistive technology, and the heatmap works from the keyboard (focus, arrows, Enter) and says
// what it shows and which cell the keyboard is on.

#include "window/heatmapkeys.h"
#include "window/heatmapview.h"
#include "window/inspectorpanel.h"
#include "window/mainwindow.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QComboBox>
#include <QLineEdit>
#include <QMap>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTabBar>
#include <QTextEdit>
#include <QTest>

#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

// Parts of Qt's own widgets (a spin box's line edit, a dock's close button, a scroll area's
// scroll bars, a tab bar's scroll buttons) are named by Qt or belong to the control around them.
bool isQtInternal(const QWidget* w)
{
    if (qobject_cast<const QScrollBar*>(w))
        return true;
    if (w->objectName().startsWith(QLatin1String("qt_")))
        return true;
    const QWidget* parent = w->parentWidget();
    return parent && (qobject_cast<const QAbstractSpinBox*>(parent) || qobject_cast<const QComboBox*>(parent) ||
                      qobject_cast<const QTabBar*>(parent));
}

bool isInput(const QWidget* w)
{
    return qobject_cast<const QAbstractSpinBox*>(w) || qobject_cast<const QAbstractSlider*>(w) ||
           qobject_cast<const QComboBox*>(w) || qobject_cast<const QLineEdit*>(w) ||
           qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QPlainTextEdit*>(w) ||
           qobject_cast<const QTextEdit*>(w);
}

// What assistive technology announces a control by. A combo box's Name is its current item on
// Linux (Qt's QAccessibleComboBox): its own name is its label (the Label relation of a buddy) or
// the accessible name set on it.
QString accessibleName(QWidget* w)
{
    QAccessibleInterface* a = QAccessible::queryAccessibleInterface(w);
    if (!a)
        return {};
    if (!qobject_cast<QComboBox*>(w))
        return a->text(QAccessible::Name);
    const auto labels = a->relations(QAccessible::Label);
    return labels.isEmpty() ? w->accessibleName() : labels.first().first->text(QAccessible::Name);
}

QString describe(const QWidget* w)
{
    return QStringLiteral("%1 '%2'").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName());
}

Figure figureOf(std::initializer_list<std::pair<int, int>> sizes)
{
    Figure f;
    for (const auto& [rows, cols] : sizes) {
        Heatmap map;
        map.rows = rows;
        map.cols = cols;
        f.panels.push_back(map);
    }
    return f;
}

std::optional<CellHit> cell(int panel, int row, int col)
{
    return CellHit{panel, row, col};
}

void compareCells(const std::optional<CellHit>& actual, const std::optional<CellHit>& expected)
{
    QCOMPARE(actual.has_value(), expected.has_value());
    if (actual) {
        QCOMPARE(actual->panel, expected->panel);
        QCOMPARE(actual->row, expected->row);
        QCOMPARE(actual->col, expected->col);
    }
}

} // namespace

class TestAccessibility : public QObject, public testing::WindowFixture {
    Q_OBJECT

    InspectorPanel* inspector() const { return window()->inspector(); }

private slots:
    void initTestCase() { isolateSettings(); }
    void init()
    {
        // Two sentences with padding, so the per-sentence controls exist too.
        ScenarioConfig config = testing::syntheticConfig(12, 4, 32, true);
        config.validLens = {12, 9};
        QVERIFY(openWindow(config));
    }
    void cleanup() { closeWindow(); }

    void everyControlHasANameOfItsOwn()
    {
        QMap<QString, QString> owners; // name -> control
        QStringList problems;
        int walked = 0;
        for (QWidget* w : window()->findChildren<QWidget*>()) {
            if (!isInput(w) || isQtInternal(w))
                continue;
            ++walked;
            const QString name = accessibleName(w);
            if (name.trimmed().isEmpty())
                problems << describe(w) + QStringLiteral(" has no accessible name");
            else if (owners.contains(name))
                problems << QStringLiteral("'%1' names both %2 and %3").arg(name, owners.value(name), describe(w));
            owners.insert(name, describe(w));
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY2(walked > 30, qPrintable(QString::number(walked))); // the walk reached the docks' controls
    }

    void keysMoveThroughTheCells()
    {
        const Figure f = figureOf({{20, 10}, {20, 10}, {3, 4}});
        using K = QKeyCombination;
        compareCells(movedCell(f, std::nullopt, K(Qt::Key_Right)), cell(0, 0, 0));
        compareCells(movedCell(f, cell(0, 0, 0), K(Qt::Key_Right)), cell(0, 0, 1));
        compareCells(movedCell(f, cell(0, 0, 0), K(Qt::Key_Left)), cell(0, 0, 0));
        compareCells(movedCell(f, cell(0, 5, 5), K(Qt::Key_Up)), cell(0, 4, 5));
        compareCells(movedCell(f, cell(0, 19, 5), K(Qt::Key_Down)), cell(0, 19, 5));
        compareCells(movedCell(f, cell(0, 5, 5), K(Qt::Key_End)), cell(0, 5, 9));
        compareCells(movedCell(f, cell(0, 5, 5), K(Qt::Key_Home)), cell(0, 5, 0));
        compareCells(movedCell(f, cell(0, 5, 5), K(Qt::ControlModifier, Qt::Key_End)), cell(0, 19, 9));
        compareCells(movedCell(f, cell(0, 5, 5), K(Qt::ControlModifier, Qt::Key_Home)), cell(0, 0, 0));
        compareCells(movedCell(f, cell(0, 5, 5), K(Qt::Key_PageDown)), cell(0, 5 + kHeatmapPageRows, 5));
        compareCells(movedCell(f, cell(0, 5, 5), K(Qt::Key_PageUp)), cell(0, 0, 5));
        compareCells(movedCell(f, cell(1, 15, 8), K(Qt::ControlModifier, Qt::Key_PageDown)), cell(2, 2, 3));
        compareCells(movedCell(f, cell(2, 2, 3), K(Qt::ControlModifier, Qt::Key_PageDown)), cell(2, 2, 3));
        compareCells(movedCell(f, cell(1, 4, 4), K(Qt::ControlModifier, Qt::Key_PageUp)), cell(0, 4, 4));
        compareCells(movedCell(f, cell(0, 1, 1), K(Qt::Key_A)), std::nullopt);
        compareCells(movedCell(Figure{}, std::nullopt, K(Qt::Key_Right)), std::nullopt);
    }

    void theHeatmapIsReachedByTabAndDrivenByKeys()
    {
        QVERIFY(QTest::qWaitForWindowActive(window()));
        QVERIFY(view()->focusPolicy() & Qt::TabFocus);
        view()->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(view()->hasFocus());
        QCOMPARE(view()->hoveredCell(), std::nullopt);

        QTest::keyClick(view(), Qt::Key_Down); // the first key starts at the first cell
        QTest::keyClick(view(), Qt::Key_Down);
        QTest::keyClick(view(), Qt::Key_Right);
        QTest::keyClick(view(), Qt::Key_Down);
        compareCells(view()->hoveredCell(), cell(0, 2, 1));
        const Heatmap& panel = view()->shownFigure().panels.at(0);
        const QString hover = inspector()->hoverText();
        QVERIFY2(hover.contains(panel.rowLabels[2]) && hover.contains(panel.colLabels[1]), qPrintable(hover));
        const QString name = accessibleName(view());
        QVERIFY2(name.contains(QStringLiteral("query 2")) && name.contains(QStringLiteral("key 1")), qPrintable(name));

        QVERIFY(inspector()->explanationText().isEmpty());
        QTest::keyClick(view(), Qt::Key_Return);
        QVERIFY(inspector()->explanationText().contains(QStringLiteral("5. \u00F7 sum")));
        QCOMPARE(inspector()->explainedJobId(), std::optional(doc()->result()->jobId));

        // A new result keeps the keyboard's cell and reads it out again.
        control<QSpinBox>(QStringLiteral("seedSpin"))->setValue(9);
        settle();
        compareCells(view()->hoveredCell(), cell(0, 2, 1));
        QTRY_VERIFY(!inspector()->hoverText().isEmpty());
    }

    void theHeatmapSaysWhatItShows()
    {
        QAccessibleInterface* a = QAccessible::queryAccessibleInterface(view());
        QVERIFY(!a->text(QAccessible::Name).isEmpty());
        const QString before = a->text(QAccessible::Description);
        QVERIFY2(before.contains(view()->shownFigure().title) && before.contains(view()->shownFigure().subtitle),
                 qPrintable(before));
        QVERIFY(before.contains(QStringLiteral("L = 12")));
        control<QSpinBox>(QStringLiteral("seqLenSpin"))->setValue(7);
        settle();
        const QString after = a->text(QAccessible::Description);
        QVERIFY2(after.contains(QStringLiteral("L = 7")), qPrintable(after));
    }
};

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
