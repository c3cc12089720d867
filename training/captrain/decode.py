"""Decoding as WeNet's runtime does it: CTC prefix beam search (with token peak times) and
attention rescoring with the bidirectional decoder."""
import math

import torch

NEG_INF = -float("inf")


def log_add(*args):
    if all(a == NEG_INF for a in args):
        return NEG_INF
    a_max = max(args)
    return a_max + math.log(sum(math.exp(a - a_max) for a in args))


class _Prefix:
    __slots__ = ("s", "ns", "v_s", "v_ns", "cur_token_prob", "times_s", "times_ns")

    def __init__(self):
        self.s = self.ns = self.v_s = self.v_ns = self.cur_token_prob = NEG_INF
        self.times_s, self.times_ns = [], []

    def score(self):
        return log_add(self.s, self.ns)

    def viterbi_score(self):
        return max(self.v_s, self.v_ns)

    def times(self):
        return self.times_s if self.v_s > self.v_ns else self.times_ns


def ctc_prefix_beam_search(log_probs, beam=10, blank=0):
    """log_probs [T, V] → n-best list of (tokens tuple, ctc score, token peak frames), best first."""
    start = _Prefix()
    start.s, start.v_s = 0.0, 0.0
    cur = [((), start)]
    lp = log_probs.tolist()
    top = log_probs.topk(min(beam, log_probs.size(-1)), dim=-1).indices.tolist()
    for t in range(len(lp)):
        nxt = {}

        def get(prefix):
            if prefix not in nxt:
                nxt[prefix] = _Prefix()
            return nxt[prefix]

        for u in top[t]:
            prob = lp[t][u]
            for prefix, ps in cur:
                last = prefix[-1] if prefix else None
                if u == blank:
                    n = get(prefix)
                    n.s = log_add(n.s, ps.score() + prob)
                    if n.v_s < ps.viterbi_score() + prob:
                        n.v_s = ps.viterbi_score() + prob
                        n.times_s = list(ps.times())
                elif u == last:
                    n = get(prefix)  # *a → *a (repeat collapses)
                    n.ns = log_add(n.ns, ps.ns + prob)
                    if n.v_ns < ps.v_ns + prob:
                        n.v_ns = ps.v_ns + prob
                        if n.cur_token_prob < prob:
                            n.cur_token_prob = prob
                            n.times_ns = list(ps.times_ns)
                            n.times_ns[-1] = t
                    n2 = get(prefix + (u,))  # *a- → *aa
                    n2.ns = log_add(n2.ns, ps.s + prob)
                    if n2.v_ns < ps.v_s + prob:
                        n2.v_ns = ps.v_s + prob
                        n2.cur_token_prob = prob
                        n2.times_ns = list(ps.times_s) + [t]
                else:
                    n = get(prefix + (u,))
                    n.ns = log_add(n.ns, ps.score() + prob)
                    if n.v_ns < ps.viterbi_score() + prob:
                        n.v_ns = ps.viterbi_score() + prob
                        n.cur_token_prob = prob
                        n.times_ns = list(ps.times()) + [t]
        cur = sorted(nxt.items(), key=lambda kv: kv[1].score(), reverse=True)[:beam]
    return [(prefix, ps.score(), list(ps.times())) for prefix, ps in cur]


def reverse_hyps(hyps, hyps_lens, eos):
    """hyps [N, L] = sos + tokens (+ padding); hyps_lens = tokens + 1 → sos + reversed tokens,
    padded with eos. Pure tensor ops, so it traces into an exportable graph."""
    L = hyps.size(1)
    pos = torch.arange(L).unsqueeze(0)
    src = hyps_lens.unsqueeze(1) - pos  # position p (1..n) takes token n+1-p
    valid = (pos >= 1) & (src >= 1)
    gathered = torch.gather(hyps, 1, src.clamp(0, L - 1))
    r = torch.where(valid, gathered, torch.full_like(hyps, eos))
    return torch.cat([hyps[:, :1], r[:, 1:]], dim=1)


def decoder_scores(model, encoder_out, hyps, hyps_lens):
    """Decoder log-probs for padded hyps (the decoder.onnx contract): (score, r_score) [N, L, V]."""
    cfg = model.cfg
    n = hyps.size(0)
    memory = encoder_out.expand(n, -1, -1)
    memory_mask = torch.ones(n, 1, encoder_out.size(1), dtype=torch.bool)
    r_hyps = reverse_hyps(hyps, hyps_lens, cfg.eos)
    l2r, r2l = model.decoder(memory, memory_mask, hyps, hyps_lens, r_hyps)
    return l2r.log_softmax(-1), r2l.log_softmax(-1)


def pad_hyps(token_lists, sos):
    L = max(len(t) for t in token_lists) + 1
    hyps = torch.zeros(len(token_lists), L, dtype=torch.long)
    for i, t in enumerate(token_lists):
        hyps[i, 0] = sos
        hyps[i, 1 : len(t) + 1] = torch.tensor(t, dtype=torch.long)
    lens = torch.tensor([len(t) + 1 for t in token_lists], dtype=torch.long)
    return hyps, lens


def attention_rescoring(model, encoder_out, nbest, ctc_weight=0.5, reverse_weight=None):
    """nbest from ctc_prefix_beam_search; encoder_out [1, T, D]. Returns per-hypothesis dicts
    (l2r, r2l, rescoring, final) and the index of the best."""
    cfg = model.cfg
    rw = cfg.reverse_weight if reverse_weight is None else reverse_weight
    tokens = [list(h[0]) for h in nbest]
    hyps, lens = pad_hyps(tokens, cfg.sos)
    with torch.no_grad():
        score, r_score = decoder_scores(model, encoder_out, hyps, lens)
    score, r_score = score.double().tolist(), r_score.double().tolist()
    out = []
    for i, (toks, ctc_score, _) in enumerate(nbest):
        l2r = sum(score[i][j][w] for j, w in enumerate(toks)) + score[i][len(toks)][cfg.eos]
        r2l = sum(r_score[i][len(toks) - j - 1][w] for j, w in enumerate(toks)) + r_score[i][len(toks)][cfg.eos]
        rescoring = l2r * (1 - rw) + r2l * rw
        out.append({"l2r": l2r, "r2l": r2l, "rescoring": rescoring, "final": rescoring + ctc_weight * ctc_score})
    best = max(range(len(out)), key=lambda i: out[i]["final"])
    return out, best
