// SPDX-License-Identifier: MIT
#include "window/startsession.h"

#include "document/longcontext.h"
#include "document/maskdocument.h"
#include "figure/figurebuilder.h"
#include "window/mainwindow.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace maskscope::ui {

namespace {

const QString kComputingKey = QStringLiteral("session/computing");

} // namespace

QString startRefusal(const ScenarioConfig& config, const FigureRequest& view)
{
    try {
        if (needsLongContextView(config)) {
            buildMaskSpec(config); // reads the mask file; the long-context view needs no more
            return {};
        }
        if (config.usesModel()) {
            checkModelConfig(config); // opens and tokenizes; the forward runs off the GUI thread
            return {};
        }
        const Scenario s = buildScenario(config);
        checkTraceFits(s, figureTraceRequest(view.figureView(), view.figureHead(), 0));
        return {};
    } catch (const InputError& e) {
        return QString::fromStdString(e.what());
    }
}

StartState startStateFromSettings(const std::function<bool()>& startFromDefaults)
{
    const std::optional<ScenarioConfig> saved = MainWindow::savedConfig();
    const bool crashed = ComputingMarker::isSet();
    ComputingMarker::clear();
    if (!saved)
        return {};
    if (crashed && startFromDefaults())
        return {};
    StartState start{*saved, MainWindow::savedView(), {}};
    const QString refusal = startRefusal(start.config, start.view.value_or(FigureRequest{}));
    if (refusal.isEmpty())
        return start;
    return {ScenarioConfig{}, std::nullopt,
            QCoreApplication::translate("StartSession", "The last session's parameters were not restored: %1. "
                                                        "These are the defaults.")
                .arg(refusal)};
}

bool askStartFromDefaults(QWidget* parent)
{
    QMessageBox box(QMessageBox::Warning, QCoreApplication::translate("StartSession", "MaskScope"),
                    QCoreApplication::translate("StartSession",
                                                "MaskScope stopped while it was computing, perhaps because the "
                                                "last parameters need more memory than there is."),
                    QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("startFromDefaultsBox"));
    box.setInformativeText(QCoreApplication::translate("StartSession", "Start from the default parameters?"));
    QPushButton* defaults =
        box.addButton(QCoreApplication::translate("StartSession", "Start from defaults"), QMessageBox::AcceptRole);
    defaults->setObjectName(QStringLiteral("startFromDefaultsButton"));
    QPushButton* last =
        box.addButton(QCoreApplication::translate("StartSession", "Restore the last parameters"), QMessageBox::RejectRole);
    last->setObjectName(QStringLiteral("restoreLastButton"));
    box.setDefaultButton(defaults);
    box.exec();
    return box.clickedButton() == defaults;
}

ComputingMarker::ComputingMarker(MaskDocument* document) : QObject(document)
{
    connect(document, &MaskDocument::computingChanged, this, [](bool computing) {
        QSettings settings;
        if (computing)
            settings.setValue(kComputingKey, true);
        else
            settings.remove(kComputingKey);
        // On disk before the computation allocates: a process killed for memory writes nothing.
        if (computing)
            settings.sync();
    });
}

bool ComputingMarker::isSet()
{
    return QSettings().value(kComputingKey, false).toBool();
}

void ComputingMarker::clear()
{
    QSettings settings;
    settings.remove(kComputingKey);
    settings.sync();
}

} // namespace maskscope::ui
