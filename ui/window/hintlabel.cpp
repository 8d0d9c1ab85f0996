// SPDX-License-Identifier: MIT
#include "window/hintlabel.h"

#include <QApplication>
#include <QLabel>
#include <QPalette>

namespace maskscope::ui {

QColor hintColor()
{
    const QPalette standard = QApplication::palette();
    const QColor text = standard.color(QPalette::WindowText);
    const QColor back = standard.color(QPalette::Window);
    const auto mix = [](int a, int b) { return (a * 7 + b * 3) / 10; };
    return QColor(mix(text.red(), back.red()), mix(text.green(), back.green()), mix(text.blue(), back.blue()));
}

QLabel* hintLabel(const QString& text)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, hintColor());
    label->setPalette(palette);
    return label;
}

} // namespace maskscope::ui
