import torch

from captrain.model import (
    chunk_attention_mask,
    dynamic_chunk_size,
    make_pad_mask,
    subsequent_chunk_mask,
    subsequent_mask,
)


def test_subsequent_chunk_mask_sees_own_and_earlier_chunks():
    m = subsequent_chunk_mask(6, 2)
    expected = torch.tensor(
        [
            [1, 1, 0, 0, 0, 0],
            [1, 1, 0, 0, 0, 0],
            [1, 1, 1, 1, 0, 0],
            [1, 1, 1, 1, 0, 0],
            [1, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1, 1],
        ],
        dtype=torch.bool,
    )
    assert torch.equal(m, expected)


def test_chunk_mask_of_one_is_causal():
    assert torch.equal(subsequent_chunk_mask(5, 1), subsequent_mask(5))


def test_pad_mask_and_chunk_attention_mask_shapes():
    pad = make_pad_mask(torch.tensor([5, 3]), 5)
    assert pad.tolist() == [[False] * 5, [False, False, False, True, True]]
    keep = (~pad).unsqueeze(1)
    full = chunk_attention_mask(keep, 0)
    assert full.shape == (2, 5, 5)
    assert not full[1, :, 3:].any() and full[1, :, :3].all()
    chunked = chunk_attention_mask(keep, 2)
    assert chunked.shape == (2, 5, 5)
    assert chunked[0, 1].tolist() == [True, True, False, False, False]
    assert chunked[1, 4].tolist() == [True, True, True, False, False]  # padding never visible


def test_dynamic_chunk_draws_full_context_or_1_to_25():
    g = torch.Generator().manual_seed(0)
    draws = [dynamic_chunk_size(200, 25, g) for _ in range(2000)]
    full = sum(d == 200 for d in draws)
    assert 0.35 < full / len(draws) < 0.65
    assert set(d for d in draws if d != 200) == set(range(1, 26))
