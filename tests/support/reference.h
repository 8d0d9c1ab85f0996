// SPDX-License-Identifier: MIT
#pragma once
// A first-principles multi-head attention in long double, written as the formulas read, with no
// code shared with the engine: the yardstick the engine's tests measure against.

#include "scenario/inputs.h"
#include "mask/maskspec.h"

#include <cmath>
#include <limits>
#include <vector>

namespace maskscope::testing {

using Real = long double;
using Grid = std::vector<std::vector<Real>>;

struct ReferenceHead {
    Grid logits, masked, weights;
};

struct ReferenceBatch {
    std::vector<ReferenceHead> heads;
    Grid output;
};

template <typename T>
Grid project(const Matrix<T>& x, const AttentionInputs<T>& in, int which, int head)
{
    const int e = in.embedDim(), dk = in.headDim();
    Grid out(static_cast<size_t>(x.rows()), std::vector<Real>(static_cast<size_t>(dk)));
    for (int i = 0; i < x.rows(); ++i)
        for (int d = 0; d < dk; ++d) {
            const int row = which * e + head * dk + d;
            Real sum = in.inProjBias(row);
            for (int c = 0; c < e; ++c)
                sum += Real(x(i, c)) * Real(in.inProjWeight(row, c));
            out[size_t(i)][size_t(d)] = sum;
        }
    return out;
}

/// Softmax of a row as the formula reads: exp(x_j - max) / sum_k exp(x_k - max).
inline std::vector<Real> softmax(const std::vector<Real>& row)
{
    Real max = -std::numeric_limits<Real>::infinity();
    for (Real v : row)
        max = std::max(max, v);
    std::vector<Real> w(row.size());
    Real sum = 0;
    for (size_t j = 0; j < row.size(); ++j)
        sum += (w[j] = std::exp(row[j] - max));
    for (Real& v : w)
        v /= sum;
    return w;
}

template <typename T>
ReferenceBatch referenceAttention(const AttentionInputs<T>& in, const MaskSpec& spec, int b)
{
    const int lq = in.queryLen(), lk = in.keyLen(), dk = in.headDim(), e = in.embedDim();
    Matrix<T> additive;
    additiveMask<T>(spec, b, additive);
    ReferenceBatch r;
    Grid concat(static_cast<size_t>(lq), std::vector<Real>(static_cast<size_t>(e)));
    for (int h = 0; h < in.heads; ++h) {
        const Grid q = project(in.query[size_t(b)], in, 0, h);
        const Grid k = project(in.key[size_t(b)], in, 1, h);
        const Grid v = project(in.value[size_t(b)], in, 2, h);
        ReferenceHead head;
        for (int i = 0; i < lq; ++i) {
            std::vector<Real> logits(static_cast<size_t>(lk)), masked(static_cast<size_t>(lk));
            for (int j = 0; j < lk; ++j) {
                Real dot = 0;
                for (int d = 0; d < dk; ++d)
                    dot += q[size_t(i)][size_t(d)] * k[size_t(j)][size_t(d)];
                logits[size_t(j)] = dot / std::sqrt(Real(dk));
                masked[size_t(j)] = logits[size_t(j)] + Real(additive(i, j));
            }
            const std::vector<Real> w = softmax(masked);
            for (int d = 0; d < dk; ++d) {
                Real sum = 0;
                for (int j = 0; j < lk; ++j)
                    sum += w[size_t(j)] * v[size_t(j)][size_t(d)];
                concat[size_t(i)][size_t(h * dk + d)] = sum;
            }
            head.logits.push_back(logits);
            head.masked.push_back(masked);
            head.weights.push_back(w);
        }
        r.heads.push_back(std::move(head));
    }
    for (int i = 0; i < lq; ++i) {
        std::vector<Real> row(static_cast<size_t>(e));
        for (int o = 0; o < e; ++o) {
            Real sum = in.outProjBias(o);
            for (int c = 0; c < e; ++c)
                sum += concat[size_t(i)][size_t(c)] * Real(in.outProjWeight(o, c));
            row[size_t(o)] = sum;
        }
        r.output.push_back(row);
    }
    return r;
}

/// Largest |a - b| over cells where both are finite; NaN/inf must match exactly or it returns inf.
template <typename T>
double maxDifference(const Matrix<T>& a, const Grid& b)
{
    double worst = 0;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j) {
            const Real x = a(i, j), y = b[size_t(i)][size_t(j)];
            if (std::isnan(x) || std::isnan(y) || std::isinf(x) || std::isinf(y)) {
                const bool same = (std::isnan(x) && std::isnan(y)) || x == y;
                if (!same)
                    return std::numeric_limits<double>::infinity();
                continue;
            }
            worst = std::max(worst, double(std::fabs(x - y)));
        }
    return worst;
}

} // namespace maskscope::testing
