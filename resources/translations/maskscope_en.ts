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
    <name>maskscope::ui::ControlPanel</name>
    <message numerus="yes">
        <source>words + %n pad(s)</source>
        <translation>
            <numerusform>words + %n pad</numerusform>
            <numerusform>words + %n pads</numerusform>
        </translation>
    </message>
</context>
</TS>
