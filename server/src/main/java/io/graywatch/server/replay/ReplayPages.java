package io.graywatch.server.replay;

import io.graywatch.replay.Algorithms;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.AppService;
import io.graywatch.server.ui.UiController;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The replays: a list with a form to start one, and a replay's page, live verdict against replayed verdict per release. */
@UiController
class ReplayPages {
    private static final int LISTED = 100;

    private final ReplayService replays;
    private final AppService apps;

    ReplayPages(ReplayService replays, AppService apps) {
        this.replays = replays;
        this.apps = apps;
    }

    @GetMapping("/replays")
    String list(Model model) {
        model.addAttribute("replays", replays.list(LISTED));
        model.addAttribute("apps", apps.list());
        model.addAttribute("algorithms", Algorithms.NAMES);
        return "replay/list";
    }

    /** The form: a refused replay shows the list again with the reason and the request's status. */
    @PostMapping("/replays")
    String start(@RequestParam(defaultValue = "graywatch") String algorithm, @RequestParam(required = false) String app, Model model,
                 HttpServletResponse response) {
        try {
            return "redirect:/replays/" + replays.start(null, app, algorithm).id();
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("startError", "Replay refused: " + e.getMessage());
            model.addAttribute("algorithm", algorithm);
            model.addAttribute("app", app);
            return list(model);
        }
    }

    @GetMapping("/replays/{id}")
    String page(@PathVariable long id, Model model) {
        model.addAttribute("replay", replays.get(id));
        model.addAttribute("releases", replays.releases(id));
        return "replay/page";
    }

    /** The page's result part alone, which the page polls while the replay runs. */
    @GetMapping("/replays/{id}/result")
    String result(@PathVariable long id, Model model) {
        page(id, model);
        return "replay/page :: result";
    }
}
