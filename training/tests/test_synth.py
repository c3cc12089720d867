"""The corpus plan (captrain.synth.make_sets): Piper utterances come on top of the rest."""
from captrain import synth


def test_piper_utterances_are_added_after_an_unchanged_corpus():
    plain = synth.make_sets(7, 60, 90, 6)
    with_piper = synth.make_sets(7, 60, 90, 6, n_piper=5)
    assert with_piper["train"][:len(plain["train"])] == plain["train"]
    for name in ("dev_seen", "dev_accent", "dev_voice"):
        assert with_piper[name] == plain[name]
    added = with_piper["train"][len(plain["train"]):]
    assert len(added) == 5
    assert all(u.voice[0] == "piper" and u.voice[1] in synth.PIPER_TRAIN_VOICES and u.transform for u in added)
    held_out = {t for name in ("dev_seen", "dev_accent", "dev_voice") for u in plain[name] for t in u.texts}
    trained = {t for u in plain["train"] for t in u.texts}
    assert all(u.texts[0] in trained and u.texts[0] not in held_out for u in added)
    assert synth.voice_name(added[0].voice) == "piper-joe"
