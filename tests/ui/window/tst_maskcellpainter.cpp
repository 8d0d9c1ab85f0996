// SPDX-License-Identifier: MIT
// The mask painter filters every event of the heatmap view: only mouse events may be read as
// QMouseEvent. Treating a key or focus event as one is undefined behaviour that the sanitizer
// build (-fsanitize=undefined, whose vptr check sees the wrong dynamic type) reports as a failure.

#include "document/maskdocument.h"
#include "window/heatmapview.h"
#include "window/mainwindow.h"
#include "window/maskcellpainter.h"
#include "windowdriver.h"

#include <QFocusEvent>
#include <QKeyEvent>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace maskscope;
using namespace maskscope::ui;

class TestMaskCellPainter : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> window_;
    QTemporaryDir dir_;

    MaskDocument* doc() const { return window_->document(); }
    HeatmapView* view() const { return window_->heatmapView(); }
    void settle() { testing::settleWindow(*doc(), *view()); }

private slots:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.path());
        ScenarioConfig c;
        c.seqLen = 8;
        c.heads = 2;
        c.dModel = 16;
        window_ = std::make_unique<MainWindow>(c, FigureRequest{}, WindowOptions{false});
        window_->resize(1400, 900);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        doc()->setMatrix(ViewKind::Mask);
        settle();
    }
    void cleanupTestCase() { window_.reset(); }

    void eventsThatAreNotMouseEventsPaintNothing()
    {
        QVERIFY(window_->maskCellPainter()->isEnabled());
        QKeyEvent key(QEvent::KeyPress, Qt::Key_Space, Qt::NoModifier);
        QFocusEvent focus(QEvent::FocusIn);
        QEvent leave(QEvent::Leave);
        for (QEvent* event : std::initializer_list<QEvent*>{&key, &focus, &leave})
            QApplication::sendEvent(view(), event);
        settle();
        QVERIFY(doc()->config().rules.toggled.empty());
    }
    void aClickOnAMaskCellStillPaintsIt()
    {
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->cellCenter(0, 2, 5));
        settle();
        QVERIFY(doc()->config().rules.toggled.contains(2, 5));
    }
};

QTEST_MAIN(TestMaskCellPainter)
#include "tst_maskcellpainter.moc"
