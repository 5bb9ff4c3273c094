package io.graywatch.server.release;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.ApiException;
import io.graywatch.server.Json;
import io.graywatch.server.app.AppService;
import io.graywatch.server.guard.FindingSummary;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.guard.LogGroupTrend;
import io.graywatch.server.guard.MetricTrend;
import io.graywatch.server.ui.Freshness;
import io.graywatch.server.ui.UiController;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The release list and the release page. Their live parts are fragments of the same templates,
 * which htmx polls while a release runs and swaps in after a button is pressed.
 */
@UiController
class ReleasePages {
    private static final int LISTED = 100;

    private final ReleaseService releases;
    private final ReleaseStore store;
    private final AppService apps;
    private final Json json;

    ReleasePages(ReleaseService releases, ReleaseStore store, AppService apps, Json json) {
        this.releases = releases;
        this.store = store;
        this.apps = apps;
        this.json = json;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/releases";
    }

    @GetMapping("/releases")
    String list(@RequestParam(required = false) String app, @RequestParam(required = false) ReleaseState state, Model model) {
        model.addAttribute("apps", apps.list());
        model.addAttribute("states", ReleaseState.values());
        listModel(blankToNull(app), state, model);
        return "release/list";
    }

    /** The list's table alone, which the list polls; 204 when nothing changed since {@code seen}. */
    @GetMapping("/releases/table")
    String table(@RequestParam(required = false) String app, @RequestParam(required = false) ReleaseState state,
                 @RequestParam(required = false) String seen, Model model, HttpServletResponse response) {
        if (listModel(blankToNull(app), state, model).equals(seen)) return unchanged(response);
        return "release/list :: table";
    }

    @GetMapping("/releases/{id}")
    String page(@PathVariable long id, Model model) {
        model.addAttribute("page", page(releases.get(id), releases.rounds(id)));
        return "release/page";
    }

    /** The page's live part alone, which the page polls while the release runs; 204 when nothing changed since {@code seen}. */
    @GetMapping("/releases/{id}/live")
    String live(@PathVariable long id, @RequestParam(required = false) String seen, Model model, HttpServletResponse response) {
        Release release = releases.get(id);
        List<GuardRound> rounds = releases.rounds(id);
        if (token(release, rounds).equals(seen)) return unchanged(response);
        model.addAttribute("page", page(release, rounds));
        return "release/page :: live";
    }

    /**
     * A button. From htmx the live part comes back, with the server's message and 409 when the
     * command was refused (htmx is configured to swap a 409 in); a plain form post is redirected
     * to the page, or shown the page with the message.
     */
    @PostMapping("/releases/{id}/{command}")
    String command(@PathVariable long id, @PathVariable String command,
                   @RequestHeader(name = "HX-Request", defaultValue = "false") boolean htmx, Model model, HttpServletResponse response) {
        ReleaseCommand c = ReleaseCommand.ofPath(command).orElseThrow(() -> ApiException.notFound("there is no command '" + command
                + "' for a release: use one of " + Arrays.stream(ReleaseCommand.values()).map(ReleaseCommand::path).toList()));
        releases.get(id);
        try {
            c.apply(releases, id);
            if (!htmx) return "redirect:/releases/" + id;
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("actionError", c.label() + " refused: " + e.getMessage());
        }
        model.addAttribute("page", page(releases.get(id), releases.rounds(id)));
        return htmx ? "release/page :: live" : "release/page";
    }

    /** Puts the listed releases in the model; returns their freshness token. */
    private String listModel(String app, ReleaseState state, Model model) {
        List<Release> list = releases.list(app, state, LISTED);
        String token = Freshness.of(list);
        model.addAttribute("app", app);
        model.addAttribute("state", state);
        model.addAttribute("releases", list);
        model.addAttribute("limited", list.size() == LISTED);
        model.addAttribute("live", list.stream().anyMatch(r -> r.state() == ReleaseState.RUNNING));
        model.addAttribute("token", token);
        return token;
    }

    private ReleasePage page(Release release, List<GuardRound> oldestFirst) {
        List<GuardRound> newestFirst = new ArrayList<>(oldestFirst);
        Collections.reverse(newestFirst);
        GuardRound interception = release.verdict() == Verdict.FAIL
                ? newestFirst.stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst().orElse(null) : null;
        ReleaseGuard guard = store.guard(release.id());
        List<FindingSummary> summaries = FindingSummary.of(oldestFirst);
        List<LogGroupTrend> logs = summaries.stream().anyMatch(s -> s.finding().source() != Finding.Source.METRIC)
                ? releases.logs(release.id()) : List.of();
        List<ReleasePage.FindingCard> cards = summaries.stream()
                .map(s -> withLog(card(release, guard, interception, s), logs, marks(release, interception))).toList();
        return new ReleasePage(release, newestFirst.subList(0, Math.min(newestFirst.size(), ReleasePage.ROUNDS_SHOWN)),
                oldestFirst.size(), interception, cards, ReleaseCommand.allowedIn(release.state()), token(release, oldestFirst), guard.settings());
    }

    private ReleasePage.FindingCard card(Release release, ReleaseGuard guard, GuardRound interception, FindingSummary summary) {
        Finding f = summary.finding();
        if (f.source() != Finding.Source.METRIC) return new ReleasePage.FindingCard(summary, null, null, null);
        MetricSpec spec = guard.metrics().stream().filter(m -> m.name().equals(f.subject())).findFirst().orElse(null);
        MetricTrend trend = MetricTrend.of(f.subject(), spec == null ? "" : spec.unit(), releases.samples(release.id(), f.subject()),
                releaseGroup(release), marks(release, interception), guard.settings().stepSeconds());
        return trend.isEmpty() ? new ReleasePage.FindingCard(summary, spec, null, null)
                : new ReleasePage.FindingCard(summary, spec, trend, json.write(trend));
    }

    /**
     * A log finding's group: the one it names, or for an exception rule the group of that type the
     * release group logged most.
     */
    private ReleasePage.FindingCard withLog(ReleasePage.FindingCard card, List<LogGroupTrend> logs, List<MetricTrend.Mark> marks) {
        if (!card.aboutLogs()) return card;
        Finding f = card.finding();
        LogGroupTrend group = f.key().startsWith(ReleasePage.EXCEPTION_RULE)
                ? logs.stream().filter(g -> g.involves(f.subject())).findFirst().orElse(null)
                : logs.stream().filter(g -> g.id().equals(f.subject())).findFirst().orElse(null);
        if (group == null) return card;
        return new ReleasePage.FindingCard(card.summary(), card.metric(), card.trend(), card.chart(), group,
                json.write(new LogChart(group.bucketSeconds(), group.counts(), marks)));
    }

    /** What the chart script draws for a log group: events per bucket on each group, and the batch marks. */
    record LogChart(long bucketSeconds, List<LogGroupTrend.Bucket> counts, List<MetricTrend.Mark> marks) {
    }

    /** Every instance that got the new version, whenever it did. */
    private static Set<String> releaseGroup(Release release) {
        return release.batches().stream().filter(b -> b.startedAt() != null).flatMap(b -> b.instances().stream())
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static List<MetricTrend.Mark> marks(Release release, GuardRound interception) {
        List<MetricTrend.Mark> marks = new ArrayList<>();
        for (ReleaseBatch b : release.batches()) {
            if (b.startedAt() != null) {
                marks.add(new MetricTrend.Mark(b.startedAt().getEpochSecond(), "batch " + (b.index() + 1) + (b.preRelease() ? " (pre-release)" : "")));
            }
        }
        if (interception != null) marks.add(new MetricTrend.Mark(interception.at().getEpochSecond(), "intercepted"));
        return marks;
    }

    /** Changes whenever anything the live part shows changes: the release, its batches, a new round. */
    private static String token(Release release, List<GuardRound> rounds) {
        return Freshness.of(release, rounds.size(), rounds.isEmpty() ? 0 : rounds.get(rounds.size() - 1).id());
    }

    private static String unchanged(HttpServletResponse response) {
        response.setStatus(HttpStatus.NO_CONTENT.value());
        // with the response as an argument, null tells Spring the response is complete: no view to render
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
