<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Explanation</name>
    <message numerus="yes">
        <source>padded query rows %1 are computed but carry no meaning: the mask hides padded keys, not padded queries</source>
        <translation>
            <numerusform>padded query row %1 is computed but carries no meaning: the mask hides padded keys, not padded queries</numerusform>
            <numerusform>padded query rows %1 are computed but carry no meaning: the mask hides padded keys, not padded queries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuleNames</name>
    <message numerus="yes">
        <source>prefix-LM, %n bidirectional token(s)</source>
        <translation>
            <numerusform>prefix-LM, %n bidirectional token</numerusform>
            <numerusform>prefix-LM, %n bidirectional tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) (%1)</source>
        <translation>
            <numerusform>%n document (%1)</numerusform>
            <numerusform>%n documents (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n global token(s)</source>
        <translation>
            <numerusform>%n global token</numerusform>
            <numerusform>%n global tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) painted</source>
        <translation>
            <numerusform>%n cell painted</numerusform>
            <numerusform>%n cells painted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n attention sink(s)</source>
        <translation>
            <numerusform>%n attention sink</numerusform>
            <numerusform>%n attention sinks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bidirectional span(s)</source>
        <translation>
            <numerusform>%n bidirectional span</numerusform>
            <numerusform>%n bidirectional spans</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>draft tree of %n node(s)</source>
        <translation>
            <numerusform>draft tree of %n node</numerusform>
            <numerusform>draft tree of %n nodes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ControlPanel</name>
    <message numerus="yes">
        <source>words + %n pad(s)</source>
        <translation>
            <numerusform>words + %n pad</numerusform>
            <numerusform>words + %n pads</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ConventionsPanel</name>
    <message numerus="yes">
        <source>Read as “%1” instead of “%2”: %n cell(s) flip.</source>
        <translation>
            <numerusform>Read as “%1” instead of “%2”: %n cell flips.</numerusform>
            <numerusform>Read as “%1” instead of “%2”: %n cells flip.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) have no allowed key left: their weights are NaN under a −∞ fill (first: query %1).</source>
        <translation>
            <numerusform>%n row has no allowed key left: its weights are NaN under a −∞ fill (first: query %1).</numerusform>
            <numerusform>%n rows have no allowed key left: their weights are NaN under a −∞ fill (first: query %1).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ModelGroup</name>
    <message numerus="yes">
        <source>%n head(s)</source>
        <translation>
            <numerusform>%n head</numerusform>
            <numerusform>%n heads</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>maskscope::ui::RulesPanel</name>
    <message numerus="yes">
        <source>%n cell(s) painted by hand</source>
        <translation>
            <numerusform>%n cell painted by hand</numerusform>
            <numerusform>%n cells painted by hand</numerusform>
        </translation>
    </message>
</context>
</TS>
