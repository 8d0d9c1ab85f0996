// SPDX-License-Identifier: MIT
#include "window/recentmodels.h"

#include <QFileInfo>
#include <QSettings>

#include <algorithm>

namespace maskscope::ui {

namespace {

const QString kRecentKey = QStringLiteral("model/recent");
const QString kModelKey = QStringLiteral("model");
const QString kTokenizerKey = QStringLiteral("tokenizer");

QString absolute(const QString& path)
{
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}

void store(const QList<RecentModel>& entries)
{
    QSettings settings;
    settings.remove(kRecentKey); // a shorter list must not leave the old tail behind
    settings.beginWriteArray(kRecentKey, static_cast<int>(entries.size()));
    for (int k = 0; k < entries.size(); ++k) {
        settings.setArrayIndex(k);
        settings.setValue(kModelKey, entries[k].model);
        settings.setValue(kTokenizerKey, entries[k].tokenizer);
    }
    settings.endArray();
}

} // namespace

QList<RecentModel> recentModels()
{
    QSettings settings;
    const int size = settings.beginReadArray(kRecentKey);
    QList<RecentModel> entries;
    for (int k = 0; k < size && entries.size() < kMaxRecentModels; ++k) {
        settings.setArrayIndex(k);
        const RecentModel entry{settings.value(kModelKey).toString(), settings.value(kTokenizerKey).toString()};
        // Settings edited by hand (or by another version) must not show twice or empty.
        const bool seen = std::any_of(entries.begin(), entries.end(),
                                      [&](const RecentModel& e) { return e.model == entry.model; });
        if (!entry.model.isEmpty() && !seen)
            entries << entry;
    }
    settings.endArray();
    return entries;
}

void rememberRecentModel(const RecentModel& opened)
{
    const RecentModel entry{absolute(opened.model), absolute(opened.tokenizer)};
    QList<RecentModel> entries = recentModels();
    if (!entries.isEmpty() && entries.front() == entry)
        return;
    entries.removeIf([&](const RecentModel& e) { return e.model == entry.model; });
    entries.prepend(entry);
    while (entries.size() > kMaxRecentModels)
        entries.removeLast();
    store(entries);
}

void clearRecentModels()
{
    QSettings().remove(kRecentKey);
}

QString missingFileOf(const RecentModel& entry)
{
    for (const QString& path : {entry.model, entry.tokenizer})
        if (!path.isEmpty() && !QFileInfo::exists(path))
            return path;
    return {};
}

} // namespace maskscope::ui
