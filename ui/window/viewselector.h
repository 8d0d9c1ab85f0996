#pragma once
// The bar above the heatmap: which matrix (mask, logits, masked logits, weights), which layout
// (one head, all heads, mean, pipeline), which head and which batch item.

#include "figure/viewstate.h"

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

private:
    void addRow(QGridLayout* grid, int row, const QString& title, QButtonGroup* group,
                QLabel* spinLabel, QSpinBox* spin);
    QButtonGroup* makeGroup(const QStringList& labels, const QStringList& tips, const QString& name);
    void syncFromDocument();

    MaskDocument* document_;
    QButtonGroup* matrixGroup_ = nullptr;
    QButtonGroup* layoutGroup_ = nullptr;
    QSpinBox* headSpin_ = nullptr;
    QSpinBox* batchSpin_ = nullptr;
    QLabel* headLabel_ = nullptr;
    QLabel* batchLabel_ = nullptr;
    bool syncing_ = false;
};

} // namespace maskscope::ui
