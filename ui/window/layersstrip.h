// SPDX-License-Identifier: MIT
#pragma once
// The Layers strip above the views: which mask each layer of a model uses at the current length,
// one small cell per layer, coloured by kind (full, sliding window, chunked; a dot for learned
// sinks). Without a checkpoint it shows a published configuration (Mistral, Gemma 2, Gemma 3,
// Llama 4, gpt-oss; scenario/layerpatterns.h) and a click sets that layer's rules; with one
// (--model) it shows the checkpoint's own layers and a click shows that layer. It only reads the
// document and edits its config, like the other controls.

#include "scenario/layerpatterns.h"
#include "window/retranslation.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;

namespace maskscope::ui {

class MaskDocument;

/// The row of cells: paints them and reports clicks. Cell widths follow the widget's width, so
/// 48 layers fit beside the docks.
class LayerCells : public QWidget {
    Q_OBJECT
public:
    explicit LayerCells(QWidget* parent = nullptr);

    /// What each cell shows. `sameAsFull[k]`: at the current length layer k cuts nothing off.
    struct Cells {
        std::vector<LayerRule> rules;
        std::vector<bool> sameAsFull;
        std::vector<QString> tips;
        std::optional<int> picked;  ///< the layer shown (drawn pressed)
        std::vector<bool> matching; ///< layers whose mask is the one shown (outlined)
    };
    void setCells(Cells cells);
    const Cells& cells() const { return cells_; }

    /// Where layer `layer` is drawn (empty when it is out of range).
    QRect cellRect(int layer) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void layerClicked(int layer);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    int layerAt(QPoint p) const;
    double cellWidth() const;

    Cells cells_;
};

class LayersStrip : public QWidget {
    Q_OBJECT
public:
    explicit LayersStrip(MaskDocument* document, QWidget* parent = nullptr);

    /// The pattern shown without a checkpoint (index into layerPatterns()).
    int familyIndex() const;
    LayerCells* cells() const { return cells_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void pickLayer(int layer);
    void syncFromDocument();
    void showModel(const ScenarioConfig& c, int length);
    void showFamily(const ScenarioConfig& c, int length);
    /// The checkpoint's layers, once the model has run on the current config (else empty).
    std::vector<LayerRule> modelRules() const;
    int currentLength() const;

    MaskDocument* document_;
    RetranslatedTexts texts_;
    QLabel* title_ = nullptr;
    QComboBox* family_ = nullptr;
    QLabel* summary_ = nullptr;
    LayerCells* cells_ = nullptr;
    std::optional<int> picked_; ///< the synthetic layer last clicked, while its rules are shown
    bool syncing_ = false;
};

/// The tooltip text of one layer's rule at sequence length `length` (one line).
QString describeLayerRule(const LayerRule& rule, int length);

} // namespace maskscope::ui
