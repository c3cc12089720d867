package io.captioner.connector.sim;

import java.util.ArrayList;
import java.util.List;

/** A basic two-party bridge in the simulator. */
final class SimBridge {
    final String id;
    final List<SimChannel> members = new ArrayList<>();

    SimBridge(String id) {
        this.id = id;
    }
}
