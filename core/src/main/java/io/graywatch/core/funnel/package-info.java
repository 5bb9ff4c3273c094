/**
 * Graywatch's detection funnel: {@link io.graywatch.core.funnel.GraywatchJudge} (algorithm
 * {@code graywatch}) judges one guard round, purely, from a {@code GuardInput} and the vote state.
 *
 * <h2>Stages, one package each</h2>
 * <ol>
 * <li>{@code clean}: raw counters judged as their rate ({@code CountersAsRates}); what a metric the corpus or
 *     the app leaves unexplained is, read from its history ({@code RequestMetricsFromData}: success and error rates, the request rate; {@code UtilisationFromData}:
 *     CPU without a unit) and which way hurts when it says "either" ({@code DirectionFromRole});
 *     who is released and who is reference at {@code now}; restarted instances
 *     (a {@code *start_time*} metric that changes, other than at the switch) left out and named;
 *     every series put on one step-aligned grid, warm-up dropped (from when the instance starts
 *     serving, and again after a boot gap), gaps left as gaps, optional IQR trimming; each instance
 *     normalised by its own level just before the first batch (log ratio or difference; counts pooled
 *     first), so that instances of different sizes compare.</li>
 * <li>{@code rule}: immediate FAIL, no vote: a new dangerous exception type, traffic falling to
 *     zero while the reference serves, success rate under the floor (error rate over its mirror).</li>
 * <li>{@code change}: has the release group moved against its own history? Mann-Whitney U with a
 *     Hodges–Lehmann interval (autocorrelation-corrected) for continuous values, a quasi-Poisson
 *     rate test for counts, optionally SST (Krylov) for shape changes, a Mann-Kendall trend for what
 *     builds up (resources, business counts; attributed on that trend against the release group's own
 *     history alone only for a resource that accumulates, memory rather than a utilisation). A trusted reference group (three or more instances,
 *     or a steady smaller one) may stand in for a history too volatile to show the change.</li>
 * <li>{@code attribution}: difference-in-differences against the reference group (or yesterday,
 *     or nothing, at a smaller alpha), then direction and minimum effect, a check that the latest
 *     samples still show it and are not fading back (a warm-up tail), across instances the
 *     instances' own spread discounted, for resources half the reference's own move discounted (CPU
 *     is an idle floor plus load), and a check that the counts behind the values agree: business
 *     counts' totals ({@code CountStep}) and the failed requests behind an error rate
 *     ({@code FailedRequests}), both against the reference's rate minute by minute, quasi-Poisson.
 *     Fast lanes skip the wait: a clear step ({@code ClearStep}, on two samples when the warm-up's
 *     last minute shows no spike coming down; without a reference group, on four samples beyond any
 *     four-minute stretch of the hour, a larger move than the hour made) and a count step (totals beyond chance at
 *     {@code strongAlpha}; per request without a reference group). Below the traffic floor only failed
 *     requests are counted, and blamed without a reference group only when they fill every third of the
 *     minutes since the switch (an incident's burst does not). A leak is also looked for on the first
 *     batch alone; a utilisation (CPU %) there only when it is still climbing away from the reference.
 *     Against history alone once the old version has gone, a move it showed too in its last minutes
 *     ({@code OldVersionLastMinutes}) is a shared cause and only warns; a step that began in the minute the last
 *     batch switched, on the instances already on the new version too, and has held on every sample since
 *     ({@code StepAtLastSwitch}) fails at once.</li>
 * <li>{@code profile}: effects inside the app's normal range only warn.</li>
 * <li>{@code vote}: k of the last n rounds; at once for overwhelming evidence and clear steps, one
 *     round longer without a reference group or with a marginal p-value.</li>
 * <li>{@code Decision}: FAIL, INCONCLUSIVE (never PASS on no data), WARN, PASS, and why.</li>
 * </ol>
 *
 * <h2>Knobs that matter (GuardConfig), to be tuned on the replay benchmark</h2>
 * <ul>
 * <li>{@code stages[role].alpha} (0.005): false alarms per metric and round; with the effect gates it sets precision.</li>
 * <li>{@code MetricSpec.minRelativeEffect / minAbsoluteEffect} (per role; a utilisation's absolute one is two points): the smallest change worth an interception.</li>
 * <li>{@code voteK / voteN} (2 of 3): how long a suspicion must last; trades time to intercept for precision.</li>
 * <li>{@code minSamples} (3) and {@code warmupSeconds} (60): the earliest a batch can be judged.</li>
 * <li>{@code afterWindowSeconds} (900): how much of the time after the switch is compared; shorter finds ramps sooner.</li>
 * <li>{@code strongAlpha} (1e-6): when a metric fails without waiting for the vote.</li>
 * </ul>
 */
package io.graywatch.core.funnel;
