// SPDX-License-Identifier: MIT
#include "figure/rulesfigure.h"

#include "figure/colormap.h"
#include "figure/figurebuilder.h"
#include "figure/numberformat.h"

#include "attention/precision.h"

#include <QCoreApplication>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>

namespace maskscope::ui {

namespace {

// The translation context of the texts this file draws into figures.
struct FigureText {
    Q_DECLARE_TR_FUNCTIONS(FigureText)
};

// The cells of a raster panel, from a copy of the rules (figures outlive the job that made them).
class RulesMaskSource : public CellSource {
public:
    RulesMaskSource(const MaskSpec& mask, int batchItem, const CellRegion& region)
        : mask_(mask), item_(batchItem), region_(region)
    {
    }

    QImage cellImage(QSize pixels) const override
    {
        const int width = std::clamp(pixels.width(), 1, region_.cols.size());
        const int height = std::clamp(pixels.height(), 1, region_.rows.size());
        return maskCoverageImage(rasterizeAllowed(mask_, item_, region_.rows, region_.cols, width, height));
    }

private:
    const MaskSpec mask_;
    const int item_;
    const CellRegion region_;
};

int parseBound(const std::string& text, std::string_view part)
{
    int value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc() || end != part.data() + part.size())
        throw InputError("--region expects i0:i1,j0:j1 (whole numbers, end exclusive), got '" + text + "'");
    return value;
}

IndexRange parseRange(const std::string& text, std::string_view part)
{
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos)
        throw InputError("--region expects i0:i1,j0:j1 (whole numbers, end exclusive), got '" + text + "'");
    return {parseBound(text, part.substr(0, colon)), parseBound(text, part.substr(colon + 1))};
}

std::string rangeText(IndexRange r)
{
    return std::to_string(r.begin) + ":" + std::to_string(r.end);
}

void checkRange(IndexRange r, int length, const char* what)
{
    if (r.begin < 0 || r.end > length || r.begin >= r.end)
        throw InputError(std::string("--region ") + what + " " + rangeText(r) + " must be a non-empty range within 0:" +
                         std::to_string(length));
}

// Query rows of `rows` with no allowed key at all (the whole row, not only the region's part).
std::vector<bool> rowsWithoutAllowedKey(const MaskSpec& mask, int b, IndexRange rows)
{
    AllowedCounter counter(mask, b, {0, mask.keyLen});
    std::vector<std::int64_t> count(1);
    std::vector<bool> blocked(static_cast<size_t>(rows.size()));
    for (int i = rows.begin; i < rows.end; ++i) {
        count[0] = 0;
        counter.addRows({i, i + 1}, count);
        blocked[static_cast<size_t>(i - rows.begin)] = count[0] == 0;
    }
    return blocked;
}

// A trace of the region's cells alone, as maskOnlyTrace makes them for the whole matrix (padding
// flags stay whole, for the subtitle; the panel takes its slice).
BatchTrace<float> regionTrace(const MaskSpec& mask, int b, const CellRegion& region)
{
    BatchTrace<float> t;
    t.batchItem = b;
    const int rows = region.rows.size(), cols = region.cols.size();
    t.allowed.resize(rows, cols);
    t.additiveMask.resize(rows, cols);
    t.queryIsPad = mask.queryPadFlags(b);
    t.keyIsPad = mask.keyPadFlags(b);
    t.rowFullyBlocked.resize(static_cast<size_t>(rows));
    // Loaded masks keep their own values where the rules allow; their sizes are the files'.
    std::optional<Matrix<float>> loaded;
    if (mask.attnMask || mask.keyPaddingMask)
        additiveMask<float>(mask, b, loaded.emplace());
    const float fill = fillIn<float>(mask.fill, mask.pitfalls.format);
    const RowEvaluator evaluator(mask);
    std::vector<char> row(static_cast<size_t>(mask.keyLen));
    for (int y = 0; y < rows; ++y) {
        const int i = region.rows.begin + y;
        evaluator.allowedRow(b, i, reinterpret_cast<bool*>(row.data()));
        t.rowFullyBlocked[static_cast<size_t>(y)] = std::none_of(row.begin(), row.end(), [](char a) { return a != 0; });
        for (int x = 0; x < cols; ++x) {
            const int j = region.cols.begin + x;
            const bool allowed = row[static_cast<size_t>(j)] != 0;
            t.allowed(y, x) = allowed;
            t.additiveMask(y, x) = loaded ? (*loaded)(i, j) : allowed ? 0.0f : fill;
        }
    }
    return t;
}

bool exact(const CellRegion& region)
{
    return region.rows.size() <= kMaxExactRegionSide && region.cols.size() <= kMaxExactRegionSide;
}

QStringList labelSlice(const std::vector<std::string>& tokens, IndexRange range)
{
    QStringList labels;
    labels.reserve(range.size());
    for (int k = range.begin; k < range.end; ++k)
        labels << QString::fromStdString(tokens.at(static_cast<size_t>(k)));
    return labels;
}

std::vector<bool> flagSlice(const std::vector<bool>& flags, IndexRange range)
{
    if (flags.size() < static_cast<size_t>(range.end))
        return {};
    return {flags.begin() + range.begin, flags.begin() + range.end};
}

// Labels, padding and position of the region's panel; token labels only where each cell can
// have one (a region of at most kMaxExactRegionSide), positions otherwise.
void placeRegion(Heatmap& map, const Scenario& s, int b, const CellRegion& region)
{
    const MaskSpec& mask = s.mask;
    const bool exactCells = exact(region);
    map.rowLabels = exactCells ? labelSlice(displayLabels(s, b, true), region.rows) : QStringList();
    map.colLabels = exactCells ? labelSlice(displayLabels(s, b, false), region.cols) : QStringList();
    map.rowPad = flagSlice(map.rowPad, region.rows);
    map.colPad = flagSlice(map.colPad, region.cols);
    map.firstRow = region.rows.begin;
    map.firstCol = region.cols.begin;
    if (region != wholeMatrix(mask)) {
        map.fullRows = mask.queryLen;
        map.fullCols = mask.keyLen;
    }
}

// The panel made a raster of the rules: no cells held, their kinds counted exactly.
void drawFromRules(Heatmap& map, const MaskSpec& mask, int b, const CellRegion& region)
{
    map.rows = region.rows.size();
    map.cols = region.cols.size();
    map.values.clear();
    map.states.clear();
    map.cellImage = QImage();
    map.rowFullyBlocked = rowsWithoutAllowedKey(mask, b, region.rows);
    const std::int64_t allowed =
        countAllowedInGrid(mask, b, {region.rows.begin, region.rows.end}, {region.cols.begin, region.cols.end}).front();
    CellKinds kinds;
    kinds.blocked = allowed < static_cast<std::int64_t>(map.rows) * map.cols;
    map.reducedKinds = kinds;
    map.source = std::make_shared<RulesMaskSource>(mask, b, region);
}

// Token labels for a scenario that has none (the window's long-context scenario is the mask
// alone): the positions, as for loaded inputs.
std::vector<std::vector<std::string>> positionTokens(int length, int batch)
{
    std::vector<std::string> positions(static_cast<size_t>(length));
    for (int k = 0; k < length; ++k)
        positions[static_cast<size_t>(k)] = std::to_string(k);
    return std::vector<std::vector<std::string>>(static_cast<size_t>(batch), positions);
}

// Why only the mask is drawn, as the window's long-context view says it.
QString memoryNote(const Scenario& s)
{
    const ScenarioConfig& c = s.config;
    const std::size_t bytes = traceBytes(1, c.heads, s.mask.queryLen, s.mask.keyLen, c.effectiveDModel(),
                                         figureTraceRequest(ViewKind::Weights, 0, 0), sizeof(float),
                                         c.scoreModifiers.active());
    return FigureText::tr("drawn from the rules: one head's logits and weights would need %1")
        .arg(QString::fromStdString(formatBytes(bytes)));
}

Figure figureOfRegion(const Scenario& s, int batchItem, const CellRegion& region, const QString& title)
{
    const MaskSpec& mask = s.mask;
    // A raster's titles, fill and overlay come from its first cell's figure: the builder says
    // them once for both kinds of panel.
    const CellRegion built = exact(region) ? region
                                           : CellRegion{{region.rows.begin, region.rows.begin + 1},
                                                        {region.cols.begin, region.cols.begin + 1}};
    Figure figure = buildFigure(s, regionTrace(mask, batchItem, built), ViewKind::Mask, 0, title);
    Heatmap& map = figure.panels.front();
    if (!exact(region)) {
        drawFromRules(map, mask, batchItem, region);
        if (!mask.attnMask) // the first cell may be allowed: say the fill itself
            figure.fillText = prettyNumber(static_cast<double>(fillIn<float>(mask.fill, mask.pitfalls.format)), 3);
    }
    placeRegion(map, s, batchItem, region);
    if (maskFigureNeedsRules(s))
        figure.subtitle += QStringLiteral(" \u00B7 ") + memoryNote(s);
    if (region != wholeMatrix(mask))
        figure.subtitle += QStringLiteral(" \u00B7 ") +
                           FigureText::tr("queries %1\u2013%2 \u00D7 keys %3\u2013%4")
                               .arg(region.rows.begin)
                               .arg(region.rows.end - 1)
                               .arg(region.cols.begin)
                               .arg(region.cols.end - 1);
    return figure;
}

} // namespace

CellRegion parseCellRegion(const std::string& text)
{
    const size_t comma = text.find(',');
    if (comma == std::string::npos)
        throw InputError("--region expects i0:i1,j0:j1 (whole numbers, end exclusive), got '" + text + "'");
    const std::string_view all(text);
    return {parseRange(text, all.substr(0, comma)), parseRange(text, all.substr(comma + 1))};
}

void checkRegion(const CellRegion& region, int queryLen, int keyLen)
{
    checkRange(region.rows, queryLen, "queries");
    checkRange(region.cols, keyLen, "keys");
}

bool maskFigureNeedsRules(const Scenario& s)
{
    return static_cast<long long>(s.mask.queryLen) * s.mask.keyLen > kMaxMatrixFigureCells;
}

Figure buildRulesMaskFigure(const Scenario& s, int batchItem, const CellRegion& region, const QString& title)
{
    const MaskSpec& mask = s.mask;
    if (batchItem < 0 || batchItem >= mask.batch)
        throw InputError("--batch-item " + std::to_string(batchItem) + " is outside 0.." + std::to_string(mask.batch - 1));
    checkRegion(region, mask.queryLen, mask.keyLen);
    if (s.tokensQ.size() == static_cast<size_t>(mask.batch) && s.tokensK.size() == static_cast<size_t>(mask.batch))
        return figureOfRegion(s, batchItem, region, title);
    // The mask alone (the window's long-context scenario): positions as labels, and the sizes
    // the subtitle names from the config (an empty in-projection of d_model columns).
    Scenario labelled = s;
    labelled.tokensQ = positionTokens(mask.queryLen, mask.batch);
    labelled.tokensK = positionTokens(mask.keyLen, mask.batch);
    if (auto* in = std::get_if<AttentionInputs<float>>(&labelled.inputs); in && labelled.embedDim() == 0) {
        in->heads = s.config.heads;
        in->inProjWeight.resize(0, s.config.effectiveDModel());
        labelled.kvHeads = s.config.effectiveKvHeads();
    }
    return figureOfRegion(labelled, batchItem, region, title);
}

QImage maskCoverageImage(const AllowedRaster& raster)
{
    QImage image(raster.width, raster.height, QImage::Format_ARGB32);
    if (image.isNull())
        return image;
    for (int y = 0; y < raster.height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        const int gy = raster.gridRowOfPixel[static_cast<size_t>(y)];
        for (int x = 0; x < raster.width; ++x)
            line[x] = maskCoveragePixel(raster.allowedCells(x, y),
                                        raster.area(gy, raster.gridColOfPixel[static_cast<size_t>(x)]));
    }
    return image;
}

} // namespace maskscope::ui
