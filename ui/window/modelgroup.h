// SPDX-License-Identifier: MIT
#pragma once
// The Parameters panel's "Real model" group (issue 10): open a checkpoint (or one of the recent
// ones), type the sentences it reads (one per batch item), choose the layer shown, or go back to
// synthetic inputs; while a model loads or computes, a progress bar and a Cancel. Like every
// control of the panel it only edits the document's config and follows the document.

#include "window/retranslation.h"

#include <QGroupBox>

class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace maskscope::ui {

class MaskDocument;

class ModelGroup : public QGroupBox {
    Q_OBJECT
public:
    explicit ModelGroup(MaskDocument* document, QWidget* parent = nullptr);

    /// Runs the checkpoint `model` (a llama2.c .bin file or a Hugging Face directory) with
    /// `tokenizer` (empty: the one beside the checkpoint) on the sentences shown, at its last
    /// layer. The sizes the model decides are cleared; a bad file becomes the document's error.
    /// Once it has run, it comes first in the recent models (recentmodels.h).
    void openModel(const QString& model, const QString& tokenizer = {});
    /// As openModel, asking for the tokenizer first when none lies beside the checkpoint (the
    /// user may cancel). A checkpoint's config.json or .safetensors stands for its directory.
    void openModelAskingTokenizer(const QString& path);
    /// True when `path` looks like a checkpoint: a directory, a .bin, a config.json or .safetensors.
    static bool isModelPath(const QString& path);

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* makeOpenRow();
    QWidget* makeProgressRow();
    void chooseModel();
    void useSyntheticInputs();
    void syncFromDocument();
    void showModelError();
    void rememberShownModel();
    void fillRecentMenu();
    void showProgress();
    void showCancelNote();
    QString lastFolder() const;
    void rememberFolder(const QString& path) const;

    MaskDocument* document_;
    RetranslatedTexts texts_;
    QLabel* description_ = nullptr;
    QPushButton* recentButton_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QWidget* progressRow_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QLabel* cancelNote_ = nullptr; // says what Cancel went back to, until the next change
    QPlainTextEdit* sentences_ = nullptr;
    QSpinBox* layerSpin_ = nullptr;
    QPushButton* syntheticButton_ = nullptr;
    QLabel* errorLabel_ = nullptr;
    QList<QWidget*> modelOnly_; // shown only while a model is in use
    bool syncing_ = false;      // true while the controls are being set from the document
};

/// The text of a control the model decides (heads, length, …), in the language installed.
QString decidedByModelText();

/// Disables `control` while `decided`, its tooltip then saying that the model decides it; the
/// tooltip it had comes back when `decided` turns false. Call restoreToolTip before the texts are
/// translated again, so that the saved tooltip is not one of the old language.
void setDecidedByModel(QWidget* control, bool decided);
void restoreToolTip(QWidget* control);

/// Lets `window` open a checkpoint dropped on it (a .bin file, or a model directory with its
/// config.json) through `group`; other dropped files are ignored.
void acceptModelDrops(QWidget* window, ModelGroup* group);

} // namespace maskscope::ui
