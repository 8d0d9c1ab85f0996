// SPDX-License-Identifier: MIT
#include "figure/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
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

} // namespace maskscope::ui
