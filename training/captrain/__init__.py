"""Training recipe for streaming U2++ (dense and MoE) telephony models."""
