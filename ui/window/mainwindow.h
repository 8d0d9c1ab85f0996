// SPDX-License-Identifier: MIT
#pragma once
// The MaskScope window: controls on the left, the heatmap in the middle with the view selector
// above it, the inspector on the right and teaching warnings in the status bar.

#include "figure/figure.h"
#include "figure/figurerenderer.h"
#include "scenario/scenario.h"
#include "figure/figurerequest.h"
#include "window/retranslation.h"

#include <QMainWindow>

#include <functional>
#include <optional>

class QDockWidget;
class QLabel;
class QStackedWidget;
class QAction;
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
class SessionActions;
class ViewSelector;
struct TraceResult;

struct WindowOptions {
    /// Restore the window geometry and save it, the parameters and the view on close.
    /// Off for tests and benchmarks, which must not depend on or change a user's settings.
    bool persistSettings = true;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(const ScenarioConfig& start, const std::optional<FigureRequest>& view,
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
    SessionActions* sessionActions() const { return sessions_; }

    /// Shows `text` above the figure until the parameters change: e.g. why the last session's
    /// parameters were not restored (startsession.h).
    void showStartNotice(const QString& text);

    /// The parameters and view of the last session (QSettings), if there was one.
    static std::optional<ScenarioConfig> savedConfig();
    static std::optional<FigureRequest> savedView();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    using Text = std::function<QString()>; // a tr() text, asked again on a language change

    /// Sets the window's own texts (title, docks, menus, status line) again in the language now
    /// installed and recomputes the figure in it; the panels translate themselves.
    void retranslateUi();
    void buildCentral();
    void buildDocks();
    void buildMenus();
    void buildFileMenu();
    void buildPresetsMenu();
    /// A menu of the menu bar, or an action of `menu`, named `text()` in every language.
    QMenu* menuNamed(const Text& title);
    QAction* actionNamed(QMenu* menu, const Text& text);
    void buildStatusBar();
    void connectInspector();
    void buildRuleDocks(QDockWidget* parameters, QDockWidget* inspector);
    void showLongContextWhenNeeded();
    void showResultStatus();
    void openInputsFolder();
    void exportShownFigure();
    /// The figure of `shown` at full resolution, arranged as on screen, to the clipboard.
    void copyShownFigure(const TraceResult& shown);
    void exportLongContextView();
    void copyLongContextFigure();
    FigureStyle longContextStyle() const;
    void changeFigureStyle(const std::function<void(FigureStyle&)>& change);
    /// A View-menu switch of the figure style, remembered between sessions under `key`.
    void addStyleToggle(QMenu* menu, const Text& text, const QString& key, bool initial,
                        const std::function<void(FigureStyle&, bool)>& apply);
    void saveSettings() const;

    WindowOptions options_;
    RetranslatedTexts texts_;
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
    SessionActions* sessions_ = nullptr;
    QLabel* startNotice_ = nullptr;
    QLabel* warningLabel_ = nullptr;
    QLabel* timingLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
};

} // namespace maskscope::ui
