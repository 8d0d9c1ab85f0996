// SPDX-License-Identifier: MIT
#pragma once
// The bar above the heatmap: which matrix (mask, logits, masked logits, weights), which layout
// (one head, all heads, mean, pipeline), which head and which batch item.

#include "figure/figurerequest.h"
#include "window/retranslation.h"

#include <QWidget>

class QButtonGroup;
class QGridLayout;
class QLabel;
class QSpinBox;

namespace maskscope::ui {

class MaskDocument;

class ViewSelector : public QWidget {
    Q_OBJECT
public:
    explicit ViewSelector(MaskDocument* document, QWidget* parent = nullptr);

protected:
    void changeEvent(QEvent* event) override;

private:
    /// Sets every text again in the language now installed; the controls keep their state.
    void retranslateUi();

    struct ButtonTexts {
        QStringList labels;
        QStringList tips;
    };

    void addRow(QGridLayout* grid, int row, const std::function<QString()>& title, QButtonGroup* group,
                QLabel* spinLabel, QSpinBox* spin);
    /// Checkable buttons "<name>Button<k>", one per label of `texts()` (asked again on a language change).
    QButtonGroup* makeGroup(const QString& name, const std::function<ButtonTexts()>& texts);
    void syncFromDocument();

    MaskDocument* document_;
    RetranslatedTexts texts_;
    QButtonGroup* matrixGroup_ = nullptr;
    QButtonGroup* layoutGroup_ = nullptr;
    QSpinBox* headSpin_ = nullptr;
    QSpinBox* batchSpin_ = nullptr;
    QLabel* headLabel_ = nullptr;
    QLabel* batchLabel_ = nullptr;
    bool syncing_ = false; // true while the controls are being set from the document (syncFromDocument)
};

} // namespace maskscope::ui
