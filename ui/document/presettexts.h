// SPDX-License-Identifier: MIT
#pragma once
// The names and descriptions of the built-in presets (resources/presets/*.json), repeated here
// because lupdate reads C++, not JSON: this list is what the translators see. PresetLibrary
// translates a preset's texts with QCoreApplication::translate(kPresetTextContext, text), so a
// text changed in a JSON file must be changed here too (tst_translations finds one that is not).

#include <QtGlobal>

namespace maskscope::ui {

inline constexpr const char* kPresetTextContext = "Presets";

inline constexpr const char* kPresetTexts[] = {
    QT_TRANSLATE_NOOP("Presets",
        "Encoder self-attention (padding only)"),
    QT_TRANSLATE_NOOP("Presets",
        "A BERT-style encoder reads a padded sentence. Every token may look at every real token "
        "in both directions; the three padding keys are blocked. The padded query rows are still "
        "computed: they carry no meaning."),
    QT_TRANSLATE_NOOP("Presets",
        "Decoder self-attention (causal + padding)"),
    QT_TRANSLATE_NOOP("Presets",
        "A GPT-style decoder: each token may only look at itself and earlier tokens (the lower "
        "triangle), so it cannot peek at the word it must predict. Padding keys are blocked as "
        "well."),
    QT_TRANSLATE_NOOP("Presets",
        "Cross-attention (source padding)"),
    QT_TRANSLATE_NOOP("Presets",
        "A translation decoder with 6 target tokens (queries) attends to a padded source sentence "
        "of 10 tokens (keys). Only the source padding is masked: every target token may look at "
        "every real source token."),
    QT_TRANSLATE_NOOP("Presets",
        "A batch of sentences of different lengths"),
    QT_TRANSLATE_NOOP("Presets",
        "Three sentences of 10, 6 and 8 tokens are padded to the same length so that they fit in "
        "one tensor. Each batch item gets its own padding mask: switch the batch item above the "
        "heatmap to compare them."),
    QT_TRANSLATE_NOOP("Presets",
        "Why NaN? Causal mask with left padding"),
    QT_TRANSLATE_NOOP("Presets",
        "Left padding puts the pads first. With a causal mask the first query rows may only see "
        "earlier keys, which are all padding: those rows have no allowed key, and under a -inf "
        "fill their softmax is NaN. Switch the fill to -1e9 to see the weights become uniform "
        "instead."),
    QT_TRANSLATE_NOOP("Presets",
        "Packed documents (sequence packing)"),
    QT_TRANSLATE_NOOP("Presets",
        "Three short documents packed into one sequence of 16, as training pipelines do to avoid padding. Each token may only see earlier tokens of its own document: the mask is block-diagonal with a causal triangle in every block. Switch on View → Block-sparsity tiles with B = 16 to see why kernels skip most of it at scale."),
    QT_TRANSLATE_NOOP("Presets",
        "Long context: L = 131072, sliding window"),
    QT_TRANSLATE_NOOP("Presets",
        "A Mistral-style sliding window of 4096 keys with 4 global tokens at a context of 131072. Logits and weights would need hundreds of GiB, so the window shows the mask alone, drawn from the rules at screen resolution: zoom with the wheel down to single cells, drag to pan, and read the exact share of tiles a block-sparse kernel skips.")
};

} // namespace maskscope::ui
