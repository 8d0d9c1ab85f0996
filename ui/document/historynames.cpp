// SPDX-License-Identifier: MIT
#include "document/historynames.h"

#include "figure/viewnames.h"
#include "scenario/options.h"

#include <QCoreApplication>

#include <algorithm>
#include <iterator>

namespace maskscope::ui {

namespace {

constexpr const char* kContext = "DocumentHistory";
constexpr const char* kOtherSettings = "settings"; // a config change that no option writes

struct SettingLabel {
    const char* setting; // an option of the scenario's table, or a key of viewToJson
    const char* label;
};

// The names the window's controls use for these settings, short enough for "Undo <name>".
constexpr SettingLabel kLabels[] = {
    {"--seq-len", QT_TRANSLATE_NOOP("DocumentHistory", "Length")},
    {"--query-len", QT_TRANSLATE_NOOP("DocumentHistory", "Query length")},
    {"--batch", QT_TRANSLATE_NOOP("DocumentHistory", "Batch size")},
    {"--valid-lens", QT_TRANSLATE_NOOP("DocumentHistory", "Sentence lengths")},
    {"--pad-side", QT_TRANSLATE_NOOP("DocumentHistory", "Pad side")},
    {"--causal", QT_TRANSLATE_NOOP("DocumentHistory", "Causal")},
    {"--heads", QT_TRANSLATE_NOOP("DocumentHistory", "Heads")},
    {"--kv-heads", QT_TRANSLATE_NOOP("DocumentHistory", "Key/value heads")},
    {"--d-model", QT_TRANSLATE_NOOP("DocumentHistory", "Model width d_model")},
    {"--seed", QT_TRANSLATE_NOOP("DocumentHistory", "Seed")},
    {"--fill", QT_TRANSLATE_NOOP("DocumentHistory", "Blocked-cell value")},
    {"--tokens", QT_TRANSLATE_NOOP("DocumentHistory", "Words")},
    {"--load", QT_TRANSLATE_NOOP("DocumentHistory", "Inputs folder")},
    {"--causal-align", QT_TRANSLATE_NOOP("DocumentHistory", "Causal alignment")},
    {"--window", QT_TRANSLATE_NOOP("DocumentHistory", "Window")},
    {"--dilation", QT_TRANSLATE_NOOP("DocumentHistory", "Dilation")},
    {"--prefix", QT_TRANSLATE_NOOP("DocumentHistory", "Prefix-LM")},
    {"--segments", QT_TRANSLATE_NOOP("DocumentHistory", "Document lengths")},
    {"--chunk", QT_TRANSLATE_NOOP("DocumentHistory", "Chunk size")},
    {"--global", QT_TRANSLATE_NOOP("DocumentHistory", "Global tokens")},
    {"--sink", QT_TRANSLATE_NOOP("DocumentHistory", "Sink tokens")},
    {"--block-causal", QT_TRANSLATE_NOOP("DocumentHistory", "Block-causal")},
    {"--bidirectional", QT_TRANSLATE_NOOP("DocumentHistory", "Bidirectional spans")},
    {"--tree", QT_TRANSLATE_NOOP("DocumentHistory", "Draft tree")},
    {"--neighborhood", QT_TRANSLATE_NOOP("DocumentHistory", "2-D neighbourhood")},
    {"--layer-pattern", QT_TRANSLATE_NOOP("DocumentHistory", "Layer pattern")},
    {"--toggle", QT_TRANSLATE_NOOP("DocumentHistory", "Painted cells")},
    {"--mask-file", QT_TRANSLATE_NOOP("DocumentHistory", "Mask file")},
    {"--alibi", QT_TRANSLATE_NOOP("DocumentHistory", "ALiBi bias")},
    {"--softcap", QT_TRANSLATE_NOOP("DocumentHistory", "Soft-cap")},
    {"--sink-logit", QT_TRANSLATE_NOOP("DocumentHistory", "Sink logit")},
    {"--block", QT_TRANSLATE_NOOP("DocumentHistory", "Block size")},
    {"--bug", QT_TRANSLATE_NOOP("DocumentHistory", "Mistakes")},
    {"--dtype", QT_TRANSLATE_NOOP("DocumentHistory", "Number format")},
    {"--blocked-rows", QT_TRANSLATE_NOOP("DocumentHistory", "Fully blocked rows")},
    {"--mask-apply", QT_TRANSLATE_NOOP("DocumentHistory", "Mask application")},
    {"--model", QT_TRANSLATE_NOOP("DocumentHistory", "Model")},
    {"--tokenizer", QT_TRANSLATE_NOOP("DocumentHistory", "Tokenizer")},
    {"--text", QT_TRANSLATE_NOOP("DocumentHistory", "Sentences")},
    {"--layer", QT_TRANSLATE_NOOP("DocumentHistory", "Layer")},
    {"matrix", QT_TRANSLATE_NOOP("DocumentHistory", "Shown matrix")},
    {"layout", QT_TRANSLATE_NOOP("DocumentHistory", "Layout")},
    {"head", QT_TRANSLATE_NOOP("DocumentHistory", "Head")},
    {"batch_item", QT_TRANSLATE_NOOP("DocumentHistory", "Batch item")},
    {"compare_fixed", QT_TRANSLATE_NOOP("DocumentHistory", "Before/after")},
    {kOtherSettings, QT_TRANSLATE_NOOP("DocumentHistory", "Settings")},
};

// The arguments one option writes for `config` (none at its default).
std::vector<std::string> writtenBy(const Option<ScenarioConfig>& option, const ScenarioConfig& config)
{
    std::vector<std::string> args;
    OptionArgs out(option.name, args);
    option.write(config, out);
    return args;
}

void addChangedOptions(std::vector<std::string>& out, const ScenarioConfig& a, const ScenarioConfig& b)
{
    if (a == b)
        return;
    const std::size_t before = out.size();
    for (const Option<ScenarioConfig>& option : scenarioOptionTable().options())
        if (option.write && writtenBy(option, a) != writtenBy(option, b))
            out.emplace_back(option.name);
    if (out.size() == before)
        out.emplace_back(kOtherSettings);
}

void addChangedViewFields(std::vector<std::string>& out, const FigureRequest& a, const FigureRequest& b)
{
    const QJsonObject jsonA = viewToJson(a), jsonB = viewToJson(b);
    for (auto it = jsonA.begin(); it != jsonA.end(); ++it)
        if (it.value() != jsonB.value(it.key()))
            out.push_back(it.key().toStdString());
}

} // namespace

std::vector<std::string> changedSettings(const DocumentSnapshot& a, const DocumentSnapshot& b)
{
    std::vector<std::string> settings;
    addChangedOptions(settings, a.config, b.config);
    addChangedViewFields(settings, a.view, b.view);
    return settings;
}

QString settingLabel(const std::string& setting)
{
    const auto known = std::find_if(std::begin(kLabels), std::end(kLabels),
                                    [&](const SettingLabel& l) { return setting == l.setting; });
    if (known == std::end(kLabels))
        return QString::fromStdString(setting);
    return QCoreApplication::translate(kContext, known->label);
}

QString changeLabel(const std::vector<std::string>& settings)
{
    if (settings.empty())
        return QString();
    QString label = settingLabel(settings[0]);
    if (settings.size() > 1)
        label = QCoreApplication::translate("DocumentHistory", "%1, %2").arg(label, settingLabel(settings[1]));
    return settings.size() > 2 ? label + QStringLiteral("\u2026") : label;
}

} // namespace maskscope::ui
