"""Kaldi-style data directories (wav.scp + text) → cached features, char units, length-bucketed batches."""
import os
import random

import numpy as np
import torch

from . import features

UNITS = ["<blank>", "<unk>", "<sos/eos>", "'", "▁"] + [chr(c) for c in range(ord("a"), ord("z") + 1)]
BLANK, UNK, SOS_EOS, SPACE = 0, 1, 2, 4
UNIT_ID = {u: i for i, u in enumerate(UNITS)}


def text_to_tokens(text):
    """Lowercased text → unit ids; words separated by ▁ (no leading ▁); unknown chars → <unk>."""
    words = text.lower().split()
    tokens = []
    for i, w in enumerate(words):
        if i > 0:
            tokens.append(SPACE)
        tokens.extend(UNIT_ID.get(c, UNK) for c in w)
    return tokens


def tokens_to_text(tokens, units=UNITS):
    """As WeNet's runtime: join units, drop <...> tags, ▁ → space, trim, lowercase."""
    pieces = [units[t] for t in tokens]
    text = "".join(p for p in pieces if not (p.startswith("<") and p.endswith(">")))
    return " ".join(text.replace("▁", " ").split()).lower()


def write_units(path):
    with open(path, "w", encoding="utf-8") as f:
        for i, u in enumerate(UNITS):
            f.write(f"{u} {i}\n")


def read_kaldi_table(path):
    """Lines 'key value...' → dict; raises with file and line number on malformed lines."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            parts = line.split(maxsplit=1)
            if len(parts) == 1 and not path.endswith("text"):
                raise ValueError(f"{path}:{n}: expected '<utterance-id> <value>', got {line!r}")
            table[parts[0]] = parts[1] if len(parts) > 1 else ""
    return table


def read_data_dir(data_dir):
    """[(utt_id, wav_path, text)] for utterances present in both wav.scp and text."""
    wavs = read_kaldi_table(os.path.join(data_dir, "wav.scp"))
    texts = read_kaldi_table(os.path.join(data_dir, "text"))
    items = []
    for utt, path in sorted(wavs.items()):
        if path.endswith("|"):
            raise ValueError(f"{data_dir}/wav.scp: {utt}: piped commands are not supported, give a wav path")
        if utt in texts:
            items.append((utt, path, texts[utt]))
    if not items:
        raise ValueError(f"{data_dir}: no utterance has both a wav.scp and a text entry")
    return items


FEATS_SUFFIX = ".feats.npy"  # a cache's features, beside its file


def save_cache(cache_path, cache):
    """Writes a feature cache: its features (float16, [frames, bins]) to cache_path + FEATS_SUFFIX, the rest
    (utterance ids, lengths, offsets, tokens and the number of frames) to cache_path."""
    os.makedirs(os.path.dirname(cache_path) or ".", exist_ok=True)
    with open(cache_path + FEATS_SUFFIX + ".tmp", "wb") as f:
        np.save(f, cache["feats"])
    os.replace(cache_path + FEATS_SUFFIX + ".tmp", cache_path + FEATS_SUFFIX)
    rest = {key: value for key, value in cache.items() if key != "feats"}
    torch.save({**rest, "frames": len(cache["feats"])}, cache_path + ".tmp", pickle_protocol=4)
    os.replace(cache_path + ".tmp", cache_path)


def load_cache(cache_path):
    """A feature cache with its features memory-mapped, read-only, so that the processes of a run share one
    copy of them in the page cache instead of holding one each (163 h of features are 9.4 GB). A cache
    written with its features inside the file, as the recipe wrote them before, is rewritten once."""
    cache = torch.load(cache_path)
    if "feats" in cache:
        feats = cache.pop("feats")
        save_cache(cache_path, {**cache, "feats": feats.numpy() if torch.is_tensor(feats) else feats})
        cache["frames"] = len(feats)
        del feats
    feats = np.load(cache_path + FEATS_SUFFIX, mmap_mode="r")
    if len(feats) != cache["frames"]:
        raise ValueError(
            f"{cache_path}{FEATS_SUFFIX} holds {len(feats)} frames where {cache_path} expects {cache['frames']}; "
            "delete both to make the cache again"
        )
    cache["feats"] = feats
    return cache


def prepare_features(data_dir, cache_path):
    """Compute fbank for a data dir once; cache as float16 arrays (save_cache, load_cache). Returns the cache
    dict. A cache made for other utterances than the data dir now holds (a corpus grown or regenerated) is
    made again, with the features of the utterances it already has taken over (an utterance id names one
    synthesis: the corpus seeds each utterance by its id); without a data dir the cache is taken as it is."""
    have_dir = data_dir is not None and os.path.exists(os.path.join(data_dir, "wav.scp"))
    items = read_data_dir(data_dir) if have_dir else None
    known = {}
    if os.path.exists(cache_path):
        cache = load_cache(cache_path)
        if items is None or cache["utts"] == [utt for utt, _, _ in items]:
            return cache
        known = {
            utt: cache["feats"][offset : offset + length]
            for utt, offset, length in zip(cache["utts"], cache["offsets"], cache["lengths"])
        }
        print(
            f"{cache_path}: made for {len(cache['utts'])} utterances, {data_dir} now has {len(items)}; "
            f"computing the features of {sum(utt not in known for utt, _, _ in items)} of them",
            flush=True,
        )
    if items is None:
        raise FileNotFoundError(f"{data_dir}/wav.scp: no such file, and no feature cache at {cache_path}")
    feats, tokens, utts = [], [], []
    for utt, path, text in items:
        f = known.get(utt)
        feats.append(f if f is not None else features.fbank(features.read_wav(path)).numpy().astype(np.float16))
        tokens.append(np.array(text_to_tokens(text), dtype=np.int16))
        utts.append(utt)
    lengths = np.array([len(f) for f in feats])
    known.clear()
    cache = {
        "utts": utts,
        "feats": np.concatenate(feats),
        "lengths": lengths,
        "offsets": np.concatenate([[0], np.cumsum(lengths)[:-1]]),
        "tokens": tokens,
    }
    del feats  # the features are in memory once more only while they are joined: 92 h of them are 5.3 GB
    save_cache(cache_path, cache)
    del cache
    return load_cache(cache_path)


def global_cmvn(cache, frames_at_once=1 << 20):
    """Mean and inverse standard deviation of every bin over the cache's frames, summed a block at a time
    (the whole corpus in float64 would be four times its float16 size)."""
    feats = cache["feats"]
    total, squares = np.zeros(feats.shape[1]), np.zeros(feats.shape[1])
    for start in range(0, len(feats), frames_at_once):
        block = feats[start : start + frames_at_once].astype(np.float64)
        total += block.sum(0)
        squares += np.square(block).sum(0)
    mean = total / len(feats)
    std = np.sqrt(np.maximum(squares / len(feats) - np.square(mean), 1e-20))
    return torch.tensor(mean, dtype=torch.float32), torch.tensor(1.0 / std, dtype=torch.float32)


def speech_mean(cache, gate, utts=None, frames_at_once=1 << 20):
    """Mean of the cache's frames whose mean log energy lies above `gate` (the all-frame mean's, for the
    runtime's feature normalisation: pauses and silence left out), over the utterances named in `utts` (all if
    None), summed a block at a time."""
    feats = cache["feats"]
    if utts is None:
        spans = [(0, len(feats))]
    else:
        wanted = set(utts)
        spans = [(o, o + n) for u, o, n in zip(cache["utts"], cache["offsets"], cache["lengths"]) if u in wanted]
    total, count = np.zeros(feats.shape[1]), 0
    for begin, end in spans:
        for start in range(begin, end, frames_at_once):
            block = feats[start : min(end, start + frames_at_once)].astype(np.float64)
            loud = block[block.mean(1) > gate]
            total += loud.sum(0)
            count += len(loud)
    return torch.tensor(total / max(count, 1), dtype=torch.float32)


def make_batches(cache, max_frames, seed, epoch):
    """Length-sorted buckets with at most max_frames padded frames each, shuffled per epoch."""
    order = np.argsort(cache["lengths"], kind="stable")
    batches, cur = [], []
    for i in order:
        if cur and (len(cur) + 1) * cache["lengths"][i] > max_frames:
            batches.append(cur)
            cur = []
        cur.append(int(i))
    if cur:
        batches.append(cur)
    random.Random(seed * 1000 + epoch).shuffle(batches)
    return batches


def collate(cache, idx, augment_rng=None, augmentation=features.Augmentation()):
    utterances = []
    for i in idx:
        o, n = cache["offsets"][i], cache["lengths"][i]
        f = torch.from_numpy(cache["feats"][o : o + n].astype(np.float32))
        utterances.append(f if augment_rng is None else augmentation.apply(f, augment_rng))
    lengths = np.array([len(f) for f in utterances])  # a tempo change makes an utterance longer or shorter
    feats = torch.zeros(len(idx), int(lengths.max()), features.NUM_MEL_BINS)
    for b, f in enumerate(utterances):
        feats[b, : len(f)] = f
    toks = [cache["tokens"][i] for i in idx]
    U = max(len(t) for t in toks)
    ys = torch.full((len(idx), U), -1, dtype=torch.long)
    for b, t in enumerate(toks):
        ys[b, : len(t)] = torch.from_numpy(t.astype(np.int64))
    return feats, torch.from_numpy(lengths.astype(np.int64)), ys, torch.tensor([len(t) for t in toks])
