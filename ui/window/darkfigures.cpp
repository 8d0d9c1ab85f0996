// SPDX-License-Identifier: MIT
#include "window/darkfigures.h"

#include <QAction>
#include <QEvent>
#include <QPalette>
#include <QSettings>
#include <QTimer>
#include <QWidget>

namespace maskscope::ui {

namespace {

const QString kDarkKey = QStringLiteral("figure/dark");

} // namespace

bool isDarkPalette(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

DarkFigures::DarkFigures(QWidget* window, QAction* action, bool persist, std::function<void(bool)> apply)
    : QObject(action), window_(window), action_(action), persist_(persist)
{
    action_->setCheckable(true);
    const QSettings settings;
    userChose_ = persist_ && settings.contains(kDarkKey);
    action_->setChecked(userChose_ ? settings.value(kDarkKey).toBool() : isDarkPalette(window_->palette()));
    apply(action_->isChecked());
    connect(action_, &QAction::toggled, this, std::move(apply));
    // triggered, unlike toggled, is only the user's own choice.
    connect(action_, &QAction::triggered, this, [this](bool on) {
        userChose_ = true;
        if (persist_)
            QSettings().setValue(kDarkKey, on);
    });
    window_->installEventFilter(this);
}

bool DarkFigures::eventFilter(QObject* watched, QEvent* event)
{
    const QEvent::Type type = event->type();
    if (watched == window_ && (type == QEvent::PaletteChange || type == QEvent::ApplicationPaletteChange))
        // The window takes the new application palette only after this filter has run.
        QTimer::singleShot(0, this, &DarkFigures::followPalette);
    return QObject::eventFilter(watched, event);
}

void DarkFigures::followPalette()
{
    if (!userChose_)
        action_->setChecked(isDarkPalette(window_->palette()));
}

} // namespace maskscope::ui
