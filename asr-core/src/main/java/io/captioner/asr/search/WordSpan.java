package io.captioner.asr.search;

/**
 * One word of a token sequence: its text and the inclusive range of token indices that spell it.
 *
 * @param text the word as {@link SymbolTable#detokenize(int[])} would write it (lower case)
 * @param firstToken index of the word's first token in the token array
 * @param lastToken index of the word's last token in the token array (inclusive)
 */
public record WordSpan(String text, int firstToken, int lastToken) {}
