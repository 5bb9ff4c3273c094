package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A metric declared bad "either" way (or with no direction, which the format reads the same) is judged in the one
 * direction that hurts users when its role has one: latency and errors rising, successes and traffic falling,
 * CPU and memory rising (falling unless they count what is left free). Exporters and converted corpora say
 * "either" when they do not know; taken literally it made a released version that uses less memory, or an order
 * count that grew with the reference's, a failed release. A version that stops serving takes its CPU down with it,
 * but it takes its traffic and successes down too, which stay judged. A business metric counts what the business
 * wants unless its name says it counts a failure; only metrics nothing explains stay judged both ways.
 */
public final class DirectionFromRole {
    private DirectionFromRole() {
    }

    public static GuardInput of(GuardInput in) {
        Map<String, MetricSpec> out = null;
        for (MetricSpec spec : in.metrics().values()) {
            if (spec.bad() != Bad.EITHER) continue;
            Bad harmful = harmful(spec);
            if (harmful == Bad.EITHER) continue;
            if (out == null) out = new LinkedHashMap<>(in.metrics());
            out.put(spec.name(), new MetricSpec(spec.name(), spec.kind(), harmful, spec.unit(), spec.role(), spec.minRelativeEffect(),
                    spec.minAbsoluteEffectGiven() ? spec.minAbsoluteEffect() : Double.NaN));
        }
        return out == null ? in : new GuardInput(in.release(), in.now(), in.stepSeconds(), out, in.instances(), in.observations(), in.logs(),
                in.config(), in.servingSince());
    }

    /** The direction that hurts for a metric of this role and name, or {@link Bad#EITHER} when neither says. */
    static Bad harmful(MetricSpec spec) {
        String name = spec.name().toLowerCase(Locale.ROOT);
        return switch (spec.role()) {
            case LATENCY, ERROR_RATE, ERROR_COUNT -> Bad.INCREASE;
            case SUCCESS_RATE, TRAFFIC -> Bad.DECREASE;
            case RESOURCE -> SPARE.matcher(name).find() ? Bad.DECREASE : Bad.INCREASE;
            case OTHER -> spec.kind() != MetricKind.BUSINESS ? Bad.EITHER : FAILURE.matcher(name).find() ? Bad.INCREASE : Bad.DECREASE;
        };
    }

    /** What is left of a resource: less of it is worse. */
    private static final Pattern SPARE = Pattern.compile("free|avail|idle|spare|remaining|headroom");
    /** A business count of something gone wrong (error and fail make a metric an error count before this). */
    private static final Pattern FAILURE = Pattern.compile("cancel|refund|complain|reject|churn|abandon|timeout|retr(y|ies)|stall|lag|"
            + "buffering|drop|lost|loss|declin|chargeback|fraud|crash|disconnect|kick|unsubscri");
}
