package io.captioner.asr.search;

/** Optional inverse text normalisation of spoken English numbers on final transcripts. */
public final class InverseTextNormalizer {
  /** Rewrites spoken numbers in lower-case, space-separated text as digits. */
  public String normalize(String text) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
