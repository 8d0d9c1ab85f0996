// SPDX-License-Identifier: MIT
#pragma once
// File -> Export figure…: which figure (the current view, all heads, the mean, the pipeline),
// its size, theme, title, numbers and colour bar, written to PNG/SVG/PDF or the clipboard.
// Figures the window does not show are computed from the scenario (figurejob.h), on a worker
// thread when large.

#include "figure/figure.h"
#include "figure/figureexport.h"
#include "figure/figurejob.h"
#include "document/tracejob.h"
#include "figure/figurerequest.h"

#include <QDialog>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace maskscope::ui {

/// What the dialog starts from: the window's result, parameters, selection and style.
struct ExportSource {
    TraceResultPtr shown;  ///< may be null or an error: figures are then computed from config
    ScenarioConfig config;
    FigureRequest view;        ///< used when `shown` holds no figure
    FigureStyle style;
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    /// The figure choices, in the order of the "what" combo box.
    enum class What { CurrentView, AllHeads, MeanHead, Pipeline };

    explicit ExportDialog(const ExportSource& source, QWidget* parent = nullptr);
    ~ExportDialog() override;

    /// The inline error (empty when none).
    QString errorText() const;
    /// True while a large figure is computed on a worker thread.
    bool isBusy() const { return busy_; }

    /// Figures above this many computed cells are computed on a worker thread.
    static constexpr long long kSyncCellLimit = 256LL * 256;

signals:
    void exported(const QString& path);
    void copied();

private:
    using FigureKey = std::tuple<int, int, bool>; // (ViewKind, head, before/after)
    using FigureUse = std::function<void(const Figure&)>;

    QWidget* buildWhatRow();
    QWidget* buildSizeRow();
    QWidget* buildPathRow();
    void buildButtons();
    void buildLayout();
    void connectInputs();

    FigureRequest requestFor(What what) const;
    What what() const;
    ExportOptions options() const;
    FigureStyle style() const;
    Figure titled(Figure figure) const;
    const Figure* knownFigure(const FigureRequest& request) const;
    bool needsWorker(const FigureRequest& request) const;

    void withFigure(const FigureUse& use);
    void computeOnWorker(const FigureRequest& request, const FigureUse& use);
    void acceptFigure(const FigureRequest& request, Figure figure);
    void exportToFile();
    void copyToClipboard();
    void browse();
    void updateFormat();
    void updateTitlePlaceholder();
    void showError(const QString& error);
    void setBusy(bool busy);

    ExportSource source_;
    std::shared_ptr<const Scenario> scenario_; // the shown one, or built on first need
    std::map<FigureKey, Figure> computed_;
    bool busy_ = false;
    bool dpiSetAside_ = false; // DPI mode was left for SVG/PDF, to come back with PNG

    QComboBox* what_ = nullptr;
    QLineEdit* title_ = nullptr;
    QComboBox* theme_ = nullptr;
    QRadioButton* byDpi_ = nullptr;
    QSpinBox* dpi_ = nullptr;
    QRadioButton* byPixels_ = nullptr;
    QSpinBox* width_ = nullptr;
    QSpinBox* height_ = nullptr;
    QCheckBox* numbers_ = nullptr;
    QCheckBox* colorBar_ = nullptr;
    QCheckBox* beforeAfter_ = nullptr; // the pitfall lab: the mistake next to the fixed code
    QCheckBox* blocks_ = nullptr;   // block-sparsity tiles
    QLineEdit* path_ = nullptr;
    QLabel* format_ = nullptr;
    QLabel* error_ = nullptr;
    QProgressBar* busyBar_ = nullptr;
    QPushButton* export_ = nullptr;
    QPushButton* copy_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
};

} // namespace maskscope::ui
