// SPDX-License-Identifier: MIT
// The built-in presets load and describe valid scenarios; configs survive their JSON form.

#include "document/configjson.h"
#include "document/presetlibrary.h"

#include <QJsonDocument>
#include <QTest>

using namespace maskscope;
using namespace maskscope::ui;

class TestPresetLibrary : public QObject {
    Q_OBJECT
private slots:
    void everyPresetBuilds()
    {
        const PresetLibrary library;
        QVERIFY(library.presets().size() >= 4);
        for (const Preset& p : library.presets()) {
            QVERIFY(!p.name.isEmpty());
            QVERIFY(!p.description.isEmpty());
            try {
                const Scenario s = buildScenario(p.config);
                if (p.view)
                    QVERIFY(p.view->batchItem < s.mask.batch);
            } catch (const InputError& e) {
                QFAIL(qPrintable(p.name + QStringLiteral(": ") + QString::fromLocal8Bit(e.what())));
            }
        }
    }

    void theClassicCasesAreThere()
    {
        const PresetLibrary library;
        bool encoder = false, decoder = false, cross = false, batch = false;
        for (const Preset& p : library.presets()) {
            const ScenarioConfig& c = p.config;
            encoder |= !c.causal && !c.validLens.empty() && !c.queryLen;
            decoder |= c.causal && !c.validLens.empty();
            cross |= c.queryLen && *c.queryLen != c.effectiveSeqLen() && !c.validLens.empty();
            batch |= c.validLens.size() > 1;
        }
        QVERIFY(encoder && decoder && cross && batch);
    }

    void jsonSpellsTheCommandLineOptions()
    {
        const QJsonObject json = QJsonDocument::fromJson(R"({
            "seq_len": 12, "query_len": 5, "valid_lens": [12, 3], "pad_side": "left",
            "causal": true, "heads": 2, "d_model": 48, "seed": "18446744073709551615",
            "fill": -2.5, "tokens": "le chat", "window": [2, 0], "alibi": true
        })").object();
        std::vector<std::string> rest;
        const ScenarioConfig expected = parseScenarioOptions(
            {"--seq-len", "12", "--query-len", "5", "--valid-lens", "12,3", "--pad-side", "left",
             "--causal", "--heads", "2", "--d-model", "48", "--seed", "18446744073709551615",
             "--fill", "-2.5", "--tokens", "le chat", "--window", "2,0", "--alibi"},
            rest);
        QVERIFY(configFromJson(json) == expected);
        QCOMPARE(expected.seed, 18446744073709551615ull); // a text: no JSON double holds it
    }

    void badPresetsAreRefusedWithTheReason()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, PresetLibrary::parse("{\"name\": \"x\", \"config\": {\"seq_len\": 0}}"));
        QVERIFY_THROWS_EXCEPTION(InputError, PresetLibrary::parse("{\"name\": \"x\", \"config\": {\"colour\": 3}}"));
        QVERIFY_THROWS_EXCEPTION(InputError, PresetLibrary::parse("{\"name\": \"x\", \"config\": {\"causal\": 1}}"));
        QVERIFY_THROWS_EXCEPTION(InputError, PresetLibrary::parse("[1, 2]"));
        QVERIFY_THROWS_EXCEPTION(InputError, PresetLibrary::parse("{\"config\": {}}"));
        try {
            PresetLibrary::parse("{\"name\": \"x\", \"config\": {\"seq_len\": 2.5}}");
            QFAIL("a fractional length was accepted");
        } catch (const InputError& e) {
            QVERIFY(QString::fromLocal8Bit(e.what()).contains(QStringLiteral("seq-len")));
        }
    }
};

QTEST_MAIN(TestPresetLibrary)
#include "tst_presetlibrary.moc"
