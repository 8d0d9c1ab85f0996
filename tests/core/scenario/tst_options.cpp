// SPDX-License-Identifier: MIT
// The option table: the parser, the help and the writer that derive from its entries.
#include "scenario/options.h"

#include "base/random.h"

#include <QTest>

#include <cmath>
#include <set>

using namespace maskscope;

namespace {

constexpr unsigned kCommands[] = {ForWindow, ForDump, ForBench, ForExport};

int randomInt(Random& r, int lo, int hi) // uniform on [lo, hi]
{
    return lo + static_cast<int>(r.nextU64() % static_cast<std::uint64_t>(hi - lo + 1));
}

bool coin(Random& r)
{
    return r.nextU64() % 2 == 0;
}

// Any text, also with spaces, commas, '=' and leading dashes; never empty.
std::string randomText(Random& r)
{
    static const char alphabet[] = "ab z,=-.:/_9";
    std::string text;
    const int length = randomInt(r, 1, 8);
    for (int k = 0; k < length; ++k)
        text += alphabet[r.nextU64() % (sizeof(alphabet) - 1)];
    return text;
}

std::vector<int> randomList(Random& r, int lo)
{
    std::vector<int> values(static_cast<size_t>(randomInt(r, 1, 4)));
    for (int& v : values)
        v = randomInt(r, lo, 1 << 20);
    return values;
}

// A finite non-zero number over many magnitudes, of either sign.
double randomNumber(Random& r)
{
    double v = 0;
    while (v == 0)
        v = r.uniform(-1, 1) * std::pow(10.0, randomInt(r, -30, 30));
    return v;
}

Fill randomFill(Random& r)
{
    Fill fill;
    fill.kind = static_cast<Fill::Kind>(randomInt(r, 0, 3));
    if (fill.kind == Fill::Kind::Value)
        fill.value = randomNumber(r);
    return fill;
}

void randomizeRules(Random& r, ScenarioConfig& c)
{
    MaskRules& rules = c.rules;
    if (coin(r)) rules.causalAlign = CausalAlign::BottomRight;
    if (coin(r)) {
        rules.windowLeft = randomInt(r, -1, 100);
        rules.windowRight = randomInt(r, -1, 100);
    }
    if (coin(r)) rules.dilation = randomInt(r, 1, 9);
    if (coin(r)) rules.prefix = randomInt(r, 0, 50);
    if (coin(r)) rules.segments = randomList(r, 1);
    if (coin(r)) rules.chunk = randomInt(r, 1, 64);
    if (coin(r)) rules.globalTokens = randomInt(r, 0, 8);
    if (coin(r)) rules.sink = randomInt(r, 1, 64);
    if (coin(r)) rules.blockCausal = randomInt(r, 1, 64);
    for (int at = 0, k = coin(r) ? randomInt(r, 1, 3) : 0; k > 0; --k) {
        const int begin = randomInt(r, at, at + 9), end = randomInt(r, begin + 1, begin + 9);
        rules.bidirectional.push_back({begin, end});
        at = end;
    }
    if (coin(r)) rules.tree = randomList(r, -1);
    if (coin(r))
        rules.neighborhood = {randomInt(r, 1, 512), randomInt(r, 1, 512), 2 * randomInt(r, 0, 9) + 1,
                              2 * randomInt(r, 0, 9) + 1};
    for (int k = randomInt(r, 0, 3); k > 0; --k)
        if (const int i = randomInt(r, 0, 30), j = randomInt(r, 0, 30); !rules.toggled.contains(i, j))
            rules.toggled.toggle(i, j);
    if (coin(r)) c.maskFile = randomText(r);
}

void randomizeModifiersAndLab(Random& r, ScenarioConfig& c)
{
    if (coin(r)) c.scoreModifiers.alibi = true;
    if (coin(r)) c.scoreModifiers.softcap = std::abs(randomNumber(r));
    for (int k = coin(r) ? randomInt(r, 1, 4) : 0; k > 0; --k)
        c.scoreModifiers.sinkLogits.push_back(randomNumber(r));
    if (coin(r)) c.blockSize = randomInt(r, 16, 128);
    for (int p = 0; p < kPitfallCount; ++p)
        if (coin(r)) c.pitfalls.mistakes.set(static_cast<Pitfall>(p));
    if (coin(r)) c.pitfalls.format = static_cast<NumberFormat>(randomInt(r, 0, 3));
    if (coin(r)) c.pitfalls.blockedRows = static_cast<BlockedRows>(randomInt(r, 0, 2));
    if (coin(r)) c.pitfalls.maskApply = static_cast<MaskApply>(randomInt(r, 0, 1));
}

// Every field of the config, each at its default or at a random value the parser takes.
ScenarioConfig randomConfig(Random& r)
{
    ScenarioConfig c;
    if (coin(r)) c.seqLen = randomInt(r, 1, 1 << 20);
    if (coin(r)) c.queryLen = randomInt(r, 1, 1 << 20);
    if (coin(r)) c.batch = randomInt(r, 1, 4096);
    if (coin(r)) c.validLens = randomList(r, 0);
    if (coin(r)) c.padSide = PadSide::Left;
    if (coin(r)) c.causal = true;
    if (coin(r)) c.heads = randomInt(r, 1, 1 << 16);
    if (coin(r)) c.kvHeads = randomInt(r, 1, 1 << 16);
    if (coin(r)) c.dModel = randomInt(r, 1, 1 << 16);
    if (coin(r)) c.seed = r.nextU64();
    if (coin(r)) c.fill = randomFill(r);
    if (coin(r)) c.tokens = randomText(r);
    if (coin(r)) c.loadDir = randomText(r);
    if (coin(r)) c.modelPath = randomText(r);
    if (coin(r)) c.tokenizerPath = randomText(r);
    for (int k = randomInt(r, 0, 2); k > 0; --k)
        c.texts.push_back(randomText(r));
    if (coin(r)) c.layer = randomInt(r, 0, 1 << 16);
    randomizeRules(r, c);
    randomizeModifiersAndLab(r, c);
    return c;
}

// A table of a small target, to test the machinery apart from the scenario's entries.
struct Toy {
    int number = 0;
    bool flag = false;
    std::string word;
};

const OptionGroup kFirst{"First:"};
const OptionGroup kSecond{"Second:", "  a note\n"};

const OptionTable<Toy>& toyTable()
{
    static const OptionTable<Toy> table({
        {"--number", "--number N", "a number\nover two lines", &kFirst, ForDump | ForBench, OptionArity::Value,
         [](Toy& t, const std::string& v, const std::string& o) { t.number = parseWholeNumber(o, v, 0, 9); },
         [](const Toy& t, OptionArgs& out) { if (t.number != 0) out.value(std::to_string(t.number)); }},
        {"--flag", "--flag", "a switch", &kSecond, ForExport, OptionArity::Flag,
         [](Toy& t, const std::string&, const std::string&) { t.flag = true; },
         [](const Toy& t, OptionArgs& out) { if (t.flag) out.flag(); }},
        {"--word", nullptr, "", &kSecond, ForExport, OptionArity::Value,
         [](Toy& t, const std::string& v, const std::string&) { t.word = v; }},
    });
    return table;
}

Toy parseToy(const std::vector<std::string>& args, unsigned command, std::vector<std::string>& unknown)
{
    Toy toy;
    toyTable().parse(args, command, toy, [&unknown](const std::string& arg) { unknown.push_back(arg); });
    return toy;
}

} // namespace

class TestOptions : public QObject {
    Q_OBJECT
private slots:
    void everyEntryIsInTheHelpOfEachCommandThatTakesIt()
    {
        for (const unsigned command : kCommands) {
            const std::string help = scenarioOptionTable().help(command);
            for (const Option<ScenarioConfig>& option : scenarioOptionTable().options())
                if (option.commands & command)
                    QVERIFY2(help.find(option.name) != std::string::npos, option.name);
        }
    }

    void helpListsOnlyTheCommandsOptionsUnderTheirGroups()
    {
        QCOMPARE(toyTable().help(ForDump), std::string("First:\n"
                                                       "  --number N             a number\n"
                                                       "                         over two lines\n"));
        // --word is described elsewhere (no line of its own); the group's note ends it.
        QCOMPARE(toyTable().help(ForExport), std::string("Second:\n"
                                                         "  --flag                 a switch\n"
                                                         "  a note\n"));
        QCOMPARE(toyTable().help(ForWindow), std::string());
    }

    void parseTakesOnlyTheCommandsOptions()
    {
        std::vector<std::string> unknown;
        const Toy t = parseToy({"--number", "3", "--flag", "--word=x", "--other"}, ForDump, unknown);
        QCOMPARE(t.number, 3);
        QVERIFY(!t.flag);
        QCOMPARE(unknown, (std::vector<std::string>{"--flag", "--word=x", "--other"}));
        unknown.clear();
        const Toy e = parseToy({"--word=a=b", "--flag", "--number", "4"}, ForExport, unknown);
        QCOMPARE(e.word, std::string("a=b"));
        QVERIFY(e.flag);
        QCOMPARE(unknown, (std::vector<std::string>{"--number", "4"}));
    }

    void aFlagWithAValueIsUnknownAndAMissingValueIsAnError()
    {
        std::vector<std::string> unknown;
        QVERIFY(!parseToy({"--flag=1"}, ForExport, unknown).flag);
        QCOMPARE(unknown, std::vector<std::string>{"--flag=1"});
        try {
            parseToy({"--number"}, ForBench, unknown);
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(std::string(e.what()), std::string("--number needs a value"));
        }
        try {
            parseToy({"--number=10"}, ForBench, unknown);
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(std::string(e.what()), std::string("--number expects a whole number from 0 to 9, got '10'"));
        }
    }

    void writerWritesOnlyWhatDiffersFromTheDefaults()
    {
        QVERIFY(toyTable().write(Toy{}).empty());
        QCOMPARE(toyTable().write(Toy{5, true, "never written"}),
                 (std::vector<std::string>{"--number", "5", "--flag"}));
        QVERIFY(scenarioOptionArgs(ScenarioConfig{}).empty());
    }

    // parse(write(c)) == c over many random configs; every option is written by some of them,
    // so a new option must be given a random value in randomConfig() too.
    void parseOfWriteIsTheConfig()
    {
        Random random(20240611);
        std::set<std::string> written;
        for (int n = 0; n < 3000; ++n) {
            const ScenarioConfig c = randomConfig(random);
            const std::vector<std::string> args = scenarioOptionArgs(c);
            written.insert(args.begin(), args.end());
            std::vector<std::string> rest;
            const ScenarioConfig back = parseScenarioOptions(args, rest);
            QVERIFY2(rest.empty(), rest.empty() ? "" : rest.front().c_str());
            if (!(back == c)) {
                std::string line;
                for (const std::string& a : args)
                    line += a + " ";
                QFAIL(("round trip changed the config of: " + line).c_str());
            }
        }
        // A shorthand sets other options' fields, which write themselves; it is never written.
        const std::set<std::string> shorthands{"--layer-pattern"};
        for (const Option<ScenarioConfig>& option : scenarioOptionTable().options()) {
            if (shorthands.count(option.name) != 0) {
                QVERIFY2(option.write == nullptr, option.name);
                continue;
            }
            QVERIFY2(option.write != nullptr, option.name);
            QVERIFY2(written.count(option.name) == 1, option.name);
        }
    }

    void optionsKeepTheirErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << QStringList{"--seq-len"} << "--seq-len needs a value";
        QTest::newRow("text") << QStringList{"--seq-len", "ten"} << "--seq-len expects a whole number, got 'ten'";
        QTest::newRow("range") << QStringList{"--heads=0"} << "--heads must be between 1 and 65536, got 0";
        QTest::newRow("seed") << QStringList{"--seed", "-1"} << "--seed expects a whole number from 0 to 2^64-1, got '-1'";
        QTest::newRow("pad side") << QStringList{"--pad-side", "up"} << "--pad-side expects right or left, got 'up'";
        QTest::newRow("window") << QStringList{"--window", "3"} << "--window expects LEFT,RIGHT (-1 = unbounded), got '3'";
        QTest::newRow("toggle") << QStringList{"--toggle", "1:1,1:1"} << "--toggle lists the cell 1:1 twice";
        QTest::newRow("mask file") << QStringList{"--mask-file="} << "--mask-file needs a file name";
        QTest::newRow("softcap") << QStringList{"--softcap", "-1"} << "--softcap expects a number above 0, got '-1'";
    }
    void optionsKeepTheirErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> list;
        for (const QString& a : args)
            list.push_back(a.toStdString());
        std::vector<std::string> rest;
        try {
            parseScenarioOptions(list, rest);
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void unknownArgumentsComeBackInOrder()
    {
        std::vector<std::string> rest;
        const ScenarioConfig c = parseScenarioOptions({"--out", "--causal=1", "--causal", "x", "--alibi"}, rest);
        QVERIFY(c.causal);
        QVERIFY(c.scoreModifiers.alibi);
        QCOMPARE(rest, (std::vector<std::string>{"--out", "--causal=1", "x"}));
    }
};

QTEST_APPLESS_MAIN(TestOptions)
#include "tst_options.moc"
