// SPDX-License-Identifier: MIT
// Conventions: every framework's tensors spell exactly MaskScope's allowed matrix; the generated
// Python rule code evaluates to it; and where Debian's python3-torch is installed, the PyTorch
// snippets run on MaskScope's inputs give MaskScope's weights (skipped with a message otherwise).
#include "attention/attention.h"
#include "mask/conventions.h"
#include "maskreference.h"
#include "io/npy.h"
#include "pythonbatch.h"
#include "pythontool.h"
#include "scenario/scenario.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

using namespace maskscope;
using namespace maskscope::testing;

namespace {

void writeText(const QString& path, const std::string& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text.data(), qint64(text.size()));
}

template <typename T>
NpyArray npyOf(const std::vector<std::size_t>& shape, const T* data, std::size_t count)
{
    NpyArray a;
    a.type = sizeof(T) == 4 ? NpyType::Float32 : NpyType::Float64;
    a.shape = shape;
    a.data.resize(count * sizeof(T));
    std::memcpy(a.data.data(), data, a.data.size());
    return a;
}

NpyArray boolNpy(const BoolMatrix& m)
{
    NpyArray a;
    a.type = NpyType::Bool;
    a.shape = {std::size_t(m.rows()), std::size_t(m.cols())};
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            a.data.push_back(m(i, j) ? 1 : 0);
    return a;
}

// Writes nn.MultiheadAttention's inputs as DIR/<name>.npy for the Python harness.
template <typename T>
void writeInputs(const QString& dir, const AttentionInputs<T>& in)
{
    const auto path = [&](const char* name) { return (dir + "/" + name + ".npy").toStdString(); };
    const auto batch = [&](const std::vector<Matrix<T>>& xs) {
        std::vector<T> all;
        for (const Matrix<T>& x : xs)
            all.insert(all.end(), x.data(), x.data() + x.size());
        return npyOf<T>({xs.size(), std::size_t(xs[0].rows()), std::size_t(xs[0].cols())}, all.data(), all.size());
    };
    writeNpy(path("query"), batch(in.query));
    writeNpy(path("key"), batch(in.key));
    writeNpy(path("value"), batch(in.value));
    writeNpy(path("in_proj_weight"), npyOf<T>({std::size_t(in.inProjWeight.rows()), std::size_t(in.inProjWeight.cols())},
                                              in.inProjWeight.data(), std::size_t(in.inProjWeight.size())));
    writeNpy(path("in_proj_bias"), npyOf<T>({std::size_t(in.inProjBias.size())}, in.inProjBias.data(), std::size_t(in.inProjBias.size())));
    writeNpy(path("out_proj_weight"), npyOf<T>({std::size_t(in.outProjWeight.rows()), std::size_t(in.outProjWeight.cols())},
                                               in.outProjWeight.data(), std::size_t(in.outProjWeight.size())));
    writeNpy(path("out_proj_bias"), npyOf<T>({std::size_t(in.outProjBias.size())}, in.outProjBias.data(), std::size_t(in.outProjBias.size())));
}

// Loads the inputs, builds mha (for torch-mha) or the per-head q, k and v = identity (so that
// attention's output is its weights), runs the snippet, saves `weights` as (B, H, Lq, Lk).
std::string harness(const QString& dir, Convention c, const std::string& snippet, bool documentedSdpa)
{
    std::string py = "import math\nimport numpy as np\nimport torch\nimport torch.nn.functional as F\n"
                     "torch.set_grad_enabled(False)\n"
                     "D = " + jsonString(dir.toStdString()) + "\n"
                     "def load(name):\n    return torch.from_numpy(np.load(D + '/' + name + '.npy'))\n"
                     "query, key, value = load('query'), load('key'), load('value')\n";
    const std::size_t headsLine = snippet.find("B, H, Lq, Lk = ");
    py += snippet.substr(headsLine, snippet.find('\n', headsLine) - headsLine) + "\n";
    py += "E = query.shape[-1]\n"
          "W, bias = load('in_proj_weight'), load('in_proj_bias')\n"
          "def project(x, which):\n"
          "    y = x @ W[which * E:(which + 1) * E].T + bias[which * E:(which + 1) * E]\n"
          "    return y.view(x.shape[0], x.shape[1], H, E // H).transpose(1, 2)\n"
          "q, k = project(query, 0), project(key, 1)\n"
          "v = torch.eye(Lk, dtype=query.dtype).expand(B, H, Lk, Lk)  # attention of v = I is its weights\n"
          "mha = torch.nn.MultiheadAttention(E, H, batch_first=True, dtype=query.dtype)\n"
          "mha.in_proj_weight.copy_(W)\nmha.in_proj_bias.copy_(bias)\n"
          "mha.out_proj.weight.copy_(load('out_proj_weight'))\nmha.out_proj.bias.copy_(load('out_proj_bias'))\n"
          "mha.eval()\n";
    if (documentedSdpa)
        py += "def sdpa_as_documented(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):\n"
              "    # the reference implementation in the scaled_dot_product_attention documentation\n"
              "    L, S = query.size(-2), key.size(-2)\n"
              "    scale_factor = 1 / math.sqrt(query.size(-1)) if scale is None else scale\n"
              "    attn_bias = torch.zeros(L, S, dtype=query.dtype)\n"
              "    if is_causal:\n"
              "        attn_bias = attn_bias.masked_fill(torch.ones(L, S, dtype=torch.bool).tril().logical_not(), float('-inf'))\n"
              "    if attn_mask is not None:\n"
              "        if attn_mask.dtype == torch.bool:\n"
              "            attn_bias = attn_bias.masked_fill(attn_mask.logical_not(), float('-inf'))\n"
              "        else:\n"
              "            attn_bias = attn_mask + attn_bias\n"
              "    w = torch.softmax(query @ key.transpose(-2, -1) * scale_factor + attn_bias, dim=-1)\n"
              "    return w @ value\n"
              "F.scaled_dot_product_attention = sdpa_as_documented\n";
    if (c == Convention::FlexAttention) {
        // This torch may lack FlexAttention: evaluate mask_mod and score_mod by broadcasting over
        // index grids (what create_mask does), score_mod before the mask as flex_attention does.
        py += snippet.substr(0, snippet.find("from torch.nn.attention"));
        py += "scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])\n";
        if (snippet.find("def score_mod") != std::string::npos)
            py += "scores = score_mod(scores, b_idx, h_idx, q_idx, kv_idx)\n";
        py += "masked = scores.masked_fill(~mask_mod(b_idx, h_idx, q_idx, kv_idx), float('-inf'))\n"
              "weights = torch.softmax(masked, dim=-1)\n";
        if (snippet.find("def with_sink") != std::string::npos) // flex_attention gives 0 for a row without keys
            py += "weights = with_sink(torch.nan_to_num(weights, nan=0.0), torch.logsumexp(masked, dim=-1))\n";
    } else {
        py += snippet;
    }
    if (c == Convention::TorchSdpa)
        py += "weights = out\n";
    py += "np.save(D + '/weights_out.npy', weights.contiguous().numpy())\n";
    return py;
}

struct Parity {
    double worst = 0;
    bool nanPatternMatches = true;
    std::size_t nanCells = 0;
};

template <typename T>
Parity compareWeights(const AttentionTrace<T>& t, const NpyArray& theirs)
{
    Parity p;
    std::size_t k = 0;
    for (const auto& bt : t.batches)
        for (const auto& h : bt.heads)
            for (Eigen::Index i = 0; i < h.weights.size(); ++i) {
                const double ours = double(h.weights.data()[i]), other = theirs.at(k++);
                p.nanCells += std::isnan(ours);
                if (std::isnan(ours) != std::isnan(other))
                    p.nanPatternMatches = false;
                else if (!std::isnan(ours))
                    p.worst = std::max(p.worst, std::fabs(ours - other));
            }
    return p;
}

ScenarioConfig parityConfig(int which)
{
    ScenarioConfig c;
    c.heads = 2;
    c.dModel = 8;
    c.seed = 40 + std::uint64_t(which);
    switch (which) {
    case 0: // causal + right padding: attn_mask (Lq, Lk) + key_padding_mask
        c.seqLen = 7, c.validLens = {7, 4}, c.causal = true;
        break;
    case 1: // KV-cache shape: bottom-right causal, dilated sliding window
        c.seqLen = 9, c.queryLen = 5, c.causal = true;
        c.rules.causalAlign = CausalAlign::BottomRight, c.rules.windowLeft = 4, c.rules.windowRight = 0;
        c.rules.dilation = 2;
        break;
    case 2: // packed documents, a global token, custom cells on padding (per-batch masks)
        c.seqLen = 8, c.validLens = {8, 6}, c.causal = true;
        c.rules.segments = {3, 3, 2}, c.rules.globalTokens = 1;
        c.rules.toggled.toggle(2, 7), c.rules.toggled.toggle(5, 0);
        break;
    case 3: // prefix-LM, chunks, ALiBi over 4 heads
        c.seqLen = 8, c.rules.prefix = 3, c.rules.chunk = 6, c.heads = 4, c.dModel = 16;
        c.scoreModifiers.alibi = true;
        break;
    case 4: // left padding + causal: rows with no allowed key
        c.seqLen = 6, c.validLens = {6, 2}, c.padSide = PadSide::Left, c.causal = true;
        break;
    case 5: // sliding window with soft-capping (FlexAttention and Hugging Face spell soft-capping)
        c.seqLen = 8, c.rules.windowLeft = 2, c.rules.windowRight = 2, c.scoreModifiers.softcap = 1.5;
        break;
    case 6: // the streaming mask (sinks + causal window) with a sink logit per head, padding
        c.seqLen = 9, c.validLens = {9, 6}, c.causal = true, c.rules.windowLeft = 2, c.rules.windowRight = 0;
        c.rules.sink = 2, c.scoreModifiers.sinkLogits = {0.5, -1.25};
        break;
    case 7: // block-causal with bidirectional spans; grouped K/V heads (tied in_proj rows)
        c.seqLen = 8, c.rules.blockCausal = 3, c.rules.bidirectional = {{1, 3}, {5, 8}};
        c.heads = 4, c.dModel = 16, c.kvHeads = 2;
        break;
    case 8: // tree attention of 4 draft nodes, queries bottom-right (the drafts only)
        c.seqLen = 9, c.queryLen = 4, c.rules.causalAlign = CausalAlign::BottomRight, c.rules.tree = {-1, 0, 0, 1};
        break;
    case 9: // 3 x 4 neighbourhood of 3 x 3 kernels
        c.seqLen = 12, c.rules.neighborhood = {3, 4, 3, 3};
        break;
    case 10: // a sink logit over rows with no allowed key (left padding + causal): 0, not NaN
        c.seqLen = 6, c.validLens = {6, 2}, c.padSide = PadSide::Left, c.causal = true;
        c.scoreModifiers.sinkLogits = {0.25};
        break;
    }
    return c;
}

constexpr int kParityConfigs = 11;
const char* kParityNames[kParityConfigs] = {"causal+padding", "bottom-right dilated window", "documents+global+custom",
                              "prefix+chunk+alibi", "left padding, empty rows", "window+softcap",
                              "streaming+sink logits", "block-causal+bidirectional+kv-heads", "tree",
                              "neighborhood", "empty rows with a sink logit"};
constexpr int kDocumentedSdpaConfigs = 5; // the first ones: SDPA spells them without modifiers

// The rows of snippetRulesEvaluateToTheAllowedMatrix: the torch dialect and numpy's.
const std::pair<const char*, Convention> kRulesRows[] = {{"torch (SDPA setup)", Convention::TorchSdpa},
                                                         {"numpy (TensorFlow setup)", Convention::TensorFlow},
                                                         {"numpy (Keras setup)", Convention::Keras}};

// The rows of torchSnippetsGiveMaskScopesWeights: each parity configuration in every PyTorch or
// Hugging Face convention that can spell it.
std::vector<std::pair<int, Convention>> parityRows()
{
    std::vector<std::pair<int, Convention>> rows;
    for (int which = 0; which < kParityConfigs; ++which)
        for (const Convention c : {Convention::TorchMha, Convention::TorchSdpa, Convention::FlexAttention,
                                   Convention::HuggingFace}) {
            const ScoreModifiers& mods = parityConfig(which).scoreModifiers;
            if ((mods.softcap || mods.hasSinkLogit()) && (c == Convention::TorchMha || c == Convention::TorchSdpa))
                continue; // their spellings have no soft-capping or sink logit (the rendering notes it)
            rows.emplace_back(which, c);
        }
    return rows;
}

// A parity row's scenario and its rendering in the row's convention.
struct ParityCase {
    ScenarioConfig config;
    Scenario scenario;
    RenderContext ctx;
    ConventionRendering rendering;
};

ParityCase parityCase(int which, Convention c)
{
    ParityCase p;
    p.config = parityConfig(which);
    if (c == Convention::HuggingFace)
        p.config.fill = Fill{Fill::Kind::Lowest, 0.0}; // HF blocks with finfo.min, not -inf
    p.scenario = buildScenario(p.config);
    p.ctx.heads = p.scenario.heads();
    p.ctx.dtype = p.scenario.dtype();
    p.ctx.modifiers = p.config.scoreModifiers;
    p.rendering = renderConvention(p.scenario.mask, c, p.ctx);
    return p;
}

// Writes DIR/run.py, which runs the row's snippet on its inputs and saves DIR/weights_out.npy.
void writeParityCheck(const QString& dir, int which, Convention c, bool documentedSdpa)
{
    const ParityCase p = parityCase(which, c);
    writeInputs(dir, std::get<AttentionInputs<float>>(p.scenario.inputs));
    writeText(dir + "/run.py", harness(dir, c, p.rendering.snippet, documentedSdpa));
}

// Writes DIR/run.py, which evaluates the rule setup of 80 random masks in `conv`'s dialect and
// saves each one's allowed matrix as DIR/allowed_<n>.npy. Returns the masks.
std::vector<MaskSpec> writeRulesCheck(const QString& dir, Convention conv)
{
    Random rng(62 + std::uint64_t(conv));
    constexpr int kSpecs = 80;
    std::vector<MaskSpec> specs;
    const std::string driver = "import numpy as np\nD = " + jsonString(dir.toStdString()) + "\n"
                               "for n in range(" + std::to_string(kSpecs) + "):\n"
                               "    ns = {}\n"
                               "    exec(open(f'{D}/setup_{n}.py').read(), ns)\n"
                               "    a = np.asarray(ns['allowed'](ns['b_idx'], ns['q_idx'], ns['kv_idx']))\n"
                               "    a = np.broadcast_to(a, np.broadcast_shapes(a.shape, ns['b_idx'].shape)).reshape(ns['B'], ns['Lq'], ns['Lk'])\n"
                               "    np.save(f'{D}/allowed_{n}.npy', np.ascontiguousarray(a))\n";
    for (int n = 0; n < kSpecs; ++n) {
        MaskSpec s = randomMaskSpec(rng, {16, true});
        RenderContext ctx;
        const QString sub = dir + QString("/load_%1").arg(n);
        QDir().mkpath(sub);
        ctx.loadDir = sub.toStdString();
        ctx.maskFilePath = (dir + QString("/file_%1.npy").arg(n)).toStdString();
        if (s.allowedFile)
            writeNpy(ctx.maskFilePath, boolNpy(*s.allowedFile));
        if (s.keyPaddingMask)
            writeNpy(ctx.loadDir + "/key_padding_mask.npy", boolNpy(*s.keyPaddingMask));
        const ConventionRendering r = renderConvention(s, conv, ctx);
        writeText(dir + QString("/setup_%1.py").arg(n), r.snippet.substr(0, r.setupLength));
        specs.push_back(std::move(s));
    }
    writeText(dir + "/run.py", driver);
    return specs;
}

QString rulesKey(Convention conv)
{
    return QString("rules %1").arg(int(conv));
}

QString parityKey(int which, Convention c, bool documentedSdpa)
{
    return QString("parity %1 %2 %3").arg(which).arg(int(c)).arg(documentedSdpa);
}

} // namespace

class TestConventions : public QObject {
    Q_OBJECT
private:
    bool numpy_ = false;
    bool torch_ = false;
    bool realSdpa_ = false;
    // Every row's python check, run in one python3 (importing torch per row took a minute).
    std::optional<QTemporaryDir> batchDir_;
    std::optional<PythonBatch> batch_;
    std::map<QString, QString> checkDirs_;         // by batch key: where the check wrote its results
    std::map<int, std::vector<MaskSpec>> rulesSpecs_; // by convention: the masks its rules check evaluated

    bool rulesRowRuns(Convention conv) const { return numpy_ && (conv != Convention::TorchSdpa || torch_); }
    bool parityRowRuns(Convention c, bool documentedSdpa) const
    {
        return torch_ && (documentedSdpa || c != Convention::TorchSdpa || realSdpa_);
    }
    QString addCheckDir(const QString& key);
    const PythonBatch& pythonBatch();
    void checkParity(int which, Convention c, bool documentedSdpa);

private slots:
    void initTestCase()
    {
        numpy_ = pythonImports("numpy");
        if (numpy_) {
            const Run r = runProcess(kPython,
                                     {"-c", "import torch.nn.functional as F; print(hasattr(F, 'scaled_dot_product_attention'))"},
                                     QProcessEnvironment::systemEnvironment(), 120000);
            torch_ = r.status == 0;
            realSdpa_ = torch_ && r.out.trimmed() == "True";
        }
        qInfo("python3 numpy: %s, torch: %s, F.scaled_dot_product_attention: %s", numpy_ ? "yes" : "no",
              torch_ ? "yes" : "no", realSdpa_ ? "yes" : "no");
    }
    void namesRoundTripAndBadNamesListTheChoices()
    {
        for (const ConventionInfo& info : allConventions()) {
            QCOMPARE(parseConvention(info.name), info.id);
            QCOMPARE(conventionInfo(info.id).name, info.name);
        }
        try {
            parseConvention("pytorch");
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY(QString(e.what()).contains("torch-mha, torch-sdpa, flex, hf, tf, keras"));
        }
    }
    void polarityMistakeInvertsTheAllowedMatrix()
    {
        MaskSpec s;
        s.causal = true;
        const BoolMatrix a = allowedMatrix(s, 0);
        QVERIFY((allowedAsRead(a, MaskPolarity::TrueMeansBlocked, MaskPolarity::TrueMeansBlocked) == a).all());
        const BoolMatrix wrong = allowedAsRead(a, MaskPolarity::TrueMeansAttend, MaskPolarity::TrueMeansBlocked);
        QVERIFY((wrong == !a).all());
        // The classic: an SDPA mask (True = attend) given to nn.MultiheadAttention. The causal
        // mask turns anti-causal: the last row sees nothing at all and turns NaN.
        const ConventionRendering r = renderConvention(s, Convention::TorchSdpa, {});
        QVERIFY((r.allowedIfPolarityFlipped[0] == !a).all());
        QCOMPARE(r.rowsWithNoKeyIfPolarityFlipped, 1);
    }
    void huggingFaceMaskReadAsKeyPaddingBlocksTheRealTokens()
    {
        MaskSpec s;
        s.batch = 2;
        s.validLens = {8, 5};
        const ConventionRendering r = renderConvention(s, Convention::HuggingFace, {});
        for (int j = 0; j < 8; ++j)
            QCOMPARE(r.allowedIfPolarityFlipped[1](0, j), j >= 5);
        QCOMPARE(r.rowsWithNoKeyIfPolarityFlipped, 8); // batch item 0 has no padding to attend to
    }
    void polarityFlipEffectCountsWhatTheMisreadMaskChanges()
    {
        // Causal, valid length 3 of 4 (right padding): flipping every cell attends the padding
        // key, blocks the real keys each row meant to see, and leaves row 3 with no key at all.
        MaskSpec s;
        s.queryLen = s.keyLen = 4;
        s.causal = true;
        s.validLens = {3};
        const BoolMatrix meant = allowedMatrix(s, 0);
        const BoolMatrix flipped = !meant;
        const PolarityFlipEffect e = polarityFlipEffect(meant, flipped, s.keyPadFlags(0));
        QCOMPARE(e.cellsFlipped, 16);
        QCOMPARE(e.allowedLost, 1 + 2 + 3 + 3);     // rows 0..3 see keys 0..min(i, 2)
        QCOMPARE(e.blockedGained, 16 - 9);
        QCOMPARE(e.paddingAttended, 4);             // key 3 in every row
        QCOMPARE(e.rowsWithNoKey, std::vector<int>{});
        // Read right, nothing changes; a row that loses its only key is reported as new.
        QCOMPARE(polarityFlipEffect(meant, meant, s.keyPadFlags(0)).cellsFlipped, 0);
        BoolMatrix lost = meant;
        lost.row(0).setConstant(false);
        const PolarityFlipEffect one = polarityFlipEffect(meant, lost, s.keyPadFlags(0));
        QCOMPARE(one.newRowsWithNoKey, std::vector<int>{0});
        QCOMPARE(one.allowedLost, 1);
        QVERIFY_THROWS_EXCEPTION(InputError, polarityFlipEffect(meant, lost, {true}));
    }
    void tensorsSpellExactlyTheAllowedMatrix()
    {
        Random rng(61);
        for (int n = 0; n < 300; ++n) {
            const MaskSpec s = randomMaskSpec(rng, {12, true});
            RenderContext ctx;
            ctx.heads = pick(rng, 1, 3);
            ctx.dtype = chance(rng, 50) ? DType::Float32 : DType::Float64;
            std::vector<BoolMatrix> allowed;
            for (int b = 0; b < s.batch; ++b)
                allowed.push_back(allowedMatrix(s, b));
            const auto at = [&](const ConventionTensor& t, int b, int i, int j) {
                return t.values[(std::size_t(b) * s.queryLen + std::size_t(i)) * s.keyLen + std::size_t(j)];
            };
            for (const ConventionInfo& info : allConventions()) {
                const ConventionRendering r = renderConvention(s, info.id, ctx);
                const ConventionTensor& t = r.tensors.front();
                std::size_t count = 1;
                for (const int d : t.shape)
                    count *= std::size_t(d);
                QCOMPARE(t.values.size(), count);
                for (int b = 0; b < s.batch; ++b)
                    for (int i = 0; i < s.queryLen; ++i)
                        for (int j = 0; j < s.keyLen; ++j) {
                            const bool a = allowed[size_t(b)](i, j);
                            switch (info.id) {
                            case Convention::TorchMha:
                                if (r.flags[0].value) { // (Lq, Lk) attn_mask + (B, Lk) key_padding_mask
                                    const bool pad = r.tensors.size() > 2 && r.tensors[2].values[size_t(b) * s.keyLen + size_t(j)] != 0;
                                    QCOMPARE(t.values[size_t(i) * s.keyLen + size_t(j)] == 0 && !pad, a);
                                } else {
                                    for (int h = 0; h < ctx.heads; ++h)
                                        QCOMPARE(at(t, b * ctx.heads + h, i, j) == 0, a);
                                }
                                break;
                            case Convention::TorchSdpa:
                            case Convention::FlexAttention:
                            case Convention::Keras:
                                QCOMPARE(at(t, b, i, j) == 1, a);
                                break;
                            case Convention::HuggingFace:
                                QCOMPARE(at(r.tensors[1], b, i, j), a ? 0.0 : (ctx.dtype == DType::Float32 ? -double(FLT_MAX) : -DBL_MAX));
                                QCOMPARE(t.values[size_t(b) * s.keyLen + size_t(j)], s.keyIsPad(b, j) ? 0.0 : 1.0);
                                break;
                            case Convention::TensorFlow:
                                QCOMPARE(at(t, b, i, j), a ? 0.0 : 1.0);
                                break;
                            }
                        }
            }
        }
    }
    void flagsSayWhenTheShortSpellingIsExact()
    {
        ScenarioConfig c;
        c.causal = true;
        const auto flag = [](const MaskSpec& s, Convention conv) {
            return renderConvention(s, conv, {}).flags.front().value;
        };
        MaskSpec causal = buildMaskSpec(c);
        QVERIFY(flag(causal, Convention::TorchSdpa));        // is_causal
        QVERIFY(flag(causal, Convention::Keras));            // use_causal_mask
        c.validLens = {8};
        c.seqLen = 8;
        c.validLens = {6};
        MaskSpec padded = buildMaskSpec(c);
        QVERIFY(!flag(padded, Convention::TorchSdpa));       // padding: no longer pure causal
        QVERIFY(flag(padded, Convention::HuggingFace));      // but a decoder's 2-D mask suffices
        QVERIFY(flag(padded, Convention::TorchMha));         // (Lq, Lk) + key_padding_mask
        c.rules.windowLeft = 2;
        MaskSpec window = buildMaskSpec(c);
        QVERIFY(!flag(window, Convention::HuggingFace));
        QVERIFY(!flag(window, Convention::TensorFlow));
        c = ScenarioConfig{};
        c.seqLen = 6, c.queryLen = 3, c.causal = true, c.rules.causalAlign = CausalAlign::BottomRight;
        const std::string snippet = renderConvention(buildMaskSpec(c), Convention::TorchSdpa, {}).snippet;
        QVERIFY(snippet.find("causal_lower_right") != std::string::npos);
    }
    void snippetRulesEvaluateToTheAllowedMatrix_data()
    {
        QTest::addColumn<int>("convention");
        for (const auto& [name, conv] : kRulesRows)
            QTest::newRow(name) << int(conv);
    }
    void snippetRulesEvaluateToTheAllowedMatrix()
    {
        QFETCH(int, convention);
        const Convention conv = Convention(convention);
        if (!rulesRowRuns(conv))
            QSKIP("needs /usr/bin/python3 with numpy (and torch for the torch dialect)");
        const PythonBatch::Result run = pythonBatch().result(rulesKey(conv));
        QVERIFY2(run.ok, qPrintable(run.output));
        const QString dir = checkDirs_.at(rulesKey(conv));
        const std::vector<MaskSpec>& specs = rulesSpecs_.at(convention);
        for (int n = 0; n < int(specs.size()); ++n) {
            const MaskSpec& s = specs[size_t(n)];
            const NpyArray a = readNpy((dir + QString("/allowed_%1.npy").arg(n)).toStdString());
            QCOMPARE(a.elementCount(), std::size_t(s.batch) * s.queryLen * s.keyLen);
            std::size_t k = 0;
            for (int b = 0; b < s.batch; ++b)
                for (int i = 0; i < s.queryLen; ++i)
                    for (int j = 0; j < s.keyLen; ++j)
                        if (a.boolAt(k++) != allowedAt(s, b, i, j))
                            QFAIL(qPrintable(QString("spec %1: cell (%2, %3, %4) differs").arg(n).arg(b).arg(i).arg(j)));
        }
    }
    void torchSnippetsGiveMaskScopesWeights_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<int>("convention");
        for (const auto& [which, c] : parityRows())
            QTest::newRow(qPrintable(QString("%1 %2").arg(conventionInfo(c).name, kParityNames[which])))
                << which << int(c);
    }
    void torchSnippetsGiveMaskScopesWeights()
    {
        QFETCH(int, which);
        QFETCH(int, convention);
        if (!torch_)
            QSKIP("Debian's python3-torch is not installed: the PyTorch snippets were not run");
        if (Convention(convention) == Convention::TorchSdpa && !realSdpa_)
            QSKIP("this torch has no F.scaled_dot_product_attention (PyTorch >= 2.0); see "
                  "sdpaSnippetFollowsTheDocumentedSemantics");
        checkParity(which, Convention(convention), false);
    }
    void sdpaSnippetFollowsTheDocumentedSemantics_data()
    {
        QTest::addColumn<int>("which");
        for (int which = 0; which < kDocumentedSdpaConfigs; ++which)
            QTest::newRow(kParityNames[which]) << which;
    }
    void sdpaSnippetFollowsTheDocumentedSemantics()
    {
        // The SDPA snippet against the reference implementation printed in PyTorch's
        // scaled_dot_product_attention documentation: checks True = attend and is_causal where
        // the installed torch predates the function.
        QFETCH(int, which);
        if (!torch_)
            QSKIP("Debian's python3-torch is not installed: the SDPA snippet was not run");
        checkParity(which, Convention::TorchSdpa, true);
    }
};

QString TestConventions::addCheckDir(const QString& key)
{
    const QString dir = batchDir_->filePath(QString("check_%1").arg(checkDirs_.size()));
    QDir().mkpath(dir);
    checkDirs_[key] = dir;
    batch_->add(key, dir + "/run.py");
    return dir;
}

// Written and run on first use, for every row that runs here: a row then reads its own result.
const PythonBatch& TestConventions::pythonBatch()
{
    if (batch_)
        return *batch_;
    batchDir_.emplace();
    batch_.emplace(batchDir_->path());
    for (const auto& [name, conv] : kRulesRows)
        if (rulesRowRuns(conv))
            rulesSpecs_[int(conv)] = writeRulesCheck(addCheckDir(rulesKey(conv)), conv);
    for (const auto& [which, c] : parityRows())
        if (parityRowRuns(c, false))
            writeParityCheck(addCheckDir(parityKey(which, c, false)), which, c, false);
    if (parityRowRuns(Convention::TorchSdpa, true))
        for (int which = 0; which < kDocumentedSdpaConfigs; ++which)
            writeParityCheck(addCheckDir(parityKey(which, Convention::TorchSdpa, true)), which, Convention::TorchSdpa, true);
    batch_->run(kPython); // a failure shows in each row's result
    return *batch_;
}

void TestConventions::checkParity(int which, Convention c, bool documentedSdpa)
{
    const ParityCase p = parityCase(which, c);
    const QString key = parityKey(which, c, documentedSdpa);
    const PythonBatch::Result run = pythonBatch().result(key);
    QVERIFY2(run.ok, qPrintable(run.output + "\n" + QString::fromStdString(p.rendering.snippet)));
    const auto& inputs = std::get<AttentionInputs<float>>(p.scenario.inputs);
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    engine.compute(inputs, p.scenario.mask, p.config.scoreModifiers, TraceRequest{}, trace);
    const NpyArray theirs = readNpy((checkDirs_.at(key) + "/weights_out.npy").toStdString());
    QCOMPARE(theirs.elementCount(), std::size_t(p.scenario.mask.batch) * p.ctx.heads * p.scenario.mask.queryLen *
                                        p.scenario.mask.keyLen);
    const Parity parity = compareWeights(trace, theirs);
    qInfo("%s: max |dw| = %.3g, NaN cells %zu", conventionInfo(c).name, parity.worst, parity.nanCells);
    QVERIFY2(parity.nanPatternMatches, "NaN where the framework has none, or vice versa");
    QVERIFY(parity.worst <= 1e-5);
}

QTEST_GUILESS_MAIN(TestConventions)
#include "tst_conventions.moc"
