package dev.epochstream.client;

/**
 * Callbacks on model changes, run on the thread that made the change (the client's polling thread for
 * topic records, the caller's thread for {@link ModelClient#loadFile}). Keep them short: the polling
 * thread waits for them. Whatever a listener throws (an Error, or a checked exception from another JVM
 * language included; the JVM's own {@link VirtualMachineError}s excepted) is logged and otherwise ignored.
 */
public interface ModelClientListener {

    /** A valid, newer snapshot was accepted (it may not serve when the key is pinned). */
    default void onReload(ReloadEvent event) {
    }

    /** A snapshot was rejected; the previous model keeps serving. */
    default void onRejection(Rejection rejection) {
    }

    /** A tombstone retired {@code key}: its models, history and pin are gone. */
    default void onRetired(String key) {
    }
}
