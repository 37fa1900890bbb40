package dev.epochstream.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event it is told about, in order; safe to read from the test thread. */
final class RecordingListener implements ModelClientListener {
    final List<ReloadEvent> reloads = new CopyOnWriteArrayList<>();
    final List<Rejection> rejections = new CopyOnWriteArrayList<>();
    final List<String> retired = new CopyOnWriteArrayList<>();

    @Override
    public void onReload(ReloadEvent event) {
        reloads.add(event);
    }

    @Override
    public void onRejection(Rejection rejection) {
        rejections.add(rejection);
    }

    @Override
    public void onRetired(String key) {
        retired.add(key);
    }
}
