package io.graywatch.server.testing;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives a server context its world: a database of its own, the test fleet as release executor, a
 * metric source, a scripted judge, a clock the test moves, and an event log. The orchestrator's
 * schedule is off: tests call {@code tick} with the instants they choose.
 *
 * <p>The no-argument form (used by {@code @ContextConfiguration}) makes everything fresh and deletes
 * the database when the context closes; the other form shares the given parts between contexts,
 * as the restart test needs.
 */
public final class TestFixtures implements ApplicationContextInitializer<GenericApplicationContext> {
    /** Which database a context uses: {@code h2} (default) or {@code postgres}. */
    public static final String DATABASE_PROPERTY = "graywatch.test.database";
    /** The token the test servers take log shipments with. */
    public static final String AGENT_TOKEN = "test-agent-token";

    private final TestFleet fleet;
    private final ScriptedJudge judge;
    private final RecordedMetricSource metrics;
    private final MutableClock clock;
    private final TestDatabase database;

    public TestFixtures() {
        this(new TestFleet(), new ScriptedJudge(), new RecordedMetricSource(), new MutableClock(Instant.parse("2030-01-01T00:00:00Z")), null);
    }

    public TestFixtures(TestFleet fleet, ScriptedJudge judge, RecordedMetricSource metrics, MutableClock clock, TestDatabase database) {
        this.fleet = fleet;
        this.judge = judge;
        this.metrics = metrics;
        this.clock = clock;
        this.database = database;
    }

    @Override
    public void initialize(GenericApplicationContext context) {
        TestDatabase db = database;
        if (db == null) {
            db = TestDatabase.create(context.getEnvironment().getProperty(DATABASE_PROPERTY, "h2"));
            // registered before any bean exists, so it is destroyed after all of them, the connection pool included
            ((DefaultListableBeanFactory) context.getBeanFactory()).registerDisposableBean("testDatabase", db::close);
        }
        Map<String, Object> props = new HashMap<>(db.properties());
        props.put("graywatch.orchestrator.scheduled", "false");
        props.put("graywatch.logs.prune-scheduled", "false");
        props.put("graywatch.agent.token", AGENT_TOKEN);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("testFixtures", props));
        TestDatabase registered = db;
        context.registerBean(TestDatabase.class, () -> registered, bd -> bd.setDestroyMethodName(""));
        context.registerBean(TestFleet.class, () -> fleet);
        context.registerBean(ScriptedJudge.class, () -> judge);
        context.registerBean(RecordedMetricSource.class, () -> metrics);
        context.registerBean(MutableClock.class, () -> clock);
        EventLog events = new EventLog();
        context.registerBean(EventLog.class, () -> events);
        context.addApplicationListener(events);
    }
}
