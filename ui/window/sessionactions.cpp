// SPDX-License-Identifier: MIT
#include "window/sessionactions.h"

#include "document/maskdocument.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QUrl>

namespace maskscope::ui {

namespace {

const QString kRecentKey = QStringLiteral("session/recent");

QString sessionFilter()
{
    return SessionActions::tr("MaskScope sessions (*.maskscope)");
}

QString absolute(const QString& path)
{
    return QFileInfo(path).absoluteFilePath();
}

// The one local file or folder dropped, or empty.
QString droppedPath(const QMimeData* data)
{
    if (!data || data->urls().size() != 1 || !data->urls().front().isLocalFile())
        return {};
    return data->urls().front().toLocalFile();
}

bool isSessionFile(const QFileInfo& info)
{
    return info.isFile() && info.suffix() == QLatin1String(kSessionSuffix);
}

bool isNpyFile(const QFileInfo& info)
{
    return info.isFile() && info.suffix() == QLatin1String("npy");
}

// A folder of nn.MultiheadAttention inputs (--load): .npy files, and no model's config.json.
bool isInputsFolder(const QFileInfo& info)
{
    const QDir dir(info.filePath());
    return info.isDir() && !dir.exists(QStringLiteral("config.json")) &&
           !dir.entryList({QStringLiteral("*.npy")}, QDir::Files).isEmpty();
}

} // namespace

QStringList recentSessions()
{
    QStringList entries = QSettings().value(kRecentKey).toStringList();
    entries.removeAll(QString());
    entries.removeDuplicates(); // settings edited by hand must not show an entry twice
    return entries.mid(0, kMaxRecentSessions);
}

void clearRecentSessions()
{
    QSettings().remove(kRecentKey);
}

void useInputsFolder(MaskDocument* document, const QString& dir)
{
    document->editConfig([&dir](ScenarioConfig& c) {
        c.loadDir = dir.toStdString();
        // The files decide the sizes; sizes set before would only contradict them.
        c.seqLen.reset();
        c.queryLen.reset();
        c.batch.reset();
        c.dModel.reset();
        c.validLens.clear();
    });
}

SessionActions::SessionActions(QMainWindow* window, MaskDocument* document, QMenu* fileMenu)
    : QObject(window), window_(window), document_(document), saved_{document->config(), document->view()}
{
    setObjectName(QStringLiteral("sessionActions"));
    buildActions(fileMenu);
    connect(document_, &MaskDocument::configChanged, this, &SessionActions::updateTitle);
    connect(document_, &MaskDocument::viewChanged, this, &SessionActions::updateTitle);
    texts_.bind([this] { updateTitle(); });
    window_->installEventFilter(this);
}

void SessionActions::buildActions(QMenu* fileMenu)
{
    const auto add = [this, fileMenu](const char* name, QKeySequence::StandardKey key, auto text, auto slot) {
        QAction* action = texts_.bind(fileMenu->addAction(QString()), &QAction::setText, text);
        action->setObjectName(QLatin1String(name));
        action->setShortcut(key);
        connect(action, &QAction::triggered, this, slot);
    };
    add("newSessionAction", QKeySequence::New, [] { return tr("&New"); }, &SessionActions::newSession);
    add("openSessionAction", QKeySequence::Open, [] { return tr("&Open…"); }, [this] {
        if (!maySwitchAway())
            return;
        const QString path = QFileDialog::getOpenFileName(window_, tr("Open a session"), QString(), sessionFilter());
        if (!path.isEmpty())
            openFile(path);
    });
    recentMenu_ = texts_.bind(fileMenu->addMenu(QString()), &QMenu::setTitle, [] { return tr("Open &Recent"); });
    recentMenu_->setObjectName(QStringLiteral("recentSessionsMenu"));
    recentMenu_->setToolTipsVisible(true);
    recentEnd_ = recentMenu_->addSeparator();
    clearRecent_ = texts_.bind(recentMenu_->addAction(QString()), &QAction::setText, [] { return tr("Clear list"); });
    clearRecent_->setObjectName(QStringLiteral("clearRecentSessionsAction"));
    // The menu fills again when it next opens: not here, where it would delete the action that
    // is being triggered.
    connect(clearRecent_, &QAction::triggered, this, &clearRecentSessions);
    connect(recentMenu_, &QMenu::aboutToShow, this, &SessionActions::fillRecentMenu);
    fillRecentMenu();
    texts_.bind([this] { // in place: a language switch keeps every action
        for (QAction* action : recentMenu_->actions())
            if (action->data().isValid())
                action->setText(recentEntryText(action->data().toString()));
    });
    add("saveSessionAction", QKeySequence::Save, [] { return tr("&Save"); }, &SessionActions::save);
    add("saveSessionAsAction", QKeySequence::SaveAs, [] { return tr("Save &As…"); }, &SessionActions::saveAs);
    fileMenu->addSeparator();
}

// How a recent session is named in the menu: its file name ('&' doubled so that the menu shows
// it rather than a shortcut), marked when the file is gone.
QString SessionActions::recentEntryText(const QString& path)
{
    const QString name = QFileInfo(path).fileName().replace(QLatin1Char('&'), QStringLiteral("&&"));
    return QFileInfo::exists(path) ? name : tr("%1 (not found)").arg(name);
}

void SessionActions::fillRecentMenu()
{
    // deleteLater: the action being triggered may be one of them.
    for (QAction* action : recentMenu_->actions())
        if (action->data().isValid()) {
            recentMenu_->removeAction(action);
            action->deleteLater();
        }
    const QStringList entries = recentSessions();
    for (const QString& path : entries) {
        auto* action = new QAction(recentEntryText(path), recentMenu_);
        action->setData(path);
        action->setToolTip(path);
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] {
            if (maySwitchAway())
                openFile(path);
        });
        recentMenu_->insertAction(recentEnd_, action);
    }
    clearRecent_->setEnabled(!entries.isEmpty());
}

bool SessionActions::isModified() const
{
    return !(Session{document_->config(), document_->view()} == saved_);
}

void SessionActions::newSession()
{
    if (!maySwitchAway())
        return;
    show(Session{});
    makeCurrent(QString());
}

bool SessionActions::openFile(const QString& path)
{
    Session session;
    try {
        session = readSessionFile(path);
    } catch (const InputError& e) {
        warn(QString::fromStdString(e.what()));
        return false;
    }
    adopt(path, session);
    return true;
}

void SessionActions::adopt(const QString& path, const Session& session)
{
    show(session);
    makeCurrent(path);
}

void SessionActions::show(const Session& session)
{
    document_->setConfig(session.config);
    document_->setView(session.view);
}

bool SessionActions::saveTo(const QString& path)
{
    const Session shown{document_->config(), document_->view()};
    const QString error = writeSessionFile(path, shown);
    if (!error.isEmpty()) {
        warn(error);
        return false;
    }
    makeCurrent(path);
    return true;
}

bool SessionActions::save()
{
    return file_.isEmpty() ? saveAs() : saveTo(file_);
}

bool SessionActions::saveAs()
{
    QFileDialog dialog(window_, tr("Save the session"), file_, sessionFilter());
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(QLatin1String(kSessionSuffix));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return false;
    return saveTo(dialog.selectedFiles().front());
}

bool SessionActions::maySwitchAway()
{
    // An untitled session comes back by itself: the window restores its last state at start.
    if (file_.isEmpty() || !isModified())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Unsaved changes"),
                    tr("The session %1 has changes that are not saved.").arg(QFileInfo(file_).fileName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window_);
    box.setObjectName(QStringLiteral("saveChangesBox"));
    box.setInformativeText(tr("Save them before going on?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save: return save();
    case QMessageBox::Discard: return true;
    default: return false;
    }
}

void SessionActions::makeCurrent(const QString& path)
{
    file_ = path.isEmpty() ? path : absolute(path);
    saved_ = Session{document_->config(), document_->view()};
    if (!file_.isEmpty())
        remember(file_);
    updateTitle();
}

void SessionActions::remember(const QString& path)
{
    QStringList entries = recentSessions();
    entries.removeAll(path);
    entries.prepend(path);
    QSettings().setValue(kRecentKey, entries.mid(0, kMaxRecentSessions)); // shown when the menu opens
}

void SessionActions::updateTitle()
{
    const QString name = file_.isEmpty() ? tr("Untitled") : QFileInfo(file_).fileName();
    window_->setWindowTitle(tr("%1[*] \u2014 MaskScope").arg(name));
    window_->setWindowModified(isModified());
    emit stateChanged();
}

void SessionActions::warn(const QString& text)
{
    // open(), not exec(): the window keeps working while the message is read.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("MaskScope session"), text, QMessageBox::Ok, window_);
    box->setObjectName(QStringLiteral("sessionProblemBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool SessionActions::acceptsDrop(const QMimeData* data)
{
    const QString path = droppedPath(data);
    if (path.isEmpty())
        return false;
    const QFileInfo info(path);
    return isSessionFile(info) || isNpyFile(info) || isInputsFolder(info);
}

void SessionActions::openDropped(const QString& path)
{
    const QFileInfo info(path);
    if (isSessionFile(info)) {
        if (maySwitchAway())
            openFile(path);
    } else if (isNpyFile(info)) {
        document_->editConfig([&path](ScenarioConfig& c) { c.maskFile = path.toStdString(); });
    } else {
        useInputsFolder(document_, path);
    }
}

bool SessionActions::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::Close:
        if (!maySwitchAway()) {
            event->ignore();
            return true; // the window stays open
        }
        break;
    case QEvent::LanguageChange:
        texts_.retranslate();
        break;
    case QEvent::DragEnter:
    case QEvent::DragMove:
        if (acceptsDrop(static_cast<QDropEvent*>(event)->mimeData())) {
            static_cast<QDropEvent*>(event)->acceptProposedAction();
            return true;
        }
        break;
    case QEvent::Drop:
        if (auto* drop = static_cast<QDropEvent*>(event); acceptsDrop(drop->mimeData())) {
            drop->acceptProposedAction();
            openDropped(droppedPath(drop->mimeData()));
            return true;
        }
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace maskscope::ui
