// SPDX-License-Identifier: MIT
#include "document/presetlibrary.h"

#include "document/configjson.h"
#include "document/presettexts.h"
#include "document/resources.h"
#include "figure/viewnames.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtDebug>

namespace maskscope::ui {

PresetLibrary::PresetLibrary(const QString& directory)
{
    ensureResources();
    const QDir dir(directory);
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            qWarning("maskscope: cannot read preset %s", qPrintable(name));
            continue;
        }
        try {
            presets_.append(parse(file.readAll()));
        } catch (const InputError& e) {
            qWarning("maskscope: preset %s: %s", qPrintable(name), e.what());
        }
    }
}

Preset PresetLibrary::parse(const QByteArray& json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        throw InputError("not a JSON object: " + error.errorString().toStdString());
    const QJsonObject root = doc.object();
    Preset p;
    // In the language of the window (presettexts.h lists the texts for the translators).
    p.name = QCoreApplication::translate(kPresetTextContext, qUtf8Printable(root.value(QStringLiteral("name")).toString()));
    p.description = QCoreApplication::translate(
        kPresetTextContext, qUtf8Printable(root.value(QStringLiteral("description")).toString()));
    if (p.name.isEmpty())
        throw InputError("preset has no name");
    p.config = configFromJson(root.value(QStringLiteral("config")).toObject());
    if (root.contains(QStringLiteral("view")))
        p.view = viewFromJson(root.value(QStringLiteral("view")).toObject());
    return p;
}

} // namespace maskscope::ui
