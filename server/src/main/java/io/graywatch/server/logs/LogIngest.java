package io.graywatch.server.logs;

import io.graywatch.agent.ship.Shipment;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.AppService;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes an agent's shipment: checks it, then stores it whole in one transaction, once. A
 * shipment sent again (the agent did not hear the answer and retried) is recognised by its id
 * and changes nothing.
 */
@Service
public class LogIngest {
    /** Two agents' first shipments of a new group may race to create it; the loser tries again. */
    private static final int ATTEMPTS = 4;

    /** What happened to a shipment. */
    public record Outcome(String id, boolean duplicate, int groups, long events) {
    }

    private final LogStore store;
    private final AppService apps;
    private final TransactionTemplate tx;
    private final Clock clock;

    LogIngest(LogStore store, AppService apps, PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.apps = apps;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * @throws ApiException 400 for a shipment that breaks the format, 404 for an app that is not onboarded
     */
    public Outcome take(Shipment s) {
        check(s);
        apps.get(s.app());
        Outcome taken = new Outcome(s.id(), false, s.groups().size(), s.events());
        Outcome duplicate = new Outcome(s.id(), true, s.groups().size(), s.events());
        for (int attempt = 1; ; attempt++) {
            if (store.hasShipment(s.id())) return duplicate;
            try {
                tx.executeWithoutResult(status -> store.store(s, clock.instant()));
                return taken;
            } catch (DuplicateKeyException | ConcurrencyFailureException e) {
                // the same shipment arriving twice at once, or a race on a shared row: the next attempt sees which
                if (attempt >= ATTEMPTS) throw e;
            }
        }
    }

    private static void check(Shipment s) {
        length("id", s.id(), 200);
        length("app", s.app(), 64);
        length("instance", s.instance(), 255);
        if (s.agentVersion() == null || s.agentVersion().isBlank()) throw bad("agentVersion: must name the agent's version");
        length("agentVersion", s.agentVersion(), 64);
        if (s.bucketSeconds() < 1 || s.bucketSeconds() > 3600) throw bad("bucketSeconds: must be between 1 and 3600, got " + s.bucketSeconds());
        if (s.sequence() < 0 || s.agentStartedAt() < 0 || s.createdAt() < 0) throw bad("sequence, agentStartedAt and createdAt must not be negative");
        Set<String> ids = new HashSet<>();
        List<Shipment.Group> groups = s.groups();
        for (int i = 0; i < groups.size(); i++) {
            Shipment.Group g = groups.get(i);
            String at = "groups[" + i + "]";
            if (g == null) throw bad(at + ": must be a group object, got null");
            length(at + ".id", g.id(), 100);
            if (!ids.add(g.id())) throw bad(at + ".id: group '" + g.id() + "' is listed twice");
            if (g.kind() == null) throw bad(at + ".kind: must be one of EXCEPTION, TEMPLATE");
            if (g.level() != null && g.level().length() > 16) throw bad(at + ".level: at most 16 characters");
            if (g.exceptionType() != null && g.exceptionType().length() > 1000) throw bad(at + ".exceptionType: at most 1000 characters");
            if (g.rootCauseType() != null && g.rootCauseType().length() > 1000) throw bad(at + ".rootCauseType: at most 1000 characters");
            if (g.firstSeen() > g.lastSeen()) throw bad(at + ": firstSeen " + g.firstSeen() + " is after lastSeen " + g.lastSeen());
            for (int k = 0; k < g.counts().size(); k++) {
                Shipment.Count c = g.counts().get(k);
                if (c == null) throw bad(at + ".counts[" + k + "]: must be a count object, got null");
                if (c.count() < 0) throw bad(at + ".counts[" + k + "].count: must not be negative, got " + c.count());
                if (c.bucketStart() < 0) throw bad(at + ".counts[" + k + "].bucketStart: must be Unix seconds, got " + c.bucketStart());
            }
        }
    }

    private static void length(String field, String value, int max) {
        if (value == null || value.isBlank()) throw bad(field + ": must not be blank");
        if (value.length() > max) throw bad(field + ": at most " + max + " characters, got " + value.length());
    }

    private static ApiException bad(String message) {
        return ApiException.badRequest(message);
    }
}
