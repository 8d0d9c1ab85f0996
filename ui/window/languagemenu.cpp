// SPDX-License-Identifier: MIT
#include "window/languagemenu.h"

#include "figure/language.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QEvent>
#include <QMenu>
#include <QMenuBar>

#include <array>

namespace maskscope::ui {

namespace {

// The menu names itself again, and checks the language now installed, on every language change
// (whether made here or elsewhere).
class LanguageMenu : public QMenu {
public:
    LanguageMenu(bool persist, QWidget* parent) : QMenu(parent)
    {
        auto* group = new QActionGroup(this);
        // Each language is named in itself, so that it can be found whatever language is shown.
        const std::array<std::pair<LanguageChoice, QString>, 3> entries{{
            {LanguageChoice::System, QString()},
            {LanguageChoice::English, QStringLiteral("English")},
            {LanguageChoice::Chinese, QStringLiteral("\u7B80\u4F53\u4E2D\u6587")}, // 简体中文
        }};
        for (const auto& [choice, text] : entries) {
            QAction* action = addAction(text);
            action->setCheckable(true);
            group->addAction(action);
            connect(action, &QAction::triggered, this, [choice = choice, persist] {
                if (persist)
                    saveLanguageChoice(choice);
                applyLanguage(choice);
            });
            choices_[static_cast<size_t>(choice)] = action;
        }
        retranslateUi();
    }

protected:
    void changeEvent(QEvent* event) override
    {
        if (event->type() == QEvent::LanguageChange)
            retranslateUi();
        QMenu::changeEvent(event);
    }

private:
    void retranslateUi()
    {
        setTitle(QCoreApplication::translate("LanguageMenu", "&Language"));
        choices_[static_cast<size_t>(LanguageChoice::System)]->setText(
            QCoreApplication::translate("LanguageMenu", "&System language"));
        choices_[static_cast<size_t>(currentLanguageChoice())]->setChecked(true);
    }

    std::array<QAction*, 3> choices_{}; // by LanguageChoice
};

} // namespace

QMenu* addLanguageMenu(QMenuBar* bar, bool persist)
{
    auto* menu = new LanguageMenu(persist, bar);
    bar->addMenu(menu);
    return menu;
}

} // namespace maskscope::ui
