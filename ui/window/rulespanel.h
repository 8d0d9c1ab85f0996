// SPDX-License-Identifier: MIT
#pragma once
// The mask rules beyond causal and padding (issue 5): causal alignment, sliding window,
// dilation, prefix-LM, documents, chunks, global tokens, a mask file, cells painted by hand and
// the block size of the block-sparsity figures; and, kept apart because they change logits
// rather than which keys are allowed, the score modifiers (ALiBi, tanh soft-capping); and the
// rules of today's models (issue 13: sinks, block-causal, bidirectional spans, draft trees,
// 2-D neighbourhoods, sink logits, grouped K/V heads).
// Each control edits one field of the document's config; the panel follows the document.

#include "scenario/scenario.h"
#include "window/retranslation.h"

#include <QWidget>

#include <functional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace maskscope::ui {

class MaskDocument;

/// Keeps the rules of `c` possible after its lengths changed: prefix, global and sink tokens at
/// most the key length, document lengths cut or extended (the last one) to sum to it,
/// bidirectional spans cut to it, a tree longer than it or a grid that does not tile it dropped,
/// toggled cells inside the matrix. Does nothing while the inputs come from files (their sizes are not known).
void fitRulesToLengths(ScenarioConfig& c);

/// Which rules are on, e.g. "causal (bottom-right) · window 2 left, 0 right · 3 custom cells";
/// says so when none is.
QString rulesSummary(const ScenarioConfig& c);
/// Which score modifiers are on ("ALiBi · soft-cap 30"), or that none is.
QString modifiersSummary(const ScenarioConfig& c);

/// The value `option` (an entry of the scenario's option table, e.g. "--tree") writes for `c`,
/// or "" when c holds its default: the text a field of the option shows.
QString optionValueText(const ScenarioConfig& c, const char* option);

/// Sets `spin` to `value`, raising its maximum to `maximum` (or to the value, if larger).
void setSpinValue(QSpinBox* spin, int maximum, int value);

class RulesPanel : public QWidget {
    Q_OBJECT
public:
    explicit RulesPanel(MaskDocument* document, QWidget* parent = nullptr);

    /// True when a click or drag on the mask view toggles cells.
    bool paintsCells() const;
    /// Uses the bool .npy at `path` as the mask file if it fits the current lengths; otherwise
    /// says why inline and leaves the document unchanged. Returns whether it was taken.
    bool setMaskFile(const QString& path);

signals:
    void paintModeChanged(bool on);

protected:
    void changeEvent(QEvent* event) override;

private:
    using Text = std::function<QString()>; // a tr() text, asked again on a language change

    /// Sets every text again in the language now installed; the controls keep their values.
    void retranslateUi();
    void showError(const QString& error);
    QGroupBox* makeStructureGroup();
    QGroupBox* makeDocumentsGroup();
    QGroupBox* makeCellsGroup();
    QGroupBox* makeModifiersGroup();
    QGroupBox* makeModernGroup(); // modernrules.cpp
    void syncModernGroup(const ScenarioConfig& c, int keyLen);
    /// A text field read and written by the option table's entry `option` ("--tree"); `clear`
    /// resets its field when the text is empty. A text the option refuses is said inline.
    QLineEdit* addOptionEdit(QFormLayout* form, const Text& label, const char* option,
                             const QString& placeholder, const Text& tip,
                             const std::function<void(ScenarioConfig&)>& clear);
    QSpinBox* addSpin(QFormLayout* form, const Text& label, const QString& name, int minimum,
                      const Text& tip, const std::function<void(ScenarioConfig&, int)>& set);

    void edit(const std::function<void(ScenarioConfig&)>& change);
    void syncFromDocument();
    void syncLimits(const ScenarioConfig& c);
    void setSegmentsFromText(const QString& text);
    void openMaskFile();
    void setSoftcapFromControls();

    MaskDocument* document_;
    RetranslatedTexts texts_;
    QLabel* summary_ = nullptr;
    QComboBox* alignCombo_ = nullptr;
    QLabel* alignHint_ = nullptr;
    QSpinBox* windowLeftSpin_ = nullptr;
    QSpinBox* windowRightSpin_ = nullptr;
    QSpinBox* dilationSpin_ = nullptr;
    QSpinBox* prefixSpin_ = nullptr;
    QLineEdit* segmentsEdit_ = nullptr;
    QLabel* segmentsError_ = nullptr;
    QSpinBox* chunkSpin_ = nullptr;
    QCheckBox* withinCausalCheck_ = nullptr;
    QSpinBox* globalSpin_ = nullptr;
    QLabel* maskFileLabel_ = nullptr;
    QLabel* maskFileError_ = nullptr;
    QPushButton* maskFileClear_ = nullptr;
    QLabel* toggledLabel_ = nullptr;
    QPushButton* clearToggled_ = nullptr;
    QCheckBox* paintCheck_ = nullptr;
    QSpinBox* blockSpin_ = nullptr;
    QCheckBox* alibiCheck_ = nullptr;
    QCheckBox* softcapCheck_ = nullptr;
    QDoubleSpinBox* softcapSpin_ = nullptr;
    QLabel* modifiersSummary_ = nullptr;
    QSpinBox* sinkSpin_ = nullptr;
    QSpinBox* blockCausalSpin_ = nullptr;
    QSpinBox* kvHeadsSpin_ = nullptr;
    struct OptionEdit {
        QLineEdit* edit;
        QLabel* error;
        const char* option;
    };
    std::vector<OptionEdit> optionEdits_;
    QLabel* documentError_ = nullptr; // why the document refused the current rules
    bool syncing_ = false; // true while the controls are being set from the document
};

} // namespace maskscope::ui
