package io.graywatch.server.testing;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

import java.util.ArrayList;
import java.util.List;

/** Collects the progress events the server publishes, as the demo's listener would. */
public final class EventLog implements ApplicationListener<PayloadApplicationEvent<?>> {
    private final List<Object> events = new ArrayList<>();

    @Override
    public synchronized void onApplicationEvent(PayloadApplicationEvent<?> event) {
        events.add(event.getPayload());
    }

    public synchronized <T> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
