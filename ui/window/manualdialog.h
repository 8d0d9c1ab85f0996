// SPDX-License-Identifier: MIT
#pragma once
// Help → Manual: the user guide (docs/*.md, its images and the licence, compiled into the binary
// as resources under qrc:/docs/ and qrc:/LICENSE) in a browser window that works offline. Links
// between pages and to images resolve inside the resources; web links open in the desktop's
// browser.

#include <QDialog>
#include <QList>
#include <QStyle>
#include <QTextBrowser>
#include <QUrl>

#include "window/retranslation.h"

class QToolButton;

namespace maskscope::ui {

/// A QTextBrowser that decides a page's format by its name: .md is Markdown, a file without
/// extension (../LICENSE) or .txt plain text, anything else HTML; web and mail links go to the
/// desktop's browser and mailer, and the page shown stays.
class ManualBrowser : public QTextBrowser {
    Q_OBJECT
public:
    explicit ManualBrowser(QWidget* parent = nullptr);

    /// The bundled file `name`; a plain-text one (no extension, or .txt) as preformatted HTML;
    /// an image wider than the page scaled down to the page's width.
    QVariant loadResource(int type, const QUrl& name) override;

protected:
    void doSetSource(const QUrl& url, QTextDocument::ResourceType type) override;

private:
    static constexpr int kMinImageWidth = 200; ///< pixels, however narrow the browser
    static constexpr int kImageMargin = 12;    ///< pixels kept free each side of an image
    QVariant fittedImage(const QVariant& data) const;
};

class ManualDialog : public QDialog {
    Q_OBJECT
public:
    explicit ManualDialog(QWidget* parent = nullptr);

    /// The page Help → Manual and the Home button show: qrc:/docs/user-guide.md.
    static QUrl startPage();
    /// Every bundled page (qrc:/docs/*.md), sorted by name.
    static QList<QUrl> pages();

    QTextBrowser* browser() const { return browser_; }
    /// Shows `page` (a bundled page, optionally with a #fragment).
    void showPage(const QUrl& page);

protected:
    void changeEvent(QEvent* event) override;

private:
    QToolButton* addNavigationButton(QLayout* row, const QString& name, QStyle::StandardPixmap icon);

    RetranslatedTexts texts_;
    ManualBrowser* browser_ = nullptr;
};

} // namespace maskscope::ui
