"""U2++ model: conformer encoder (causal conv, relative positions, dynamic chunks), CTC head and a
bidirectional attention decoder; every feed-forward layer is optionally a top-k mixture of experts.

Layer structure follows WeNet's U2++ (and U2++ MoE, arXiv 2404.16407); the code is our own.
"""
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

IGNORE_ID = -1


@dataclass
class ModelConfig:
    vocab_size: int = 31
    feat_dim: int = 80
    d_model: int = 112
    heads: int = 4
    ffn_dim: int = 448
    encoder_blocks: int = 6
    cnn_kernel: int = 15
    subsampling_channels: int = 64
    decoder_blocks: int = 1
    r_decoder_blocks: int = 1
    num_experts: int = 0  # 0 = dense feed-forward layers
    moe_top_k: int = 2
    dropout: float = 0.0  # runs are short (about two epochs); dropout only slowed learning
    ctc_weight: float = 0.3
    reverse_weight: float = 0.3
    lsm_weight: float = 0.1
    max_chunk: int = 25  # dynamic chunk training draws chunks of 1..max_chunk frames
    sos: int = 2
    eos: int = 2

    def to_dict(self):
        return asdict(self)


# ---------------------------------------------------------------- masks


def make_pad_mask(lengths, max_len):
    """True where a frame is padding: [B, max_len]."""
    return torch.arange(max_len, device=lengths.device).unsqueeze(0) >= lengths.unsqueeze(1)


def subsequent_chunk_mask(size, chunk_size, device=None):
    """[size, size] bool: frame i sees every frame of its own chunk and all earlier chunks."""
    idx = torch.arange(size, device=device)
    limit = (idx // chunk_size + 1) * chunk_size
    return idx.unsqueeze(0) < limit.unsqueeze(1)


def subsequent_mask(size, device=None):
    idx = torch.arange(size, device=device)
    return idx.unsqueeze(0) <= idx.unsqueeze(1)  # lower triangle (tril does not export at opset 13)


def dynamic_chunk_size(max_len, max_chunk, generator=None):
    """Training-time draw (as WeNet): full context about half the time, else 1..max_chunk frames."""
    draw = int(torch.randint(1, max_len + 1, (1,), generator=generator))
    if draw > max_len // 2:
        return max_len
    return draw % max_chunk + 1


def chunk_attention_mask(pad_keep, chunk_size):
    """pad_keep [B, 1, T] (True = real frame) → [B, T, T] attention mask for a chunk size.

    chunk_size <= 0 or >= T means full context.
    """
    T = pad_keep.size(-1)
    if chunk_size <= 0 or chunk_size >= T:
        return pad_keep.expand(-1, T, -1)
    return pad_keep & subsequent_chunk_mask(T, chunk_size, pad_keep.device).unsqueeze(0)


# ---------------------------------------------------------------- building blocks


def make_dropout(p):
    return nn.Dropout(p) if p > 0 else nn.Identity()


class GlobalCMVN(nn.Module):
    def __init__(self, feat_dim):
        super().__init__()
        self.register_buffer("mean", torch.zeros(feat_dim))
        self.register_buffer("istd", torch.ones(feat_dim))

    def forward(self, x):
        return (x - self.mean) * self.istd


class PositionalEncoding(nn.Module):
    """Sinusoidal table, looked up at `offset` (a Python int or a 0-d tensor). The encoder's has
    5000 rows as WeNet's (≈200 s); the decoder's only needs the longest transcript."""

    def __init__(self, d_model, dropout, max_len=5000):
        super().__init__()
        self.max_len = max_len
        self.d_model = d_model
        self.xscale = math.sqrt(d_model)
        self.dropout = make_dropout(dropout)
        pos = torch.arange(self.max_len, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * -(math.log(10000.0) / d_model))
        pe = torch.zeros(self.max_len, d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)

    def position_encoding(self, offset, size):
        if isinstance(offset, torch.Tensor):
            return F.embedding(offset + torch.arange(size), self.pe).unsqueeze(0)
        return self.pe[offset : offset + size].unsqueeze(0)


class AbsPositionalEncoding(PositionalEncoding):
    def forward(self, x, offset=0):
        pos = self.position_encoding(offset, x.size(1))
        return self.dropout(x * self.xscale + pos)


class RelPositionalEncoding(PositionalEncoding):
    """Scales the input; the position embeddings are returned separately for the attention."""

    def forward(self, x, offset=0):
        pos = self.position_encoding(offset, x.size(1))
        return self.dropout(x * self.xscale), self.dropout(pos)


class Conv2dSubsampling4(nn.Module):
    """Two 3x3 stride-2 convolutions: T → ((T-1)//2 - 1)//2 frames; 6 frames right context."""

    subsampling_rate = 4
    right_context = 6

    def __init__(self, idim, odim, channels, dropout):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, channels, 3, 2), nn.ReLU(), nn.Conv2d(channels, channels, 3, 2), nn.ReLU()
        )
        self.out = nn.Linear(channels * (((idim - 1) // 2 - 1) // 2), odim)
        self.pos_enc = RelPositionalEncoding(odim, dropout)

    def forward(self, x, pad_keep, offset=0):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        x, pos = self.pos_enc(x, offset)
        return x, pos, pad_keep[:, :, 2::2][:, :, 2::2]


class FeedForward(nn.Module):
    def __init__(self, d_model, hidden, dropout, activation):
        super().__init__()
        self.w_1 = nn.Linear(d_model, hidden)
        self.w_2 = nn.Linear(hidden, d_model)
        self.activation = activation
        self.dropout = make_dropout(dropout)

    def forward(self, x):
        return self.w_2(self.dropout(self.activation(self.w_1(x))))


class MoEFeedForward(nn.Module):
    """WeNet's MoE layer: bias-free router, top-k of the raw logits, softmax over the k chosen,
    weighted sum of full-size expert FFNs. No auxiliary loss.

    Each expert runs only on the frames routed to it. The rows are found with nonzero() and
    written back with index_put, so an exported graph computes the row counts at run time and
    never depends on the routing of the export's example input.
    """

    def __init__(self, d_model, hidden, dropout, activation, num_experts, top_k):
        super().__init__()
        self.top_k = top_k
        self.gate = nn.Linear(d_model, num_experts, bias=False)
        self.experts = nn.ModuleList(FeedForward(d_model, hidden, dropout, activation) for _ in range(num_experts))

    def forward(self, x):
        d = x.size(-1)
        flat = x.reshape(-1, d)
        logits = self.gate(flat)
        top_logits, top_idx = logits.topk(self.top_k, dim=-1)
        weights = top_logits.softmax(dim=-1)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            hit = top_idx == e  # [N, k]; a frame picks an expert at most once
            rows = torch.nonzero(hit.any(dim=-1)).squeeze(-1)
            weight = (weights * hit.to(weights.dtype)).sum(dim=-1)
            y = expert(flat.index_select(0, rows)) * weight.index_select(0, rows).unsqueeze(-1)
            out = out.index_put((rows,), out.index_select(0, rows) + y)
        return out.reshape(x.shape)


def make_ffn(cfg, activation):
    if cfg.num_experts > 0:
        return MoEFeedForward(cfg.d_model, cfg.ffn_dim, cfg.dropout, activation, cfg.num_experts, cfg.moe_top_k)
    return FeedForward(cfg.d_model, cfg.ffn_dim, cfg.dropout, activation)


class MultiHeadedAttention(nn.Module):
    def __init__(self, d_model, heads, dropout):
        super().__init__()
        self.d_k = d_model // heads
        self.h = heads
        self.linear_q = nn.Linear(d_model, d_model)
        self.linear_k = nn.Linear(d_model, d_model)
        self.linear_v = nn.Linear(d_model, d_model)
        self.linear_out = nn.Linear(d_model, d_model)
        self.dropout = make_dropout(dropout)

    def qkv(self, query, key, value):
        b = query.size(0)
        q = self.linear_q(query).view(b, -1, self.h, self.d_k)
        k = self.linear_k(key).view(b, -1, self.h, self.d_k).transpose(1, 2)
        v = self.linear_v(value).view(b, -1, self.h, self.d_k).transpose(1, 2)
        return q, k, v

    def attend(self, v, scores, mask):
        """mask: bool [B, 1 or Tq, Tk] (True = attend) or None."""
        if mask is not None:
            keep = mask.unsqueeze(1)
            attn = scores.masked_fill(~keep, -1e9).softmax(dim=-1).masked_fill(~keep, 0.0)
        else:
            attn = scores.softmax(dim=-1)
        x = torch.matmul(self.dropout(attn), v)
        b = x.size(0)
        return self.linear_out(x.transpose(1, 2).reshape(b, -1, self.h * self.d_k))

    def forward(self, query, key, value, mask):
        q, k, v = self.qkv(query, key, value)
        scores = torch.matmul(q.transpose(1, 2), k.transpose(-2, -1)) / math.sqrt(self.d_k)
        return self.attend(v, scores, mask)


class RelPositionAttention(MultiHeadedAttention):
    """Self-attention with learned content/position biases (Transformer-XL style, as WeNet's
    rel_pos). Keys/values of earlier chunks come in `cache` [B, H, T_cache, 2*d_k]."""

    def __init__(self, d_model, heads, dropout):
        super().__init__(d_model, heads, dropout)
        self.linear_pos = nn.Linear(d_model, d_model, bias=False)
        self.pos_bias_u = nn.Parameter(torch.zeros(heads, self.d_k))
        self.pos_bias_v = nn.Parameter(torch.zeros(heads, self.d_k))
        nn.init.xavier_uniform_(self.pos_bias_u)
        nn.init.xavier_uniform_(self.pos_bias_v)

    def forward(self, x, mask, pos_emb, cache=None):
        q, k, v = self.qkv(x, x, x)
        if cache is not None:  # may hold 0 frames (first chunk); no size branch, so it exports
            k_cache, v_cache = torch.split(cache, self.d_k, dim=-1)
            k = torch.cat([k_cache, k], dim=2)
            v = torch.cat([v_cache, v], dim=2)
        new_cache = torch.cat([k, v], dim=-1)
        p = self.linear_pos(pos_emb).view(pos_emb.size(0), -1, self.h, self.d_k).transpose(1, 2)
        q_u = (q + self.pos_bias_u).transpose(1, 2)
        q_v = (q + self.pos_bias_v).transpose(1, 2)
        ac = torch.matmul(q_u, k.transpose(-2, -1))
        bd = torch.matmul(q_v, p.transpose(-2, -1))
        scores = (ac + bd) / math.sqrt(self.d_k)
        return self.attend(v, scores, mask), new_cache


class CausalConvModule(nn.Module):
    """Pointwise conv + GLU, causal depthwise conv (left context kernel-1, cached), LayerNorm,
    swish, pointwise conv."""

    def __init__(self, d_model, kernel):
        super().__init__()
        self.lorder = kernel - 1
        self.pointwise_conv1 = nn.Conv1d(d_model, 2 * d_model, 1)
        self.depthwise_conv = nn.Conv1d(d_model, d_model, kernel, groups=d_model)
        self.norm = nn.LayerNorm(d_model)
        self.pointwise_conv2 = nn.Conv1d(d_model, d_model, 1)

    def forward(self, x, pad_keep=None, cache=None):
        x = x.transpose(1, 2)  # [B, D, T]
        if pad_keep is not None:
            x = x.masked_fill(~pad_keep, 0.0)
        x = F.glu(self.pointwise_conv1(x), dim=1)
        if cache is not None:  # streaming: the previous chunk's last K-1 frames (zeros at first)
            x = torch.cat([cache, x], dim=2)
        else:
            x = F.pad(x, (self.lorder, 0))
        new_cache = x[:, :, -self.lorder :]
        x = self.depthwise_conv(x)
        x = F.silu(self.norm(x.transpose(1, 2))).transpose(1, 2)
        x = self.pointwise_conv2(x)
        if pad_keep is not None:
            x = x.masked_fill(~pad_keep, 0.0)
        return x.transpose(1, 2), new_cache


class ConformerBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d_model
        self.ff_macaron = make_ffn(cfg, F.silu)
        self.self_attn = RelPositionAttention(d, cfg.heads, cfg.dropout)
        self.conv = CausalConvModule(d, cfg.cnn_kernel)
        self.ff = make_ffn(cfg, F.silu)
        self.norm_ff_macaron = nn.LayerNorm(d)
        self.norm_mha = nn.LayerNorm(d)
        self.norm_conv = nn.LayerNorm(d)
        self.norm_ff = nn.LayerNorm(d)
        self.norm_final = nn.LayerNorm(d)
        self.dropout = make_dropout(cfg.dropout)

    def forward(self, x, att_mask, pos_emb, pad_keep=None, att_cache=None, cnn_cache=None):
        x = x + 0.5 * self.dropout(self.ff_macaron(self.norm_ff_macaron(x)))
        a, new_att_cache = self.self_attn(self.norm_mha(x), att_mask, pos_emb, att_cache)
        x = x + self.dropout(a)
        c, new_cnn_cache = self.conv(self.norm_conv(x), pad_keep, cnn_cache)
        x = x + self.dropout(c)
        x = x + 0.5 * self.dropout(self.ff(self.norm_ff(x)))
        return self.norm_final(x), new_att_cache, new_cnn_cache


class ConformerEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.global_cmvn = GlobalCMVN(cfg.feat_dim)
        self.embed = Conv2dSubsampling4(cfg.feat_dim, cfg.d_model, cfg.subsampling_channels, cfg.dropout)
        self.blocks = nn.ModuleList(ConformerBlock(cfg) for _ in range(cfg.encoder_blocks))
        self.after_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, feats, feat_lens, chunk_size=0):
        """Full-utterance forward under a chunk mask (chunk_size <= 0: full context).

        Returns encoder output [B, T', D] and its padding mask [B, 1, T'] (True = real frame)."""
        pad_keep = ~make_pad_mask(feat_lens, feats.size(1)).unsqueeze(1)
        x, pos_emb, pad_keep = self.embed(self.global_cmvn(feats), pad_keep)
        att_mask = chunk_attention_mask(pad_keep, chunk_size)
        for block in self.blocks:
            x, _, _ = block(x, att_mask, pos_emb, pad_keep)
        return self.after_norm(x), pad_keep

    def forward_chunk(self, chunk, offset, att_cache, cnn_cache):
        """One streaming step with all history (batch 1), the contract of encoder.onnx.

        chunk [1, T, F]; offset: encoder frames already emitted; att_cache [L, H, Tc, 2*d_k]
        (Tc = 0 at the first chunk); cnn_cache [L, 1, D, K-1] (zeros at the first chunk)."""
        x = self.global_cmvn(chunk)
        pad_keep = torch.ones(1, 1, x.size(1), dtype=torch.bool)
        x, _, _ = self.embed(x, pad_keep, offset)
        cache_t = att_cache.size(2)
        pos_emb = self.embed.pos_enc.position_encoding(offset - cache_t, cache_t + x.size(1))
        new_att, new_cnn = [], []
        for i, block in enumerate(self.blocks):
            x, a, c = block(x, None, pos_emb, None, att_cache[i : i + 1], cnn_cache[i])
            new_att.append(a)
            new_cnn.append(c.unsqueeze(0))
        return self.after_norm(x), torch.cat(new_att, dim=0), torch.cat(new_cnn, dim=0)

    def forward_chunk_batch(self, chunk, offset, att_cache, cnn_cache, cache_mask):
        """One streaming step of several streams at once, each with all its history.

        chunk [B, T, F] (every stream a full chunk); offset [B]: encoder frames each stream has
        emitted, which its cache holds; att_cache [B, L, H, R, 2*d_k], each stream's frames at
        the end of the R slots (R: the longest cache); cache_mask [B, R], True where a slot holds a
        frame; cnn_cache [B, L, D, K-1]. Returns the output [B, T', D] and the next caches
        [B, L, H, R + T', 2*d_k] and [B, L, D, K-1], laid out as the inputs."""
        b = chunk.size(0)
        x = self.global_cmvn(chunk)
        pad_keep = torch.ones(b, 1, x.size(1), dtype=torch.bool)
        x, _, _ = self.embed(x, pad_keep)
        slots = att_cache.size(3)
        # a padding slot's position is clamped to 0; the mask keeps it out of the attention
        positions = (offset.unsqueeze(1) - slots + torch.arange(slots + x.size(1)).unsqueeze(0)).clamp(min=0)
        pos_emb = F.embedding(positions, self.embed.pos_enc.pe)
        mask = torch.cat([cache_mask, torch.ones(b, x.size(1), dtype=torch.bool)], dim=1).unsqueeze(1)
        new_att, new_cnn = [], []
        for i, block in enumerate(self.blocks):
            x, a, c = block(x, mask, pos_emb, None, att_cache[:, i], cnn_cache[:, i])
            new_att.append(a)
            new_cnn.append(c)
        return self.after_norm(x), torch.stack(new_att, dim=1), torch.stack(new_cnn, dim=1)

    def initial_caches(self):
        cfg = self.cfg
        return (
            torch.zeros(cfg.encoder_blocks, cfg.heads, 0, 2 * (cfg.d_model // cfg.heads)),
            torch.zeros(cfg.encoder_blocks, 1, cfg.d_model, cfg.cnn_kernel - 1),
        )


class DecoderBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d_model
        self.self_attn = MultiHeadedAttention(d, cfg.heads, cfg.dropout)
        self.src_attn = MultiHeadedAttention(d, cfg.heads, cfg.dropout)
        self.feed_forward = make_ffn(cfg, F.relu)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.norm3 = nn.LayerNorm(d)
        self.dropout = make_dropout(cfg.dropout)

    def forward(self, x, tgt_mask, memory, memory_mask):
        y = self.norm1(x)
        x = x + self.dropout(self.self_attn(y, y, y, tgt_mask))
        x = x + self.dropout(self.src_attn(self.norm2(x), memory, memory, memory_mask))
        return x + self.dropout(self.feed_forward(self.norm3(x)))


class TransformerDecoder(nn.Module):
    def __init__(self, cfg, num_blocks):
        super().__init__()
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos_enc = AbsPositionalEncoding(cfg.d_model, cfg.dropout, max_len=1000)
        self.blocks = nn.ModuleList(DecoderBlock(cfg) for _ in range(num_blocks))
        self.after_norm = nn.LayerNorm(cfg.d_model)
        self.output_layer = nn.Linear(cfg.d_model, cfg.vocab_size)

    def forward(self, memory, memory_mask, ys_in, ys_in_lens):
        """Logits [B, L, V] for inputs ys_in [B, L] (sos first)."""
        L = ys_in.size(1)
        tgt_mask = (~make_pad_mask(ys_in_lens, L)).unsqueeze(1) & subsequent_mask(L, ys_in.device).unsqueeze(0)
        x = self.pos_enc(self.embed(ys_in))
        for block in self.blocks:
            x = block(x, tgt_mask, memory, memory_mask)
        return self.output_layer(self.after_norm(x))


class BiTransformerDecoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.left_decoder = TransformerDecoder(cfg, cfg.decoder_blocks)
        self.right_decoder = TransformerDecoder(cfg, cfg.r_decoder_blocks)

    def forward(self, memory, memory_mask, ys_in, ys_in_lens, r_ys_in):
        return (
            self.left_decoder(memory, memory_mask, ys_in, ys_in_lens),
            self.right_decoder(memory, memory_mask, r_ys_in, ys_in_lens),
        )


# ---------------------------------------------------------------- targets


def add_sos_eos(ys, lens, sos, eos, reverse=False):
    """ys [B, U] padded with IGNORE_ID → decoder inputs (sos + y, padded with eos) and outputs
    (y + eos, padded with IGNORE_ID); reverse=True reverses each sequence first (R2L)."""
    B, U = ys.size(0), ys.size(1)
    ys_in = torch.full((B, U + 1), eos, dtype=torch.long)
    ys_out = torch.full((B, U + 1), IGNORE_ID, dtype=torch.long)
    ys_in[:, 0] = sos
    for b in range(B):
        n = int(lens[b])
        y = ys[b, :n].flip(0) if reverse else ys[b, :n]
        ys_in[b, 1 : n + 1] = y
        ys_out[b, :n] = y
        ys_out[b, n] = eos
    return ys_in, ys_out


def label_smoothing_loss(logits, target, smoothing):
    """KL to a smoothed target, normalised by batch size (as WeNet)."""
    V = logits.size(-1)
    logits = logits.reshape(-1, V)
    target = target.reshape(-1)
    ignore = target == IGNORE_ID
    true_dist = torch.full_like(logits, smoothing / (V - 1))
    true_dist.scatter_(1, target.masked_fill(ignore, 0).unsqueeze(1), 1 - smoothing)
    kl = F.kl_div(logits.log_softmax(-1), true_dist, reduction="none").sum(-1)
    return kl.masked_fill(ignore, 0.0).sum()


class U2Model(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = ConformerEncoder(cfg)
        self.ctc_lo = nn.Linear(cfg.d_model, cfg.vocab_size)
        self.decoder = BiTransformerDecoder(cfg)

    def ctc_log_probs(self, enc):
        return self.ctc_lo(enc).log_softmax(dim=-1)

    def forward(self, feats, feat_lens, ys, ys_lens, chunk_size=0):
        """Training loss; returns (total, ctc, att) each divided by batch size."""
        B = feats.size(0)
        enc, pad_keep = self.encoder(feats, feat_lens, chunk_size)
        enc_lens = pad_keep.squeeze(1).sum(1)
        log_probs = self.ctc_log_probs(enc).transpose(0, 1)
        targets = torch.cat([ys[b, : int(ys_lens[b])] for b in range(B)])
        loss_ctc = F.ctc_loss(log_probs, targets, enc_lens, ys_lens, blank=0, reduction="sum", zero_infinity=True) / B
        cfg = self.cfg
        ys_in, ys_out = add_sos_eos(ys, ys_lens, cfg.sos, cfg.eos)
        r_ys_in, r_ys_out = add_sos_eos(ys, ys_lens, cfg.sos, cfg.eos, reverse=True)
        l2r, r2l = self.decoder(enc, pad_keep, ys_in, ys_lens + 1, r_ys_in)
        loss_l2r = label_smoothing_loss(l2r, ys_out, cfg.lsm_weight) / B
        loss_r2l = label_smoothing_loss(r2l, r_ys_out, cfg.lsm_weight) / B
        loss_att = (1 - cfg.reverse_weight) * loss_l2r + cfg.reverse_weight * loss_r2l
        loss = cfg.ctc_weight * loss_ctc + (1 - cfg.ctc_weight) * loss_att
        return loss, loss_ctc, loss_att


def count_parameters(model):
    """(total, active per frame): experts beyond top-k are not active for a given frame."""
    total = sum(p.numel() for p in model.parameters())
    inactive = 0
    for m in model.modules():
        if isinstance(m, MoEFeedForward):
            per_expert = sum(p.numel() for p in m.experts[0].parameters())
            inactive += per_expert * (len(m.experts) - m.top_k)
    return total, total - inactive
