// SPDX-License-Identifier: MIT
#pragma once
// The window's session files (document/sessionfile.h): File > New, Open…, Open Recent, Save and
// Save As…, the title with the file's name and Qt's [*] modified mark, the question before
// unsaved changes of a named session are lost, and files dropped on the window.

#include "document/sessionfile.h"
#include "window/retranslation.h"

#include <QObject>
#include <QString>
#include <QStringList>

class QMainWindow;
class QAction;
class QMenu;
class QMimeData;

namespace maskscope::ui {

class MaskDocument;

/// How many session files File > Open Recent keeps.
inline constexpr int kMaxRecentSessions = 8;

/// The session files opened or saved last, most recent first (absolute paths), from QSettings.
QStringList recentSessions();
/// Forgets them.
void clearRecentSessions();

/// Shows the inputs of `dir` (nn.MultiheadAttention .npy files, see --load): the files decide
/// the sizes, so the sizes set before are dropped.
void useInputsFolder(MaskDocument* document, const QString& dir);

class SessionActions : public QObject {
    Q_OBJECT
public:
    /// Adds the session actions to `fileMenu` (call it on the empty menu: they come first) and
    /// takes over `window`'s title, its close events and drops of session and .npy files (models
    /// dropped are the model group's, see acceptModelDrops).
    SessionActions(QMainWindow* window, MaskDocument* document, QMenu* fileMenu);

    /// The session file shown, or empty for an untitled session.
    QString currentFile() const { return file_; }
    /// True when the document's parameters or view differ from those last saved or opened.
    bool isModified() const;

    /// File > New: the defaults, untitled (after asking, see maySwitchAway).
    void newSession();
    /// Opens the session at `path` (after asking, see maySwitchAway). A broken file changes
    /// nothing and shows its one-line problem in a message box; returns false then.
    bool openFile(const QString& path);
    /// Shows `session`, read from `path` before the window existed, as the file opened.
    void adopt(const QString& path, const Session& session);
    /// Writes the shown session to `path` and makes it the current file; false (after a message
    /// box) when it cannot be written.
    bool saveTo(const QString& path);
    /// File > Save: to the current file, or as Save As… for an untitled session.
    bool save();
    /// File > Save As…: asks for the file (suffix .maskscope by default).
    bool saveAs();
    /// True when the shown session may be replaced or closed: it is untitled, unmodified, or the
    /// user answered Save (and it was saved) or Discard; false on Cancel.
    bool maySwitchAway();

    /// What a drop of `data` would do: true for one session file, .npy mask file, folder of .npy
    /// inputs; models are left to the model group's own drop handling.
    static bool acceptsDrop(const QMimeData* data);

signals:
    /// The current file or the modified state changed (the title shows both).
    void stateChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildActions(QMenu* fileMenu);
    static QString recentEntryText(const QString& path);
    void fillRecentMenu();
    void show(const Session& session);
    void makeCurrent(const QString& path);
    void updateTitle();
    void remember(const QString& path);
    void openDropped(const QString& path);
    void warn(const QString& text);

    QMainWindow* window_;
    MaskDocument* document_;
    QMenu* recentMenu_ = nullptr;
    QAction* recentEnd_ = nullptr;   // the separator before Clear list: entries go above it
    QAction* clearRecent_ = nullptr;
    RetranslatedTexts texts_;
    QString file_;
    Session saved_; // what was last saved or opened: "modified" compares with it
};

} // namespace maskscope::ui
