// SPDX-License-Identifier: MIT
#include "mask/conventionsnippet.h"

#include "io/json.h"

#include <string>
#include <vector>

namespace maskscope::snippet {

namespace {

std::string pyNumber(double x)
{
    return jsonNumber(x);
}

std::string pyIntList(const std::vector<int>& values)
{
    std::string text = "[";
    for (size_t k = 0; k < values.size(); ++k) {
        if (k)
            text += ", ";
        text += std::to_string(values[k]);
    }
    return text + "]";
}


void writeImports(Python& py, const MaskSpec& spec, const RenderContext& c)
{
    const bool loadsFiles = spec.allowedFile || spec.attnMask || spec.keyPaddingMask;
    if (py.torch())
        py.line("import math").line("import torch").line("import torch.nn.functional as F");
    if (!py.torch() || loadsFiles)
        py.line("import numpy as np");
    py.line("");
    py.line("B, H, Lq, Lk = " + std::to_string(spec.batch) + ", " + std::to_string(c.heads) + ", " +
            std::to_string(spec.queryLen) + ", " + std::to_string(spec.keyLen));
    if (py.torch())
        py.line(std::string("DTYPE = torch.") + dtypeName(c.dtype));
    py.line("OFFSET = " + std::to_string(alignedQueryOffset(spec)) + "  # query i sits at key position i + OFFSET (" +
            causalAlignName(spec.rules.causalAlign) + " alignment)");
}

std::string loadNpy(const Python& py, const std::string& path)
{
    const std::string load = "np.load(" + jsonString(path) + ")";
    return py.torch() ? "torch.from_numpy(" + load + ")" : load;
}

// The draft tree as a table: TREE_SEES[k, m] = node k sees node m (itself and its ancestors).
void writeTreeConstants(Python& py, const MaskRules& r)
{
    if (r.tree.empty())
        return;
    const std::string n = std::to_string(r.tree.size());
    py.line("TREE_PARENTS = " + pyIntList(r.tree) + "  # parent node of each draft node, -1 = the prefix's end");
    py.line("TREE_PREFIX = Lk - " + n + "  # the last " + n + " positions are the tree's nodes");
    py.line(py.torch() ? "TREE_SEES = torch.zeros(" + n + ", " + n + ", dtype=torch.bool)"
                       : "TREE_SEES = np.zeros((" + n + ", " + n + "), dtype=bool)");
    py.line("for node, parent in enumerate(TREE_PARENTS):");
    py.line("    if parent >= 0:");
    py.line("        TREE_SEES[node] = TREE_SEES[parent]  # a node sees its parent's ancestors");
    py.line("    TREE_SEES[node, node] = True");
}

void writeConstants(Python& py, const MaskSpec& spec, const RenderContext& c)
{
    const MaskRules& r = spec.rules;
    const std::string T = py.torch() ? "torch" : "np";
    if (!r.segments.empty()) {
        const std::string n = std::to_string(r.segments.size());
        py.line(py.torch() ? "DOC = torch.repeat_interleave(torch.arange(" + n + "), torch.tensor(" + pyIntList(r.segments) + "))  # document of each key"
                           : "DOC = np.repeat(np.arange(" + n + "), " + pyIntList(r.segments) + ")  # document of each key");
    }
    if (!spec.validLens.empty())
        py.line("VALID_LENS = " + T + (py.torch() ? ".tensor(" : ".array(") + pyIntList(spec.validLens) + ")  # " +
                padSideName(spec.padSide) + " padding");
    if (!r.toggled.empty()) {
        std::vector<int> is, js;
        for (const Cell& cell : r.toggled.cells())
            is.push_back(cell.i), js.push_back(cell.j);
        py.line(py.torch() ? "TOGGLED = torch.zeros(Lq, Lk, dtype=torch.bool)  # custom cells, flipped after padding"
                           : "TOGGLED = np.zeros((Lq, Lk), dtype=bool)  # custom cells, flipped after padding");
        py.line("TOGGLED[" + pyIntList(is) + ", " + pyIntList(js) + "] = True");
    }
    if (spec.allowedFile)
        py.line("FILE_ALLOWED = " + loadNpy(py, c.maskFilePath.empty() ? "mask.npy" : c.maskFilePath) +
                "  # --mask-file: True = allowed");
    if (spec.attnMask) {
        const std::string load = loadNpy(py, c.loadDir + "/attn_mask.npy");
        py.line(spec.attnMask->isBool ? "LOADED_BLOCKED = " + load + "  # --load's attn_mask: True = blocked"
                                      : "LOADED_BLOCKED = " + load + " <= -1e4  # --load's float attn_mask, as blocked cells");
    }
    if (spec.keyPaddingMask)
        py.line("LOADED_PAD = " + loadNpy(py, c.loadDir + "/key_padding_mask.npy") + "  # --load's key_padding_mask: True = padding");
    if (py.torch() && c.modifiers.alibi) {
        std::string slopes;
        for (const double s : alibiSlopes(c.heads)) {
            if (!slopes.empty())
                slopes += ", ";
            slopes += pyNumber(s);
        }
        py.line("SLOPES = torch.tensor([" + slopes + "], dtype=DTYPE)  # ALiBi slope of each head");
    }
    if (py.torch() && c.modifiers.softcap)
        py.line("SOFTCAP = " + pyNumber(*c.modifiers.softcap));
    if (py.torch() && c.modifiers.hasSinkLogit()) {
        std::string sinks;
        for (int h = 0; h < c.heads; ++h) {
            if (!sinks.empty())
                sinks += ", ";
            sinks += pyNumber(*c.modifiers.sinkLogit(h));
        }
        py.line("SINKS = torch.tensor([" + sinks + "], dtype=DTYPE)  # sink logit of each head (gpt-oss)");
    }
    writeTreeConstants(py, r);
}

std::string floorDivision(const Python& py, const std::string& x, int divisor)
{
    return py.torch() ? "torch.div(" + x + ", " + std::to_string(divisor) + ", rounding_mode=\"floor\")"
                      : "np.floor_divide(" + x + ", " + std::to_string(divisor) + ")";
}

std::string clamped(const Python& py, const std::string& x, const std::string& lo, const std::string& hi)
{
    return py.torch() ? "(" + x + ").clamp(" + lo + ", " + hi + ")" : "np.clip(" + x + ", " + lo + ", " + hi + ")";
}

void writeTreeRule(Python& py)
{
    const std::string n = "len(TREE_PARENTS)";
    const std::string where = py.torch() ? "torch.where" : "np.where";
    py.line("    node_sees = TREE_SEES[" + clamped(py, "qp - TREE_PREFIX", "0", n + " - 1") + ", " +
            clamped(py, "kv - TREE_PREFIX", "0", n + " - 1") + "]");
    py.line("    keep = keep & " + where + "(qp < TREE_PREFIX, kv <= qp, (qp < Lk) & ((kv < TREE_PREFIX) | node_sees))  # tree");
}

void writeNeighborhoodRule(Python& py, const Neighborhood& n)
{
    const std::string w = std::to_string(n.width);
    const std::string kh = std::to_string(n.kernelHeight / 2), kw = std::to_string(n.kernelWidth / 2);
    const std::string abs = py.torch() ? "torch.abs" : "np.abs";
    py.line("    cy = " + clamped(py, floorDivision(py, "qp", n.width), kh, std::to_string(n.height - 1 - n.kernelHeight / 2)) +
            "  # kernel centre, clamped inside the " + std::to_string(n.height) + " x " + w + " grid");
    py.line("    cx = " + clamped(py, "qp % " + w, kw, std::to_string(n.width - 1 - n.kernelWidth / 2)));
    py.line("    keep = keep & (qp >= 0) & (qp < Lk) & (" + abs + "(" + floorDivision(py, "kv", n.width) + " - cy) <= " + kh +
            ") & (" + abs + "(kv % " + w + " - cx) <= " + kw + ")  # neighborhood (NATTEN)");
}

void writeGrantRules(Python& py, const MaskRules& r)
{
    if (r.globalTokens > 0) {
        const std::string g = std::to_string(r.globalTokens);
        py.line("    keep = keep | ((qp >= 0) & (qp < " + g + ")) | (kv < " + g + ")  # global tokens");
    }
    if (r.sink > 0)
        py.line("    keep = keep | ((kv < " + std::to_string(r.sink) + ") & (kv <= qp))  # attention sinks");
    for (const PositionSpan& span : r.bidirectional) {
        const std::string a = std::to_string(span.begin), b = std::to_string(span.end);
        py.line("    keep = keep | ((qp >= " + a + ") & (qp < " + b + ") & (kv >= " + a + ") & (kv < " + b +
                "))  # bidirectional span " + a + ":" + b);
    }
}

void writeRulesFunction(Python& py, const MaskSpec& spec)
{
    const MaskRules& r = spec.rules;
    const auto floorDiv = [&](const std::string& x) { return floorDivision(py, x, r.chunk); };
    py.line("").line("def rules_allowed(q, kv):");
    py.line("    \"\"\"The mask rules: True where query q may attend to key kv (before padding).\"\"\"");
    py.line("    qp = q + OFFSET");
    py.line("    keep = (q >= 0) & (kv >= 0)  # every cell, in the broadcast shape");
    if (spec.causal)
        py.line(r.prefix > 0 ? "    keep = keep & ((kv <= qp) | (kv < " + std::to_string(r.prefix) + "))  # causal; prefix-LM: the prefix is visible to all"
                             : "    keep = keep & (kv <= qp)  # causal");
    if (r.windowLeft >= 0)
        py.line("    keep = keep & (kv >= qp - " + std::to_string(r.windowLeft) + ")  # window, left");
    if (r.windowRight >= 0)
        py.line("    keep = keep & (kv <= qp + " + std::to_string(r.windowRight) + ")  # window, right");
    if (r.dilation > 1)
        py.line("    keep = keep & ((qp - kv) % " + std::to_string(r.dilation) + " == 0)  # dilation");
    if (!r.segments.empty()) {
        const std::string clip = py.torch() ? "qp.clamp(0, Lk - 1)" : "np.clip(qp, 0, Lk - 1)";
        py.line("    keep = keep & (qp >= 0) & (qp < Lk) & (DOC[" + clip + "] == DOC[kv])  # same document");
    }
    if (r.chunk > 0)
        py.line("    keep = keep & (" + floorDiv("qp") + " == " + floorDiv("kv") + ")  # same chunk");
    if (r.blockCausal > 0)
        py.line("    keep = keep & (" + floorDivision(py, "kv", r.blockCausal) + " <= " +
                floorDivision(py, "qp", r.blockCausal) + ")  # block-causal");
    if (!r.tree.empty())
        writeTreeRule(py);
    if (r.neighborhood.active())
        writeNeighborhoodRule(py, r.neighborhood);
    writeGrantRules(py, r);
    if (spec.allowedFile)
        py.line("    keep = keep & FILE_ALLOWED[q, kv]");
    py.line("    return keep");
}

std::string syntheticPadExpression(const MaskSpec& spec)
{
    return spec.padSide == PadSide::Right ? "(kv >= VALID_LENS[b])" : "(kv < Lk - VALID_LENS[b])";
}

void writePaddingFunctions(Python& py, const MaskSpec& spec)
{
    py.line("").line("def key_is_pad(b, kv):");
    py.line("    \"\"\"True where key kv of batch item b is padding.\"\"\"");
    py.line("    pad = (b < 0) & (kv < 0)  # none yet, in the broadcast shape");
    if (!spec.validLens.empty())
        py.line("    pad = pad | " + syntheticPadExpression(spec));
    if (spec.keyPaddingMask)
        py.line("    pad = pad | LOADED_PAD[b, kv]");
    py.line("    return pad");
}

void writeAllowedFunction(Python& py, const MaskSpec& spec)
{
    py.line("").line("def allowed(b, q, kv):");
    py.line("    \"\"\"MaskScope's allowed matrix: True = query q of batch item b may attend to key kv.\"\"\"");
    py.line("    keep = rules_allowed(q, kv) & (b >= 0)");
    if (!spec.validLens.empty())
        py.line("    keep = keep & ~" + syntheticPadExpression(spec) + "  # padding blocks global tokens too");
    if (!spec.rules.toggled.empty())
        py.line("    keep = keep ^ TOGGLED[q, kv]  # custom cells flip after padding");
    if (spec.keyPaddingMask)
        py.line("    keep = keep & ~LOADED_PAD[b, kv]");
    if (spec.attnMask)
        py.line("    keep = keep & ~LOADED_BLOCKED[q, kv]");
    py.line("    return keep");
}

void writeBatchFreeFunction(Python& py, const MaskSpec& spec)
{
    py.line("").line("def batch_free_allowed(q, kv):");
    py.line("    \"\"\"The mask without padding, the same for every batch item.\"\"\"");
    py.line("    keep = rules_allowed(q, kv)");
    if (!spec.rules.toggled.empty())
        py.line("    keep = keep ^ TOGGLED[q, kv]");
    if (spec.attnMask)
        py.line("    keep = keep & ~LOADED_BLOCKED[q, kv]");
    py.line("    return keep");
}

void writeAlibiFunction(Python& py)
{
    py.line("").line("def alibi_bias(h, q, kv):");
    py.line("    \"\"\"ALiBi: -slope_h * |i' - j| (on causal cells the paper's -slope_h * (i' - j)).\"\"\"");
    py.line("    return -SLOPES[h] * (q + OFFSET - kv).abs()");
}

void writeSinkFunction(Python& py)
{
    py.line("").line("def with_sink(out, lse):");
    py.line("    \"\"\"The sink logit: softmax over the keys and one more column of logit SINKS[h], dropped;");
    py.line("    the same as out * sum / (sum + exp(sink)) = out * sigmoid(lse - sink). lse: (B, H, Lq).\"\"\"");
    py.line("    return out * torch.sigmoid(lse - SINKS.view(1, H, 1)).unsqueeze(-1)");
}

void writeIndexGrids(Python& py)
{
    py.line("");
    if (py.torch()) {
        py.line("b_idx, h_idx = torch.arange(B).view(B, 1, 1, 1), torch.arange(H).view(1, H, 1, 1)");
        py.line("q_idx, kv_idx = torch.arange(Lq).view(1, 1, Lq, 1), torch.arange(Lk).view(1, 1, 1, Lk)");
    } else {
        py.line("b_idx = np.arange(B).reshape(B, 1, 1)");
        py.line("q_idx, kv_idx = np.arange(Lq).reshape(1, Lq, 1), np.arange(Lk).reshape(1, 1, Lk)");
    }
}

} // namespace

// The setup every snippet of a dialect starts with: constants and rule functions.
Python setupFor(Dialect d, const MaskSpec& spec, const RenderContext& c, bool batchFree)
{
    Python py(d);
    writeImports(py, spec, c);
    writeConstants(py, spec, c);
    writeRulesFunction(py, spec);
    writePaddingFunctions(py, spec);
    writeAllowedFunction(py, spec);
    if (batchFree)
        writeBatchFreeFunction(py, spec);
    if (py.torch() && c.modifiers.alibi)
        writeAlibiFunction(py);
    if (py.torch() && c.modifiers.hasSinkLogit())
        writeSinkFunction(py);
    writeIndexGrids(py);
    return py;
}


} // namespace maskscope::snippet
