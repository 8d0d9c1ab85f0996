// SPDX-License-Identifier: MIT
#pragma once
// The parameters a learner sets, grouped as they would explain them: the sequence, padding,
// the mask rules, the model, and presets of the classic cases. Each control edits one field
// of the document's config; the panel follows the document when it changes from elsewhere.

#include "document/presetlibrary.h"
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
class QSlider;
class QSpinBox;

namespace maskscope::ui {

class MaskDocument;
class ModelGroup;

class ControlPanel : public QWidget {
    Q_OBJECT
public:
    explicit ControlPanel(MaskDocument* document, QWidget* parent = nullptr);

    /// Applies the preset of this index (in PresetLibrary order).
    void applyPreset(int index);
    /// The presets, named in the language shown.
    const PresetLibrary& presets() const { return presets_; }
    /// The group that opens a real checkpoint (the window opens dropped ones through it).
    ModelGroup* modelGroup() const { return modelGroup_; }

signals:
    /// The language changed: presets() has new names and descriptions.
    void presetsRetranslated();
    /// applyPreset() has set the document to the preset called `name` (its last change).
    void presetApplied(const QString& name);

protected:
    void changeEvent(QEvent* event) override;

private:
    /// Sets every text again in the language now installed; the controls keep their values.
    void retranslateUi();
    void retranslateValidLengthRow(int item);
    QGroupBox* makePresetGroup();
    QGroupBox* makeSequenceGroup();
    QGroupBox* makePaddingGroup();
    QGroupBox* makeMaskGroup();
    QGroupBox* makeModelGroup();
    QWidget* makeLoadedBanner();
    QSpinBox* addSliderRow(QFormLayout* form, const std::function<QString()>& label, const QString& name,
                           int maximum, QSlider** sliderOut);

    void edit(const std::function<void(ScenarioConfig&)>& change);
    void syncFromDocument();
    void syncSequence(const ScenarioConfig& c);
    void syncPadding(const ScenarioConfig& c);
    void syncMaskAndModel(const ScenarioConfig& c);
    void syncFillFormat(const ScenarioConfig& c); // the fill menu in the lab's number format
    void rebuildValidLengthRows(int count);
    void updateHints();
    /// Disables, with a tooltip that says why, the controls a real model decides.
    void syncDecidedByModel(const ScenarioConfig& c);
    void syncPresetChoice();
    void showError(const QString& error);

    void setSeqLen(int length);
    void setPaddingEnabled(bool on);
    void setBatchSize(int count);
    void setValidLength(int item, int length);
    void setFillFromControls();

    MaskDocument* document_;
    PresetLibrary presets_;
    RetranslatedTexts texts_;

    QComboBox* presetCombo_ = nullptr;
    QLabel* presetDescription_ = nullptr;
    QSlider* seqLenSlider_ = nullptr;
    QSpinBox* seqLenSpin_ = nullptr;
    QCheckBox* crossCheck_ = nullptr;
    QSlider* queryLenSlider_ = nullptr;
    QSpinBox* queryLenSpin_ = nullptr;
    QLabel* crossHint_ = nullptr;
    QLineEdit* tokensEdit_ = nullptr;
    QSpinBox* batchSpin_ = nullptr;
    QCheckBox* paddingCheck_ = nullptr;
    QComboBox* padSideCombo_ = nullptr;
    QWidget* validLensBox_ = nullptr;
    QFormLayout* validLensForm_ = nullptr;
    std::vector<QSpinBox*> validLenSpins_;
    std::vector<QLabel*> padCountLabels_;
    QLabel* moreItemsLabel_ = nullptr;
    QCheckBox* causalCheck_ = nullptr;
    QComboBox* fillCombo_ = nullptr;
    QDoubleSpinBox* fillValueSpin_ = nullptr;
    QLabel* fillHint_ = nullptr; // what the fill becomes in the number format, when it surprises
    QSpinBox* headsSpin_ = nullptr;
    QSpinBox* dModelSpin_ = nullptr;
    QLabel* headDimLabel_ = nullptr;
    QSpinBox* seedSpin_ = nullptr;
    QWidget* loadedBanner_ = nullptr;
    QLabel* loadedLabel_ = nullptr;
    QLabel* errorLabel_ = nullptr;
    std::vector<QWidget*> syntheticOnly_; // disabled while the inputs come from files
    std::vector<QWidget*> modelDecides_;  // disabled while a real model runs
    ModelGroup* modelGroup_ = nullptr;
    bool syncing_ = false; // true while the controls are being set from the document (syncFromDocument)
};

} // namespace maskscope::ui
