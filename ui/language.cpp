#include "language.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTranslator>

#include <array>

namespace maskscope::ui {

namespace {

const QString kLanguageKey = QStringLiteral("ui/language");

struct ChoiceName {
    LanguageChoice choice;
    const char* settingsValue;
};
constexpr std::array<ChoiceName, 3> kChoiceNames{{{LanguageChoice::System, "system"},
                                                  {LanguageChoice::English, "en"},
                                                  {LanguageChoice::Chinese, "zh_CN"}}};

// Application-lifetime translators: installTranslator keeps only pointers.
QTranslator& maskScopeTranslator()
{
    static QTranslator translator;
    return translator;
}

QTranslator& qtTranslator()
{
    static QTranslator translator;
    return translator;
}

LanguageChoice& installedChoice()
{
    static LanguageChoice choice = LanguageChoice::System;
    return choice;
}

bool systemIsChinese()
{
    const QStringList languages = QLocale::system().uiLanguages();
    return !languages.isEmpty() && languages.first().startsWith(QLatin1String("zh"));
}

// English has a translation too: the plural forms of its %n texts ("1 row", "2 rows").
QString maskScopeTranslation(LanguageChoice resolved)
{
    return resolved == LanguageChoice::Chinese ? QStringLiteral(":/i18n/maskscope_zh_CN.qm")
                                               : QStringLiteral(":/i18n/maskscope_en.qm");
}

} // namespace

LanguageChoice resolvedLanguage(LanguageChoice choice)
{
    if (choice != LanguageChoice::System)
        return choice;
    return systemIsChinese() ? LanguageChoice::Chinese : LanguageChoice::English;
}

LanguageChoice savedLanguageChoice()
{
    const QString value = QSettings().value(kLanguageKey).toString();
    for (const ChoiceName& n : kChoiceNames)
        if (value == QLatin1String(n.settingsValue))
            return n.choice;
    return LanguageChoice::System;
}

void saveLanguageChoice(LanguageChoice choice)
{
    for (const ChoiceName& n : kChoiceNames)
        if (n.choice == choice)
            QSettings().setValue(kLanguageKey, QString::fromLatin1(n.settingsValue));
}

LanguageChoice currentLanguageChoice()
{
    return installedChoice();
}

bool applyLanguage(LanguageChoice choice)
{
    QCoreApplication::removeTranslator(&maskScopeTranslator());
    QCoreApplication::removeTranslator(&qtTranslator());
    installedChoice() = choice;
    const LanguageChoice resolved = resolvedLanguage(choice);
    if (!maskScopeTranslator().load(maskScopeTranslation(resolved)))
        return false;
    QCoreApplication::installTranslator(&maskScopeTranslator());
    if (resolved == LanguageChoice::Chinese &&
        qtTranslator().load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("qtbase"),
                            QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&qtTranslator());
    return true;
}

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
