// SPDX-License-Identifier: MIT
#include "window/manualdialog.h"

#include <QDesktopServices>
#include <QImage>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace maskscope::ui {

namespace {

const QString kDocsDir = QStringLiteral(":/docs");

bool isWebLink(const QUrl& url)
{
    const QString scheme = url.scheme();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto");
}

bool isPlainText(const QUrl& url)
{
    const QString suffix = QFileInfo(url.path()).suffix().toLower();
    return suffix.isEmpty() || suffix == QLatin1String("txt");
}

// Qt 6.4's QTextBrowser reads every page that is not Markdown as HTML, whatever type it is
// given, and guesses Markdown from the name only when asked to guess: say it for .md, and
// give plain text (the licence) as preformatted HTML (loadResource) so its lines stay.
QTextDocument::ResourceType formatOf(const QUrl& url)
{
    const QString suffix = QFileInfo(url.path()).suffix().toLower();
    if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown"))
        return QTextDocument::MarkdownResource;
    return QTextDocument::HtmlResource;
}

} // namespace

ManualBrowser::ManualBrowser(QWidget* parent) : QTextBrowser(parent)
{
    setOpenLinks(true);
    setOpenExternalLinks(true);
}

void ManualBrowser::doSetSource(const QUrl& url, QTextDocument::ResourceType type)
{
    // Resolved here, so that the source shown, and the links of the next page, are absolute.
    const QUrl target = source().resolved(url);
    if (isWebLink(target)) {
        QDesktopServices::openUrl(target); // the guide stays where it was
        return;
    }
    QTextBrowser::doSetSource(target, type == QTextDocument::UnknownResource ? formatOf(target) : type);
}

QVariant ManualBrowser::loadResource(int type, const QUrl& name)
{
    const QVariant data = QTextBrowser::loadResource(type, name);
    if (type == QTextDocument::ImageResource)
        return fittedImage(data);
    if (type != QTextDocument::HtmlResource || !isPlainText(source().resolved(name)))
        return data;
    return QStringLiteral("<pre>%1</pre>").arg(QString::fromUtf8(data.toByteArray()).toHtmlEscaped());
}

QVariant ManualBrowser::fittedImage(const QVariant& data) const
{
    // The screenshots are as wide as the window they show: drawn at most the page's width, a page
    // reads without scrolling sideways.
    const QImage image = QImage::fromData(data.toByteArray());
    const int width = std::max(kMinImageWidth, viewport()->width() - 2 * kImageMargin);
    if (image.isNull() || image.width() <= width)
        return data;
    return image.scaledToWidth(width, Qt::SmoothTransformation);
}

ManualDialog::ManualDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("manualDialog"));
    texts_.bind(this, &QWidget::setWindowTitle, [] { return tr("MaskScope Manual"); });
    browser_ = new ManualBrowser;
    browser_->setObjectName(QStringLiteral("manualBrowser"));
    texts_.bind(browser_, &QWidget::setAccessibleName, [] { return tr("Manual page"); });
    auto* buttons = new QHBoxLayout;
    QToolButton* back = addNavigationButton(buttons, QStringLiteral("manualBack"), QStyle::SP_ArrowBack);
    texts_.bind(back, &QToolButton::setText, [] { return tr("Back"); });
    QToolButton* forward = addNavigationButton(buttons, QStringLiteral("manualForward"), QStyle::SP_ArrowForward);
    texts_.bind(forward, &QToolButton::setText, [] { return tr("Forward"); });
    QToolButton* home = addNavigationButton(buttons, QStringLiteral("manualHome"), QStyle::SP_DirHomeIcon);
    texts_.bind(home, &QToolButton::setText, [] { return tr("Contents"); });
    buttons->addStretch(1);
    back->setShortcut(QKeySequence::Back);
    forward->setShortcut(QKeySequence::Forward);
    connect(back, &QToolButton::clicked, browser_, &QTextBrowser::backward);
    connect(forward, &QToolButton::clicked, browser_, &QTextBrowser::forward);
    connect(home, &QToolButton::clicked, this, [this] { showPage(startPage()); });
    connect(browser_, &QTextBrowser::backwardAvailable, back, &QWidget::setEnabled);
    connect(browser_, &QTextBrowser::forwardAvailable, forward, &QWidget::setEnabled);
    back->setEnabled(false);
    forward->setEnabled(false);
    auto* column = new QVBoxLayout(this);
    column->addLayout(buttons);
    column->addWidget(browser_, 1);
    resize(820, 720);
    showPage(startPage());
}

QToolButton* ManualDialog::addNavigationButton(QLayout* row, const QString& name, QStyle::StandardPixmap icon)
{
    auto* button = new QToolButton;
    button->setObjectName(name);
    button->setIcon(style()->standardIcon(icon));
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    row->addWidget(button);
    return button;
}

QUrl ManualDialog::startPage()
{
    return QUrl(QStringLiteral("qrc:/docs/user-guide.md"));
}

QList<QUrl> ManualDialog::pages()
{
    QStringList names = QDir(kDocsDir).entryList({QStringLiteral("*.md")}, QDir::Files);
    std::sort(names.begin(), names.end());
    QList<QUrl> urls;
    for (const QString& name : names)
        urls << QUrl(QStringLiteral("qrc:/docs/") + name);
    return urls;
}

void ManualDialog::showPage(const QUrl& page)
{
    browser_->setSource(page);
}

void ManualDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        texts_.retranslate();
    QDialog::changeEvent(event);
}

} // namespace maskscope::ui
