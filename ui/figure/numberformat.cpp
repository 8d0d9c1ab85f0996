// SPDX-License-Identifier: MIT
#include "figure/numberformat.h"

#include <cmath>

namespace maskscope::ui {

namespace {

const QChar kMinus(0x2212);

// "1.2e+09" -> "1.2e9", "3e-05" -> "3e-5": the compact form a slide wants.
QString compactExponent(QString text)
{
    text.replace(QLatin1String("e+"), QLatin1String("e"));
    const int e = static_cast<int>(text.indexOf(QLatin1Char('e')));
    if (e < 0)
        return text;
    int digits = e + 1;
    if (digits < text.size() && text[digits] == QLatin1Char('-'))
        ++digits;
    while (digits < text.size() - 1 && text[digits] == QLatin1Char('0'))
        text.remove(digits, 1);
    return text;
}

QString trimZeros(QString text)
{
    if (!text.contains(QLatin1Char('.')))
        return text;
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

} // namespace

QString prettyNumber(double value, int decimals)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value < 0 ? QString(kMinus) + QChar(0x221E) : QString(QChar(0x221E));
    QString text;
    if (std::fabs(value) >= 1e5) // fills such as -1e9 or the lowest float
        text = compactExponent(QString::number(value, 'g', 2));
    else
        text = trimZeros(QString::number(value, 'f', decimals));
    if (text == QLatin1String("-0"))
        text = QStringLiteral("0");
    text.replace(QLatin1Char('-'), kMinus);
    return text;
}

} // namespace maskscope::ui
