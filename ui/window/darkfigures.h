// SPDX-License-Identifier: MIT
#pragma once
// View → Dark figures follows the desktop: dark when the window's palette is dark, following
// palette changes while the program runs, until the user chooses in the menu; from then on
// their choice stands (and, when settings persist, in later sessions too).

#include <QObject>

#include <functional>

class QAction;
class QPalette;
class QWidget;

namespace maskscope::ui {

/// True for a dark palette: window background lighter than its text is light, the reverse dark.
bool isDarkPalette(const QPalette& palette);

class DarkFigures : public QObject {
    Q_OBJECT
public:
    /// Makes the checkable `action` the dark-figures switch of `window`: `apply(dark)` is called
    /// now and on every change. The user's choice is read from and saved under the QSettings key
    /// figure/dark when `persist`. Owned by `action`.
    DarkFigures(QWidget* window, QAction* action, bool persist, std::function<void(bool)> apply);

    /// True once the user chose in the menu (this session, or a saved one): the palette no
    /// longer decides.
    bool userChose() const { return userChose_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void followPalette();

    QWidget* window_;
    QAction* action_;
    bool persist_;
    bool userChose_ = false;
};

} // namespace maskscope::ui
