package io.graywatch.server.release;

import io.graywatch.core.release.ReleaseExecutor;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.App;
import org.springframework.stereotype.Component;

import java.util.List;

/** The release executors this server was given, found by name. */
@Component
public class ReleaseExecutors {
    private final List<ReleaseExecutor> all;

    ReleaseExecutors(List<ReleaseExecutor> all) {
        this.all = all;
    }

    /** The executor an app is onboarded with, or the server's only executor when the app names none. */
    public ReleaseExecutor forApp(App app) {
        if (app.executor() != null) {
            return all.stream().filter(e -> e.name().equals(app.executor())).findFirst()
                    .orElseThrow(() -> ApiException.conflict("app '" + app.name() + "' uses release executor '" + app.executor()
                            + "', which this server does not have; available: " + names()));
        }
        if (all.size() != 1) {
            throw ApiException.conflict(all.isEmpty() ? "this server has no release executor configured"
                    : "app '" + app.name() + "' names no release executor and this server has several: " + names());
        }
        return all.get(0);
    }

    /** The executor a release was planned with; it must still be there to act on the release. */
    ReleaseExecutor named(String name) {
        return all.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.conflict("release executor '" + name + "' is not configured on this server"));
    }

    private List<String> names() {
        return all.stream().map(ReleaseExecutor::name).toList();
    }
}
