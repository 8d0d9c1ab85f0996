// SPDX-License-Identifier: MIT
#pragma once
// The mask of the selected batch item written the way each framework wants it (core
// conventions.h): its tensors (truncated for long sequences), the flags, a copyable Python snippet
// that builds it there, and a "polarity" switch that shows what the framework does when the bool
// mask is passed with the opposite meaning: which cells flip, padding attended, real keys
// blocked, rows left with no key (NaN).

#include "mask/conventions.h"
#include "window/retranslation.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace maskscope::ui {

class MaskDocument;

struct ConventionOutcome;

/// The first rows and columns of a tensor's matrix for batch item b, as text (one line per
/// row, "…" where rows or columns are left out). Exposed for tests.
QString tensorSliceText(const ConventionTensor& t, int batch, int item, int maxSide);

class ConventionsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ConventionsPanel(MaskDocument* document, QWidget* parent = nullptr);

    Convention convention() const;
    void setConvention(Convention c);
    /// The rendering shown (none when the sizes are too large to write out, or on an error).
    const std::optional<ConventionRendering>& rendering() const { return rendering_; }
    /// The effect of the wrong polarity on the selected batch item (when the switch is on).
    const std::optional<PolarityFlipEffect>& flipEffect() const { return flipEffect_; }

    /// True when what is shown matches the document (or the panel is hidden and waits to be shown).
    bool isIdle() const;
    /// Whether the panel can be seen, e.g. as the current tab of its dock (a tab behind another
    /// counts as visible for QWidget); while it cannot, changes are rendered only once it can.
    void setActive(bool on);

    /// Larger masks (batch x heads x Lq x Lk cells) are not written out.
    static constexpr long long kMaxCells = 1 << 21;
    /// Rows and columns of a matrix written out.
    static constexpr int kMaxSide = 16;

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    /// Sets every text again in the language now installed; the choices stay.
    void retranslateUi();
    /// Renders on a worker thread (O(B * H * Lq * Lk)); only while the panel is visible.
    void refresh();
    void showOutcome(const ConventionOutcome& out, int batch, int item);
    QString flipReport(const PolarityFlipEffect& e, MaskPolarity meant) const;

    MaskDocument* document_;
    RetranslatedTexts texts_;
    QComboBox* conventionCombo_ = nullptr;
    QLabel* spelling_ = nullptr;
    QPlainTextEdit* tensors_ = nullptr;
    QPlainTextEdit* snippet_ = nullptr;
    QPushButton* copyButton_ = nullptr;
    QCheckBox* polarityCheck_ = nullptr;
    QLabel* flipLabel_ = nullptr;
    QLabel* note_ = nullptr;
    QTimer* refreshTimer_ = nullptr; // one refresh per burst of changes
    bool stale_ = true;              // the document changed since the shown rendering was asked for
    bool running_ = false;           // a rendering is being computed
    bool active_ = true;             // see setActive()
    std::optional<ConventionRendering> rendering_;
    std::optional<PolarityFlipEffect> flipEffect_;
};

} // namespace maskscope::ui
