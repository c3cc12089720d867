import itertools
import math

import torch

from captrain import data, decode, textgen


def exact_sequence_logprobs(log_probs):
    """Sum over every alignment of a [T, V] matrix, by enumeration: label sequence → log-prob."""
    T, V = log_probs.shape
    totals = {}
    for path in itertools.product(range(V), repeat=T):
        collapsed = tuple(u for i, u in enumerate(path) if u != 0 and (i == 0 or path[i - 1] != u))
        p = sum(float(log_probs[t, u]) for t, u in enumerate(path))
        totals[collapsed] = decode.log_add(totals.get(collapsed, -math.inf), p)
    return totals


def test_prefix_beam_search_scores_are_exact_sums_over_alignments():
    torch.manual_seed(0)
    log_probs = torch.randn(3, 3).log_softmax(-1)
    exact = exact_sequence_logprobs(log_probs)
    # (impossible prefixes can appear with score -inf, as in WeNet's search; ignore those)
    nbest = [h for h in decode.ctc_prefix_beam_search(log_probs, beam=10) if h[1] > -math.inf]
    ranked = sorted(exact.items(), key=lambda kv: kv[1], reverse=True)[: len(nbest)]
    assert [h[0] for h in nbest] == [k for k, _ in ranked]
    for tokens, score, _ in nbest:
        assert math.isclose(score, exact[tokens], abs_tol=1e-9)


def test_prefix_beam_search_peak_times():
    # frames: a a - b b(peak) - a  → tokens a b a; peaks at 1, 4, 6
    probs = torch.full((7, 4), 0.01)
    for t, (u, p) in enumerate([(1, 0.6), (1, 0.9), (0, 0.9), (2, 0.7), (2, 0.95), (0, 0.9), (1, 0.8)]):
        probs[t, u] = p
    nbest = decode.ctc_prefix_beam_search(probs.log(), beam=4)
    assert nbest[0][0] == (1, 2, 1)
    assert nbest[0][2] == [1, 4, 6]


def test_reverse_hyps_reverses_tokens_behind_sos():
    hyps, lens = decode.pad_hyps([[5, 6, 7], [8], []], sos=2)
    r = decode.reverse_hyps(hyps, lens, eos=2)
    assert r.tolist() == [[2, 7, 6, 5], [2, 8, 2, 2], [2, 2, 2, 2]]


def test_text_tokens_round_trip_and_unknowns():
    tokens = data.text_to_tokens("Hello  World it's 4")
    assert data.UNITS[tokens[0]] == "h" and data.SPACE in tokens and data.UNK in tokens
    assert data.tokens_to_text(data.text_to_tokens("call me back please")) == "call me back please"


def test_numbers_are_spelled_as_spoken():
    assert textgen.number_words(2315) == "two thousand three hundred and fifteen"
    assert textgen.number_words(40) == "forty"
    assert textgen.year_words(1987) == "nineteen eighty seven"
    assert textgen.year_words(2005) == "two thousand and five"
    assert textgen.ordinal_words(23) == "twenty third"
    assert textgen.normalise("Call 0800, ext. 12!") == "call zero eight zero zero ext one two"
