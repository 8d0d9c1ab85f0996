// SPDX-License-Identifier: MIT
#pragma once
// The language of the window: English or Simplified Chinese, following the system locale unless
// the user picks one in the Language menu (kept with QSettings). Switching installs MaskScope's
// translator (:/i18n/maskscope_<lang>.qm, from resources/translations/) and Qt's own
// (qtbase_zh_CN.qm from QLibraryInfo::TranslationsPath, for the file dialog, the buttons of
// message boxes, context menus...). Every window then receives QEvent::LanguageChange.

#include <QString>

namespace maskscope::ui {

enum class LanguageChoice {
    System,  ///< Chinese when the system locale's language is zh_* (any region), else English
    English,
    Chinese  ///< Simplified Chinese
};

/// What `choice` means on this system: English or Chinese, never System.
LanguageChoice resolvedLanguage(LanguageChoice choice);

/// The choice kept in QSettings (System when there is none).
LanguageChoice savedLanguageChoice();
void saveLanguageChoice(LanguageChoice choice);

/// The choice installed last (System before any).
LanguageChoice currentLanguageChoice();

/// Replaces the installed translators with those of `choice`. Returns false, leaving the
/// window in English, when MaskScope's translation is missing (Qt's own is optional: without
/// the qt6-translations-l10n package Qt's dialogs stay in English).
bool applyLanguage(LanguageChoice choice);


} // namespace maskscope::ui
