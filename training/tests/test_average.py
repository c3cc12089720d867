"""Weight averaging (captrain.average) of checkpoints and exported models."""
import pytest
import torch

from captrain import average, checkpoint, export
from tests.tiny import tiny_model


def save_checkpoint(model, path, step):
    checkpoint.save(path, model, None, {"step": step})


def test_the_average_of_two_checkpoints_is_the_mean_of_their_weights(tmp_path):
    first, second = tiny_model(num_experts=3, seed=1), tiny_model(num_experts=3, seed=2)
    save_checkpoint(first, str(tmp_path / "a.pt"), 10)
    save_checkpoint(second, str(tmp_path / "b.pt"), 20)
    average.main(["--out", str(tmp_path / "avg.pt"), str(tmp_path / "a.pt"), str(tmp_path / "b.pt")])
    ckpt = checkpoint.read(str(tmp_path / "avg.pt"))
    model = checkpoint.model_from(ckpt)
    assert "encoder.blocks.0.ff.gate.weight" in model.state_dict()  # the routers average too
    for key, weight in model.state_dict().items():
        if weight.is_floating_point():
            assert torch.allclose(weight, (first.state_dict()[key] + second.state_dict()[key]) / 2), key
    assert ckpt["state"]["step"] == 20


def test_models_of_different_sizes_do_not_average(tmp_path):
    save_checkpoint(tiny_model(blocks=2), str(tmp_path / "a.pt"), 1)
    save_checkpoint(tiny_model(blocks=3), str(tmp_path / "b.pt"), 1)
    with pytest.raises(SystemExit):
        average.main(["--out", str(tmp_path / "avg.pt"), str(tmp_path / "a.pt"), str(tmp_path / "b.pt")])
    assert not (tmp_path / "avg.pt").exists()


def test_an_exported_model_directory_averages_with_a_checkpoint(tmp_path):
    exported, trained = tiny_model(seed=3), tiny_model(seed=4)
    export.export_onnx(exported, str(tmp_path / "model"), "tiny-test", "0", training={"training_updates": 7})
    save_checkpoint(trained, str(tmp_path / "b.pt"), 9)
    average.main(["--out", str(tmp_path / "avg.pt"), str(tmp_path / "model"), str(tmp_path / "b.pt")])
    model = checkpoint.load_model(str(tmp_path / "avg.pt"))
    key = "encoder.blocks.1.conv.depthwise_conv.weight"
    expected = (exported.state_dict()[key] + trained.state_dict()[key]) / 2
    assert torch.allclose(model.state_dict()[key], expected, atol=1e-7)
