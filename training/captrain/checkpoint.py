"""Training checkpoints: the model, its optimizer and the run's state in one file, written atomically.

  from captrain import checkpoint
  checkpoint.save("work/exp/moe/last.pt", model, optimizer, state)
  model = checkpoint.load_model("work/exp/moe/last.pt")   # in eval mode
"""
import os

import torch

from .model import ModelConfig, U2Model


def save(path, model, optimizer, state):
    """Writes to a temporary file first, so a run killed mid-write keeps its previous checkpoint. `optimizer`
    is None for weights that no run will resume from (an average of models)."""
    tmp = path + ".tmp"
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict() if optimizer is not None else None,
            "state": state,
            "config": model.cfg.to_dict(),
        },
        tmp,
    )
    os.replace(tmp, path)


def read(path):
    """The checkpoint's parts: {"model", "optimizer", "state", "config"}."""
    return torch.load(path, map_location="cpu")


def model_from(ckpt):
    """The checkpoint's model, at the size it was trained (whatever a command line says now)."""
    model = U2Model(ModelConfig(**ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    return model


def load_model(path):
    model = model_from(read(path))
    model.eval()
    return model
