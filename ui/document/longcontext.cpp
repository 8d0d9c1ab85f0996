// SPDX-License-Identifier: MIT
#include "document/longcontext.h"

#include "figure/figurebuilder.h"

#include <QCoreApplication>

#include <algorithm>

namespace maskscope::ui {

bool needsLongContextView(const ScenarioConfig& config)
{
    return config.loadDir.empty() &&
           static_cast<long long>(config.effectiveQueryLen()) * config.effectiveSeqLen() > kMaxMatrixFigureCells;
}

std::size_t viewMatricesBytes(const ScenarioConfig& config, const FigureRequest& view)
{
    const bool oneHead = view.layout == Layout::SingleHead || view.layout == Layout::Pipeline;
    TraceRequest r = figureTraceRequest(view.figureView() == ViewKind::Mask ? ViewKind::Weights : view.figureView(),
                                        oneHead ? view.head : kAllHeads, 0);
    return traceBytes(1, config.heads, config.effectiveQueryLen(), config.effectiveSeqLen(),
                      config.effectiveDModel(), r, sizeof(float), config.scoreModifiers.active());
}

void fillLongContextResult(TraceResult& r, const ScenarioConfig& config, const FigureRequest& view)
{
    auto scenario = std::make_shared<Scenario>();
    scenario->config = config;
    scenario->mask = buildMaskSpec(config);
    std::get<AttentionInputs<float>>(scenario->inputs).heads = config.heads; // sizes for the status
    r.scenario = scenario;
    r.view = view;
    r.view.batchItem = std::clamp(view.batchItem, 0, scenario->mask.batch - 1);
    r.view.head = std::clamp(view.head, 0, config.heads - 1);
    r.longContext = true;
    r.longContextNote =
        QCoreApplication::translate("LongContext",
                                    "%1 queries \u00D7 %2 keys: logits and weights would need %3, so only the "
                                    "mask is shown, drawn from the rules at screen resolution.")
            .arg(scenario->mask.queryLen)
            .arg(scenario->mask.keyLen)
            .arg(QString::fromStdString(formatBytes(viewMatricesBytes(config, view))));
}

} // namespace maskscope::ui
