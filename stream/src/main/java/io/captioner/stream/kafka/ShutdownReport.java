package io.captioner.stream.kafka;

import java.nio.file.Path;

/**
 * What {@link CaptionPublisher#shutdown()} could not deliver.
 *
 * @param sent                 events acknowledged over the publisher's life
 * @param undeliveredFinals    final captions still undelivered at shutdown
 * @param undeliveredPartials  partial captions still undelivered at shutdown (not spilled)
 * @param undeliveredOther     other non-droppable events (call started/ended, leg errors) still undelivered
 * @param droppedPartials      partial captions dropped under pressure over the publisher's life
 * @param rejected             non-droppable events rejected while the buffer was full over the publisher's life
 * @param spilled              events written to the spill file over the publisher's life
 * @param spillFile            the spill file, or null
 */
public record ShutdownReport(
        long sent,
        long undeliveredFinals,
        long undeliveredPartials,
        long undeliveredOther,
        long droppedPartials,
        long rejected,
        long spilled,
        Path spillFile) {
    public boolean allDelivered() {
        return undeliveredFinals == 0 && undeliveredPartials == 0 && undeliveredOther == 0 && rejected == 0;
    }
}
