// SPDX-License-Identifier: MIT
// The Mask rules tab's group for the rules of today's models: attention sinks, block-causal,
// bidirectional spans, draft trees, 2-D neighbourhoods, sink logits and grouped K/V heads. The
// text fields are read and written by the option table's own entries (scenario/options.h), so
// the window accepts exactly what the command line accepts.
#include "window/rulespanel.h"

#include "document/maskdocument.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace maskscope::ui {

namespace {

const Option<ScenarioConfig>& optionNamed(const char* name)
{
    const Option<ScenarioConfig>* option = scenarioOptionTable().find(name, ForWindow);
    Q_ASSERT(option);
    return *option;
}

} // namespace

QString optionValueText(const ScenarioConfig& c, const char* option)
{
    std::vector<std::string> args;
    OptionArgs out(option, args);
    optionNamed(option).write(c, out);
    return args.size() == 2 ? QString::fromStdString(args[1]) : QString();
}

QLineEdit* RulesPanel::addOptionEdit(QFormLayout* form, const Text& label, const char* option,
                                     const QString& placeholder, const Text& tip,
                                     const std::function<void(ScenarioConfig&)>& clear)
{
    auto* edit = new QLineEdit;
    edit->setObjectName(QString::fromLatin1(option + 2) + QStringLiteral("Edit"));
    edit->setPlaceholderText(placeholder);
    texts_.bind(edit, &QWidget::setToolTip, tip);
    QLabel* error = new QLabel;
    error->setWordWrap(true);
    error->setObjectName(QString::fromLatin1(option + 2) + QStringLiteral("Error"));
    QPalette palette = error->palette();
    palette.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    error->setPalette(palette);
    error->hide();
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, error, option, clear] {
        ScenarioConfig candidate = document_->config();
        const std::string text = edit->text().trimmed().toStdString();
        try {
            clear(candidate);
            if (!text.empty())
                optionNamed(option).parse(candidate, text, option);
            buildMaskSpec(candidate); // checks the rule against the lengths before the document takes it
        } catch (const InputError& e) {
            error->setText(QString::fromStdString(e.what()));
            error->show();
            return;
        }
        error->hide();
        this->edit([&candidate](ScenarioConfig& c) { c = candidate; });
    });
    texts_.addRow(form, label, edit);
    form->addRow(error);
    optionEdits_.push_back({edit, error, option});
    return edit;
}

QGroupBox* RulesPanel::makeModernGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle,
                              [] { return tr("Sinks, blocks, spans, trees and grids"); });
    group->setObjectName(QStringLiteral("modernRulesGroup"));
    auto* form = new QFormLayout(group);
    sinkSpin_ = addSpin(form, [] { return tr("Attention sinks S"); }, QStringLiteral("sinkSpin"), 0, [] {
        return tr("Keys j < S stay visible to every query at or after them, whatever the window says "
                  "(StreamingLLM; with causal and a window W,0 this is the streaming mask)");
    }, [](ScenarioConfig& c, int v) { c.rules.sink = v; });
    texts_.bind(sinkSpin_, &QAbstractSpinBox::setSpecialValueText, [] { return tr("none"); });
    blockCausalSpin_ = addSpin(form, [] { return tr("Block-causal B"); }, QStringLiteral("blockCausalSpin"), 0, [] {
        return tr("Both ways inside blocks of B positions, causal across blocks: j is seen when "
                  "\u230Aj/B\u230B \u2264 \u230Ai\u2032/B\u230B (block diffusion, chunked prefill)");
    }, [](ScenarioConfig& c, int v) { c.rules.blockCausal = v; });
    texts_.bind(blockCausalSpin_, &QAbstractSpinBox::setSpecialValueText, [] { return tr("off"); });
    addOptionEdit(form, [] { return tr("Bidirectional spans"); }, "--bidirectional", QStringLiteral("2:5,9:12"), [] {
        return tr("Inside each span a:b (a \u2264 p < b) queries and keys see each other both ways, on top "
                  "of the other rules (Gemma 3's image tokens)");
    }, [](ScenarioConfig& c) { c.rules.bidirectional.clear(); });
    addOptionEdit(form, [] { return tr("Draft tree parents"); }, "--tree", QStringLiteral("-1,0,0,1"), [] {
        return tr("The last N positions are draft nodes; node k's parent is p_k (an earlier node, or -1 "
                  "for the prefix). A node sees the prefix, itself and its ancestors (Medusa, EAGLE)");
    }, [](ScenarioConfig& c) { c.rules.tree.clear(); });
    addOptionEdit(form, [] { return tr("2-D neighbourhood"); }, "--neighborhood", QStringLiteral("4,4,3,3"), [] {
        return tr("H,W,KH,KW: the H\u00D7W tokens form a grid, row by row; each query sees the KH\u00D7KW "
                  "keys around it, the kernel kept inside the grid (NATTEN; odd kernel sizes)");
    }, [](ScenarioConfig& c) { c.rules.neighborhood = Neighborhood{}; });
    addOptionEdit(form, [] { return tr("Sink logit"); }, "--sink-logit", QStringLiteral("0.5"), [] {
        return tr("An extra softmax column of this logit, dropped afterwards (gpt-oss): rows sum to less "
                  "than 1, and a row without an allowed key gets 0 instead of NaN. One value, or one per head");
    }, [](ScenarioConfig& c) { c.scoreModifiers.sinkLogits.clear(); });
    kvHeadsSpin_ = addSpin(form, [] { return tr("Key/value heads"); }, QStringLiteral("kvHeadsSpin"), 0, [] {
        return tr("Grouped-query attention: the query heads share this many key/value heads, in "
                  "consecutive groups (repeat_interleave); it must divide the heads");
    }, [](ScenarioConfig& c, int v) { c.kvHeads = v > 0 ? std::optional<int>(v) : std::nullopt; });
    texts_.bind(kvHeadsSpin_, &QAbstractSpinBox::setSpecialValueText, [] { return tr("one per head"); });
    return group;
}

void RulesPanel::syncModernGroup(const ScenarioConfig& c, int keyLen)
{
    setSpinValue(sinkSpin_, keyLen, c.rules.sink);
    setSpinValue(blockCausalSpin_, keyLen, c.rules.blockCausal);
    setSpinValue(kvHeadsSpin_, c.heads, c.kvHeads.value_or(0));
    for (const OptionEdit& e : optionEdits_)
        if (!(e.edit->hasFocus() && e.error->isVisible())) { // text being typed that does not fit stays
            e.edit->setText(optionValueText(c, e.option));
            e.error->hide();
        }
}

} // namespace maskscope::ui
