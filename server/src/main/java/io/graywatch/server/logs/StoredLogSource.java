package io.graywatch.server.logs;

import io.graywatch.core.logs.LogData;
import io.graywatch.core.source.LogSource;
import org.springframework.stereotype.Component;

import java.util.Collection;

/** Guards read logs from what the agents shipped to this server. */
@Component
public class StoredLogSource implements LogSource {
    private final LogStore store;

    StoredLogSource(LogStore store) {
        this.store = store;
    }

    @Override
    public LogData fetch(String app, Collection<String> instances, long from, long to) {
        return store.fetch(app, instances, from, to);
    }
}
