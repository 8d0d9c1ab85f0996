// SPDX-License-Identifier: MIT
#pragma once
// The built-in presets: the classic masking situations a teacher walks through, stored as JSON
// in resources/presets/ and compiled into the program (maskscope.qrc).

#include "scenario/scenario.h"
#include "figure/figurerequest.h"

#include <QList>
#include <QString>

#include <optional>

namespace maskscope::ui {

struct Preset {
    QString name;
    QString description;
    ScenarioConfig config;
    std::optional<FigureRequest> view; ///< what to show first, if the preset says
};

class PresetLibrary {
public:
    /// Reads every preset under `directory` (a resource path by default), in file-name order.
    /// A file that does not parse is skipped with a warning on stderr: presets are our own data.
    explicit PresetLibrary(const QString& directory = QStringLiteral(":/presets"));

    const QList<Preset>& presets() const { return presets_; }

    /// Parses one preset; throws InputError naming the problem.
    static Preset parse(const QByteArray& json);

private:
    QList<Preset> presets_;
};

} // namespace maskscope::ui
