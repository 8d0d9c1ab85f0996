// SPDX-License-Identifier: MIT
#include "document/configjson.h"

#include <QJsonArray>

#include <cmath>

namespace maskscope::ui {

namespace {

// A JSON value as the text the command-line option would take.
std::string optionText(const QString& key, const QJsonValue& value)
{
    if (value.isString())
        return value.toString().toStdString();
    const double number = value.toDouble(std::nan(""));
    if (value.isDouble() && number == std::floor(number) && std::abs(number) < 9e15)
        return std::to_string(static_cast<long long>(number));
    if (value.isDouble())
        return QString::number(number, 'g', 17).toStdString();
    throw InputError("preset key '" + key.toStdString() + "' needs a number, a text or a list");
}

std::string listText(const QString& key, const QJsonArray& items)
{
    std::string text;
    for (const QJsonValue& item : items) {
        if (!text.empty())
            text += ',';
        text += optionText(key, item);
    }
    return text;
}

} // namespace

ScenarioConfig configFromJson(const QJsonObject& json)
{
    std::vector<std::string> args;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const std::string option = "--" + QString(it.key()).replace('_', '-').toStdString();
        if (it.value().isBool()) {
            if (it.value().toBool())
                args.push_back(option); // a flag; false is its default
            continue;
        }
        args.push_back(option);
        args.push_back(it.value().isArray() ? listText(it.key(), it.value().toArray())
                                            : optionText(it.key(), it.value()));
    }
    std::vector<std::string> unknown;
    ScenarioConfig config = parseScenarioOptions(args, unknown);
    if (!unknown.empty()) {
        // An unknown key comes back as its option; a value given to a flag (e.g. "causal": 1)
        // comes back as the value alone.
        const std::string& first = unknown.front();
        throw InputError(first.rfind("--", 0) == 0
                             ? "unknown preset key '" + first.substr(2) + "'"
                             : "preset value '" + first + "' belongs to a switch: write true or false");
    }
    return config;
}

} // namespace maskscope::ui
