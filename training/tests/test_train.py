"""Data-parallel training (captrain.train --processes): one update averages the processes' gradients."""
import os

import numpy as np
import pytest
import torch

from captrain import data, train


def tiny_cache(path, utterances=4, seed=3):
    """A feature cache of random utterances, in the layout data.prepare_features writes."""
    rng = np.random.default_rng(seed)
    lengths = np.array([180 + 40 * i for i in range(utterances)])
    feats = (rng.standard_normal((int(lengths.sum()), 80)) * 2 + 10).astype(np.float16)
    tokens = [np.array(data.text_to_tokens(t), dtype=np.int16) for t in ["yes", "no thanks", "hello there", "ok"]]
    data.save_cache(
        path,
        {
            "utts": [f"u{i}" for i in range(utterances)],
            "feats": feats,
            "lengths": lengths,
            "offsets": np.concatenate([[0], np.cumsum(lengths)[:-1]]),
            "tokens": tokens[:utterances],
        },
    )


def test_two_processes_make_the_update_of_their_averaged_gradients(tmp_path):
    cache_path = str(tmp_path / "feats.pt")
    tiny_cache(cache_path)
    argv = [
        "--data",
        "unused",
        "--cache",
        cache_path,
        "--exp",
        str(tmp_path / "exp"),
        "--experts",
        "3",
        "--d-model",
        "32",
        "--ffn-dim",
        "64",
        "--encoder-blocks",
        "1",
        "--max-frames",
        "400",
        "--max-steps",
        "1",
        "--seed",
        "5",
    ]
    train.main(argv + ["--processes", "2"])
    trained = torch.load(str(tmp_path / "exp" / "last.pt"))
    assert trained["state"]["step"] == 1
    assert trained["state"]["batch_in_epoch"] == 2

    # the same update by hand, in this process: both batches' gradients, averaged, clipped, one Adam step
    args = train.parse_args(argv[:5] + [str(tmp_path / "by-hand")] + argv[6:])
    torch.manual_seed(args.seed)
    cache = data.prepare_features(args.data, cache_path)
    model, opt, _, how = train.build_model(args, cache)
    assert how == "new model"
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    batches = data.make_batches(cache, args.max_frames, args.seed, 0)
    grads, seconds = [], 0.0
    for rank in range(2):
        opt.zero_grad()
        seconds += train.backward_on_batch(
            model, cache, batches[rank], rank, args.seed, torch.device("cpu"), train.augmentation(args)
        )[3]
        grads.append([p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()])
    for p, g0, g1 in zip(model.parameters(), *grads):
        p.grad = (g0 + g1) / 2
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    for g in opt.param_groups:
        g["lr"] = train.lr_at(1, args.peak_lr, args.warmup)
    opt.step()

    assert abs(trained["state"]["audio_seconds"] - seconds) < 1e-3
    expected = model.state_dict()
    changed = 0
    for name, value in trained["model"].items():
        assert torch.allclose(value, expected[name], atol=1e-6), name
        changed += not torch.equal(value, initial[name])
    assert changed > 10  # the update moved the weights


def test_init_from_an_export_goes_on_from_its_weights_and_count_with_new_dropout(tmp_path):
    from captrain import export
    from tiny import tiny_model

    exported = tiny_model(3, seed=5)
    export.export_onnx(
        exported,
        str(tmp_path / "model"),
        "tiny-test",
        "0",
        training={"training_updates": 120, "training_audio_hours": 1.5},
    )
    tiny_cache(str(tmp_path / "feats.pt"))
    args = train.parse_args(
        [
            "--data",
            "unused",
            "--cache",
            str(tmp_path / "feats.pt"),
            "--exp",
            str(tmp_path / "exp"),
            "--init-from",
            str(tmp_path / "model"),
            "--dropout",
            "0.1",
        ]
    )
    model, _, state, how = train.build_model(args, None)
    assert how.startswith(f"initialised from {tmp_path / 'model'} at update 120")
    assert (state["step"], state["rewarm_from"], state["audio_seconds"]) == (120, 120, 1.5 * 3600)
    assert model.cfg.dropout == 0.1 and model.training
    assert any(isinstance(m, torch.nn.Dropout) for m in model.modules())
    for name, value in exported.state_dict().items():
        assert torch.equal(model.state_dict()[name], value), name


def test_cooldown_takes_the_rate_linearly_to_zero_at_the_last_update():
    peak, warmup = 1e-3, 100
    for before in (700, 801):  # the cool-down's first update still runs at the schedule's rate
        assert train.lr_at(before, peak, warmup, last_step=1000, cooldown=200) == train.lr_at(before, peak, warmup)
    assert (
        abs(train.lr_at(901, peak, warmup, last_step=1000, cooldown=200) - train.lr_at(901, peak, warmup) * 100 / 200)
        < 1e-12
    )
    assert (
        abs(train.lr_at(1000, peak, warmup, last_step=1000, cooldown=200) - train.lr_at(1000, peak, warmup) / 200)
        < 1e-12
    )  # the last update still moves the weights
    with pytest.raises(SystemExit):
        train.parse_args(["--data", "d", "--cache", "c", "--exp", "e", "--max-steps", "100", "--cooldown", "101"])
