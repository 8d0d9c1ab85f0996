// SPDX-License-Identifier: MIT
#pragma once
// The pitfall lab: one switch per classic mask mistake of the source documents (with where it
// comes from, what it does and the one-line fix), the before/after toggle, the batched
// generation case (left vs right padding with a causal mask), and the settings that decide
// the numbers — number format, what a row without an allowed key returns, add or replace.
// Every control edits the document's config().pitfalls (or view().compareFixed); the panel
// follows the document when it changes from elsewhere.

#include "scenario/scenario.h"
#include "window/retranslation.h"

#include <QWidget>

#include <array>
#include <functional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;

namespace maskscope::ui {

class MaskDocument;

class PitfallPanel : public QWidget {
    Q_OBJECT
public:
    explicit PitfallPanel(MaskDocument* document, QWidget* parent = nullptr);

    /// The one line of Python that fixes a mistake (code: never translated).
    static const char* fixLine(Pitfall p);

    /// Sets up the batched-generation case: causal, two prompts of 6 and 3 tokens padded on
    /// `side`, the shorter one shown. Left padding gives it rows with no allowed key.
    void setUpBatchedGeneration(PadSide side);

protected:
    void changeEvent(QEvent* event) override;

private:
    /// Sets every text again in the language now installed; the controls keep their values.
    void retranslateUi();
    QWidget* makeIntro();
    QGroupBox* makeMistakesGroup();
    QGroupBox* makeGenerationGroup();
    QGroupBox* makeSettingsGroup();
    QComboBox* addChoice(QGroupBox* group, const std::function<QString()>& label, const QString& name,
                         const std::function<QStringList()>& titles, QLabel** paragraph);

    void edit(const std::function<void(ScenarioConfig&)>& change);
    void setMistake(Pitfall p, bool on);
    void setCompare(bool on);
    void syncFromDocument();
    void syncOutcome();

    struct MistakeRow {
        QCheckBox* check = nullptr;
        QLabel* paragraph = nullptr; // shown while the mistake is on
    };

    MaskDocument* document_;
    RetranslatedTexts texts_;
    std::array<MistakeRow, kPitfallCount> mistakes_;
    QCheckBox* compare_ = nullptr;
    QLabel* compareHint_ = nullptr;
    QComboBox* format_ = nullptr;
    QComboBox* blockedRows_ = nullptr;
    QComboBox* maskApply_ = nullptr;
    QLabel* formatText_ = nullptr;
    QLabel* blockedRowsText_ = nullptr;
    QLabel* maskApplyText_ = nullptr;
    QLabel* outcome_ = nullptr; // what the lab did to the current result
    bool syncing_ = false;
};

} // namespace maskscope::ui
