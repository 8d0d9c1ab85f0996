// SPDX-License-Identifier: MIT
#include "window/helpactions.h"

#include "window/mainwindow.h"
#include "window/manualdialog.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QFile>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

namespace maskscope::ui {

namespace {

// The keys of a standard action, plus `extra` where the platform's standard keys lack it (the
// full-screen key is F11 on most desktops but not every platform binds it).
QList<QKeySequence> keysWith(QKeySequence::StandardKey standard, const QKeySequence& extra)
{
    QList<QKeySequence> keys = QKeySequence::keyBindings(standard);
    if (!keys.contains(extra))
        keys << extra;
    return keys;
}

QString licenceText()
{
    QFile file(QStringLiteral(":/LICENSE"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

HelpActions::HelpActions(QMainWindow* window, QMenu* view) : QObject(window), window_(window)
{
    addFullScreen(view);
    addHelpMenu();
    window_->installEventFilter(this);
}

ManualDialog* HelpActions::manualDialog() const
{
    return manualDialog_;
}

QMessageBox* HelpActions::aboutBox() const
{
    return aboutBox_;
}

QString HelpActions::homepageUrl()
{
    return QStringLiteral(MASKSCOPE_HOMEPAGE_URL);
}

QString HelpActions::issuesUrl()
{
    return QStringLiteral(MASKSCOPE_ISSUES_URL);
}

void HelpActions::addHelpMenu()
{
    QMenu* help = texts_.bind(window_->menuBar()->addMenu(QString()), &QMenu::setTitle,
                              [] { return MainWindow::tr("&Help"); });
    manual_ = texts_.bind(help->addAction(QString()), &QAction::setText, [] { return tr("&Manual"); });
    manual_->setObjectName(QStringLiteral("manualAction"));
    manual_->setShortcuts(keysWith(QKeySequence::HelpContents, QKeySequence(Qt::Key_F1)));
    connect(manual_, &QAction::triggered, this, &HelpActions::showManual);
    help->addSeparator();
    about_ = texts_.bind(help->addAction(QString()), &QAction::setText, [] { return MainWindow::tr("&About MaskScope"); });
    about_->setMenuRole(QAction::AboutRole);
    connect(about_, &QAction::triggered, this, &HelpActions::showAbout);
    QAction* aboutQt = texts_.bind(help->addAction(QString()), &QAction::setText, [] { return tr("About &Qt"); });
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void HelpActions::addFullScreen(QMenu* view)
{
    view->addSeparator();
    fullScreen_ = texts_.bind(view->addAction(QString()), &QAction::setText, [] { return tr("&Full screen"); });
    fullScreen_->setObjectName(QStringLiteral("fullScreenAction"));
    fullScreen_->setCheckable(true);
    fullScreen_->setShortcuts(keysWith(QKeySequence::FullScreen, QKeySequence(Qt::Key_F11)));
    connect(fullScreen_, &QAction::toggled, this, &HelpActions::setFullScreen);
}

void HelpActions::setFullScreen(bool on)
{
    if (on == window_->isFullScreen())
        return;
    if (on) {
        maximizedBeforeFullScreen_ = window_->isMaximized();
        window_->showFullScreen();
    } else if (maximizedBeforeFullScreen_) {
        window_->showMaximized();
    } else {
        window_->showNormal();
    }
}

void HelpActions::showManual()
{
    if (!manualDialog_) {
        manualDialog_ = new ManualDialog(window_);
        manualDialog_->setWindowFlag(Qt::Window); // beside the main window, not over it
    }
    manualDialog_->show();
    manualDialog_->raise();
    manualDialog_->activateWindow();
}

void HelpActions::showAbout()
{
    if (aboutBox_) {
        aboutBox_->raise();
        return;
    }
    aboutBox_ = new QMessageBox(window_);
    aboutBox_->setAttribute(Qt::WA_DeleteOnClose);
    aboutBox_->setObjectName(QStringLiteral("aboutBox"));
    aboutBox_->setWindowTitle(MainWindow::tr("About MaskScope"));
    aboutBox_->setIconPixmap(window_->windowIcon().pixmap(64, 64));
    aboutBox_->setTextFormat(Qt::RichText);
    aboutBox_->setText(MainWindow::tr("<p><b>MaskScope</b> %1</p><p>See attention masks at work: the mask, the "
                                      "raw logits, the masked logits and the softmax weights of every head, "
                                      "computed exactly as PyTorch's nn.MultiheadAttention does.</p>")
                           .arg(QCoreApplication::applicationVersion()) +
                       tr("<p>Free software under the MIT licence (its text is under Show Details).</p>"
                          "<p><a href=\"%1\">Project page</a> \u00B7 <a href=\"%2\">Report a problem</a></p>")
                           .arg(homepageUrl(), issuesUrl()));
    aboutBox_->setDetailedText(licenceText());
    if (auto* label = aboutBox_->findChild<QLabel*>(QStringLiteral("qt_msgbox_label"))) {
        label->setOpenExternalLinks(true); // to the desktop's browser
        label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    }
    aboutBox_->open();
}

bool HelpActions::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == window_) {
        if (event->type() == QEvent::LanguageChange)
            texts_.retranslate();
        else if (event->type() == QEvent::WindowStateChange)
            fullScreen_->setChecked(window_->isFullScreen()); // also when the desktop ended it
    }
    return QObject::eventFilter(watched, event);
}

} // namespace maskscope::ui
