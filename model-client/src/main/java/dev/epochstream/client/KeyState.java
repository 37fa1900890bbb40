package dev.epochstream.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the client holds for one key, immutable: the last few valid versions (oldest first, the
 * newest last) and an operator's pin. A change builds a new state and swaps it in, so a reader sees
 * either the old state or the new one, never a mix.
 *
 * @param history valid versions, strictly increasing, at most the configured history size, never empty
 * @param pinned the version an operator pinned (it may have left {@code history}), or null
 */
record KeyState(String key, List<ServingModel> history, ServingModel pinned) {

    KeyState {
        history = List.copyOf(history);
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a key state holds at least one model");
        }
    }

    ServingModel newest() {
        return history.get(history.size() - 1);
    }

    /** The model that answers predictions: the pinned one, else the newest. */
    ServingModel serving() {
        return pinned != null ? pinned : newest();
    }

    /** This state with {@code model} as the newest version, the oldest dropped beyond {@code limit}. */
    KeyState withNewest(ServingModel model, int limit) {
        List<ServingModel> next = new ArrayList<>(history.size() + 1);
        int from = Math.max(0, history.size() + 1 - limit);
        for (int i = from; i < history.size(); i++) {
            next.add(history.get(i));
        }
        next.add(model);
        return new KeyState(key, next, pinned);
    }

    KeyState withPinned(ServingModel model) {
        return new KeyState(key, history, model);
    }

    /** The held model of {@code version} (history or pin), or null. */
    ServingModel find(long version) {
        if (pinned != null && pinned.version() == version) {
            return pinned;
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).version() == version) {
                return history.get(i);
            }
        }
        return null;
    }

    /** The newest held model older than {@code version}, or null. */
    ServingModel newestBefore(long version) {
        ServingModel best = null;
        for (int i = 0; i < history.size(); i++) {
            ServingModel m = history.get(i);
            if (m.version() < version && (best == null || m.version() > best.version())) {
                best = m;
            }
        }
        return best;
    }

    /** Versions that can be pinned, oldest first. */
    List<Long> versions() {
        List<Long> v = new ArrayList<>(history.size() + 1);
        if (pinned != null && pinned.version() < history.get(0).version()) {
            v.add(pinned.version());
        }
        for (int i = 0; i < history.size(); i++) {
            v.add(history.get(i).version());
        }
        return v;
    }
}
