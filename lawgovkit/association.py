"""Association statistics of 2×2 frequency tables, vectorised over many terms at once.

The keyness of a term in a group against a reference and the association of a collocate
with a node word are both read off the same table of counts::

                      in the group / window     in the reference / elsewhere
    the term          a                         b
    any other token   size_group - a            size_reference - b

- :func:`log_likelihood` — Dunning's G² (= 2 Σ O ln(O/E) over the four cells), signed:
  positive when the term is relatively more frequent in the group (as in quanteda's
  ``textstat_keyness`` and qhchina), with its p-value from χ² with 1 degree of freedom;
- :func:`log_ratio` — the binary log of the ratio of relative frequencies (Hardie 2014),
  with 0.5 added to both counts so a term absent from one side gets a finite value;
- :func:`pmi` and :func:`t_score` — the collocation measures of Church & Hanks (1990) and
  Church et al. (1991), observed against expected co-occurrences;
- :func:`benjamini_hochberg` — p-values adjusted for the false discovery rate (the same
  numbers as ``scipy.stats.false_discovery_control``).
"""

from __future__ import annotations

import numpy as np
from scipy.special import erfc

__all__ = ["SMOOTHING", "benjamini_hochberg", "log_likelihood", "log_ratio", "pmi", "t_score"]

SMOOTHING = 0.5


def _xlogy(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``observed * ln(observed / expected)``, 0 where nothing is observed."""
    observed = np.asarray(observed, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(observed > 0, observed * np.log(observed / expected), 0.0)


def log_likelihood(
    a: np.ndarray, b: np.ndarray, size_group: np.ndarray, size_reference: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Signed G² and its p-value for counts ``a`` (group) and ``b`` (reference).

    Parameters
    ----------
    a, b : array_like
        The term's count in the group and in the reference.
    size_group, size_reference : array_like
        All tokens of the group and of the reference.

    Returns
    -------
    (g2, p) : tuple of ndarray
        G² made negative where the term is relatively rarer in the group; p from χ²(1).

    Examples
    --------
    >>> g2, p = log_likelihood([10], [2], [100], [200])
    >>> round(float(g2[0]), 4), round(float(p[0]), 6)
    (13.3493, 0.000259)
    >>> float(log_likelihood([1], [20], [100], [200])[0][0]) < 0
    True
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    size_group = np.asarray(size_group, dtype=float)
    size_reference = np.asarray(size_reference, dtype=float)
    total = size_group + size_reference
    term = a + b
    g2 = 2 * (
        _xlogy(a, size_group * term / total)
        + _xlogy(b, size_reference * term / total)
        + _xlogy(size_group - a, size_group * (total - term) / total)
        + _xlogy(size_reference - b, size_reference * (total - term) / total)
    )
    g2 = np.maximum(g2, 0.0)
    p = erfc(np.sqrt(g2 / 2))  # the χ² survival function for 1 degree of freedom, directly
    under = a * size_reference < b * size_group
    return np.where(under, -g2, g2), p


def log_ratio(
    a: np.ndarray, b: np.ndarray, size_group: np.ndarray, size_reference: np.ndarray
) -> np.ndarray:
    """Binary log of the ratio of relative frequencies, counts smoothed by 0.5.

    Examples
    --------
    >>> float(log_ratio([10], [0], [100], [100])[0]).__round__(3)
    4.392
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.log2(((a + SMOOTHING) / size_group) / ((b + SMOOTHING) / size_reference))


def pmi(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Pointwise mutual information, ``log2(observed / expected)``.

    Examples
    --------
    >>> pmi([8], [2]).tolist()
    [2.0]
    """
    observed, expected = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    with np.errstate(divide="ignore"):
        return np.log2(observed / expected)


def t_score(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``(observed - expected) / sqrt(observed)``.

    Examples
    --------
    >>> t_score([9], [3]).tolist()
    [2.0]
    """
    observed, expected = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (observed - expected) / np.sqrt(observed)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), in the input's order.

    ``q[i] = min over j with p[j] >= p[i] of p[j] * m / rank(p[j])``, at most 1; equal to
    ``scipy.stats.false_discovery_control(p)``.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.5]
    """
    p = np.asarray(p, dtype=float)
    if p.size == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    m = p.size
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    result = np.empty_like(p)
    result[order] = np.minimum(adjusted, 1.0)
    return result
