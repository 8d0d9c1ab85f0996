// SPDX-License-Identifier: MIT
#include "document/sessionfile.h"

#include "figure/viewnames.h"
#include "scenario/options.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <array>
#include <string>
#include <vector>

namespace maskscope::ui {

namespace {

const QString kFormatKey = QStringLiteral("format");
const QString kVersionKey = QStringLiteral("version");
const QString kOptionsKey = QStringLiteral("options");
const QString kViewKey = QStringLiteral("view");
const QString kFormatName = QStringLiteral("maskscope-session");

// The fields of a config that name files or folders: the ones a lesson folder carries along.
std::array<std::string*, 4> pathsOf(ScenarioConfig& config)
{
    return {&config.modelPath, &config.tokenizerPath, &config.loadDir, &config.maskFile};
}

// `path` against `base` when it is relative; empty stays empty ("none").
std::string resolved(const QDir& base, const std::string& path)
{
    if (path.empty())
        return path;
    return QDir::cleanPath(base.absoluteFilePath(QString::fromStdString(path))).toStdString();
}

ScenarioConfig withPathsAgainst(const QDir& base, ScenarioConfig config)
{
    for (std::string* path : pathsOf(config))
        *path = resolved(base, *path);
    return config;
}

// A JSON value as it stands inside the top-level object: indented one level further.
QByteArray nested(const QJsonDocument& value)
{
    QByteArray text = value.toJson(QJsonDocument::Indented).trimmed();
    text.replace('\n', "\n    ");
    return text;
}

QByteArray quoted(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // without the brackets
}

[[noreturn]] void fail(const QString& path, const std::string& problem)
{
    throw InputError(path.toStdString() + ": " + problem);
}

std::string keyName(const QString& key)
{
    // Appended, not "'" + ...: GCC 12 warns falsely (-Wrestrict) about the operator+ of a literal.
    std::string name(1, '\'');
    name += key.toStdString();
    name += '\'';
    return name;
}

void rejectUnknownKeys(const QJsonObject& object, const QStringList& known, const QString& path, const char* where)
{
    for (const QString& key : object.keys())
        if (!known.contains(key))
            fail(path, "unknown key " + keyName(key) + where);
}

QJsonObject topLevelObject(const QByteArray& json, const QString& path)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        fail(path, "not JSON (" + error.errorString().toStdString() + " at offset " + std::to_string(error.offset) + ")");
    if (!document.isObject() || document.object().value(kFormatKey).toString() != kFormatName)
        fail(path, "not a MaskScope session (no \"format\": \"maskscope-session\")");
    return document.object();
}

void checkVersion(const QJsonObject& top, const QString& path)
{
    const QJsonValue version = top.value(kVersionKey);
    const double number = version.toDouble(-1);
    if (!version.isDouble() || number < 1 || number != static_cast<int>(number))
        fail(path, "not a MaskScope session (\"version\" is not a format number)");
    if (number > kSessionFormatVersion)
        fail(path, "written by a newer MaskScope (format " + std::to_string(static_cast<int>(number)) +
                       "); this one reads format " + std::to_string(kSessionFormatVersion));
}

std::vector<std::string> optionArgs(const QJsonObject& top, const QString& path)
{
    const QJsonValue options = top.value(kOptionsKey);
    if (!options.isArray() && !options.isUndefined())
        fail(path, "\"options\" is not a list of command-line arguments");
    std::vector<std::string> args;
    for (const QJsonValue& arg : options.toArray()) {
        if (!arg.isString())
            fail(path, "\"options\" is not a list of command-line arguments");
        args.push_back(arg.toString().toStdString());
    }
    return args;
}

ScenarioConfig configOf(const QJsonObject& top, const QString& path)
{
    std::vector<std::string> unknown;
    ScenarioConfig config;
    try {
        config = parseScenarioOptions(optionArgs(top, path), unknown);
    } catch (const InputError& e) {
        fail(path, e.what());
    }
    if (!unknown.empty())
        fail(path, "unknown option '" + unknown.front() + "'");
    return withPathsAgainst(QFileInfo(path).absoluteDir(), config);
}

FigureRequest viewOf(const QJsonObject& top, const QString& path)
{
    const QJsonValue view = top.value(kViewKey);
    if (view.isUndefined())
        return {};
    if (!view.isObject())
        fail(path, "\"view\" is not an object");
    rejectUnknownKeys(view.toObject(), viewToJson(FigureRequest{}).keys(), path, " in the view");
    try {
        return viewFromJson(view.toObject());
    } catch (const InputError& e) {
        fail(path, std::string("view: ") + e.what());
    }
}

} // namespace

QByteArray sessionJson(const Session& session)
{
    QStringList options;
    for (const std::string& arg : scenarioOptionArgs(withPathsAgainst(QDir::current(), session.config)))
        options << QString::fromStdString(arg);
    QByteArray text = "{\n";
    text += "    " + quoted(kFormatKey) + ": " + quoted(kFormatName) + ",\n";
    text += "    " + quoted(kVersionKey) + ": " + QByteArray::number(kSessionFormatVersion) + ",\n";
    text += "    " + quoted(kOptionsKey) + ": " + nested(QJsonDocument(QJsonArray::fromStringList(options))) + ",\n";
    text += "    " + quoted(kViewKey) + ": " + nested(QJsonDocument(viewToJson(session.view))) + "\n";
    text += "}\n";
    return text;
}

Session parseSessionJson(const QByteArray& json, const QString& path)
{
    const QJsonObject top = topLevelObject(json, path);
    checkVersion(top, path); // first: a newer format may have any other keys
    rejectUnknownKeys(top, {kFormatKey, kVersionKey, kOptionsKey, kViewKey}, path, "");
    Session session;
    session.config = configOf(top, path);
    session.view = viewOf(top, path);
    return session;
}

Session readSessionFile(const QString& path)
{
    QFile file(path);
    if (QFileInfo(path).isDir())
        fail(path, "cannot read: it is a folder");
    if (!file.open(QIODevice::ReadOnly))
        fail(path, "cannot read: " + file.errorString().toStdString());
    return parseSessionJson(file.readAll(), path);
}

QString writeSessionFile(const QString& path, const Session& session)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(sessionJson(session)) < 0 || !file.commit())
        return QStringLiteral("%1: cannot write: %2").arg(path, file.errorString());
    return {};
}

} // namespace maskscope::ui
