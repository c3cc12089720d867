"""A held-out set from hand-written sentences (captrain.devset) and how the scorer pools it (captrain.score)."""
import os

import pytest

from captrain import devset, score, synth


def test_sentences_are_read_one_per_line_skipping_blanks_and_comments(tmp_path):
    path = tmp_path / "fresh.txt"
    path.write_text("# call centre\ncould you spell that for me\n\ni'd like a refund\n")
    assert devset.read_sentences(str(path)) == ["could you spell that for me", "i'd like a refund"]


@pytest.mark.parametrize("line", ["My card was declined", "it costs 5 pounds", "hello, there", "two  spaces"])
def test_a_line_the_transcripts_could_not_hold_is_named_with_its_line_number(tmp_path, line):
    path = tmp_path / "fresh.txt"
    path.write_text(f"a good line\n{line}\n")
    with pytest.raises(ValueError, match=f"fresh.txt:2: .*{line!r}"):
        devset.read_sentences(str(path))


def test_every_sentence_is_spoken_once_by_each_held_out_voice_untransformed():
    sentences = ["first sentence here", "second sentence here", "third one"]
    utterances = devset.heldout_utterances(sentences, seed=5)
    assert [u.texts[0] for u in utterances] == sentences + sentences
    assert all(u.voice == ("flite", synth.FLITE_HELDOUT_VOICE) for u in utterances[:3])
    assert all(u.voice[0] == "espeak" and u.voice[1][0] == synth.ESPEAK_HELDOUT_ACCENT for u in utterances[3:])
    assert not any(u.transform or u.babble for u in utterances)
    assert devset.heldout_utterances(sentences, seed=5) == utterances


def test_the_pooled_figure_leaves_out_call_streams_and_the_fresh_set(tmp_path):
    data, tree = tmp_path / "data", tmp_path / "out"
    texts = {"dev_voice": "a b c d", "dev_calls": "a b c d", "dev_fresh": "a b c d"}
    hyps = {"dev_voice": "a b c x", "dev_calls": "x x x x", "dev_fresh": "x x x x"}
    for name, text in texts.items():
        os.makedirs(data / name)
        (data / name / "text").write_text(f"{name}-1 {text}\n")
        os.makedirs(tree / "lm", exist_ok=True)
        (tree / "lm" / f"{name}.txt").write_text(f"{name}-1\t{hyps[name]}\n")
    table = score.score_tree(str(tree), str(data))["lm"]
    assert table["dev_fresh"]["wer"] == 100 and table["dev_calls"]["wer"] == 100
    assert table["all"]["wer"] == table["dev_voice"]["wer"] == 25
