#include "window/languagemenu.h"

#include "figure/language.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QMenu>
#include <QMenuBar>

#include <array>

namespace maskscope::ui {

QMenu* addLanguageMenu(QMenuBar* bar, bool persist)
{
    QMenu* menu = bar->addMenu(QCoreApplication::translate("LanguageMenu", "&Language"));
    auto* group = new QActionGroup(menu);
    // Each language is named in itself, so that it can be found whatever language is shown.
    const std::array<std::pair<LanguageChoice, QString>, 3> entries{{
        {LanguageChoice::System, QCoreApplication::translate("LanguageMenu", "&System language")},
        {LanguageChoice::English, QStringLiteral("English")},
        {LanguageChoice::Chinese, QStringLiteral("\u7B80\u4F53\u4E2D\u6587")}, // 简体中文
    }};
    for (const auto& [choice, text] : entries) {
        QAction* action = menu->addAction(text);
        action->setCheckable(true);
        action->setChecked(choice == currentLanguageChoice());
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, menu, [choice = choice, persist] {
            if (persist)
                saveLanguageChoice(choice);
            applyLanguage(choice);
        });
    }
    return menu;
}

} // namespace maskscope::ui
