package io.graywatch.server.app;

import io.graywatch.server.ui.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The onboarded apps with their metrics and guard settings; read-only until onboarding comes to the UI. */
@UiController
class AppPages {
    private final AppService apps;

    AppPages(AppService apps) {
        this.apps = apps;
    }

    @GetMapping("/apps")
    String list(Model model) {
        model.addAttribute("apps", apps.list());
        return "app/list";
    }
}
