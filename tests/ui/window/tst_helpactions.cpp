// SPDX-License-Identifier: MIT
// Help and View → Full screen: the bundled manual (every link and image of every page resolves
// inside the program, web links leave it, F1 opens it), About with version, licence and the
// AppStream addresses, full screen on and off, and dark figures that follow the palette until
// the user chooses.

#include "window/darkfigures.h"
#include "window/helpactions.h"
#include "window/manualdialog.h"

#include <QAction>
#include <QApplication>
#include <QDesktopServices>
#include <QFile>
#include <QImage>
#include <QMessageBox>
#include <QPalette>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QTest>

#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

// A bundled resource for a link of `page`, or an empty string for a link that leaves the program.
QString bundledPath(const QUrl& page, const QString& link)
{
    const QUrl target = page.resolved(QUrl(link));
    return target.scheme() == QLatin1String("qrc") ? QLatin1Char(':') + target.path() : QString();
}

// Every link target and image name of the page shown in `browser`, as the document holds them.
QStringList linksAndImages(const QTextDocument& document)
{
    QStringList found;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (format.isAnchor() && !format.anchorHref().isEmpty())
                found << format.anchorHref();
            if (format.isImageFormat())
                found << format.toImageFormat().name();
        }
    return found;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    return p;
}

const QString kSourceDir = QStringLiteral(MASKSCOPE_TEST_DATA "/../..");

} // namespace

class TestHelpActions : public QObject, public testing::WindowFixture {
    Q_OBJECT

    HelpActions* help() const { return window()->findChild<HelpActions*>(); }

public slots:
    void openedUrl(const QUrl& url) { opened_ << url; }

private slots:
    void initTestCase()
    {
        isolateSettings();
        lightPalette_ = QApplication::palette();
    }
    void init() { QVERIFY(openWindow(testing::syntheticConfig(8, 2, 16))); }
    void cleanup()
    {
        closeWindow();
        QApplication::setPalette(lightPalette_);
    }

    void everyLinkAndImageOfEveryPageIsBundled()
    {
        ManualDialog manual;
        const QList<QUrl> pages = ManualDialog::pages();
        QVERIFY(pages.contains(ManualDialog::startPage()));
        int checked = 0;
        for (const QUrl& page : pages) {
            manual.showPage(page);
            QCOMPARE(manual.browser()->source(), page);
            // Rendered as Markdown, not shown as its source: every page opens with its title.
            QVERIFY2(manual.browser()->document()->begin().blockFormat().headingLevel() == 1,
                     qPrintable(page.toString()));
            for (const QString& link : linksAndImages(*manual.browser()->document())) {
                if (link.startsWith(QLatin1Char('#')))
                    continue; // within the page
                const QString path = bundledPath(page, link);
                if (path.isEmpty())
                    continue; // the web: the desktop's browser
                QVERIFY2(QFile::exists(QUrl(path).path()), qPrintable(page.toString() + " -> " + link));
                ++checked;
            }
        }
        QVERIFY(checked > 0); // the start page links to others and shows an image
    }

    void screenshotsFitThePage()
    {
        ManualDialog manual;
        manual.resize(800, 600);
        manual.show();
        QVERIFY(QTest::qWaitForWindowExposed(&manual));
        manual.showPage(ManualDialog::startPage());
        const QUrl shot = ManualDialog::startPage().resolved(QUrl(QStringLiteral("screenshot.png")));
        QVERIFY(QImage(QUrl(shot).path().prepend(QLatin1Char(':'))).width() > 1000); // wider than the page
        const QVariant shown = manual.browser()->loadResource(QTextDocument::ImageResource, shot);
        const QImage image = shown.value<QImage>();
        QVERIFY(!image.isNull());
        QVERIFY2(image.width() <= manual.browser()->viewport()->width(), qPrintable(QString::number(image.width())));
    }
    void linksStayInsideAndWebLinksLeave()
    {
        ManualDialog manual;
        QTextBrowser* browser = manual.browser();
        const QUrl start = ManualDialog::startPage();
        browser->setSource(QUrl(QStringLiteral("architecture.md"))); // as a click on a relative link does
        QCOMPARE(browser->source(), start.resolved(QUrl(QStringLiteral("architecture.md"))));
        QCOMPARE(browser->document()->begin().blockFormat().headingLevel(), 1);
        browser->setSource(QUrl(QStringLiteral("../LICENSE")));
        QVERIFY2(browser->toPlainText().contains(QStringLiteral("MIT License\n")), qPrintable(browser->toPlainText()));
        browser->backward();
        browser->backward();
        QCOMPARE(browser->source(), start);

        QDesktopServices::setUrlHandler(QStringLiteral("https"), this, "openedUrl");
        const QUrl web(QStringLiteral("https://example.org/page"));
        browser->setSource(web);
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        QCOMPARE(opened_, QList<QUrl>{web});
        QCOMPARE(browser->source(), start);
    }

    void f1OpensTheGuide()
    {
        QVERIFY(QTest::qWaitForWindowActive(window()));
        QVERIFY(help()->manualAction()->shortcuts().contains(QKeySequence(Qt::Key_F1)));
        QCOMPARE(help()->manualDialog(), nullptr);
        QTest::keyClick(window(), Qt::Key_F1);
        QVERIFY(help()->manualDialog());
        QTRY_VERIFY(help()->manualDialog()->isVisible());
        QCOMPARE(help()->manualDialog()->browser()->source(), ManualDialog::startPage());
    }

    void aboutNamesVersionLicenceAndTheMetadataAddresses()
    {
        QFile metainfo(kSourceDir + QStringLiteral("/resources/desktop/io.github.maskscope.MaskScope.metainfo.xml"));
        QVERIFY(metainfo.open(QIODevice::ReadOnly));
        const QString xml = QString::fromUtf8(metainfo.readAll());
        QVERIFY(xml.contains(QStringLiteral("<url type=\"homepage\">%1</url>").arg(HelpActions::homepageUrl())));
        QVERIFY(xml.contains(QStringLiteral("<url type=\"bugtracker\">%1</url>").arg(HelpActions::issuesUrl())));

        help()->aboutAction()->trigger();
        QMessageBox* box = help()->aboutBox();
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QVERIFY(box->text().contains(QCoreApplication::applicationVersion()));
        QVERIFY(box->text().contains(QStringLiteral("MIT")));
        QVERIFY(box->text().contains(HelpActions::homepageUrl()));
        QVERIFY(box->text().contains(HelpActions::issuesUrl()));
        QFile licence(kSourceDir + QStringLiteral("/LICENSE"));
        QVERIFY(licence.open(QIODevice::ReadOnly));
        QCOMPARE(box->detailedText(), QString::fromUtf8(licence.readAll()));
        box->close();
    }

    void fullScreenTogglesAndFollowsTheWindow()
    {
        QAction* full = help()->fullScreenAction();
        QVERIFY(full->isCheckable());
        QVERIFY(full->shortcuts().contains(QKeySequence(Qt::Key_F11)));
        for (const QKeySequence& key : QKeySequence::keyBindings(QKeySequence::FullScreen))
            QVERIFY(full->shortcuts().contains(key));
        full->trigger();
        QVERIFY(window()->isFullScreen());
        QVERIFY(full->isChecked());
        full->trigger();
        QVERIFY(!window()->isFullScreen());
        window()->showFullScreen(); // e.g. by the window manager
        QVERIFY(full->isChecked());
        window()->showNormal();
        QVERIFY(!full->isChecked());
    }

    void darkFiguresFollowThePaletteUntilTheUserChooses()
    {
        QVERIFY(!isDarkPalette(QApplication::palette()));
        QCOMPARE(view()->figureStyle().theme, Theme::Light);
        QApplication::setPalette(darkPalette());
        QTRY_COMPARE(view()->figureStyle().theme, Theme::Dark);
        QApplication::setPalette(lightPalette_);
        QTRY_COMPARE(view()->figureStyle().theme, Theme::Light);

        QAction* dark = darkAction();
        dark->trigger(); // the user's choice: dark, whatever the palette
        QCOMPARE(view()->figureStyle().theme, Theme::Dark);
        QApplication::setPalette(darkPalette());
        QApplication::setPalette(lightPalette_);
        QTest::qWait(20); // the palette changes' queued reactions
        QCOMPARE(view()->figureStyle().theme, Theme::Dark);
    }

    void aDarkDesktopStartsDarkUnlessTheUserChoseLight()
    {
        closeWindow();
        QApplication::setPalette(darkPalette());
        QVERIFY(openWindow(testing::syntheticConfig(8, 2, 16)));
        QCOMPARE(view()->figureStyle().theme, Theme::Dark);
        closeWindow();

        QSettings().setValue(QStringLiteral("figure/dark"), false);
        MainWindow persisting(testing::syntheticConfig(8, 2, 16), std::nullopt, WindowOptions{true});
        QCOMPARE(persisting.heatmapView()->figureStyle().theme, Theme::Light);
        QSettings().remove(QStringLiteral("figure/dark"));
    }

private:
    QAction* darkAction() const
    {
        for (QAction* a : window()->findChildren<QAction*>())
            if (a->findChild<DarkFigures*>())
                return a;
        qFatal("no Dark figures action");
    }

    QPalette lightPalette_;
    QList<QUrl> opened_;
};

QTEST_MAIN(TestHelpActions)
#include "tst_helpactions.moc"
