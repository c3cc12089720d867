"""Front end and training-time augmentation (captrain.features) and the feature cache (captrain.data)."""
import os
import wave

import numpy as np
import pytest
import torch

from captrain import data, features


def tone_fbank(hz, seconds=0.5):
    t = np.arange(int(seconds * features.SAMPLE_RATE)) / features.SAMPLE_RATE
    return features.fbank(torch.from_numpy((8000 * np.sin(2 * np.pi * hz * t)).astype(np.float32)))


def peak_bin(feats):
    return int(feats.mean(0).argmax())


def test_a_warp_moves_a_tone_to_the_bin_of_the_scaled_frequency():
    original = tone_fbank(1000)
    assert torch.equal(features.warp_frequencies(original, 1.0), original)
    assert peak_bin(features.warp_frequencies(original, 1.1)) == peak_bin(tone_fbank(1100))
    assert peak_bin(features.warp_frequencies(original, 0.9)) == peak_bin(tone_fbank(900))


def test_a_tilt_raises_the_top_bins_against_the_bottom_ones():
    original = tone_fbank(1000)
    tilted = features.tilt_spectrum(original, 2.0)
    assert torch.allclose(tilted[:, 0], original[:, 0])
    assert torch.allclose(tilted[:, -1], original[:, -1] + 2.0)
    assert peak_bin(tilted) == peak_bin(original)


def test_a_tempo_change_shortens_or_stretches_a_sweep_in_time_not_in_frequency():
    rising = torch.stack([tone_fbank(hz, seconds=0.1).mean(0) for hz in range(500, 3000, 50)])  # 50 frames
    faster = features.change_tempo(rising, 1.25)
    slower = features.change_tempo(rising, 0.8)
    assert (len(faster), len(slower)) == (40, 62)
    assert torch.equal(features.change_tempo(rising, 1.0), rising)
    assert torch.allclose(faster[20], rising[25]) and torch.allclose(slower[40], rising[32])
    assert torch.allclose(faster[-1], 0.25 * rising[48] + 0.75 * rising[49])  # read at frame 39 x 1.25


def test_augmentation_masks_within_its_limits_and_leaves_the_input_alone():
    feats = tone_fbank(700) + 1.0  # no zeros of its own
    before = feats.clone()
    out = features.Augmentation(max_time_mask=5, max_freq_mask=3).apply(feats, np.random.default_rng(0))
    assert torch.equal(feats, before)
    zero_frames = int((out == 0).all(1).sum())
    zero_bins = int((out == 0).all(0).sum())
    assert 1 <= zero_frames <= 2 * 5 and 1 <= zero_bins <= 2 * 3


def write_data_dir(directory, utts):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "wav.scp"), "w") as scp, open(os.path.join(directory, "text"), "w") as txt:
        for utt in utts:
            path = os.path.join(directory, utt + ".wav")
            with wave.open(path, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(features.SAMPLE_RATE)
                w.writeframes((np.random.default_rng(len(utt)).standard_normal(4000) * 500).astype(np.int16).tobytes())
            scp.write(f"{utt} {path}\n")
            txt.write(f"{utt} hello\n")


def test_a_feature_cache_follows_its_data_dir_when_the_corpus_grows(tmp_path):
    corpus, cache_path = str(tmp_path / "train"), str(tmp_path / "train.pt")
    write_data_dir(corpus, ["a", "b"])
    assert data.prepare_features(corpus, cache_path)["utts"] == ["a", "b"]
    write_data_dir(corpus, ["a", "b", "c"])
    assert data.prepare_features(corpus, cache_path)["utts"] == ["a", "b", "c"]
    assert data.prepare_features(None, cache_path)["utts"] == ["a", "b", "c"]  # the cache alone


def test_a_grown_corpus_takes_over_the_features_of_the_utterances_its_cache_has(tmp_path):
    corpus, cache_path = str(tmp_path / "train"), str(tmp_path / "train.pt")
    write_data_dir(corpus, ["a", "c"])
    before = data.prepare_features(corpus, cache_path)
    os.remove(os.path.join(corpus, "a.wav"))  # an utterance the cache has is not read again
    write_data_dir(os.path.join(corpus, "new"), ["b"])
    with open(os.path.join(corpus, "wav.scp"), "w") as scp, open(os.path.join(corpus, "text"), "w") as txt:
        for utt in ("a", "b", "c"):
            folder = os.path.join(corpus, "new") if utt == "b" else corpus
            scp.write(f"{utt} {os.path.join(folder, utt + '.wav')}\n")
            txt.write(f"{utt} hello\n")
    after = data.prepare_features(corpus, cache_path)
    assert after["utts"] == ["a", "b", "c"]
    frames = lambda cache, i: cache["feats"][
        cache["offsets"][i] : cache["offsets"][i] + cache["lengths"][i]
    ]  # noqa: E731
    assert np.array_equal(frames(after, 0), frames(before, 0))
    assert np.array_equal(frames(after, 2), frames(before, 1))
    fresh = features.fbank(features.read_wav(os.path.join(corpus, "new", "b.wav"))).numpy().astype(np.float16)
    assert np.array_equal(frames(after, 1), fresh)


def test_a_cache_with_its_features_inside_is_rewritten_once_with_them_memory_mapped_beside_it(tmp_path):
    corpus, cache_path = str(tmp_path / "train"), str(tmp_path / "train.pt")
    write_data_dir(corpus, ["a", "b"])
    made = data.prepare_features(corpus, cache_path)
    old_layout = {key: value for key, value in made.items() if key != "frames"}
    torch.save({**old_layout, "feats": torch.from_numpy(np.array(made["feats"]))}, cache_path)
    os.remove(cache_path + data.FEATS_SUFFIX)
    read = data.prepare_features(corpus, cache_path)
    assert isinstance(read["feats"], np.memmap) and not read["feats"].flags.writeable
    assert np.array_equal(read["feats"], made["feats"]) and read["utts"] == ["a", "b"]
    assert "feats" not in torch.load(cache_path) and os.path.exists(cache_path + data.FEATS_SUFFIX)


def test_a_cache_whose_features_do_not_match_it_is_refused_by_name(tmp_path):
    corpus, cache_path = str(tmp_path / "train"), str(tmp_path / "train.pt")
    write_data_dir(corpus, ["a", "b"])
    made = data.prepare_features(corpus, cache_path)
    np.save(cache_path + data.FEATS_SUFFIX, np.array(made["feats"])[:-3])
    with pytest.raises(ValueError, match=r"train.pt.feats.npy holds \d+ frames where .*train.pt expects \d+"):
        data.load_cache(cache_path)


def test_global_cmvn_summed_a_block_at_a_time_is_that_of_all_frames_at_once():
    feats = (np.random.default_rng(2).standard_normal((1000, 80)) * 3 + 9).astype(np.float16)
    mean, istd = data.global_cmvn({"feats": feats}, frames_at_once=64)
    x = feats.astype(np.float64)
    assert torch.allclose(mean, torch.tensor(x.mean(0), dtype=torch.float32), atol=1e-5)
    assert torch.allclose(istd, torch.tensor(1 / x.std(0), dtype=torch.float32), rtol=1e-5)


def test_a_cache_read_back_holds_the_features_it_was_made_with(tmp_path):
    corpus, cache_path = str(tmp_path / "train"), str(tmp_path / "train.pt")
    write_data_dir(corpus, ["a", "b"])
    made = data.prepare_features(corpus, cache_path)
    read = data.prepare_features(corpus, cache_path)
    assert isinstance(read["feats"], np.ndarray) and read["feats"].dtype == np.float16
    assert np.array_equal(read["feats"], made["feats"]) and list(read["lengths"]) == list(made["lengths"])
