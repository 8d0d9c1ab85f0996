// SPDX-License-Identifier: MIT
// Every user-visible string has a Chinese translation, and switching the language changes the
// real window. The first half runs lupdate on today's sources (the list the update target uses)
// and checks every message against the committed resources/translations/*.ts: a new tr() text
// without a translation fails here. The second half drives the window offscreen in Chinese and
// back: the widgets stay (with their values and focus) and say everything again in the other
// language; every text they show is read for English words that escaped tr().

#include "window/controlpanel.h"
#include "window/exportdialog.h"
#include "figure/figurerenderer.h"
#include "window/heatmapview.h"
#include "window/inspectorpanel.h"
#include "figure/language.h"
#include "window/languagemenu.h"
#include "window/mainwindow.h"
#include "document/maskdocument.h"
#include "document/presetlibrary.h"
#include "document/presettexts.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDockWidget>
#include <QFontDatabase>
#include <QFontInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLibraryInfo>
#include <QMenuBar>
#include <QProcess>
#include <QRawFont>
#include <QRegularExpression>
#include <QSettings>
#include <QSet>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextDocument>
#include <QXmlStreamReader>
#include <QTest>

#include <map>

#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

constexpr int kTimeoutMs = 120000;

struct TsMessage {
    QStringList forms;    ///< the translation, or its numerus forms
    bool finished = false; ///< no type="unfinished" / "vanished" / "obsolete"
    bool numerus = false;
};

// (context, source, comment) -> message.
using TsKey = std::tuple<QString, QString, QString>;
using TsFile = std::map<TsKey, TsMessage>;

TsMessage readMessage(QXmlStreamReader& xml, QString& source, QString& comment)
{
    TsMessage m;
    m.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("comment")) {
            comment = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            m.finished = xml.attributes().value(QLatin1String("type")).isEmpty();
            if (m.numerus) {
                while (xml.readNextStartElement())
                    m.forms << xml.readElementText();
            } else {
                m.forms << xml.readElementText();
            }
        } else {
            xml.skipCurrentElement();
        }
    }
    return m;
}

TsFile readTs(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QXmlStreamReader xml(&file);
    TsFile out;
    QString context;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            QString source, comment;
            const TsMessage m = readMessage(xml, source, comment);
            out[{context, source, comment}] = m;
        }
    }
    if (xml.hasError())
        qFatal("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return out;
}

// What lupdate finds in the sources today, into a temporary .ts.
TsFile extractMessages(const QTemporaryDir& dir)
{
    const QString ts = dir.filePath(QStringLiteral("fresh_zh_CN.ts"));
    QProcess lupdate;
    lupdate.start(QStringLiteral(MASKSCOPE_LUPDATE),
                  {QStringLiteral("-locations"), QStringLiteral("none"),
                   QStringLiteral("@" MASKSCOPE_TR_SOURCE_LIST), QStringLiteral("-ts"), ts});
    if (!lupdate.waitForFinished(kTimeoutMs) || lupdate.exitCode() != 0)
        qFatal("lupdate failed: %s", lupdate.readAllStandardError().constData());
    return readTs(ts);
}

QSet<QString> matches(const QString& pattern, const QString& text)
{
    QSet<QString> found;
    const QRegularExpression re(pattern);
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured(0);
    return found;
}

QSet<QString> placeholders(const QString& text) { return matches(QStringLiteral("%(L?[1-9]|n|p)"), text); }

QStringList tags(const QString& text)
{
    QStringList list = matches(QStringLiteral("</?[A-Za-z][^>]*>"), text).values();
    list.sort();
    return list;
}

bool hasMnemonic(QString text)
{
    text.remove(QStringLiteral("&&"));
    return text.contains(QRegularExpression(QStringLiteral("&[^\\s&]")));
}

QString describe(const TsKey& key)
{
    return QStringLiteral("[%1] \"%2\"").arg(std::get<0>(key), std::get<1>(key).left(70));
}

// What is wrong with `translation` of `source`, or an empty string.
QString problemOf(const QString& source, const QString& translation)
{
    if (translation.trimmed().isEmpty())
        return QStringLiteral("empty");
    if (placeholders(source) != placeholders(translation))
        return QStringLiteral("placeholders differ");
    if (tags(source) != tags(translation))
        return QStringLiteral("HTML tags differ");
    if (hasMnemonic(source) != hasMnemonic(translation))
        return QStringLiteral("mnemonic (&) missing or extra");
    return {};
}

QStringList problemsOf(const TsKey& key, const TsFile& committed, int forms)
{
    const auto it = committed.find(key);
    if (it == committed.end())
        return {describe(key) + QStringLiteral(": not in the .ts (run the update_translations target)")};
    const TsMessage& m = it->second;
    if (!m.finished)
        return {describe(key) + QStringLiteral(": unfinished")};
    if (m.forms.size() < forms)
        return {describe(key) + QStringLiteral(": %1 plural forms, %2 needed").arg(m.forms.size()).arg(forms)};
    QStringList problems;
    for (const QString& form : m.forms)
        if (const QString p = problemOf(std::get<1>(key), form); !p.isEmpty())
            problems << describe(key) + QStringLiteral(": ") + p;
    return problems;
}

// Latin words a Chinese window may show: names, code, units and the technical terms that
// Chinese teaching material leaves in English. Anything else is a text that escaped tr().
const QSet<QString>& allowedLatinWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char* w : {"MaskScope", "PyTorch", "Qt", "NaN", "Logits", "logits", "logit", "softmax",
                              "ALiBi", "torch", "tril", "TF", "English", "Ctrl", "Shift", "nn",
                              "MultiheadAttention", "npy", "pad", "ms", "exp", "max", "tanh", "inf",
                              "dk", // d<sub>k</sub> as plain text
                              "DPI", "PNG", "SVG", "PDF", "png", "svg", "pdf",
                              // frameworks and the flags of their masks, named as in their docs
                              "TensorFlow", "Keras", "Hugging", "Face", "FlexAttention", "FlashAttention",
                              "SDPA", "MHA", "True", "False", "bool", "float", "transformers",
                              "MultiHeadAttention", "Transformer", "None", "maskscope", "dump",
                              "neg", // --fill neg-inf
                              "mask", // the TensorFlow tutorial's argument, and ~mask in the fixes
                              "Lq", "Lk", "token", "tokens", "LM",
                              "Press", // ALiBi: Press et al., 2022
                              // the models and methods the rules of issue 13 come from
                              "StreamingLLM", "Gemma", "Medusa", "EAGLE", "NATTEN", "gpt", "oss",
                              "KH", "KW", // the kernel sizes of --neighborhood
                              "Mistral", "Llama", "Scout", "NoPE"}) // the Layers strip's models
            s << QString::fromLatin1(w);
        return s;
    }();
    return words;
}

// The text as read, without what is set as code (<code>, <pre>): code stays in English.
QString plain(const QString& text)
{
    if (!Qt::mightBeRichText(text))
        return text;
    QString prose = text;
    prose.remove(QRegularExpression(QStringLiteral("<(code|pre|tt)>.*?</\\1>"),
                                    QRegularExpression::DotMatchesEverythingOption));
    QTextDocument doc;
    doc.setHtml(prose);
    return doc.toPlainText();
}

// A word written as code in running text: torch.triu(…), finfo(float16).min, mask_mod,
// masked_fill(mask == 0, …), triu(m, diagonal=1), --fill neg-inf.
bool looksLikeCode(const QString& text, qsizetype begin, qsizetype end, const QString& word)
{
    const QChar before = begin > 0 ? text.at(begin - 1) : QChar();
    const QChar after = end < text.size() ? text.at(end) : QChar();
    qsizetype tokenStart = begin;
    while (tokenStart > 0 && !text.at(tokenStart - 1).isSpace())
        --tokenStart;
    return word.contains(QLatin1Char('_')) || word.contains(QRegularExpression(QStringLiteral("[0-9]"))) ||
           before == QLatin1Char('.') || before == QLatin1Char('(') || after == QLatin1Char('(') || after == QLatin1Char('=') ||
           text.mid(tokenStart, 2) == QStringLiteral("--") ||
           (after == QLatin1Char('.') && end + 1 < text.size() && text.at(end + 1).isLetter());
}

// Words of two or more letters that are neither allowed terms nor code (d_model, float32).
QStringList englishWords(const QString& text)
{
    QStringList words;
    const QRegularExpression word(QStringLiteral("[A-Za-z][A-Za-z0-9_]*"));
    const QString read = plain(text);
    for (auto it = word.globalMatch(read); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString w = m.captured(0);
        if (w.size() >= 2 && !looksLikeCode(read, m.capturedStart(), m.capturedEnd(), w) &&
            !allowedLatinWords().contains(w))
            words << w;
    }
    return words;
}

void addTexts(QStringList& out, const QString& where, const QStringList& texts)
{
    for (const QString& t : texts)
        if (const QStringList w = englishWords(t); !w.isEmpty())
            out << QStringLiteral("%1: \"%2\" (%3)").arg(where, t.left(80), w.join(QLatin1Char(' ')));
}

void collectMenu(QStringList& out, QMenu* menu)
{
    addTexts(out, QStringLiteral("menu"), {menu->title()});
    for (QAction* a : menu->actions()) {
        if (a->menu())
            collectMenu(out, a->menu());
        else
            addTexts(out, QStringLiteral("action"), {a->text(), a->toolTip() == a->text() ? QString() : a->toolTip()});
    }
}

// Every text a window (main window or dialog) shows, as a user reads it: English words in each.
QStringList untranslatedTexts(QWidget& window)
{
    QStringList out;
    addTexts(out, QStringLiteral("window title"), {window.windowTitle()});
    if (auto* main = qobject_cast<QMainWindow*>(&window))
        for (QAction* a : main->menuBar()->actions())
            if (a->menu())
                collectMenu(out, a->menu());
    for (QWidget* w : window.findChildren<QWidget*>()) {
        const QString name = QString::fromLatin1(w->metaObject()->className()) + QLatin1Char(' ') + w->objectName();
        addTexts(out, name, {w->toolTip()});
        if (auto* label = qobject_cast<QLabel*>(w))
            addTexts(out, name, {label->text()});
        if (auto* button = qobject_cast<QAbstractButton*>(w))
            addTexts(out, name, {button->text()});
        if (auto* group = qobject_cast<QGroupBox*>(w))
            addTexts(out, name, {group->title()});
        if (auto* dock = qobject_cast<QDockWidget*>(w))
            addTexts(out, name, {dock->windowTitle()});
        if (auto* browser = qobject_cast<QTextBrowser*>(w))
            addTexts(out, name, {browser->placeholderText(), browser->toPlainText()});
        if (auto* combo = qobject_cast<QComboBox*>(w))
            for (int k = 0; k < combo->count(); ++k)
                addTexts(out, name, {combo->itemText(k)});
    }
    return out;
}

ScenarioConfig teachingConfig()
{
    // Tokens in Chinese, padding and a causal mask: the warnings, the legend and every control
    // have something to say. Left padding leaves rows with no allowed key.
    ScenarioConfig c;
    c.seqLen = 6;
    c.validLens = {4};
    c.padSide = PadSide::Left;
    c.causal = true;
    c.heads = 2;
    c.dModel = 16;
    c.tokens = "\u6211 \u7231 \u5317\u4EAC \u5929\u5B89\u95E8";
    return c;
}

QStringList groupTitles(QWidget* panel)
{
    QStringList titles;
    for (QGroupBox* g : panel->findChildren<QGroupBox*>())
        titles << g->title();
    return titles;
}

QStringList menuTitles(QMainWindow& window)
{
    QStringList titles;
    for (QAction* a : window.menuBar()->actions())
        titles << a->text();
    return titles;
}

} // namespace

class TestTranslations : public QObject, public testing::WindowFixture {
    Q_OBJECT

    // Runs `change` and waits until the figure, made again in the new language, is on screen.
    template <typename Change>
    void switchedBy(Change change)
    {
        const quint64 before = doc()->result()->jobId;
        change();
        QTRY_VERIFY_WITH_TIMEOUT(doc()->result()->jobId > before, kTimeoutMs);
        settle();
    }

    void switchTo(LanguageChoice choice)
    {
        switchedBy([choice] { QVERIFY(applyLanguage(choice)); });
    }

    // The label of a form row: the one whose buddy is `field`.
    QLabel* labelOf(const QWidget* field) const
    {
        for (QLabel* label : window()->findChildren<QLabel*>())
            if (label->buddy() == field)
                return label;
        qFatal("no label for %s", qPrintable(field->objectName()));
    }

private slots:
    void initTestCase()
    {
        // Never read or write the user's settings; but be able to write some (the Language menu).
        isolateSettings();
        QCoreApplication::setOrganizationName(QStringLiteral("MaskScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
    }

    void init() { QVERIFY(openWindow(teachingConfig(), {1300, 800})); }

    void cleanup()
    {
        closeWindow();
        applyLanguage(LanguageChoice::English);
    }

    void everySourceTextHasAChineseTranslation()
    {
        QTemporaryDir dir;
        const TsFile fresh = extractMessages(dir);
        QVERIFY2(fresh.size() > 200, "lupdate found too few texts: is the source list right?");
        const TsFile zh = readTs(QStringLiteral(MASKSCOPE_TS_DIR "/maskscope_zh_CN.ts"));
        QStringList problems;
        for (const auto& [key, message] : fresh)
            problems << problemsOf(key, zh, 1);
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("\n") + problems.join(QLatin1Char('\n'))));
    }

    void everyPluralTextHasEnglishForms()
    {
        QTemporaryDir dir;
        const TsFile en = readTs(QStringLiteral(MASKSCOPE_TS_DIR "/maskscope_en.ts"));
        QStringList problems;
        int plurals = 0;
        for (const auto& [key, message] : extractMessages(dir)) {
            if (!message.numerus)
                continue;
            ++plurals;
            problems << problemsOf(key, en, 2);
        }
        QVERIFY(plurals > 0);
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("\n") + problems.join(QLatin1Char('\n'))));
    }

    void presetTextsAreListedForTheTranslators()
    {
        QSet<QString> listed;
        for (const char* text : kPresetTexts)
            listed << QString::fromUtf8(text);
        const PresetLibrary library;
        QVERIFY(!library.presets().isEmpty());
        for (const Preset& p : library.presets()) {
            QVERIFY2(listed.contains(p.name), qPrintable(p.name));
            QVERIFY2(listed.contains(p.description), qPrintable(p.name));
        }
    }

    void chineseChangesTheWidgetsAndEnglishRestoresThem()
    {
        const QStringList englishGroups = groupTitles(window()->controlPanel());
        QVERIFY(englishGroups.contains(QStringLiteral("Sequence")));
        QVERIFY(menuTitles(*window()).contains(QStringLiteral("&File")));

        switchTo(LanguageChoice::Chinese);
        const QStringList chineseGroups = groupTitles(window()->controlPanel());
        QVERIFY2(chineseGroups.contains(QStringLiteral("\u5E8F\u5217")), qPrintable(chineseGroups.join('|'))); // 序列
        QVERIFY(menuTitles(*window()).contains(QStringLiteral("\u6587\u4EF6(&F)")));                           // 文件(&F)
        QVERIFY(doc()->result()->figure.title.startsWith(QStringLiteral("\u6CE8\u610F\u529B\u6743\u91CD"))); // 注意力权重

        switchTo(LanguageChoice::English);
        QCOMPARE(groupTitles(window()->controlPanel()), englishGroups);
        QVERIFY(menuTitles(*window()).contains(QStringLiteral("&File")));
        QVERIFY(doc()->result()->figure.title.startsWith(QStringLiteral("Attention weights")));
        // English has a translation too: its plural forms.
        QCOMPARE(QCoreApplication::translate("maskscope::ui::ControlPanel", "words + %n pad(s)", nullptr, 1),
                 QStringLiteral("words + 1 pad"));
    }

    void theSwitchKeepsTheWidgetsTheirValuesAndFocus()
    {
        auto* heads = control<QSpinBox>(QStringLiteral("headsSpin"));
        testing::typeInto(heads, 1);
        auto* fill = control<QComboBox>(QStringLiteral("fillCombo"));
        fill->setCurrentIndex(1); // −1e9
        settle();
        QCOMPARE(doc()->config().heads, 1);
        const QList<QWidget*> before = window()->findChildren<QWidget*>();
        const QList<QAction*> actions = window()->findChildren<QAction*>();
        QLabel* headsLabel = labelOf(heads);
        const QString english = headsLabel->text();
        const QString englishFill = fill->currentText();

        switchTo(LanguageChoice::Chinese);
        QCOMPARE(window()->findChildren<QWidget*>(), before);
        QCOMPARE(window()->findChildren<QAction*>(), actions);
        QCOMPARE(control<QSpinBox>(QStringLiteral("headsSpin")), heads);
        QCOMPARE(heads->value(), 1);
        QCOMPARE(window()->focusWidget(), heads);
        QCOMPARE(fill->currentIndex(), 1);
        QCOMPARE(control<QComboBox>(QStringLiteral("padSideCombo"))->currentIndex(), 1); // left, as configured
        QCOMPARE(headsLabel->text(), QStringLiteral("\u6CE8\u610F\u529B\u5934")); // 注意力头
        QVERIFY(fill->currentText() != englishFill);
        QCOMPARE(doc()->config().heads, 1);

        switchTo(LanguageChoice::English);
        QCOMPARE(window()->findChildren<QWidget*>(), before);
        QCOMPARE(headsLabel->text(), english);
        QCOMPARE(fill->currentText(), englishFill);
        QCOMPARE(window()->focusWidget(), heads);
    }

    void qtsOwnTextsAreTranslated()
    {
        switchTo(LanguageChoice::Chinese);
        // The standard buttons of dialogs (QDialogButtonBox, QMessageBox) come from qtbase_zh_CN.qm.
        QVERIFY2(QCoreApplication::translate("QPlatformTheme", "Cancel") == QStringLiteral("\u53D6\u6D88"), // 取消
                 qPrintable(QStringLiteral("qtbase_zh_CN.qm missing from %1 (Debian: qt6-translations-l10n)")
                                .arg(QLibraryInfo::path(QLibraryInfo::TranslationsPath))));
        switchTo(LanguageChoice::English);
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
    }

    void theChineseWindowShowsNoEnglishText()
    {
        switchTo(LanguageChoice::Chinese);
        // The inspector's read-out and step-by-step explanation of a blocked cell of a NaN row,
        // and of an allowed one, as a click shows them.
        const TraceResultPtr r = window()->heatmapView()->shownResult();
        QVERIFY(r);
        window()->inspector()->showHover(r, 0, 0, 1);
        window()->inspector()->explain(r, 0, 0, 1);
        QStringList found = untranslatedTexts(*window());
        window()->inspector()->explain(r, 0, 5, 3);
        found << untranslatedTexts(*window());
        ExportDialog dialog({r, doc()->config(), doc()->view(), FigureStyle{}}, window());
        found << untranslatedTexts(dialog);
        const Figure& f = r->figure;
        addTexts(found, QStringLiteral("figure"), {f.title, f.subtitle});
        for (const Heatmap& p : f.panels)
            addTexts(found, QStringLiteral("figure panel"), {p.title});
        found.removeDuplicates();
        QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("\n") + found.join(QLatin1Char('\n'))));
    }

    void chineseFiguresAreDrawnWithACjkFont()
    {
        switchTo(LanguageChoice::Chinese);
        const Figure& f = doc()->result()->figure;
        const QString text = f.title + f.subtitle; // the legend and axis titles share the font
        QFont font;
        font.setFamilies(figureFontFamilies());
        // The first family must draw the Chinese itself (Debian: fonts-noto-cjk), not a fallback
        // that happens to be installed or boxes.
        const QRawFont raw = QRawFont::fromFont(font, QFontDatabase::SimplifiedChinese);
        QVERIFY2(raw.isValid(), qPrintable(QFontInfo(font).family()));
        int chinese = 0;
        for (const QChar c : text) {
            if (c.script() != QChar::Script_Han)
                continue;
            ++chinese;
            QVERIFY2(raw.supportsCharacter(c), qPrintable(QStringLiteral("%1 in %2").arg(c).arg(raw.familyName())));
        }
        QVERIFY(chinese > 10);
    }

    void theSwitchKeepsDocumentViewAndFigureStyle()
    {
        MaskDocument* before = doc();
        FigureRequest view = doc()->view();
        view.layout = Layout::Pipeline;
        doc()->setView(view);
        QAction* dark = nullptr;
        for (QAction* a : window()->menuBar()->findChildren<QAction*>())
            if (a->text() == QStringLiteral("&Dark figures"))
                dark = a;
        QVERIFY(dark);
        dark->trigger();
        settle();
        QCOMPARE(window()->heatmapView()->figureStyle().theme, Theme::Dark);

        switchTo(LanguageChoice::Chinese);
        QCOMPARE(doc(), before);
        QCOMPARE(doc()->view().layout, Layout::Pipeline);
        QCOMPARE(doc()->config().tokens, teachingConfig().tokens);
        QCOMPARE(window()->heatmapView()->figureStyle().theme, Theme::Dark);
        QCOMPARE(window()->heatmapView()->shownResult()->figure.panels.size(), size_t(4));
        QCOMPARE(currentLanguageChoice(), LanguageChoice::Chinese);
    }

    void theLanguageMenuSwitchesAndRemembers()
    {
        QMenu* language = nullptr;
        for (QAction* a : window()->menuBar()->actions())
            if (a->text() == QStringLiteral("&Language"))
                language = a->menu();
        QVERIFY(language);
        QAction* chinese = nullptr;
        for (QAction* a : language->actions())
            if (a->text() == QStringLiteral("\u7B80\u4F53\u4E2D\u6587"))
                chinese = a;
        QVERIFY(chinese);
        switchedBy([chinese] { chinese->trigger(); });
        QVERIFY(menuTitles(*window()).contains(QStringLiteral("\u8BED\u8A00(&L)"))); // 语言(&L)
        // This window does not persist settings; the menu of a persisting one does.
        QCOMPARE(savedLanguageChoice(), LanguageChoice::System);
        QMenuBar bar;
        QMenu* persisting = addLanguageMenu(&bar, true);
        persisting->actions().at(1)->trigger(); // English
        QCOMPARE(savedLanguageChoice(), LanguageChoice::English);
        QCOMPARE(currentLanguageChoice(), LanguageChoice::English);
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
