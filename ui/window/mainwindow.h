#pragma once
// The MaskScope window: controls on the left, the heatmap in the middle with the view selector
// above it, the inspector on the right and teaching warnings in the status bar.

#include "figure/figure.h"
#include "figure/figurerenderer.h"
#include "scenario/scenario.h"
#include "figure/viewstate.h"

#include <QHash>
#include <QMainWindow>

#include <functional>
#include <optional>

class QDockWidget;
class QLabel;
class QStackedWidget;
class QMenu;
class QProgressBar;

namespace maskscope::ui {

class ControlPanel;
class ConventionsPanel;
class HeatmapView;
class LongMaskView;
class MaskCellPainter;
class RulesPanel;
class InspectorPanel;
class MaskDocument;
class PitfallPanel;
class ViewSelector;

struct WindowOptions {
    /// Restore the window geometry and save it, the parameters and the view on close.
    /// Off for tests and benchmarks, which must not depend on or change a user's settings.
    bool persistSettings = true;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(const ScenarioConfig& start, const std::optional<ViewState>& view,
               const WindowOptions& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    MaskDocument* document() const { return document_; }
    HeatmapView* heatmapView() const { return heatmap_; }
    ControlPanel* controlPanel() const { return controls_; }
    InspectorPanel* inspector() const { return inspector_; }
    PitfallPanel* pitfallPanel() const { return pitfallPanel_; }
    RulesPanel* rulesPanel() const { return rules_; }
    ConventionsPanel* conventionsPanel() const { return conventions_; }
    LongMaskView* longMaskView() const { return longView_; }
    MaskCellPainter* maskCellPainter() const { return cellPainter_; }

    /// The parameters and view of the last session (QSettings), if there was one.
    static std::optional<ScenarioConfig> savedConfig();
    static std::optional<ViewState> savedView();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    /// Builds every widget with text (central widget, docks, menus, status bar). A language
    /// change deletes them and calls this again on the same document, so new panels belong in
    /// one of the build functions and keep their state in the document, not in the widgets.
    void buildContent();
    void buildCentral();
    void rebuildForLanguage();
    void buildDocks();
    void buildMenus();
    void buildStatusBar();
    void connectInspector();
    void buildRuleDocks(QDockWidget* parameters, QDockWidget* inspector);
    void showLongContextWhenNeeded();
    void showResultStatus();
    void openInputsFolder();
    void exportShownFigure();
    void exportLongContextView();
    void changeFigureStyle(const std::function<void(FigureStyle&)>& change);
    /// A View-menu switch of the figure style, remembered between sessions under `key`.
    void addStyleToggle(QMenu* menu, const QString& text, const QString& key, bool initial,
                        const std::function<void(FigureStyle&, bool)>& apply);
    void saveSettings() const;

    WindowOptions options_;
    MaskDocument* document_ = nullptr;
    HeatmapView* heatmap_ = nullptr;
    ViewSelector* selector_ = nullptr;
    ControlPanel* controls_ = nullptr;
    InspectorPanel* inspector_ = nullptr;
    PitfallPanel* pitfallPanel_ = nullptr;
    RulesPanel* rules_ = nullptr;
    ConventionsPanel* conventions_ = nullptr;
    LongMaskView* longView_ = nullptr;
    QStackedWidget* views_ = nullptr;      // the heatmap, or the long-context mask view
    MaskCellPainter* cellPainter_ = nullptr;
    QLabel* warningLabel_ = nullptr;
    QLabel* timingLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    std::optional<CellHit> explained_; // the cell last clicked, explained again on each result
    QHash<QString, bool> styleSwitches_; // the View menu's figure switches, by settings key
    bool retranslatePending_ = false;
};

} // namespace maskscope::ui
