"""What the model card says of a run's regularisation (captrain.modelcard)."""
from captrain import modelcard


def test_the_card_names_each_augmentation_the_run_used_and_only_those():
    plain = modelcard.regularisation_sentence({"dropout": 0.0}, {"time_mask": 40})
    assert plain == "SpecAugment (2 time masks of up to 40 frames, 2 frequency masks of up to 8 bins), no dropout."
    voiced = modelcard.regularisation_sentence(
        {"dropout": 0.1}, {"time_mask": 40, "freq_warp": 0.15, "tilt": 1.5, "tempo": 0.1}
    )
    assert "warp of the features by a factor in 1 ± 0.15" in voiced
    assert "spectral tilt of up to ±1.5" in voiced and "speaking-rate change by a factor in 1 ± 0.1" in voiced
    assert voiced.endswith(", dropout 0.1.")
