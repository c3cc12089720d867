package io.captioner.stream;

import java.util.Map;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;

/** A broker-side policy that refuses every new topic, like a cluster where topics are managed centrally. */
public final class RefuseTopicCreation implements CreateTopicPolicy {
    static final String REASON = "topics are created by the platform team";

    @Override
    public void validate(RequestMetadata requestMetadata) {
        throw new PolicyViolationException(REASON);
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
}
