// SPDX-License-Identifier: MIT
// Stopping a real model's forward between layers (ModelForward::setStopCheck, and through
// buildScenario): what the window does when the user cancels a model that is still running.
// On stories260K from ../shared (never copied).

#include "model/forward.h"
#include "model/llama2ctokenizer.h"
#include "scenario/scenario.h"

#include <QTest>

#include "forwardweights.h"

using namespace maskscope;
using maskscope::testing::sameInputs;

namespace {

const std::string kModelDir = MASKSCOPE_SHARED_DATA "/models/stories260K";

std::shared_ptr<const Checkpoint> stories()
{
    static const auto checkpoint = std::make_shared<const Checkpoint>(openCheckpoint(kModelDir + "/stories260K.bin"));
    return checkpoint;
}

std::vector<std::vector<int>> onceUponATime()
{
    const Llama2cTokenizer tokenizer(kModelDir + "/tok512.bin", 512);
    return {modelTokens(tokenizer, stories()->config, "Once upon a time")};
}

} // namespace

class TestForwardStop : public QObject {
    Q_OBJECT

private slots:
    void aStopBetweenLayersKeepsTheLayersComputed()
    {
        ModelForward forward(stories(), onceUponATime());
        const MaskSpec mask = forward.modelMask();
        int asked = 0;
        forward.setStopCheck([&asked] { return ++asked > 2; }); // stop before the third layer
        QVERIFY_THROWS_EXCEPTION(ComputationStopped, forward.attentionInputs(4, mask));
        QCOMPARE(asked, 3);
        QCOMPARE(forward.computedLayers(), 2);
        // Without the check it goes on from there, to the numbers of a forward never stopped.
        forward.setStopCheck({});
        const AttentionInputs<float> resumed = forward.attentionInputs(4, mask);
        ModelForward whole(stories(), onceUponATime());
        QVERIFY(sameInputs(resumed, whole.attentionInputs(4, mask)));
    }

    void aCheckThatNeverStopsChangesNothing()
    {
        ModelForward forward(stories(), onceUponATime());
        int asked = 0;
        forward.setStopCheck([&asked] {
            ++asked;
            return false;
        });
        forward.nextTokens(1, forward.modelMask());
        QCOMPARE(asked, stories()->config.layers); // once per layer
        QCOMPARE(forward.computedLayers(), stories()->config.layers);
    }

    void buildScenarioStopsAModelAndForgetsTheCheck()
    {
        ScenarioConfig c;
        c.modelPath = kModelDir + "/stories260K.bin";
        c.tokenizerPath = kModelDir + "/tok512.bin";
        c.texts = {"Lily saw a big dog"}; // not a sentence an earlier test left in the cache
        QVERIFY_THROWS_EXCEPTION(ComputationStopped, buildScenario(c, [] { return true; }));
        // The cached forward must not keep asking a check whose caller is gone.
        const Scenario s = buildScenario(c);
        QCOMPARE(s.model->layer, stories()->config.layers - 1);
    }
};

QTEST_MAIN(TestForwardStop)
#include "tst_forwardstop.moc"
