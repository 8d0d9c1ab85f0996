// SPDX-License-Identifier: MIT
#include "uibenchmark.h"
#include "cli.h"
#include "memorypolicy.h"
#include "uibenchoptions.h"

#include "window/controlpanel.h"
#include "window/heatmapview.h"
#include "window/longmaskview.h"
#include "window/mainwindow.h"
#include "document/maskdocument.h"
#include "figure/viewnames.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSpinBox>
#include <QTimer>

#include <algorithm>
#include <ctime>
#include <charconv>
#include <iostream>
#include <map>

#include <sys/resource.h>

namespace maskscope::ui {

namespace {

constexpr int kTimeoutMs = 120'000; // a frame that takes longer than this counts as a hang

/// Drives one kind of change through a real control, back and forth between two values.
struct Change {
    std::string name;
    std::function<void(int step)> apply;
};

std::vector<Change> changesOf(MainWindow& window)
{
    auto* causal = window.controlPanel()->findChild<QCheckBox*>(QStringLiteral("causalCheck"));
    auto* seqLen = window.controlPanel()->findChild<QSpinBox*>(QStringLiteral("seqLenSpin"));
    auto* seed = window.controlPanel()->findChild<QSpinBox*>(QStringLiteral("seedSpin"));
    const int length = seqLen->value();
    const int seed0 = seed->value();
    return {
        // Mask rule only: the inputs are reused.
        {"causal", [causal](int) { causal->toggle(); }},
        // New inputs of a new size: everything is rebuilt.
        {"seq_len", [seqLen, length](int step) { seqLen->setValue(step % 2 ? std::max(1, length - 1) : length); }},
        // New inputs of the same size.
        {"seed", [seed, seed0](int step) { seed->setValue(seed0 + step % 2); }},
    };
}

/// The longest the GUI thread went without running its event loop: how responsive the window
/// stayed while the recomputes ran. A precise 2 ms timer (not a busy 0 ms one, which would eat
/// the core the recompute needs) records the longest gap between its ticks.
class StallMeter {
public:
    StallMeter()
    {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(kTickMs);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            maxGapMs_ = std::max(maxGapMs_, static_cast<double>(clock_.nsecsElapsed()) / 1e6);
            clock_.restart();
        });
    }
    void start()
    {
        clock_.start();
        timer_.start();
    }
    /// The longest gap beyond the tick interval itself.
    double maxStallMs() const { return std::max(0.0, maxGapMs_ - kTickMs); }

private:
    static constexpr int kTickMs = 2;
    QTimer timer_;
    QElapsedTimer clock_;
    double maxGapMs_ = 0.0;
};

/// CPU time the calling (GUI) thread has used, in milliseconds.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

/// Runs the event loop until `done()` holds, re-checking whenever the view paints or a result
/// arrives. Sleeps in between: a polling loop would take the core the recompute needs.
void runUntil(MainWindow& window, const std::function<bool()>& done, const char* what)
{
    QEventLoop loop;
    const auto check = [&] {
        if (done())
            loop.quit();
    };
    QObject::connect(window.heatmapView(), &HeatmapView::framePainted, &loop, check);
    QObject::connect(window.document(), &MaskDocument::resultChanged, &loop, check);
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    timeout.start(kTimeoutMs);
    QTimer::singleShot(0, &loop, check);
    if (loop.exec() != 0)
        throw std::runtime_error(std::string(what) + " within " + std::to_string(kTimeoutMs / 1000) + " s");
}

/// Milliseconds from the change to the end of the paint event that shows its result.
double timeOneChange(MainWindow& window, const Change& change, int step)
{
    QElapsedTimer clock;
    clock.start();
    change.apply(step);
    const quint64 target = window.document()->newestChangeId();
    runUntil(window, [&] { return window.heatmapView()->paintedJobId() >= target; }, "no frame");
    return static_cast<double>(clock.nsecsElapsed()) / 1e6;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void waitForFirstFrame(MainWindow& window)
{
    runUntil(window,
             [&] {
                 const TraceResultPtr r = window.document()->result();
                 return !window.document()->error().isEmpty() ||
                        (window.document()->isIdle() && r && r->longContext) ||
                        (window.heatmapView()->paintedJobId() != 0 && window.document()->isIdle());
             },
             "the window showed no figure");
    if (!window.document()->error().isEmpty())
        throw InputError(window.document()->error().toStdString());
}

/// "changes": {name: {median_ms, max_ms}} and the canvas size.
void writeChanges(JsonWriter& w, const std::map<std::string, std::vector<double>>& byChange)
{
    w.key("changes").beginObject();
    for (const auto& [name, ms] : byChange) {
        w.key(name).beginObject();
        w.key("median_ms").value(median(ms));
        w.key("max_ms").value(*std::max_element(ms.begin(), ms.end()));
        w.endObject();
    }
    w.endObject();
}

void printReport(const BenchOptions& o, const MainWindow& window,
                 const std::map<std::string, std::vector<double>>& byChange, double stallMs,
                 double guiCpuMs)
{
    std::vector<double> all;
    for (const auto& [name, ms] : byChange)
        all.insert(all.end(), ms.begin(), ms.end());
    JsonWriter w(std::cout);
    w.beginObject();
    w.key("benchmark").value("ui: parameter change through a control -> repainted frame of the "
                             "real window (offscreen)");
    w.key("repeat").value(o.repeat);
    w.key("median_ms").value(median(all));
    w.key("min_ms").value(*std::min_element(all.begin(), all.end()));
    w.key("max_ms").value(*std::max_element(all.begin(), all.end()));
    // Includes the GUI thread's own share of each change (taking in the result, painting).
    w.key("gui_max_stall_ms").value(stallMs);
    // CPU the GUI thread spent per change (controls, taking in the result, painting): the rest
    // of the latency is the recompute on a worker thread.
    w.key("gui_cpu_ms_per_change").value(guiCpuMs);
    writeChanges(w, byChange);
    const QSize canvas = window.heatmapView()->size();
    w.key("canvas").value(std::to_string(canvas.width()) + "x" + std::to_string(canvas.height()));
    w.key("config");
    writeConfigJson(w, *window.document()->result()->scenario);
    w.endObject();
    std::cout << "\n";
}

// ---- Long context: the mask view alone, repainted at screen resolution --------------------------

/// Milliseconds from a zoom or pan of the long-context view to the paint event showing its raster.
double timeLongViewChange(LongMaskView& view, const std::function<void()>& change)
{
    QElapsedTimer clock;
    clock.start();
    change();
    const quint64 target = view.requestedGeneration();
    QEventLoop loop;
    QObject::connect(&view, &LongMaskView::framePainted, &loop, [&](quint64 generation) {
        if (generation >= target)
            loop.quit();
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    timeout.start(kTimeoutMs);
    if (loop.exec() != 0)
        throw std::runtime_error("the long-context view painted no frame");
    return static_cast<double>(clock.nsecsElapsed()) / 1e6;
}

double peakRssMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int runLongContextBenchmark(const BenchOptions& o, MainWindow& window)
{
    LongMaskView& view = *window.longMaskView();
    view.setBlockOverlay(true);
    const std::vector<std::pair<std::string, std::function<void()>>> changes = {
        {"zoom_in", [&] { view.zoomBy(4.0); }},
        {"pan", [&] { view.panBy({-240, -160}); }},
        {"zoom_to_cells", [&] { view.showCells(view.visibleRows().begin, view.visibleCols().begin, 16.0); }},
        {"fit_all", [&] { view.fitAll(); }},
    };
    std::map<std::string, std::vector<double>> byChange;
    std::vector<double> all;
    for (int r = 0; r < o.repeat; ++r)
        for (const auto& [name, change] : changes) {
            const double ms = timeLongViewChange(view, change);
            byChange[name].push_back(ms);
            all.push_back(ms);
        }
    const MaskSpec& mask = window.document()->result()->scenario->mask;
    JsonWriter w(std::cout);
    w.beginObject();
    w.key("benchmark").value("ui long context: zoom or pan of the mask view -> repainted frame (raster "
                             "from the rules at screen resolution, tiles, offscreen window)");
    w.key("query_len").value(mask.queryLen);
    w.key("key_len").value(mask.keyLen);
    w.key("repeat").value(o.repeat);
    w.key("median_ms").value(median(all));
    w.key("max_ms").value(*std::max_element(all.begin(), all.end()));
    writeChanges(w, byChange);
    const QSize canvas = view.size();
    w.key("canvas").value(std::to_string(canvas.width()) + "x" + std::to_string(canvas.height()));
    // One bit per cell of the (Lq, Lk) matrix, for comparison with the peak.
    w.key("l_squared_bits_mib").value(static_cast<double>(mask.queryLen) * mask.keyLen / 8.0 / (1 << 20));
    w.key("peak_rss_mib").value(peakRssMiB());
    w.key("note").value(window.document()->result()->longContextNote.toStdString());
    w.endObject();
    std::cout << "\n";
    return cli::Ok;
}

int runBenchmark(const BenchOptions& o)
{
    MainWindow window(o.config, o.view, WindowOptions{false});
    window.show();
    waitForFirstFrame(window);
    if (window.document()->result()->longContext)
        return runLongContextBenchmark(o, window);
    std::map<std::string, std::vector<double>> byChange;
    const std::vector<Change> changes = changesOf(window);
    StallMeter stalls;
    stalls.start();
    std::vector<double> guiCpu;
    for (int r = 0; r < o.repeat; ++r)
        for (const Change& c : changes) {
            const double cpu0 = threadCpuMs();
            byChange[c.name].push_back(timeOneChange(window, c, r + 1));
            guiCpu.push_back(threadCpuMs() - cpu0);
        }
    if (!window.document()->error().isEmpty())
        throw std::runtime_error(window.document()->error().toStdString());
    printReport(o, window, byChange, stalls.maxStallMs(), median(guiCpu));
    return cli::Ok;
}

} // namespace

int runUiBenchmark(const std::vector<std::string>& args)
{
    BenchOptions options;
    if (const int status = cli::reportingErrors([&] {
            options = parseUiBenchOptions(args);
            return cli::Ok;
        }); status != cli::Ok)
        return status;
    // The real window, but never on the user's screen and without needing one.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    app::keepRecomputeMemory(); // as the window app does
    int argc = 1;
    char name[] = "maskscope";
    char* argv[] = {name, nullptr};
    QApplication app(argc, argv);
    return cli::reportingErrors([&] { return runBenchmark(options); });
}

} // namespace maskscope::ui
