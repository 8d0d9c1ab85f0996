// SPDX-License-Identifier: MIT
#pragma once
// Texts that follow the language. A widget binds each of its texts once, where it builds the
// control that shows it; on QEvent::LanguageChange its retranslateUi() sets them all again. The
// controls stay what they are: their values, focus, connections and the user's place in them.

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QStringList>

#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace maskscope::ui {

class RetranslatedTexts {
public:
    /// Runs `setTexts` now and again on every retranslate(). Whatever it touches must live as
    /// long as this object (the children of the widget that owns it do).
    void bind(std::function<void()> setTexts)
    {
        setTexts();
        setters_.push_back(std::move(setTexts));
    }

    /// Sets `target`'s text through `setter` (e.g. &QLabel::setText, &QWidget::setToolTip) to
    /// `text()`, now and on every retranslate(). `text` is a callable returning the tr() text.
    template <typename Target, typename Setter, typename Text>
    Target* bind(Target* target, Setter setter, Text text)
    {
        bind([target, setter, text] { (target->*setter)(text()); });
        return target;
    }

    /// The entries of `combo` are `items()`, in order; a retranslation renames them in place, so
    /// the current index stays and no index signal is sent.
    template <typename Items>
    QComboBox* bindItems(QComboBox* combo, Items items)
    {
        bind([combo, items] {
            const QStringList texts = items();
            for (int k = 0; k < texts.size(); ++k) {
                if (k < combo->count())
                    combo->setItemText(k, texts[k]);
                else
                    combo->addItem(texts[k]);
            }
        });
        return combo;
    }

    /// Adds the row (`label()`, `field`) to `form`; the label follows the language.
    template <typename Field, typename Text>
    QLabel* addRow(QFormLayout* form, Text label, Field* field)
    {
        auto* title = new QLabel;
        form->addRow(title, field);
        if constexpr (std::is_base_of_v<QWidget, Field>)
            title->setBuddy(field);
        return bind(title, &QLabel::setText, label);
    }

    /// Sets every bound text again in the language now installed.
    void retranslate() const
    {
        for (const auto& set : setters_)
            set();
    }

private:
    std::vector<std::function<void()>> setters_;
};

} // namespace maskscope::ui
