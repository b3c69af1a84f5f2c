"""Writes significance_scipy.json: p-values of scipy.stats for the cases in
reports/significance_test.ts. Run with a Python that has scipy:

    /usr/bin/python3 reports/testdata/significance_scipy.py > reports/testdata/significance_scipy.json

scipy 1.10 is installed here. Its default `wilcoxon(..., method="auto")` and
the one of scipy >= 1.15 (1.17 is the current release) agree on some samples
and not on others, so each case records which call gives the newer default:

- more than 50 pairs (zeros included): both use the normal approximation.
- at most 50 pairs, no zero and no tied |difference|: both use the exact
  distribution.
- at most 50 pairs with a zero: 1.10 switches to the normal approximation; so
  does 1.17 above 13 pairs. 1.10 with method="approx" gives that value.
- at most 50 pairs with ties and no zero: 1.10 keeps the exact distribution
  with the statistic truncated to an integer; 1.17 uses the normal
  approximation above 13 pairs. method="approx" gives 1.17's value.
- at most 13 pairs with ties or zeros: 1.17 runs a permutation test over all
  2^n sign flips of the differences (exact, as 2^13 < 9999 resamples); 1.10's
  permutation_test with the same statistic (W+ over the non-zero differences,
  average ranks) gives that value.

ttest_rel's values are recorded with the warning scipy gives, if any.
"""
import json
import sys
import warnings

import numpy as np
import scipy
from scipy import stats


def w_plus(d, axis=-1):
    d = np.asarray(d, dtype=float)
    out = []
    for row in np.atleast_2d(d):
        nz = row[row != 0]
        r = stats.rankdata(np.abs(nz))
        out.append(np.sum(r[nz > 0]))
    out = np.array(out)
    return out if d.ndim > 1 else out[0]


def rng_values(seed, n, zeros, ties):
    """Per-user-like values: recall in steps of 1/k, some zero differences."""
    g = np.random.default_rng(seed)
    if ties:
        x = g.integers(0, 6, n) / 5
        y = g.integers(0, 6, n) / 5
    else:
        x = g.random(n)
        y = g.random(n)
    if zeros:
        idx = g.choice(n, zeros, replace=False)
        y[idx] = x[idx]
    return x.round(6).tolist(), y.round(6).tolist()


def case(name, x, y):
    x = np.array(x, dtype=float)
    y = np.array(y, dtype=float)
    d = x - y
    n = len(d)
    zeros = int(np.sum(d == 0))
    nz = d[d != 0]
    ties = len(np.unique(np.abs(nz))) < len(nz)
    if n > 50:
        how = 'wilcoxon(x, y)  # > 50 pairs: normal approximation in 1.10 and 1.17'
        p = stats.wilcoxon(x, y).pvalue
    elif zeros == 0 and not ties:
        how = 'wilcoxon(x, y)  # <= 50 pairs, no zeros or ties: exact in 1.10 and 1.17'
        p = stats.wilcoxon(x, y).pvalue
    elif n <= 13:
        how = ('permutation_test((x - y,), W+, permutation_type="samples")'
               '  # 1.17 auto for <= 13 pairs with ties or zeros')
        if len(nz) == 0:
            p = 1.0  # every W+ equals the observed 0
        else:
            p = stats.permutation_test((d,), w_plus, permutation_type='samples',
                                       vectorized=False, alternative='two-sided').pvalue
    else:
        how = ('wilcoxon(x, y, method="approx")'
               '  # 1.17 auto for 14..50 pairs with ties or zeros')
        p = stats.wilcoxon(x, y, method='approx').pvalue
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        t = stats.ttest_rel(x, y)
    ttest = {'t': float(t.statistic), 'p': float(t.pvalue)}
    if caught:
        ttest['warning'] = str(caught[0].message)
    return {
        'name': name,
        'x': x.tolist(),
        'y': y.tolist(),
        'wilcoxon': {'p': float(p), 'computedAs': how},
        'ttest': ttest,
    }


cases = [
    case('8 pairs, no ties, no zeros', [1.1, 2.3, 3.2, 0.4, 5.9, 1.7, 2.8, 4.05],
         [1, 2, 3, 1, 5, 1, 3.2, 4]),
    case('8 pairs with floating-point ties', [0.5, 0.2, 0.9, 0.4, 0.7, 0.1, 0.3, 0.8],
         [0.3, 0.25, 0.6, 0.1, 0.65, 0.0, 0.35, 0.5]),
    case('12 pairs with ties and zeros', [1, 0, 1, 1, 0.5, 0.5, 1, 0, 1, 1, 0.5, 1],
         [0, 0, 0.5, 1, 0, 0.5, 0, 0, 0.5, 0, 1, 0]),
    case('20 pairs, no ties, no zeros', *rng_values(1, 20, 0, False)),
    case('20 pairs, 3 zeros, no ties', *rng_values(2, 20, 3, False)),
    case('30 pairs with ties, no zeros', rng_values(3, 30, 0, True)[0],
         (np.array(rng_values(3, 30, 0, True)[0])
          + np.random.default_rng(30).choice([-0.4, -0.2, 0.2, 0.4, 0.6], 30)).round(6).tolist()),
    case('61 pairs, 15 zeros, 46 untied non-zero', *rng_values(4, 61, 15, False)),
    case('61 pairs, recall-like with many ties and zeros', *rng_values(5, 61, 20, True)),
    case('61 pairs, no ties, no zeros', *rng_values(6, 61, 0, False)),
    # Seed-level Recall@20 of two models differing by 0.1 in every seed, up to rounding:
    # the t statistic is noise over noise (scipy warns of catastrophic cancellation).
    case('3 seeds, constant difference up to rounding', [0.31, 0.52, 0.73], [0.21, 0.42, 0.63]),
]

json.dump({
    'generatedBy': 'reports/testdata/significance_scipy.py',
    'scipy': scipy.__version__,
    'numpy': np.__version__,
    'cases': cases,
}, sys.stdout, indent=1)
sys.stdout.write('\n')
