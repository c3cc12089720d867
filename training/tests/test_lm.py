"""The modified Kneser-Ney estimator and its ARPA output (captrain.lm)."""
import math

import pytest

from captrain import lm

SENTENCES = [
    s.split()
    for s in [
        "my account number is one two",
        "my card number is three",
        "the card is lost",
        "my account is closed",
        "is my card lost",
        "one two three",
    ]
]


@pytest.fixture(scope="module")
def arpa(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("lm") / "lm.arpa.gz")
    lm.write_arpa(lm.estimate(lm.count_ngrams(SENTENCES, 3), 3), path)
    return lm.read_arpa(path)


def test_every_context_gives_a_distribution_that_sums_to_one(arpa):
    vocab = [w for (w,) in arpa[1] if w != "<s>"]
    for history in (["<s>"], ["my"], ["<s>", "my"], ["my", "card"], ["lost", "number"], ["never", "seen"]):
        assert math.isclose(sum(10 ** lm.log10_prob(arpa, history, w) for w in vocab), 1.0, abs_tol=1e-5), history


def test_seen_continuations_beat_unseen_ones_and_unknown_words_score_as_unk(arpa):
    assert lm.log10_prob(arpa, ["my", "account"], "number") > lm.log10_prob(arpa, ["my", "account"], "lost")
    assert lm.log10_prob(arpa, ["my"], "zebra") == lm.log10_prob(arpa, ["my"], "<unk>")
    assert arpa[1][("<s>",)][0] == -99.0


def test_perplexity_counts_sentence_ends_and_out_of_vocabulary_words(arpa):
    ppl, oov, n = lm.perplexity(arpa, [["my", "card", "is", "zebra"]])
    assert (oov, n) == (1, 5)
    assert ppl > 1
    seen_ppl, _, _ = lm.perplexity(arpa, SENTENCES)
    assert seen_ppl < ppl


def test_discounts_stay_between_zero_and_their_count():
    d = lm.discounts({("a",): 1, ("b",): 1, ("c",): 2, ("d",): 3, ("e",): 4, ("f",): 1})
    assert all(0 <= x <= i + 1 for i, x in enumerate(d))
    assert lm.discounts({("a",): 5}) == (0.5, 1.0, 1.5)


def test_vocabulary_words_join_with_an_unseen_words_share_and_keep_the_distribution(tmp_path):
    path = str(tmp_path / "lm.arpa")
    lm.write_arpa(lm.estimate(lm.count_ngrams(SENTENCES, 3), 3, ["website", "card", "download"]), path)
    arpa = lm.read_arpa(path)
    vocab = [w for (w,) in arpa[1] if w != "<s>"]
    assert {"website", "download"} <= set(vocab)
    for history in (["<s>"], ["my", "card"], ["never", "seen"]):
        assert math.isclose(sum(10 ** lm.log10_prob(arpa, history, w) for w in vocab), 1.0, abs_tol=1e-5), history
    assert arpa[1][("website",)] == arpa[1][("<unk>",)]
    assert lm.log10_prob(arpa, ["my"], "website") < lm.log10_prob(arpa, ["my"], "card")
    assert lm.perplexity(arpa, [["my", "website"]])[1] == 0
