// SPDX-License-Identifier: MIT
#pragma once
// The two causal alignments side by side (issue 5): when queries and keys differ in length,
// PyTorch's is_causal / tril put query 0 at key 0 (top-left), FlashAttention and KV-cache
// decoding put the last query at the last key (bottom-right). A small window shows the current
// mask rules under both.

#include "figure/figure.h"
#include "scenario/scenario.h"

#include <QDialog>

namespace maskscope::ui {

class MaskDocument;

/// The mask of batch item `item` of `scenario` under each alignment, as one figure of two mask
/// panels (top-left first). Cost: two allowed matrices of (Lq, Lk).
Figure alignmentComparison(const Scenario& scenario, int item);

/// Figures larger than this (Lq * Lk) are not compared here.
inline constexpr long long kMaxComparedCells = 1024LL * 1024LL;

/// A non-modal window showing alignmentComparison of the document's current result, following
/// the document while it is open.
class AlignmentCompareDialog : public QDialog {
    Q_OBJECT
public:
    explicit AlignmentCompareDialog(MaskDocument* document, QWidget* parent = nullptr);

    /// What is shown (no panels when the sizes are too large or nothing is computed yet).
    const Figure& figure() const { return figure_; }
    QString message() const { return message_; }

protected:
    void changeEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    /// Sets the title, the message and the figure again in the language now installed.
    void retranslateUi();
    void refresh();

    MaskDocument* document_;
    Figure figure_;
    QString message_;
};

} // namespace maskscope::ui
