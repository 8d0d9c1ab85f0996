// SPDX-License-Identifier: MIT
#include "cli.h"

#include "descriptorbuffer.h"
#include "exportcommand.h"
#include "manual.h"
#include "outputfile.h"
#include "sessionargs.h"
#include "uibenchoptions.h"

#include "attention/attention.h"
#include "mask/blocksparsity.h"
#include "mask/conventions.h"
#include "attention/pitfalls.h"
#include "scenario/scenario.h"
#include "memorypolicy.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <functional>
#include <iostream>
#include <sys/resource.h>
#include <unistd.h>

namespace maskscope::cli {

namespace {

struct CommandOptions {
    std::string out;
    int repeat = 10;
    std::optional<Convention> convention; ///< dump: also write the mask in this spelling
    bool maskOnly = false;                ///< bench: the mask alone, at any length
};

const OptionGroup kDumpOptions{"Dump options:"};
const OptionGroup kBenchOptions{"Bench options:"};

using Value = const std::string&;
using Name = const std::string&;

// The own options of dump and bench; `bench --ui` has its own table (uibenchmark.cpp).
const OptionTable<CommandOptions>& commandOptionTable()
{
    static const OptionTable<CommandOptions> table({
        {"--out", "--out FILE", "write the JSON to FILE (whole or not at all) instead of stdout;\n"
         "- is stdout too",
         &kDumpOptions, ForDump, OptionArity::Value,
         [](CommandOptions& o, Value v, Name) {
             if (v.empty())
                 throw InputError("--out needs a file name");
             o.out = v;
         }},
        {"--convention", "--convention NAME",
         "also the mask in this spelling, with a snippet: torch-mha,\n"
         "torch-sdpa, flex, hf, tf or keras",
         &kDumpOptions, ForDump, OptionArity::Value,
         [](CommandOptions& o, Value v, Name) { o.convention = parseConvention(v); }},
        {"--repeat", "--repeat N", "timed runs, default 10 (with --ui: 30)",
         &kBenchOptions, ForBench, OptionArity::Value,
         [](CommandOptions& o, Value v, Name name) { o.repeat = parseWholeNumber(name, v, 1, 100000); }},
        {"--mask-only", "--mask-only", "the mask alone at any length: block sparsity, rasters, peak memory",
         &kBenchOptions, ForBench, OptionArity::Flag,
         [](CommandOptions& o, Value, Name) { o.maskOnly = true; }},
    });
    return table;
}

unsigned commandBit(const std::string& command)
{
    return command == "dump" ? ForDump : command == "bench" ? ForBench : command == "export" ? ForExport : ForWindow;
}

// Consumes the subcommand's own options from `rest`; anything left is an unknown option.
CommandOptions parseCommandOptions(const std::string& command, const std::vector<std::string>& rest)
{
    CommandOptions o;
    commandOptionTable().parse(rest, commandBit(command), o, [&command](const std::string& arg) {
        throw InputError("unknown option '" + arg + "' for '" + command + "' (see maskscope --help)");
    });
    return o;
}

TraceRequest fullRequest()
{
    return TraceRequest{};
}

void writeBlockSparsity(JsonWriter& w, const BlockSparsity& bs, int headDim, int heads)
{
    w.beginObject();
    w.key("block").value(bs.block);
    w.key("tile_rows").value(bs.tileRows);
    w.key("tile_cols").value(bs.tileCols);
    w.key("tiles").value(static_cast<long long>(bs.tiles()));
    w.key("full").value(static_cast<long long>(bs.fullTiles));
    w.key("partial").value(static_cast<long long>(bs.partialTiles));
    w.key("empty").value(static_cast<long long>(bs.emptyTiles));
    w.key("skipped_tile_fraction").value(bs.skippedTileFraction());
    w.key("allowed_cells").value(static_cast<long long>(bs.allowedCells));
    w.key("computed_cells").value(static_cast<long long>(bs.computedCells));
    w.key("dense_cells").value(static_cast<long long>(bs.denseCells));
    w.key("flops_dense").value(bs.denseFlops(headDim, heads));
    w.key("flops_block_sparse").value(bs.blockSparseFlops(headDim, heads));
    w.key("flops_saved_fraction").value(bs.flopsSavedFraction());
    w.endObject();
}

template <typename T>
void writeBatch(JsonWriter& w, const Scenario& s, const BatchTrace<T>& bt)
{
    const auto b = static_cast<size_t>(bt.batchItem);
    w.beginObject();
    w.key("batch_item").value(bt.batchItem);
    w.key("tokens_q").strings(s.tokensQ[b]);
    w.key("tokens_k").strings(s.tokensK[b]);
    if (s.model)
        writeModelBatchJson(w, *s.model, bt.batchItem);
    w.key("allowed").matrix(bt.allowed);
    w.key("additive_mask").matrix(bt.additiveMask);
    w.key("query_is_pad").bools(bt.queryIsPad);
    w.key("key_is_pad").bools(bt.keyIsPad);
    w.key("row_fully_blocked").bools(bt.rowFullyBlocked);
    w.key("blocked_row_outcomes").beginArray();
    for (const BlockedRowOutcome o : bt.blockedRowOutcomes)
        w.value(blockedRowOutcomeInfo(o).name);
    w.endArray();
    w.key("mask_applied").value(bt.maskApplied);
    w.key("heads").beginArray();
    for (const auto& h : bt.heads) {
        w.beginObject();
        w.key("head").value(h.head);
        w.key("logits").matrix(h.logits);
        if (h.scores.size() != 0)
            w.key("scores").matrix(h.scores); // logits after ALiBi / soft-capping
        w.key("masked_logits").matrix(h.maskedLogits);
        w.key("weights").matrix(h.weights);
        w.endObject();
    }
    w.endArray();
    w.key("mean_weights").matrix(bt.meanWeights);
    w.key("output").matrix(bt.output);
    w.key("block_sparsity");
    writeBlockSparsity(w, blockSparsity(s.mask, bt.batchItem, s.config.blockSize),
                       s.embedDim() / s.heads(), s.heads());
    w.endObject();
}

void writeConvention(JsonWriter& w, const Scenario& s, Convention c)
{
    RenderContext context;
    context.heads = s.heads();
    context.dtype = s.dtype();
    context.modifiers = s.config.scoreModifiers;
    context.maskFilePath = s.config.maskFile;
    context.loadDir = s.config.loadDir;
    writeConventionJson(w, renderConvention(s.mask, c, context));
}

template <typename Info>
void writeChoice(JsonWriter& w, const Info& info)
{
    w.beginObject();
    w.key("name").value(info.cliName);
    w.key("title").value(info.title);
    w.key("explanation").value(info.paragraph);
    w.endObject();
}

// The explanations of the pitfall lab's active mistakes and non-default settings.
void writePitfallExplanations(JsonWriter& w, const Pitfalls& p)
{
    const Pitfalls none;
    w.beginObject();
    w.key("bugs").beginArray();
    for (const Pitfall bug : p.mistakes.list()) {
        const PitfallInfo& info = pitfallInfo(bug);
        w.beginObject();
        w.key("name").value(info.cliName);
        w.key("seed").value(info.seed);
        w.key("title").value(info.title);
        w.key("explanation").value(info.paragraph);
        w.key("fix").value(info.fix);
        w.endObject();
    }
    w.endArray();
    if (p.maskApply != none.maskApply) {
        w.key("mask_apply");
        writeChoice(w, maskApplyInfo(p.maskApply));
    }
    if (p.blockedRows != none.blockedRows) {
        w.key("blocked_rows");
        writeChoice(w, blockedRowsInfo(p.blockedRows));
    }
    if (p.format != none.format) {
        w.key("dtype");
        writeChoice(w, numberFormatInfo(p.format));
    }
    w.endObject();
}

void printWarnings(const Scenario& s)
{
    for (const Warning& warning : scenarioWarnings(s.mask, s.dtype()))
        std::cerr << "maskscope: warning: " << warning.text() << "\n";
}

template <typename T>
void writeDump(std::ostream& out, const Scenario& s, const AttentionInputs<T>& inputs,
               const CommandOptions& opts)
{
    AttentionEngine<T> engine;
    AttentionTrace<T> trace;
    engine.compute(inputs, s.mask, s.config.scoreModifiers, fullRequest(), trace);
    JsonWriter w(out);
    w.beginObject();
    w.key("config");
    writeConfigJson(w, s);
    if (s.model) {
        w.key("model");
        writeModelJson(w, *s.model);
    }
    // Top level: the labels of batch item 0; every batch item carries its own below.
    w.key("tokens_q").strings(s.tokensQ.front());
    w.key("tokens_k").strings(s.tokensK.front());
    w.key("batches").beginArray();
    for (const auto& bt : trace.batches)
        writeBatch(w, s, bt);
    w.endArray();
    if (opts.convention) {
        w.key("convention");
        writeConvention(w, s, *opts.convention);
    }
    if (s.mask.pitfalls != Pitfalls{}) {
        w.key("pitfalls");
        writePitfallExplanations(w, s.mask.pitfalls);
    }
    w.endObject();
}

int runDump(const ScenarioConfig& config, const CommandOptions& opts)
{
    const bool toStandardOutput = opts.out.empty() || opts.out == "-";
    if (!toStandardOutput)
        checkOutputFile(opts.out); // before the (possibly long) computation
    const Scenario s = buildScenario(config);
    checkTraceFits(s, fullRequest());
    printWarnings(s);
    // Streamed: the text of a large trace is several times the size of its matrices.
    const auto write = [&](std::ostream& out) {
        std::visit([&](const auto& in) { writeDump(out, s, in, opts); }, s.inputs);
    };
    if (toStandardOutput)
        write(std::cout);
    else
        writeOutputFile(opts.out, write);
    return Ok;
}

double flopCount(const Scenario& s)
{
    const double b = s.mask.batch, lq = s.mask.queryLen, lk = s.mask.keyLen, e = s.embedDim();
    return 2 * b * (lq * e * e + 2 * lk * e * e) + 2 * b * 2 * lq * lk * e + 2 * b * lq * e * e;
}

template <typename T>
std::vector<double> timeRecomputes(const Scenario& s, const AttentionInputs<T>& inputs, int repeat)
{
    AttentionEngine<T> engine;
    AttentionTrace<T> trace;
    const ScoreModifiers& mods = s.config.scoreModifiers;
    engine.compute(inputs, s.mask, mods, fullRequest(), trace); // warm-up: allocates the buffers
    std::vector<double> ms;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        engine.compute(inputs, s.mask, mods, fullRequest(), trace);
        const auto t1 = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    return ms;
}

double medianOf(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    return ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
}

// Median milliseconds of `repeat` runs of f; the last result stays in `result`.
template <typename F, typename R>
double medianMs(int repeat, F f, R& result)
{
    std::vector<double> ms;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        result = f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    return medianOf(ms);
}

double peakResidentMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

// The long-context path: the mask rules evaluated per row and per tile, never as an (Lq, Lk)
// matrix, so any length works. Times what the window's mask view needs.
int runMaskOnlyBench(const ScenarioConfig& config, const CommandOptions& opts)
{
    // --load's sizes come from its files; synthetic masks need no inputs at all.
    const std::optional<Scenario> loaded =
        config.loadDir.empty() ? std::nullopt : std::optional<Scenario>(buildScenario(config));
    const MaskSpec mask = loaded ? loaded->mask : buildMaskSpec(config);
    const int heads = loaded ? loaded->heads() : config.heads;
    const int headDim = (loaded ? loaded->embedDim() : config.effectiveDModel()) / heads;
    const int lq = mask.queryLen, lk = mask.keyLen;
    BlockSparsity bs;
    const double blocksMs = medianMs(opts.repeat, [&] { return blockSparsity(mask, 0, config.blockSize); }, bs);
    AllowedRaster raster;
    const double fullMs = medianMs(opts.repeat, [&] {
        return rasterizeAllowed(mask, 0, {0, lq}, {0, lk}, 1600, 1000); }, raster);
    // A zoom of 1/64 of each axis around the middle (at least one cell).
    const IndexRange rows{lq / 2, lq / 2 + std::max(1, lq / 64)}, cols{lk / 2, lk / 2 + std::max(1, lk / 64)};
    const double zoomMs = medianMs(opts.repeat, [&] {
        return rasterizeAllowed(mask, 0, rows, cols, 1600, 1000); }, raster);
    JsonWriter w(std::cout);
    w.beginObject();
    w.key("benchmark").value("mask only: rules per row and tile, no (Lq, Lk) matrix; batch item 0");
    w.key("repeat").value(opts.repeat);
    w.key("block_sparsity_ms").value(blocksMs);
    w.key("raster_full_view_ms").value(fullMs);
    w.key("raster_full_view").value("1600x1000 pixels over every row and key");
    w.key("raster_zoom_ms").value(zoomMs);
    w.key("raster_zoom").value("1600x1000 pixels over rows [" + std::to_string(rows.begin) + ", " +
                               std::to_string(rows.end) + ") and keys [" + std::to_string(cols.begin) + ", " +
                               std::to_string(cols.end) + ")");
    w.key("density").value(static_cast<double>(bs.allowedCells) / static_cast<double>(bs.denseCells));
    w.key("peak_rss_mib").value(peakResidentMiB());
    w.key("block_sparsity");
    writeBlockSparsity(w, bs, headDim, heads);
    w.key("config");
    if (loaded)
        writeConfigJson(w, *loaded);
    else
        writeMaskConfigJson(w, mask, config);
    w.endObject();
    return Ok;
}

double msSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The attention trace of every query head of the shown layer, as dump computes it.
double traceMs(const Scenario& s)
{
    const auto t0 = std::chrono::steady_clock::now();
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, s.config.scoreModifiers, fullRequest(), trace);
    return msSince(t0);
}

// A real checkpoint: opening (mapping, tokenizer), the first compute (every layer up to the shown
// one, the next-token prediction, the layer's trace), and what the window does afterwards: a change
// of head or view (the trace of the scenario it keeps, tracejob.cpp), the shown layer built again
// and an earlier layer (both from the cached residual streams, model/modelscenario.h).
int runModelBench(const ScenarioConfig& config, const CommandOptions& opts)
{
    const ModelSource source{config.modelPath, config.tokenizerPath, config.texts, config.padSide};
    auto t0 = std::chrono::steady_clock::now();
    const int layers = modelLayers(source);
    const double openMs = msSince(t0);
    t0 = std::chrono::steady_clock::now();
    const Scenario first = buildScenario(config);
    const double firstMs = msSince(t0) + traceMs(first);
    std::vector<double> view, again, earlier;
    ScenarioConfig before = config;
    before.layer = std::max(0, first.model->layer - 1);
    for (int r = 0; r < opts.repeat; ++r) {
        view.push_back(traceMs(first));
        t0 = std::chrono::steady_clock::now();
        const Scenario s = buildScenario(config);
        again.push_back(msSince(t0) + traceMs(s));
        t0 = std::chrono::steady_clock::now();
        const Scenario e = buildScenario(before);
        earlier.push_back(msSince(t0) + traceMs(e));
    }
    JsonWriter w(std::cout);
    w.beginObject();
    w.key("benchmark").value("real checkpoint: open, first compute (layers up to the shown one, next token, "
                             "the layer's trace of every query head), then the same layer and the one before");
    w.key("layers").value(layers);
    w.key("tokens").value(first.mask.keyLen);
    w.key("open_ms").value(openMs);
    w.key("first_compute_ms").value(firstMs);
    w.key("view_change_median_ms").value(medianOf(view));
    w.key("same_layer_median_ms").value(medianOf(again));
    w.key("earlier_layer_median_ms").value(medianOf(earlier));
    w.key("peak_rss_mib").value(peakResidentMiB());
    w.key("model");
    writeModelJson(w, *first.model);
    w.endObject();
    return Ok;
}

int runBench(const ScenarioConfig& config, const CommandOptions& opts)
{
    if (opts.maskOnly)
        return runMaskOnlyBench(config, opts);
    if (config.usesModel())
        return runModelBench(config, opts);
    const Scenario s = buildScenario(config);
    checkTraceFits(s, fullRequest());
    printWarnings(s);
    app::keepRecomputeMemory(); // the window's allocation policy: recomputes reuse freed memory
    std::vector<double> ms =
        std::visit([&](const auto& in) { return timeRecomputes(s, in, opts.repeat); }, s.inputs);
    std::sort(ms.begin(), ms.end());
    const double median = medianOf(ms);
    JsonWriter w(std::cout);
    w.beginObject();
    w.key("benchmark").value("full recompute: mask, logits, masked logits, weights of every head, "
                             "mean over heads, output");
    w.key("threads").value(1);
    w.key("kernel_level").value(kernelLevel());
    w.key("repeat").value(opts.repeat);
    w.key("median_ms").value(median);
    w.key("min_ms").value(ms.front());
    w.key("max_ms").value(ms.back());
    w.key("gflop").value(flopCount(s) / 1e9);
    w.key("gflops_at_median").value(flopCount(s) / 1e6 / median);
    w.key("config");
    writeConfigJson(w, s);
    w.endObject();
    return Ok;
}

} // namespace

namespace {

struct UsageLines {
    unsigned commands; ///< OptionCommand bits of who the lines describe
    const char* text;
};

const UsageLines kUsage[] = {
    {ForWindow, "  maskscope [options]                 open the window\n"
                "  maskscope FILE.maskscope [options]  open the window on a session file\n"},
    {ForDump, "  maskscope dump [options] [--out FILE] [--convention NAME]  JSON of every matrix\n"
              "                                      (NAME: the mask in torch-mha, torch-sdpa,\n"
              "                                      flex, hf, tf or keras spelling, with a snippet)\n"},
    {ForBench, "  maskscope bench [options] [--repeat N] time one full recompute\n"
               "  maskscope bench --mask-only [options] [--repeat N]  the mask alone at any length:\n"
               "                                      block sparsity, rasters, peak memory\n"},
    {ForExport, "  maskscope export [options] --out FILE.png|.svg|.pdf  a figure, no display needed\n"
                "  maskscope export [options] --out - --format png|svg|pdf\n"
                "                                      the same, to standard output\n"},
    {ForBench, "  maskscope bench --ui [options] [--repeat N] [--view V] [--head N|all|mean]\n"
               "                                      time change -> repainted frame of the window\n"
               "                                      (beyond 4096 x 4096 cells: zoom and pan of the\n"
               "                                      long-context mask view, and peak memory)\n"},
    {ForWindow, "  maskscope --help | --version\n"
                "  maskscope dump|bench|export --help  the usage and options of one subcommand\n"
                "  maskscope --man-page | --bash-completion  print the manual page (roff) or the\n"
                "                                      bash completion script (both are installed)\n"},
};

// The options of `command` (one OptionCommand bit) beyond the shared ones.
std::string ownOptionsHelp(unsigned command)
{
    switch (command) {
    case ForDump: return commandOptionTable().help(ForDump);
    case ForBench: return commandOptionTable().help(ForBench) + ui::uiBenchmarkOptionsHelp();
    case ForExport: return exportOptionsHelp();
    default: return exportOptionsHelp(); // the window's help is everyone's: it names export's options
    }
}

// Routes std::cout through a buffer over descriptor 1 while a command runs, so that a write that
// fails (a full disk, a closed file) is known, with its reason, once the command is done.
class StandardOutput {
public:
    StandardOutput() : previous_(std::cout.rdbuf(&buffer_)) {}
    ~StandardOutput()
    {
        std::cout.flush();
        std::cout.rdbuf(previous_);
    }
    StandardOutput(const StandardOutput&) = delete;
    StandardOutput& operator=(const StandardOutput&) = delete;

    /// Writes what is buffered; throws std::runtime_error naming the reason if any write failed.
    void finish()
    {
        std::cout.flush();
        if (buffer_.error() != 0)
            throw std::runtime_error(std::string("cannot write to standard output: ") +
                                     std::strerror(buffer_.error()));
    }

private:
    DescriptorBuffer buffer_{STDOUT_FILENO};
    std::streambuf* previous_;
};

} // namespace

std::string usageLines(unsigned who)
{
    std::string text;
    for (const UsageLines& lines : kUsage)
        if (who == ForWindow || (lines.commands & who) != 0)
            text += lines.text;
    return text;
}

std::string usageLines()
{
    return usageLines(ForWindow);
}

std::vector<OptionSummary> everyOption()
{
    std::vector<OptionSummary> all = scenarioOptionTable().summaries();
    for (const auto& table : {sessionOptionSummaries(), commandOptionTable().summaries(), exportOptionSummaries(), ui::uiBenchmarkOptionSummaries()})
        all.insert(all.end(), table.begin(), table.end());
    return all;
}

std::string usage(const std::string& command)
{
    const unsigned who = commandBit(command);
    std::string text = "MaskScope " MASKSCOPE_VERSION " - see attention masks at work\n\nUsage:\n";
    text += usageLines(who);
    text += "\nOptions:\n";
    text += scenarioOptionTable().help(who == ForWindow ? kEveryCommand : who);
    text += "\n";
    text += sessionOptionsHelp(who == ForWindow ? kEveryCommand : who);
    text += "\n";
    text += ownOptionsHelp(who);
    text += "\n";
    if (who != ForExport) // export writes a figure, not JSON
        text += "Numbers in JSON: shortest round-trip text; -inf, inf and NaN as \"-inf\", \"inf\", \"nan\".\n";
    text += "Exit status: 0 ok, 1 run-time failure, 2 bad input (one line on stderr says what).\n";
    return text;
}

bool isCommandLine(const std::vector<std::string>& args)
{
    if (args.empty())
        return false;
    const std::string& a = args.front();
    return a == "dump" || a == "bench" || a == "export" || a == "--help" || a == "-h" || a == "--version" ||
           a == "--man-page" || a == "--bash-completion";
}

int reportingErrors(const std::function<int()>& command)
{
    StandardOutput out;
    try {
        const int status = command();
        out.finish();
        return status;
    } catch (const InputError& e) {
        std::cerr << "maskscope: " << e.what() << "\n";
        return BadInput;
    } catch (const std::bad_alloc&) {
        std::cerr << "maskscope: out of memory\n";
        return Failure;
    } catch (const std::exception& e) {
        std::cerr << "maskscope: " << e.what() << "\n";
        return Failure;
    }
}

bool isUiBenchmark(const std::vector<std::string>& args)
{
    return !args.empty() && args.front() == "bench" && std::find(args.begin(), args.end(), "--ui") != args.end() &&
           std::find(args.begin(), args.end(), "--help") == args.end() &&
           std::find(args.begin(), args.end(), "-h") == args.end();
}

std::vector<std::string> uiBenchmarkOptions(const std::vector<std::string>& args)
{
    std::vector<std::string> options(args.begin() + 1, args.end());
    options.erase(std::find(options.begin(), options.end(), "--ui"));
    return options;
}

int run(const std::vector<std::string>& args)
{
    const std::string command = args.empty() ? std::string() : args.front();
    const bool wantsHelp = std::find(args.begin(), args.end(), "--help") != args.end() ||
                           std::find(args.begin(), args.end(), "-h") != args.end();
    if (wantsHelp || command == "--version")
        return reportingErrors([&] {
            std::cout << (wantsHelp ? usage(command)
                                    : "maskscope " MASKSCOPE_VERSION "\nkernels: " + kernelLevel() + "\n");
            return Ok;
        });
    if (command == "--man-page" || command == "--bash-completion")
        return reportingErrors([&] {
            std::cout << (command == "--man-page" ? manPage() : bashCompletion());
            return Ok;
        });
    if (command == "export" || command == "dump")
        app::preferHugePages(); // one-shot: allocates once, exits
    if (command == "export")
        return runExport(std::vector<std::string>(args.begin() + 1, args.end()));
    return reportingErrors([&] {
        const SessionArgs session = expandSessionArgs(std::vector<std::string>(args.begin() + 1, args.end()));
        std::vector<std::string> rest;
        const ScenarioConfig config = parseScenarioOptions(session.args, rest);
        const CommandOptions opts = parseCommandOptions(command, rest);
        saveSessionIfAsked(session, config, session.view.value_or(ui::FigureRequest{}));
        return command == "dump" ? runDump(config, opts) : runBench(config, opts);
    });
}

} // namespace maskscope::cli
